/**
 * The log evidence of the security checklist (SEC-LOG-1): with transfers recorded in the embedded
 * ledger, the checklist names the ledger, runs `ledger verify` and shows it intact with its retention —
 * and the requirement is then met by the tool's own evidence. The identifiers recorded (as keyed
 * hashes) never come back out.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { findIdentifiers } from '../../src/report/documents/redact.js';
import { AS_OF, cli, removeDir } from './helpers.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'ledger');
const ENV = { CHUJING_HMAC_KEY: 'documents-test-key-0123456789abcdef' };

describe('security checklist with a ledger', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chujing-docs-ledger-'));
    cpSync(join(FIXTURES, 'workspace'), dir, { recursive: true });
    const r = await cli(['ledger', 'record', join(FIXTURES, 'entries.json'), '-w', dir], { env: ENV });
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => removeDir(dir));

  it('shows the ledger verified intact, its retention, and SEC-LOG-1 met by it', async () => {
    const out = join(dir, 'checklist.md');
    const r = await cli(['report', 'security-checklist', dir, '--as-of', AS_OF, '--out', out], { env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/the outbound ledger at pglite:[^\n]*: 1 recorded transfer\(s\), hash-chained/);
    expect(md).toContain('verified intact: 1 entries, 0 signed checkpoint(s)');
    expect(md).toContain('retention set to 3 years (minimum 3)');
    expect(md).toMatch(/\*\*ready\*\* `SEC-LOG-1`/);
    // The entries' phone numbers, ID number and VIN were hashed on the way in; none comes back out.
    for (const raw of ['13800000001', '13800000009', '110101199001011234', 'LSVAA11A1AA000009']) expect(md).not.toContain(raw);
    expect(findIdentifiers(md)).toEqual([]);
  });
});
