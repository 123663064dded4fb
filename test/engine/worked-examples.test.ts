/**
 * regulation.md §10: every worked example T1–T19 through the engine, plus the boundary cases of the
 * counting conventions (CNT-10, PATH-SA-6) and the pixel thresholds (DRAFT-J6).
 * Assumptions of §10: a non-CIIO processor in China, no FTZ, calendar year 2026, no important data.
 */
import { describe, expect, it } from 'vitest';
import { approvalValidity } from '../../src/engine/validity.js';
import { cnNational2024 } from '../../src/rules/packs/cn-national-2024.js';
import { CALENDAR, codes, en, only, piDataset, run, transfer, workspace } from '../helpers/workspace.js';

const periods = cnNational2024.periods!;

/** A transfer's result by id. */
const result = (report: ReturnType<typeof run>, id: string) => report.transfers.find((t) => t.id === id)!;

function imagery(id: string, facts: Record<string, number | boolean>) {
  return { id, name: id, scenario: 'driving-automation', dataType: 'algorithm-training-data', facts };
}

describe('worked examples T1–T19 (regulation.md §10)', () => {
  it('T1: 50,000 buyers, non-sensitive -> exempt (EXEMPT-6); PIPL notice and consent still due', () => {
    const r = run(workspace({ datasets: [piDataset('buyers', 50_000)], transfers: [transfer('t1', '2026-03-01', ['buyers'])] }));
    const t = only(r.transfers);
    expect(t.path).toBe('exempt');
    expect(t.exemption).toBe('EXEMPT-6');
    expect(t.rules).toContain('EXEMPT-6');
    expect(codes(t.duties)).toContain('duty.notice-consent');
    expect(en(t.duties)).toContain('PI-2');
    expect(t.covered).toBe(true);
  });

  it('T2: cumulative 150,000 by September -> standard contract or certification (PATH-SC-1), filing duty SC-2', () => {
    const r = run(
      workspace({
        datasets: [piDataset('jan', 50_000), piDataset('sep', 100_000)],
        transfers: [transfer('t-jan', '2026-01-10', ['jan']), transfer('t-sep', '2026-09-01', ['sep'])],
      }),
    );
    expect(result(r, 't-jan').path).toBe('exempt');
    const sep = result(r, 't-sep');
    expect(sep.path).toBe('standard-contract-or-certification');
    expect(sep.rules).toContain('PATH-SC-1');
    expect(sep.yearToDate.persons).toBe(150_000);
    expect(codes(sep.duties)).toContain('duty.sc-filing');
    expect(sep.covered).toBe(false);
    expect(sep.missing[0]!.code).toBe('missing.standard-contract-or-certification');
  });

  it('T3: cumulative 1,200,000 persons -> security assessment (PATH-SA-2)', () => {
    const r = run(workspace({ datasets: [piDataset('a', 700_000), piDataset('b', 500_000)], transfers: [transfer('t-a', '2026-02-01', ['a']), transfer('t-b', '2026-05-01', ['b'])] }));
    expect(result(r, 't-a').path).toBe('standard-contract-or-certification');
    const b = result(r, 't-b');
    expect(b.path).toBe('security-assessment');
    expect(b.rules).toContain('PATH-SA-2');
    expect(codes(b.missing)).toContain('missing.security-assessment');
  });

  it('T4: 800 drivers\' trajectories (sensitive) -> standard contract or certification, no floor (PATH-SC-2)', () => {
    const t = only(run(workspace({ datasets: [piDataset('traj', 800, 800)], transfers: [transfer('t4', '2026-04-01', ['traj'])] })).transfers);
    expect(t.path).toBe('standard-contract-or-certification');
    expect(t.rules).toContain('PATH-SC-2');
  });

  it('T5: 12,000 drivers\' in-cabin face images -> security assessment (PATH-SA-3)', () => {
    const t = only(run(workspace({ datasets: [piDataset('faces', 12_000, 12_000)], transfers: [transfer('t5', '2026-04-01', ['faces'])] })).transfers);
    expect(t.path).toBe('security-assessment');
    expect(t.rules).toContain('PATH-SA-3');
  });

  it('T6: a designated CIIO sends 10 customers\' PI -> security assessment (PATH-SA-4)', () => {
    const t = only(run(workspace({ organization: { ciio: true }, datasets: [piDataset('ten', 10)], transfers: [transfer('t6', '2026-04-01', ['ten'])] })).transfers);
    expect(t.path).toBe('security-assessment');
    expect(t.rules).toContain('PATH-SA-4');
  });

  it('T7: outside-vehicle video with faces and plates -> important data by the pixel thresholds -> SA', () => {
    const r = run(workspace({ datasets: [imagery('video', { maxFaceBoxMinSidePx: 40, maxPlateBoxMinSidePx: 20, rawImageryHours: 300 })], transfers: [transfer('t7', '2026-05-01', ['video'])] }));
    const d = only(r.datasets);
    expect(d.level).toBe('important');
    expect(d.findings.map((f) => `${f.rule}:${f.fact}`)).toEqual(['DRAFT-J6:maxFaceBoxMinSidePx', 'DRAFT-J6:maxPlateBoxMinSidePx']);
    expect(d.findings[0]).toMatchObject({ pack: 'cn-auto@2026', value: 40, threshold: 32, comparator: '>=', confidence: 'confirmed' });
    const t = only(r.transfers);
    expect(t.path).toBe('security-assessment');
    expect(t.rules).toEqual(expect.arrayContaining(['PATH-SA-1', 'DRAFT-J6']));
  });

  it('T8: overseas engineers download fleet diagnostics from a server in China -> outbound (OUT-2), routed normally', () => {
    const r = run(
      workspace({
        datasets: [{ id: 'diag', name: 'diag', scenario: 'connected-operation', dataType: 'vehicle-data', facts: { distinctVehicles: 5000 } }],
        transfers: [transfer('t8', '2026-05-01', ['diag'], { kind: 'remote-access' })],
      }),
    );
    const t = only(r.transfers);
    expect(t.rules).toContain('OUT-2');
    expect(t.path).toBe('exempt');
    expect(t.exemption).toBe('FREE-1');
  });

  it('T9: employee HR records under lawful labour rules -> exempt (EXEMPT-4)', () => {
    const hr = { ...piDataset('hr', 300), personalInfo: { persons: 300, subjects: ['employees'] } };
    const t = only(run(workspace({ datasets: [hr], transfers: [transfer('t9', '2026-05-01', ['hr'], { exemptionClaims: [{ claim: 'hr-management', basis: 'labour rules 2025' }] })] })).transfers);
    expect(t.path).toBe('exempt');
    expect(t.exemption).toBe('EXEMPT-4');
    expect(t.claims[0]).toMatchObject({ claim: 'hr-management', supported: true });
  });

  it('T10: dealer books hotel and flight for customers -> exempt (EXEMPT-3), regardless of volume', () => {
    const t = only(
      run(workspace({ datasets: [piDataset('trip', 2_000_000, 20_000)], transfers: [transfer('t10', '2026-06-01', ['trip'], { exemptionClaims: [{ claim: 'contract-necessity', basis: 'incentive-trip contract with each customer' }] })] })).transfers,
    );
    expect(t.path).toBe('exempt');
    expect(t.exemption).toBe('EXEMPT-3');
  });

  it('T11: EU telemetry collected in Europe, processed in China, returned -> exempt (EXEMPT-2)', () => {
    const eu = { ...piDataset('eu', 300_000, 300_000), origin: 'foreign' };
    const t = only(run(workspace({ datasets: [eu], transfers: [transfer('t11', '2026-06-01', ['eu'], { exemptionClaims: ['foreign-transit'] })] })).transfers);
    expect(t.path).toBe('exempt');
    expect(t.exemption).toBe('EXEMPT-2');
  });

  it('T12: bill of materials, no PI -> exempt (EXEMPT-1); a national major project makes it important -> SA', () => {
    const bom = { id: 'bom', name: 'bom', scenario: 'manufacturing', dataType: 'bill-of-materials', facts: {} };
    const claim = { exemptionClaims: [{ claim: 'trade-no-pi', activity: 'transnational-manufacturing' }] };
    const plain = only(run(workspace({ datasets: [bom], transfers: [transfer('t12', '2026-06-01', ['bom'], claim)] })).transfers);
    expect(plain.path).toBe('exempt');
    expect(plain.exemption).toBe('EXEMPT-1');

    const major = only(run(workspace({ datasets: [{ ...bom, facts: { nationalMajorProject: true } }], transfers: [transfer('t12', '2026-06-01', ['bom'], claim)] })).transfers);
    expect(major.path).toBe('security-assessment');
    expect(major.rules).toContain('DRAFT-J1');
    expect(major.claims[0]).toMatchObject({ claim: 'trade-no-pi', supported: false });
  });

  it('T13: reported vulnerability with 20,000 persons\' sensitive PI -> exempt (EXEMPT-AUTO-1)', () => {
    const vuln = { id: 'vuln', name: 'vuln', scenario: 'software-upgrade', dataType: 'software-upgrade-data', personalInfo: { persons: 20_000, sensitivePersons: 20_000 } };
    const t = only(run(workspace({ datasets: [vuln], transfers: [transfer('t13', '2026-07-01', ['vuln'], { exemptionClaims: [{ claim: 'vulnerability-remediation', reference: 'MIIT-2026-1', basis: 'patch the reported vulnerability' }] })] })).transfers);
    expect(t.path).toBe('exempt');
    expect(t.exemption).toBe('EXEMPT-AUTO-1');
  });

  it('T14: Beijing-FTZ company: images with plates are on the negative list -> SA; off-list data -> exempt (EXEMPT-7)', () => {
    const ws = workspace({
      organization: { ftz: { zone: 'beijing', list: 'beijing-ftz-2024' } },
      datasets: [imagery('plates', { maxPlateBoxMinSidePx: 12, roadSignInfo: true }), piDataset('crm', 500_000)],
      transfers: [transfer('t-img', '2026-06-01', ['plates']), transfer('t-crm', '2026-06-02', ['crm'])],
    });
    const r = run(ws);
    const img = result(r, 't-img');
    expect(img.path).toBe('security-assessment');
    expect(img.rules).toContain('FTZ-3');
    const crm = result(r, 't-crm');
    expect(crm.path).toBe('exempt');
    expect(crm.exemption).toBe('EXEMPT-7');
  });

  it('T15: SA result issued 2026-03-02 is valid to 2029-03-01 (SA-4)', () => {
    const v = approvalValidity({ id: 'sa', mechanism: 'security-assessment', status: 'approved', issued: '2026-03-02', extensions: [], covers: {} } as never, periods);
    expect(v).toMatchObject({ start: '2026-03-02', end: '2029-03-01' });
    const ws = workspace({
      datasets: [imagery('video', { maxFaceBoxMinSidePx: 64 })],
      transfers: [transfer('last-day', '2029-03-01', ['video']), transfer('day-after', '2029-03-02', ['video'])],
      approvals: [{ id: 'sa', mechanism: 'security-assessment', issued: '2026-03-02', covers: { datasets: ['video'] } }],
    });
    const r = run(ws, { asOf: '2029-03-02' });
    expect(result(r, 'last-day')).toMatchObject({ covered: true, coveredBy: 'sa' });
    expect(result(r, 'day-after').covered).toBe(false);
    expect(en(result(r, 'day-after').missing)).toContain('expired on 2029-03-01');
    // SA-6: a granted extension adds three years.
    const extended = approvalValidity({ id: 'sa', mechanism: 'security-assessment', status: 'approved', issued: '2026-03-02', extensions: [{ applied: '2028-12-20', granted: '2029-02-01' }], covers: {} } as never, periods, CALENDAR);
    expect(extended.end).toBe('2032-03-01');
    // 2028 and 2029 have no published holiday notice: the window is counted on their statutory holidays
    // (src/lifecycle/statutory.ts, issue 19), no longer on bare weekdays, and the note says so.
    expect(codes(extended.notes)).toEqual(['law.validity.extension-provisional']);
    expect(en(extended.notes)).toContain('counted through provisional calendar years 2028, 2029');
  });

  it('T16: a group splits 1,200,000 persons across three subsidiaries -> treated as one, SA (PATH-SC-3)', () => {
    const sub = (id: string) => ({ id, name: id, processorType: 'dealer', group: 'g' });
    const ws = workspace({
      organization: { group: 'g' },
      affiliates: [sub('sub-a'), sub('sub-b'), sub('sub-c')],
      datasets: [piDataset('a', 400_000), piDataset('b', 400_000), piDataset('c', 400_000)],
      transfers: [
        transfer('t-a', '2026-03-01', ['a'], { organization: 'sub-a' }),
        transfer('t-b', '2026-03-02', ['b'], { organization: 'sub-b' }),
        transfer('t-c', '2026-03-03', ['c'], { organization: 'sub-c' }),
      ],
    });
    const r = run(ws);
    // Every part needs the aggregate's mechanism, not only the one that comes last (issue 8).
    for (const id of ['t-a', 't-b', 't-c']) {
      const part = result(r, id);
      expect(part.path, id).toBe('security-assessment');
      expect(part.rules).toEqual(expect.arrayContaining(['PATH-SC-3', 'PATH-SA-2', 'CNT-5']));
      expect(part.splitting).toMatchObject({ group: 'g', yearTotal: { persons: 1_200_000 } });
      expect(part.splitting!.entities.sort()).toEqual(['sub-a', 'sub-b', 'sub-c']);
      expect(codes(part.legalReview)).toContain('review.splitting');
    }
    // With the check off (a documented setting), counters are per processor only (CNT-5).
    const off = run({ ...ws, settings: { ...ws.settings, splittingCheck: 'off' } });
    expect(result(off, 't-c').path).toBe('standard-contract-or-certification');
  });

  it('T17: 900,000 persons in 2025 and 900,000 others in 2026 -> each year in the SC band (CNT-2 resets 1 January)', () => {
    const r = run(workspace({ datasets: [piDataset('y25', 900_000), piDataset('y26', 900_000)], transfers: [transfer('t25', '2025-12-31', ['y25']), transfer('t26', '2026-01-01', ['y26'])] }));
    expect(result(r, 't25').path).toBe('standard-contract-or-certification');
    expect(result(r, 't26').path).toBe('standard-contract-or-certification');
    expect(result(r, 't26').yearToDate.persons).toBe(900_000);
  });

  it('T18: certificate issued 2026-02-01 is valid to 2029-01-31 (CERT-4)', () => {
    const v = approvalValidity({ id: 'c', mechanism: 'certification', status: 'certified', issued: '2026-02-01', extensions: [], covers: {} } as never, periods);
    expect(v).toMatchObject({ start: '2026-02-01', end: '2029-01-31' });
  });

  it('T19: the recipient moves storage to another country -> the standard contract no longer covers it (SC-5)', () => {
    const base = {
      datasets: [piDataset('crm', 200_000)],
      transfers: [transfer('t19', '2026-09-01', ['crm'])],
      approvals: [{ id: 'sc', mechanism: 'standard-contract', status: 'filed', effective: '2026-01-05', filed: '2026-01-12', covers: { storageCountries: ['DE'] } }],
    } as const;
    const before = only(run(workspace({ ...base, recipients: [{ id: 'hq', name: 'HQ', country: 'DE' }] } as never)).transfers);
    expect(before).toMatchObject({ covered: true, coveredBy: 'sc' });
    const after = only(run(workspace({ ...base, recipients: [{ id: 'hq', name: 'HQ', country: 'DE', storageCountry: 'US' }] } as never)).transfers);
    expect(after.covered).toBe(false);
    expect(en(after.missing)).toContain('SC-5');
  });
});

