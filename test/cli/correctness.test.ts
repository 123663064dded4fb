/**
 * Issue 8: no answer may be silently wrong. Each class of silent wrong answer found in review, through
 * the CLI (in process: the same code path as the binary) where a user meets it, and through the engine
 * where only the logic is in question.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerBaseline } from '../../src/engine/types.js';
import { ALL_PACKS } from '../../src/rules/index.js';
import { runMain } from '../helpers/cli.js';
import { codes, en, only, piDataset, run, transfer, workspace } from '../helpers/workspace.js';

/** A workspace folder with these files (JSON is YAML too). */
function folder(files: Record<string, string | object>): string {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-correct-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

const ORG = { id: 'oem', name: 'OEM (China) Co., Ltd.', processorType: 'oem' };
const HQ = { id: 'hq', name: 'HQ', country: 'DE' };
const wsFile = (parts: Record<string, unknown>) => folder({ 'chujing.yaml': { version: 1, organization: ORG, recipients: [HQ], ...parts } });

async function assessJson(dir: string, asOf = '2026-12-31') {
  const r = await runMain(['assess', dir, '--json', '--as-of', asOf, '--no-ledger']);
  expect(r.stderr).toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) };
}

const imagery = (id: string, facts: Record<string, number | boolean>, extra: Record<string, unknown> = {}) => ({ id, name: id, scenario: 'driving-automation', dataType: 'algorithm-training-data', facts, ...extra });

