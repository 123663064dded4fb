/**
 * `assess` judges a transfer on what the ledger already holds this year plus itself: recorded transfers
 * are not counted twice, and a planned transfer whose manifest is known adds only persons the ledger
 * has not seen (exact de-duplication by keyed hash). Through the real CLI and the embedded database.
 */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const env = { CHUJING_HMAC_KEY: 'assess-ledger-test-key-0123456789', DATABASE_URL: '' };

const WORKSPACE = `version: 1
organization: { id: acme, name: ACME, processorType: oem }
datasets:
  - { id: sent, name: sent buyers, scenario: other, dataType: customers, personalInfo: { persons: 3 } }
  - id: next
    name: next buyers
    scenario: other
    dataType: customers
    personalInfo: { persons: 3 }
    evidence:
      - { kind: manifest, path: next.csv }
  - { id: other, name: other buyers, scenario: other, dataType: customers, personalInfo: { persons: 5 } }
recipients:
  - { id: hq, name: HQ, country: DE }
transfers:
  - { id: t-sent, date: 2026-02-01, datasets: [sent], recipient: hq, purpose: CRM, status: executed }
  - { id: t-next, date: 2026-03-01, datasets: [next], recipient: hq, purpose: CRM }
  - { id: t-other, date: 2026-04-01, datasets: [other], recipient: hq, purpose: CRM }
`;

describe('assess with the ledger', () => {
  it('starts from the ledger, skips recorded transfers, de-duplicates planned ones by hash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-assess-ledger-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'chujing.yaml'), WORKSPACE);
    // Sent in February: persons A, B, C. Planned for March: B, C (already sent) and D (new).
    writeFileSync(join(dir, 'sent.csv'), 'person_id,phone\nID-A,\nID-B,\nID-C,\n');
    writeFileSync(join(dir, 'next.csv'), 'person_id,phone\nID-B,\nid-c,\nID-D,\n');

    const before = JSON.parse(runCli(['assess', dir, '--json', '--as-of', '2026-11-23'], { env }).stdout);
    expect(before.ledger).toBeNull();

    const imported = runCli(['ledger', 'import', join(dir, 'sent.csv'), '--transfer', 't-sent', '-w', dir], { env });
    expect(imported.code, imported.stderr).toBe(0);

    const r = runCli(['assess', dir, '--json', '--as-of', '2026-11-23'], { env });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const t = (id: string) => report.transfers.find((x: { id: string }) => x.id === id);
    expect(report.ledger).toMatchObject({ recordedTransfers: 1 });
    // The recorded transfer is already in the ledger's 3 persons: not added again.
    expect(t('t-sent').yearToDate.persons).toBe(3);
    expect(t('t-sent').counted).toMatchObject({ persons: 0, method: 'ledger-recorded' });
    // B and C are known to the ledger (c normalises to C): only D is new.
    expect(t('t-next').volume.persons).toBe(3);
    expect(t('t-next').counted).toMatchObject({ persons: 1, method: 'exact-hashes' });
    expect(t('t-next').yearToDate.persons).toBe(4);
    // No hashes known: its declared 5 persons are added in full (conservative sum).
    expect(t('t-other').yearToDate.persons).toBe(9);
  });
});