describe('boundaries (CNT-10: 以上 includes the number, 不满 excludes it)', () => {
  const path = (persons: number, sensitive = 0) =>
    only(run(workspace({ datasets: [piDataset('d', persons, sensitive)], transfers: [transfer('t', '2026-06-01', ['d'])] })).transfers);

  it.each([
    [99_999, 'exempt', 'EXEMPT-6'],
    [100_000, 'standard-contract-or-certification', 'PATH-SC-1'],
    [999_999, 'standard-contract-or-certification', 'PATH-SC-1'],
    [1_000_000, 'security-assessment', 'PATH-SA-2'],
  ])('%i persons -> %s (%s)', (persons, expected, rule) => {
    const t = path(persons);
    expect(t.path).toBe(expected);
    expect(t.rules).toContain(rule);
  });

  it.each([
    [9_999, 'standard-contract-or-certification', 'PATH-SC-2'],
    [10_000, 'security-assessment', 'PATH-SA-3'],
  ])('%i sensitive persons -> %s (%s)', (sensitive, expected, rule) => {
    const t = path(sensitive, sensitive);
    expect(t.path).toBe(expected);
    expect(t.rules).toContain(rule);
  });

  it.each([
    [31, 15, 'general'],
    [32, 15, 'important'],
    [31, 16, 'important'],
    [32, 16, 'important'],
  ])('face %i px / plate %i px -> %s (DRAFT-J6)', (face, plate, level) => {
    for (const date of ['2025-09-01', '2026-06-01']) {
      const r = run(workspace({ datasets: [imagery('v', { maxFaceBoxMinSidePx: face, maxPlateBoxMinSidePx: plate })], transfers: [transfer('t', date, ['v'])] }), { asOf: date });
      expect(only(r.datasets).level).toBe(level);
    }
  });
});
