/**
 * The life cycle's and engine's newer facts (issue 19) in the regulator documents, read through the
 * one adapter: the SA-6 extension condition (UNCONFIRMED, with its source and the growth so far), a
 * deadline counted through a provisional calendar year (暂定, with the reason), a dataset's level under
 * the pack of an older transfer's date, and a measurement awaiting review in the legal-review points.
 * Markdown through the CLI in process, in both languages.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { IMAGERY, missing, MODELS } from '../evidence/imagery/shared.js';
import { cli, removeDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function folder(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-display-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'chujing.yaml'), yaml);
  return dir;
}

const HEAD = `version: 1
organization: { id: oem, name: OEM, processorType: oem }
recipients:
  - { id: hq, name: HQ, country: DE }
`;

/** An SA approval whose extension window is open on 2026-11-02 and whose persons grew 60%. */
const EXTENSION = `${HEAD}datasets:
  - { id: adas, name: ADAS imagery, scenario: driving-automation, dataType: algorithm-training-data, level: important, personalInfo: { persons: 50000 } }
approvals:
  - id: sa-adas
    mechanism: security-assessment
    applied: 2023-08-01
    issued: 2024-01-10
    covers: { datasets: [adas], recipients: [hq] }
transfers:
  - { id: t-2024, date: 2024-03-01, datasets: [adas], recipient: hq, purpose: training }
  - { id: t-2026, date: 2026-03-01, datasets: [adas], recipient: hq, purpose: training, persons: 80000 }
`;

async function report(kind: string, dir: string, asOf: string, ...more: string[]): Promise<string> {
  const r = await cli(['report', kind, dir, '--as-of', asOf, ...more]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('documents show the SA-6 extension condition (UPD-9)', () => {
  it('the plan and the self-assessment state it as UNCONFIRMED with its rule, source and the growth so far, in en and zh', async () => {
    const dir = folder(EXTENSION);
    for (const kind of ['plan', 'self-assessment']) {
      const en = await report(kind, dir, '2026-11-02', '--transfer', 't-2026');
      expect(en, kind).toContain('Condition for extending sa-adas (extension window');
      expect(en, kind).toContain('UNCONFIRMED');
      expect(en, kind).toContain('must grow by no more than 20% over the next 3 years (unconfirmed; one of six conditions');
      expect(en, kind).not.toContain('UPD-9):');
      expect(en, kind).toContain('Growth so far under sa-adas: 50000 persons in 2024 to 80000 persons in 2026, 60%');
      expect(en, kind).toContain('SA-6-C1');
      expect(en, kind).toContain('CAC Q&A, July 2026');
      const zh = await report(kind, dir, '2026-11-02', '--transfer', 't-2026', '--lang', 'zh');
      expect(zh, kind).toContain('sa-adas 延期的条件');
      expect(zh, kind).toContain('未来3年内出境个人信息的人数增长不超过20%（未经证实');
    }
  });

  it('no condition once the window has closed', async () => {
    const plan = await report('plan', folder(EXTENSION), '2027-02-01', '--transfer', 't-2026');
    expect(plan).not.toContain('Condition for extending');
  });
});

describe('documents mark deadlines counted through provisional calendar years (UPD-11)', () => {
  it('the plan and the SC filing materials say 暂定 with the life cycle\'s reason and the near-holiday warning', async () => {
    const dir = folder(`${HEAD}datasets:
  - { id: cust, name: Customer data, scenario: connected-operation, dataType: vehicle-data, personalInfo: { persons: 150000 } }
approvals:
  - { id: sc, mechanism: standard-contract, signed: 2029-01-28, effective: 2029-01-29, covers: { datasets: [cust], recipients: [hq] } }
transfers:
  - { id: t-sc, date: 2029-01-30, datasets: [cust], recipient: hq, purpose: service }
`);
    const en = await report('plan', dir, '2029-01-30', '--transfer', 't-sc');
    expect(en).toContain('2029-02-16, provisional: counted on the calendar of 2029');
    expect(en).toContain('2029 is provisional: no State Council holiday notice is encoded');
    expect(en).toContain('WARNING: 2029-02-16 is within 3 working days of');
    const zh = await report('plan', dir, '2029-01-30', '--transfer', 't-sc', '--lang', 'zh');
    expect(zh).toContain('2029-02-16，暂定');
    // The SC filing materials: the filing date in the table marked, the reason under it.
    const filing = await report('sc-filing', dir, '2029-01-30', '--transfer', 't-sc');
    expect(filing).toContain('2029-02-16 (counted through provisional calendar year 2029)');
    expect(filing).toContain('2029 is provisional: no State Council holiday notice is encoded');
    // The plan's filing step says the same.
    expect(en).toContain('2029-02-16 (counted through provisional calendar year 2029)');
  });
});

describe('a dataset judged under another pack on an older transfer\'s date', () => {
  it('the plan\'s identification table gives the level under the pack of the transfer\'s date next to the current one', async () => {
    const dir = folder(`${HEAD}datasets:
  - id: vehicles
    name: Fleet telemetry
    scenario: connected-operation
    dataType: vehicle-data
    facts: { distinctVehicles: 200000 }
transfers:
  - { id: t-2025, date: 2025-05-01, datasets: [vehicles], recipient: hq, purpose: fleet analytics }
  - { id: t-2026, date: 2026-05-01, datasets: [vehicles], recipient: hq, purpose: fleet analytics }
`);
    const old = await report('plan', dir, '2026-12-31', '--transfer', 't-2025');
    expect(old).toContain('under cn-auto@2021, the pack in force on the date of t-2025: general data');
    const current = await report('plan', dir, '2026-12-31', '--transfer', 't-2026');
    expect(current).not.toContain('the pack in force on the date of');
    const zh = await report('plan', dir, '2026-12-31', '--transfer', 't-2025', '--lang', 'zh');
    expect(zh).toContain('按 t-2025 出境之日施行的规则包 cn-auto@2021');
  });
});

describe.skipIf(missing !== null)('a measurement awaiting review (face just under the threshold)', () => {
  it('the PIPIA lists it among the points for legal review', async () => {
    const dir = folder(`version: 1
organization: { id: test-cn, name: Test Automotive, processorType: oem }
datasets:
  - id: road-imagery
    name: Road-test photos
    scenario: driving-automation
    dataType: algorithm-training-data
    personalInfo: { persons: 2000 }
    evidence:
      - { kind: images, path: photos }
recipients:
  - { id: lab-de, name: Test lab, country: DE }
transfers:
  - { id: t-1, date: 2026-06-01, datasets: [road-imagery], recipient: lab-de, purpose: model training, status: planned }
`);
    mkdirSync(join(dir, 'photos'));
    // The photo shrunk to a third: its largest face measures just under 32 px (test/evidence/imagery).
    await sharp(join(IMAGERY, 'faces', '2008_001009.jpg')).resize(120, 160).jpeg({ quality: 95 }).toFile(join(dir, 'photos', 'small.jpg'));
    for (const kind of ['pipia']) {
      const r = await cli(['report', kind, dir, '--as-of', '2026-06-01', '--transfer', 't-1'], { env: { CHUJING_MODEL_DIR: MODELS } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, kind).toMatch(/t-1.*dataset road-imagery: the largest face the detector measured is just under the 32 px threshold/);
    }
  }, 120_000);
});