describe('input that was ignored is rejected', () => {
  const TYPO = `version: 1
organization: { id: oem, name: OEM, processorType: oem }
datasets:
  - id: video
    name: road video
    scenario: driving-automation
    dataType: algorithm-training-data
    facts:
      rawImageHours: 3000
recipients: [{ id: hq, name: HQ, country: DE }]
`;

  it('an unknown fact name is exit 2 with the file, line and "did you mean" (validate and assess)', async () => {
    const dir = folder({ 'chujing.yaml': TYPO });
    for (const cmd of ['validate', 'assess']) {
      const r = await runMain([cmd, dir]);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toMatch(/chujing\.yaml:9:\d+ datasets\[0\]\.facts\.rawImageHours: unknown fact rawImageHours \(expected did you mean rawImageryHours\?\)/);
    }
    const zh = await runMain(['validate', dir, '--lang', 'zh-CN']);
    expect(zh.stderr).toContain('未知的事实名称 rawImageHours');
    expect(zh.stderr).toContain('您是否要输入 rawImageryHours');
  });

  it('a fact of the wrong type is exit 2', async () => {
    const r = await runMain(['validate', folder({ 'chujing.yaml': TYPO.replace('rawImageHours: 3000', 'sensitiveGeoInfo: 5') })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('fact sensitiveGeoInfo is a number (expected true or false)');
  });

  it('the JSON Schema lists the known facts with their types, the scenarios and each scenario\'s data types', async () => {
    const schema = JSON.parse((await runMain(['schema'])).stdout);
    const dataset = schema.properties.datasets.items;
    expect(dataset.properties.facts.properties.rawImageryHours).toMatchObject({ type: 'number' });
    expect(dataset.properties.facts.properties.vehicleControlInstructions).toEqual({ type: 'boolean' });
    expect(dataset.properties.facts.additionalProperties).toBe(false);
    expect(dataset.properties.scenario.enum).toEqual(expect.arrayContaining(['driving-automation', 'connected-operation', 'other']));
    expect(dataset.allOf).toContainEqual({
      if: { properties: { scenario: { const: 'software-upgrade' } }, required: ['scenario'] },
      then: { properties: { dataType: { enum: ['software-upgrade-data'] } } },
    });
  });

  it('a fact the pack in force does not use is reported, not dropped', () => {
    const r = run(workspace({ datasets: [{ ...piDataset('bom', 0), scenario: 'manufacturing', dataType: 'bill-of-materials', facts: { exportControlledTechnology: true } }] }), { asOf: '2025-10-01' });
    const d = only(r.datasets);
    expect(d.pack).toBe('cn-auto@2025-draft');
    expect(codes(d.warnings)).toContain('dataset.facts-unused');
    expect(en(d.warnings)).toContain('exportControlledTechnology');
  });

  it('a transfer to a recipient in mainland China is not outbound: exit 2', async () => {
    const dir = wsFile({ recipients: [{ id: 'sh', name: 'Shanghai branch', country: 'CN' }], datasets: [piDataset('crm', 10)], transfers: [{ ...transfer('t', '2026-03-01', ['crm']), recipient: 'sh' }] });
    const r = await runMain(['assess', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a recipient in mainland China: that is not an outbound transfer');
  });

  it('a claim on a transfer of several datasets must say which it is about', async () => {
    const dir = wsFile({ datasets: [piDataset('a', 10), piDataset('b', 10)], transfers: [transfer('t', '2026-03-01', ['a', 'b'], { exemptionClaims: [{ claim: 'contract-necessity', basis: 'sales contract' }] })] });
    const r = await runMain(['validate', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('say which of them the contract-necessity claim is about');
  });

  it('a user-filled FTZ list without items is exit 2; with items it decides', async () => {
    const org = { ...ORG, ftz: { zone: 'chongqing', list: 'chongqing-ftz-2025' } };
    const base = { version: 1, organization: org, recipients: [HQ], datasets: [piDataset('crm', 150_000)], transfers: [transfer('t', '2026-03-01', ['crm'])] };
    const empty = await runMain(['validate', folder({ 'chujing.yaml': base })]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('the items of chongqing-ftz-2025');
    const filled = folder({
      'chujing.yaml': {
        ...base,
        negativeLists: [{ id: 'chongqing-ftz-2025', zone: 'chongqing', name: 'Chongqing ICV list (our copy)', source: 'Chongqing CAC notice 2025', items: [{ id: 'CQ-ICV-1', title: { en: 'ICV test imagery' }, match: { dataTypes: ['algorithm-training-data'] } }] }],
      },
    });
    const { report } = await assessJson(filled);
    expect(only(report.transfers)).toMatchObject({ path: 'exempt', exemption: 'EXEMPT-7' });
  });
});

describe('the ledger and the year-to-date counts', () => {
  const volume = (persons: number) => ({ persons, sensitivePersons: 0, chargingConsumptionPersons: 0, vehicles: 0 });
  const entry = (id: string, date: string, persons: number, extra: Partial<LedgerBaseline['entries'][number]> = {}) => ({
    id, organization: 'oem', time: `${date}T02:00:00.000Z`, date, year: Number(date.slice(0, 4)), datasets: [], recipient: 'hq', kind: 'transmit', mechanism: null, approvalReference: null, forced: false, volume: volume(persons), ...extra,
  });

  it('a partial record never lowers a transfer below what is declared; the report says they disagree', () => {
    const ws = workspace({ datasets: [piDataset('buyers', 180_000)], transfers: [transfer('t-big', '2026-03-01', ['buyers'], { status: 'executed' })] });
    const ledger: LedgerBaseline = { source: 'test', days: [{ organization: 'oem', year: 2026, date: '2026-03-01', ...volume(3) }], entries: [entry('t-big', '2026-03-01', 3)] };
    const t = only(run(ws, { ledger }).transfers);
    expect(t.path).toBe('standard-contract-or-certification');
    expect(t.volume.persons).toBe(180_000);
    expect(t.yearToDate.persons).toBe(180_000);
    expect(t.counted).toMatchObject({ method: 'ledger-recorded', persons: 179_997 });
    expect(codes(t.legalReview)).toContain('review.ledger-volume-differs');
    expect(run(ws, { ledger }).ledger!.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['volume-differs']));
  });

  it('year to date means before the transfer: persons recorded in June do not count for 1 March, and nothing after --as-of counts', () => {
    const ws = workspace({ datasets: [piDataset('march', 90_000)], transfers: [transfer('t-march', '2026-03-01', ['march'])] });
    const ledger: LedgerBaseline = { source: 'test', days: [{ organization: 'oem', year: 2026, date: '2026-06-10', ...volume(50_000) }], entries: [entry('gw-june', '2026-06-10', 50_000)] };
    const r = run(ws, { ledger, asOf: '2026-12-31' });
    expect(only(r.transfers)).toMatchObject({ path: 'exempt', exemption: 'EXEMPT-6', yearToDate: expect.objectContaining({ persons: 90_000 }) });
    // The organisation's count on the as-of date includes June; as of May it does not.
    expect(r.organizations.find((o) => o.organization === 'oem')!.yearToDate.persons).toBe(140_000);
    const may = run(ws, { ledger, asOf: '2026-05-01' });
    expect(may.organizations.find((o) => o.organization === 'oem')!.sources.ledger.persons).toBe(0);
  });

  it('ledger entries that are undeclared, prohibited or not covered are reported and fail the assessment', async () => {
    const ws = workspace({
      datasets: [piDataset('crm', 200_000), { id: 'site', name: 'site', scenario: 'rnd-design', dataType: 'product-testing', level: 'core' }],
      transfers: [transfer('t-crm', '2026-03-01', ['crm'], { status: 'executed' }), transfer('t-core', '2026-04-01', ['site'], { status: 'executed' })],
    });
    const ledger: LedgerBaseline = {
      source: 'test',
      days: [{ organization: 'oem', year: 2026, date: '2026-03-01', ...volume(200_000) }],
      entries: [entry('t-crm', '2026-03-01', 200_000), entry('t-core', '2026-04-01', 0, { forced: true }), entry('gw-unknown', '2026-05-01', 0)],
    };
    const r = run(ws, { ledger });
    const kinds = r.ledger!.findings.map((f) => `${f.entry}:${f.kind}`).sort();
    expect(kinds).toEqual(['gw-unknown:undeclared', 't-core:forced', 't-core:prohibited', 't-crm:uncovered']);
    expect(codes(r.actions)).toContain('action.ledger');
    expect(r.summary.ledgerFindings).toBe(4);
  });

  it('the same dataset sent every month counts its persons once a year (CNT-1), and the report says how it counted', () => {
    const months = Array.from({ length: 12 }, (_, i) => transfer(`sync-${i + 1}`, `2026-${String(i + 1).padStart(2, '0')}-05`, ['crm']));
    const r = run(workspace({ datasets: [piDataset('crm', 60_000)], transfers: months }));
    for (const t of r.transfers) expect(t).toMatchObject({ path: 'exempt', exemption: 'EXEMPT-6', yearToDate: expect.objectContaining({ persons: 60_000 }) });
    expect(r.transfers[0]!.counted).toMatchObject({ persons: 60_000, method: 'dataset-once-per-year' });
    expect(r.transfers[11]!.counted).toMatchObject({ persons: 0, method: 'dataset-once-per-year' });
  });
});

describe('legal logic', () => {
  const sub = (id: string, group = 'g') => ({ id, name: id, processorType: 'dealer', group });

  it('splitting: three entities at 40,000 each are 120,000: every part needs a standard contract or certification (lower band)', async () => {
    const dir = wsFile({
      organization: { ...ORG, group: 'g' },
      affiliates: [sub('a'), sub('b')],
      datasets: [piDataset('d0', 40_000), piDataset('d1', 40_000), piDataset('d2', 40_000)],
      transfers: [transfer('t0', '2026-02-01', ['d0']), transfer('t1', '2026-03-01', ['d1'], { organization: 'a' }), transfer('t2', '2026-04-01', ['d2'], { organization: 'b' })],
    });
    const { code, report } = await assessJson(dir);
    expect(code).toBe(1);
    for (const t of report.transfers) {
      expect(t.path).toBe('standard-contract-or-certification');
      expect(t.rules).toEqual(expect.arrayContaining(['PATH-SC-3', 'PATH-SC-1']));
      expect(t.splitting).toMatchObject({ group: 'g', yearTotal: { persons: 120_000 } });
    }
  });

  it('splitting: a different label for the same scenario does not escape the aggregate', () => {
    const charging = (id: string, scenario: string) => ({ id, name: id, scenario, dataType: 'charging-operation-data', personalInfo: { persons: 400_000 } });
    const ws = workspace({
      organization: { group: 'g' },
      affiliates: [sub('a'), sub('b')],
      datasets: [charging('c0', 'connected-operation'), charging('c1', 'platform-operation'), charging('c2', 'Connected-Operation')],
      transfers: [transfer('t0', '2026-02-01', ['c0']), transfer('t1', '2026-03-01', ['c1'], { organization: 'a' }), transfer('t2', '2026-04-01', ['c2'], { organization: 'b' })],
    });
    expect(run(ws).transfers.map((t) => t.path)).toEqual(['security-assessment', 'security-assessment', 'security-assessment']);
  });

  it('labels do not decide importance: 150,000 vehicles labelled "other", 48 px faces labelled vehicle-data', async () => {
    const dir = wsFile({
      datasets: [
        { id: 'fleet', name: 'fleet', scenario: 'other', dataType: 'telemetry', facts: { distinctVehicles: 150_000 } },
        { id: 'video', name: 'outside video', scenario: 'connected-operation', dataType: 'vehicle-data', facts: { maxFaceBoxMinSidePx: 48 } },
      ],
      transfers: [transfer('t-fleet', '2026-03-01', ['fleet']), transfer('t-video', '2026-03-02', ['video'])],
    });
    const { report } = await assessJson(dir);
    const d = (id: string) => report.datasets.find((x: { id: string }) => x.id === id);
    expect(d('fleet')).toMatchObject({ level: 'important', findings: [expect.objectContaining({ rule: 'DRAFT-J8', binding: true })] });
    expect(d('video')).toMatchObject({ level: 'important', findings: [expect.objectContaining({ rule: 'DRAFT-J6', binding: true })] });
    expect(d('video').findings[0].notes.map((n: { code: string }) => n.code)).toContain('finding.beyond-listed-types');
    expect(report.transfers.map((t: { path: string }) => t.path)).toEqual(['security-assessment', 'security-assessment']);
  });

  it('IMP-A21-4 applies as the 2021 text reads before the guidelines; under them, as a setting', () => {
    const small = [imagery('v', { maxFaceBoxMinSidePx: 12 })];
    const in2024 = run(workspace({ datasets: small, transfers: [transfer('t', '2024-11-01', ['v'])] }), { asOf: '2024-12-01' });
    expect(only(in2024.datasets)).toMatchObject({ pack: 'cn-auto@2021', level: 'important', findings: [expect.objectContaining({ rule: 'IMP-A21-4' })] });
    const ws = workspace({ datasets: small, transfers: [transfer('t', '2026-03-01', ['v'])] });
    expect(only(run(ws).datasets)).toMatchObject({ level: 'general', advisories: [expect.objectContaining({ rule: 'IMP-A21-4' })] });
    const literal = run({ ...ws, settings: { ...ws.settings, auto21OutsideImagery: 'any-face-or-plate' } });
    expect(only(literal.datasets).level).toBe('important');
  });

  it('anonymised data is not PI (AUTO-4); a claim that measurements contradict is reported and not honoured', () => {
    const anon = { ...piDataset('anon', 500_000), anonymised: true };
    expect(only(run(workspace({ datasets: [anon], transfers: [transfer('t', '2026-03-01', ['anon'])] })).transfers)).toMatchObject({ path: 'exempt', exemption: 'FREE-1' });
    const faces = { ...imagery('v', {}), anonymised: true, personalInfo: { persons: 20_000 } };
    const measured = { v: { facts: { maxFaceBoxMinSidePx: 48 }, sources: [] } };
    const r = run(workspace({ datasets: [faces], transfers: [transfer('t', '2026-03-01', ['v'])] }), { measured });
    expect(codes(only(r.datasets).warnings)).toContain('dataset.anonymised-contradicted');
    expect(only(r.datasets).personalInfo).toMatchObject({ persons: 20_000, basis: 'declared' });
    expect(only(r.transfers).path).toBe('security-assessment');
  });

  it('EXEMPT-2 needs data with no important data; EXEMPT-1 without a listed activity is FREE-1', () => {
    const foreignVideo = { ...imagery('v', { maxFaceBoxMinSidePx: 50 }), origin: 'foreign' };
    const t = only(run(workspace({ datasets: [foreignVideo], transfers: [transfer('t', '2026-03-01', ['v'], { exemptionClaims: ['foreign-transit'] })] })).transfers);
    expect(t.path).toBe('security-assessment');
    expect(t.claims[0]).toMatchObject({ claim: 'foreign-transit', supported: false });
    const bom = { id: 'bom', name: 'bom', scenario: 'manufacturing', dataType: 'bill-of-materials' };
    const free = only(run(workspace({ datasets: [bom], transfers: [transfer('t', '2026-03-01', ['bom'], { exemptionClaims: ['trade-no-pi'] })] })).transfers);
    expect(free).toMatchObject({ path: 'exempt', exemption: 'FREE-1' });
  });

  it('a claim covers the datasets it is about; the rest of the transfer is judged normally', () => {
    const ws = workspace({
      datasets: [piDataset('bookings', 5_000), piDataset('crm', 150_000)],
      transfers: [transfer('t', '2026-03-01', ['bookings', 'crm'], { exemptionClaims: [{ claim: 'contract-necessity', basis: 'hotel bookings', datasets: ['bookings'] }] })],
    });
    const t = only(run(ws).transfers);
    expect(t.exemptedDatasets).toEqual([{ dataset: 'bookings', rule: 'EXEMPT-3' }]);
    expect(t.path).toBe('standard-contract-or-certification');
    expect(t.yearToDate.persons).toBe(150_000);
  });

  it('automobile claims need a purpose and a prior report, and should fit the data', () => {
    const crm = piDataset('crm', 50, 50);
    const t = only(run(workspace({ datasets: [crm], transfers: [transfer('t', '2026-03-01', ['crm'], { exemptionClaims: [{ claim: 'defect-recall-ota', reference: 'SAMR-R-1', basis: 'recall 2026-03' }] })] })).transfers);
    expect(t.path).toBe('exempt');
    expect(codes(t.legalReview)).toContain('review.claim-does-not-fit');
    const noPurpose = only(run(workspace({ datasets: [crm], transfers: [transfer('t', '2026-03-01', ['crm'], { exemptionClaims: [{ claim: 'security-incident', reference: 'INC-1' }] })] })).transfers);
    expect(noPurpose.claims[0]).toMatchObject({ supported: false });
    expect(noPurpose.path).toBe('standard-contract-or-certification');
  });

  it('an FTZ list item follows its own mechanism; the Lingang positive list exempts listed data that meets its conditions', () => {
    const list = { id: 'my-zone', zone: 'hainan', name: 'list', source: 'notice', items: [{ id: 'HN-1', title: { en: 'customer PI' }, match: { dataTypes: ['customer-records'] }, mechanism: 'standard-contract' }] };
    const pi = only(run(workspace({ organization: { ftz: { zone: 'hainan', list: 'my-zone' } }, negativeLists: [list], datasets: [piDataset('crm', 500)], transfers: [transfer('t', '2026-03-01', ['crm'])] })).transfers);
    expect(pi).toMatchObject({ path: 'standard-contract-or-certification' });
    expect(pi.rules).toContain('FTZ-1');
    const lingang = { organization: { ftz: { zone: 'shanghai-lingang', list: 'shanghai-lingang-2024' } } };
    const clean = { ...imagery('rd', { maxFaceBoxMinSidePx: 0, maxPlateBoxMinSidePx: 0 }), positiveListItems: ['LG-ICV-2'], personalInfo: { persons: 200_000 } };
    expect(only(run(workspace({ ...lingang, datasets: [clean], transfers: [transfer('t', '2026-03-01', ['rd'])] })).transfers)).toMatchObject({ path: 'exempt', exemption: 'EXEMPT-7' });
    const withFaces = { ...clean, facts: { maxFaceBoxMinSidePx: 20, maxPlateBoxMinSidePx: 0 } };
    const t = only(run(workspace({ ...lingang, datasets: [withFaces], transfers: [transfer('t', '2026-03-01', ['rd'])] })).transfers);
    expect(t.path).toBe('standard-contract-or-certification');
    expect(codes(t.legalReview)).toContain('review.positive-list-conditions');
  });

  it('an expired approval covers nothing; an extension outside the SA-6 window does not count; a late grant leaves a gap', () => {
    const video = imagery('v', { maxFaceBoxMinSidePx: 64 });
    const approval = (extra: Record<string, unknown>) => ({ id: 'sa', mechanism: 'security-assessment', issued: '2024-01-02', covers: { datasets: ['v'] }, ...extra });
    const at = (date: string, extra: Record<string, unknown>) => only(run(workspace({ datasets: [video], transfers: [transfer('t', date, ['v'])], approvals: [approval(extra)] }), { asOf: date }).transfers);
    expect(at('2025-06-01', {}).covered).toBe(true);
    expect(at('2025-06-01', { status: 'expired' }).covered).toBe(false);
    // Valid to 2027-01-01; the window opens 60 working days before. Applied too early: no extension.
    const early = at('2027-03-01', { extensions: [{ applied: '2026-06-01', granted: '2026-07-01' }] });
    expect(early.covered).toBe(false);
    expect(en(early.missing)).toContain('does not count: SA-6 requires applying within the 60 working days before expiry');
    // Applied in the window, granted after expiry: covers from the grant, not the gap.
    const late = { extensions: [{ applied: '2026-11-20', granted: '2027-02-01' }] };
    expect(at('2027-01-15', late).covered).toBe(false);
    expect(at('2027-02-10', late)).toMatchObject({ covered: true, coveredBy: 'sa' });
  });

  it('DRAFT-J12 counts every charging consumption transfer of the year, exempt ones too', () => {
    const charging = (id: string, n: number) => ({ id, name: id, scenario: 'connected-operation', dataType: 'charging-operation-data', personalInfo: { persons: n, chargingConsumptionPersons: n, subjects: ['customers'] } });
    const r = run(
      workspace({
        datasets: [charging('roaming', 600_000), charging('q3', 450_000)],
        transfers: [transfer('t-roaming', '2026-03-01', ['roaming'], { exemptionClaims: [{ claim: 'contract-necessity', basis: 'roaming contracts with each driver' }] }), transfer('t-q3', '2026-09-01', ['q3'])],
      }),
    );
    expect(r.transfers[0]!.path).toBe('exempt');
    expect(r.transfers[1]).toMatchObject({ path: 'security-assessment' });
    expect(r.transfers[1]!.rules).toContain('DRAFT-J12');
  });

  it('when both bands hold (Q-1), both rules are named', () => {
    const sc = only(run(workspace({ datasets: [piDataset('d', 150_000, 2_000)], transfers: [transfer('t', '2026-03-01', ['d'])] })).transfers);
    expect(sc.rules).toEqual(expect.arrayContaining(['PATH-SC-1', 'PATH-SC-2']));
    const sa = only(run(workspace({ datasets: [piDataset('d', 1_200_000, 20_000)], transfers: [transfer('t', '2026-03-01', ['d'])] })).transfers);
    expect(sa.rules).toEqual(expect.arrayContaining(['PATH-SA-2', 'PATH-SA-3']));
  });

  it('dates before the 2024 provisions and in the draft\'s period are judged and flagged, in the human report too', async () => {
    const dir = wsFile({ datasets: [piDataset('crm', 10)], transfers: [transfer('t-2023', '2023-11-01', ['crm']), transfer('t-draft', '2025-09-01', ['crm'])] });
    const r = await runMain(['assess', dir, '--as-of', '2026-01-10', '--no-ledger']);
    expect(r.stdout).toContain('t-2023: 2023-11-01 is before cn-national@2024 took effect (2024-03-22)');
    expect(r.stdout).toContain('t-draft: cn-auto@2025-draft is a draft that was never in force');
    expect(r.stdout).toContain('cn-auto@2025-draft [draft, never in force]');
  });

  it('every rule title says what its comparator does (以上/at least for >=, 超过/more than for >)', () => {
    for (const pack of ALL_PACKS) {
      for (const rule of pack.judgmentRules) {
        const comparators = new Set(rule.conditions.map((c) => c.comparator));
        if (comparators.has('>=')) {
          expect(rule.title.en, rule.id).not.toMatch(/more than|over |exceed/i);
          expect(rule.title.zh, rule.id).not.toContain('超过');
        }
        if (comparators.has('>') && rule.conditions.some((c) => typeof c.threshold === 'number' && c.threshold > 0)) {
          expect(rule.title.zh, rule.id).toContain('超过');
        }
      }
    }
  });
});

describe('a large report is streamed, and says the same', () => {
  it('assess --json and the human report are identical whether the engine streams or not (CHUJING_STREAM_ABOVE)', async () => {
    const sub = (id: string) => ({ id, name: id, processorType: 'dealer', group: 'g' });
    const datasets = [piDataset('crm', 40_000), piDataset('traj', 200, 200), { id: 'video', name: 'video', scenario: 'driving-automation', dataType: 'algorithm-training-data', facts: { maxFaceBoxMinSidePx: 40 } }];
    const ids = ['crm', 'traj', 'video'];
    const transfers = Array.from({ length: 120 }, (_, i) =>
      transfer(`t${i}`, new Date(Date.UTC(2026, 0, 1 + (i * 3) % 360)).toISOString().slice(0, 10), [ids[i % 3]!], { organization: ['oem', 'a', 'b'][i % 3] }),
    );
    const dir = wsFile({ organization: { ...ORG, group: 'g' }, affiliates: [sub('a'), sub('b')], datasets, transfers });
    for (const args of [['--json'], ['--lang', 'zh']]) {
      const held = await runMain(['assess', dir, '--as-of', '2026-12-31', '--no-ledger', ...args]);
      const streamed = await runMain(['assess', dir, '--as-of', '2026-12-31', '--no-ledger', ...args], { env: { CHUJING_STREAM_ABOVE: '10' } });
      expect(streamed.code).toBe(held.code);
      expect(streamed.stderr).toBe(held.stderr);
      expect(streamed.stdout).toBe(held.stdout);
    }
  });
});
