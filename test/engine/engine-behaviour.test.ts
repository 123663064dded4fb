/**
 * Engine behaviour beyond the worked examples: exemption claims checked against the facts, the open
 * questions' settings (Q-1..Q-4), the ledger baseline, year-to-date rules, overrides and advisories,
 * pack selection by date, measured facts against declared ones.
 */
import { describe, expect, it } from 'vitest';
import { assess } from '../../src/engine/assess.js';
import { CALENDAR, codes, en, only, piDataset, run, transfer, workspace } from '../helpers/workspace.js';

const imagery = (id: string, facts: Record<string, number | boolean>) => ({ id, name: id, scenario: 'driving-automation', dataType: 'algorithm-training-data', facts });

describe('exemption claims are checked, never trusted', () => {
  it('a claim without its basis is unsupported and reported; the volume decides the path', () => {
    const t = only(run(workspace({ datasets: [piDataset('d', 200_000)], transfers: [transfer('t', '2026-03-01', ['d'], { exemptionClaims: ['contract-necessity'] })] })).transfers);
    expect(t.path).toBe('standard-contract-or-certification');
    expect(t.claims).toEqual([expect.objectContaining({ claim: 'contract-necessity', rule: 'EXEMPT-3', supported: false })]);
    expect(codes(t.legalReview)).toContain('review.unsupported-claim');
    expect(en(t.legalReview)).toContain('exemption claim contract-necessity is not supported');
  });

  it('a supported PI exemption never exempts important data (EXEMPT-8)', () => {
    const ws = workspace({
      datasets: [{ ...imagery('v', { maxFaceBoxMinSidePx: 50 }), personalInfo: { persons: 10, subjects: ['customers'] } }],
      transfers: [transfer('t', '2026-03-01', ['v'], { exemptionClaims: [{ claim: 'contract-necessity', basis: 'sales contract' }] })],
    });
    const t = only(run(ws).transfers);
    expect(t.path).toBe('security-assessment');
    expect(t.rules).toEqual(expect.arrayContaining(['PATH-SA-1', 'EXEMPT-8', 'DRAFT-J6']));
  });

  it('HR exemption requires employees only', () => {
    const t = only(run(workspace({ datasets: [piDataset('d', 50)], transfers: [transfer('t', '2026-03-01', ['d'], { exemptionClaims: [{ claim: 'hr-management', basis: 'rules' }] })] })).transfers);
    expect(t.claims[0]!.supported).toBe(false);
    expect(en(t.claims[0]!.reason)).toContain('other than employees');
  });

  it('foreign transit requires every dataset to be collected abroad', () => {
    const t = only(run(workspace({ datasets: [piDataset('d', 50)], transfers: [transfer('t', '2026-03-01', ['d'], { exemptionClaims: ['foreign-transit'] })] })).transfers);
    expect(t.claims[0]).toMatchObject({ supported: false });
    expect(t.path).toBe('exempt');
    expect(t.exemption).toBe('EXEMPT-6');
  });

  it('automobile exemptions need the prior report reference, and are not known to the 2025 draft except EXEMPT-AUTO-1', () => {
    const vuln = { id: 'v', name: 'v', scenario: 'software-upgrade', dataType: 'software-upgrade-data', personalInfo: { persons: 5, sensitivePersons: 5 } };
    const noRef = only(run(workspace({ datasets: [vuln], transfers: [transfer('t', '2026-03-01', ['v'], { exemptionClaims: ['vulnerability-remediation'] })] })).transfers);
    expect(noRef.claims[0]!.supported).toBe(false);
    const incident2025 = only(run(workspace({ datasets: [vuln], transfers: [transfer('t', '2025-09-01', ['v'], { exemptionClaims: [{ claim: 'security-incident', reference: 'R-1' }] })] }), { asOf: '2025-12-01' }).transfers);
    expect(incident2025.claims[0]).toMatchObject({ supported: false, rule: null });
    expect(incident2025.path).toBe('standard-contract-or-certification');
  });

  it('Q-3 / UPD-2: under cn-auto@2026 a supported automobile claim exempts important data of its kind; under the draft it does not; both flag legal review', () => {
    // Important because it concerns IoV network and data security (DRAFT-J4, iovSecurityData): the kind EXEMPT-AUTO-1 is about.
    const data = { id: 'v', name: 'v', scenario: 'connected-operation', dataType: 'vehicle-data', facts: { iovSecurityData: true } };
    const claim = { exemptionClaims: [{ claim: 'vulnerability-remediation', reference: 'MIIT-7', basis: 'fix the reported telematics vulnerability' }] };
    const ws = workspace({ datasets: [data], transfers: [transfer('t', '2026-03-01', ['v'], claim)] });
    const final = only(run(ws).transfers);
    expect(final).toMatchObject({ path: 'exempt', exemption: 'EXEMPT-AUTO-1' });
    expect(final.rules).toContain('EXEMPT-AUTO-4');
    expect(codes(final.legalReview)).toContain('review.auto-claim-important');
    expect(en(final.legalReview)).toContain('Q-3');
    expect(final.claims[0]!.coverage).toEqual([expect.objectContaining({ dataset: 'v', exempted: true, rule: 'EXEMPT-AUTO-1' })]);
    // The conservative reading as a setting: important data still goes to a security assessment.
    const strict = only(run({ ...ws, settings: { ...ws.settings, autoExemptionForImportantData: 'security-assessment' } }).transfers);
    expect(strict.path).toBe('security-assessment');
    expect(strict.rules).toEqual(expect.arrayContaining(['PATH-SA-1', 'EXEMPT-AUTO-4']));
    // Under the draft (a date in its period) the default keeps important data in security assessment.
    const draft = only(run(workspace({ datasets: [data], transfers: [transfer('t', '2025-09-01', ['v'], claim)] }), { asOf: '2025-12-01' }).transfers);
    expect(draft.path).toBe('security-assessment');
    expect(codes(draft.legalReview)).toEqual(expect.arrayContaining(['review.auto-claim-important', 'review.draft-pack']));
    // Issue 19: plate imagery (DRAFT-J6) is important data of another kind: a vulnerability claim does not reach it (UPD-2).
    const plates = { ...imagery('p', { maxPlateBoxMinSidePx: 40 }), scenario: 'driving-automation' };
    const other = only(run(workspace({ datasets: [plates], transfers: [transfer('t', '2026-03-01', ['p'], claim)] })).transfers);
    expect(other.path).toBe('security-assessment');
    expect(other.rules).toEqual(expect.arrayContaining(['PATH-SA-1', 'EXEMPT-AUTO-5']));
    expect(other.claims[0]!.coverage).toEqual([expect.objectContaining({ dataset: 'p', exempted: false, rule: 'EXEMPT-AUTO-5' })]);
  });
});

describe('counting (CNT-3, CNT-6, Q-1, Q-2)', () => {
  it('CNT-6: persons under an exemption claim are not counted by default; countExemptTransfers counts them', () => {
    const hr = { ...piDataset('hr', 500), personalInfo: { persons: 500, subjects: ['employees'] } };
    const parts = {
      datasets: [hr, piDataset('crm', 99_600)],
      transfers: [transfer('t-hr', '2026-02-01', ['hr'], { exemptionClaims: [{ claim: 'hr-management', basis: 'labour rules' }] }), transfer('t-crm', '2026-03-01', ['crm'])],
    };
    const ws = workspace(parts);
    const def = run(ws).transfers.find((t) => t.id === 't-crm')!;
    expect(def.path).toBe('exempt');
    expect(def.yearToDate.persons).toBe(99_600);
    expect(def.yearToDate.includingExempt.persons).toBe(100_100);
    const counted = run({ ...ws, settings: { ...ws.settings, countExemptTransfers: true } }).transfers.find((t) => t.id === 't-crm')!;
    expect(counted.path).toBe('standard-contract-or-certification');
    expect(counted.yearToDate.persons).toBe(100_100);
  });

  it('Q-1: persons with sensitive PI count in both counters by default, only in the sensitive one when configured', () => {
    const ws = workspace({ datasets: [piDataset('mixed', 100_000, 2_000)], transfers: [transfer('t', '2026-03-01', ['mixed'])] });
    const both = only(run(ws).transfers);
    expect(both.yearToDate).toMatchObject({ persons: 100_000, sensitivePersons: 2_000 });
    expect(both.rules).toContain('PATH-SC-1');
    const sensitiveOnly = only(run({ ...ws, settings: { ...ws.settings, sensitiveOverlap: 'sensitive-only' } }).transfers);
    expect(sensitiveOnly.yearToDate.persons).toBe(98_000);
    expect(sensitiveOnly.rules).toContain('PATH-SC-2');
  });

  it('transfers of other organisations and other years do not mix', () => {
    const ws = workspace({
      affiliates: [{ id: 'sub', name: 'sub', processorType: 'dealer' }],
      datasets: [piDataset('a', 60_000), piDataset('b', 60_000)],
      transfers: [transfer('t-a', '2026-03-01', ['a']), transfer('t-b', '2026-03-02', ['b'], { organization: 'sub' })],
    });
    expect(run(ws).transfers.map((t) => t.path)).toEqual(['exempt', 'exempt']);
  });

  it('the ledger\'s year-to-date counts are the starting point; recorded transfers are not added twice', () => {
    const ws = workspace({ datasets: [piDataset('old', 900_000), piDataset('new', 100_000)], transfers: [transfer('t-old', '2026-01-10', ['old']), transfer('t-new', '2026-06-01', ['new'])] });
    const volume = { persons: 900_000, sensitivePersons: 0, chargingConsumptionPersons: 0, vehicles: 0 };
    const ledger = {
      days: [{ organization: 'oem', year: 2026, date: '2026-01-10', ...volume }],
      entries: [{ id: 't-old', organization: 'oem', time: '2026-01-10T02:00:00.000Z', date: '2026-01-10', year: 2026, datasets: ['old'], recipient: 'hq', kind: 'transmit', mechanism: null, approvalReference: null, forced: false, volume }],
      source: 'test ledger',
    };
    const r = run(ws, { ledger });
    expect(r.transfers.find((t) => t.id === 't-new')).toMatchObject({ path: 'security-assessment', yearToDate: { persons: 1_000_000 } });
    expect(r.ledger).toMatchObject({ source: 'test ledger', recordedTransfers: 1 });
    // 900,000 persons were sent without a standard contract: the ledger cross-check says so.
    expect(r.ledger!.findings).toEqual([expect.objectContaining({ entry: 't-old', kind: 'uncovered' })]);
    // With the transfer's hashes known, only the persons the ledger has not seen are added (de-duplication).
    const dedup = run(ws, { ledger: { ...ledger, newPersonsByTransfer: { 't-new': { persons: 40_000, sensitivePersons: 0, chargingConsumptionPersons: 0 } } } });
    expect(dedup.transfers.find((t) => t.id === 't-new')).toMatchObject({ path: 'standard-contract-or-certification', yearToDate: { persons: 940_000 } });
  });

  it('DRAFT-J12: charging consumption data becomes important when the year\'s total reaches 1,000,000 persons', () => {
    const charging = (id: string, n: number) => ({ id, name: id, scenario: 'platform-operation', dataType: 'charging-operation-data', personalInfo: { persons: n, chargingConsumptionPersons: n } });
    const r = run(workspace({ datasets: [charging('q1', 500_000), charging('q2', 499_999), charging('q3', 1)], transfers: [transfer('t1', '2026-03-01', ['q1']), transfer('t2', '2026-06-01', ['q2']), transfer('t3', '2026-09-01', ['q3'])] }));
    expect(r.transfers.map((t) => t.path)).toEqual(['standard-contract-or-certification', 'standard-contract-or-certification', 'security-assessment']);
    expect(r.transfers[2]!.rules).toEqual(expect.arrayContaining(['PATH-SA-1', 'DRAFT-J12']));
  });
});

describe('rules, overrides and advisories', () => {
  it('UNCONFIRMED rules give advisory findings that do not make data important, unless promoted', () => {
    const ws = workspace({ datasets: [imagery('pics', { rawPictures: 20_000_000 })], transfers: [transfer('t', '2026-03-01', ['pics'])] });
    const d = only(run(ws).datasets);
    expect(d.level).toBe('general');
    expect(d.advisories.map((a) => a.rule)).toContain('IMP-DA-R5');
    const promoted = run({ ...ws, overrides: { ...ws.overrides, promote: [{ rule: 'IMP-DA-R5', reason: 'internal policy' }] } });
    expect(only(promoted.datasets).level).toBe('important');
    expect(promoted.overrides).toEqual([expect.objectContaining({ kind: 'promote', rule: 'IMP-DA-R5' })]);
  });

  it('Q-4: IMP-A21-5 (> 100,000 PI subjects) is advisory by default, binding when configured', () => {
    const ws = workspace({ datasets: [piDataset('big', 150_000)], transfers: [transfer('t', '2026-03-01', ['big'])] });
    expect(only(run(ws).datasets).advisories.map((a) => a.rule)).toContain('IMP-A21-5');
    expect(only(run(ws).transfers).path).toBe('standard-contract-or-certification');
    const strict = run({ ...ws, settings: { ...ws.settings, auto21PersonsAsImportant: 'important' } });
    expect(only(strict.transfers).path).toBe('security-assessment');
  });

  it('a threshold override changes the decision and is shown in the report', () => {
    const ws = workspace({
      datasets: [imagery('v', { rawImageryHours: 1_500 })],
      transfers: [transfer('t', '2026-03-01', ['v'])],
      overrides: { thresholds: [{ rule: 'DRAFT-J7', fact: 'rawImageryHours', threshold: 1_000, reason: 'group policy: stricter than the guideline' }] },
    });
    const r = run(ws);
    expect(only(r.datasets).findings[0]).toMatchObject({ rule: 'DRAFT-J7', threshold: 1_000, overridden: true });
    expect(r.overrides[0]).toMatchObject({ kind: 'threshold', rule: 'DRAFT-J7', detail: 'rawImageryHours >= 2000 -> rawImageryHours >= 1000' });
  });

  it('an organisation rule adds a finding of its own', () => {
    const ws = workspace({
      datasets: [imagery('v', { 'x-lidar-point-clouds': true })],
      transfers: [transfer('t', '2026-03-01', ['v'])],
      overrides: { rules: [{ id: 'ORG-1', title: { en: 'Lidar point clouds' }, fact: 'x-lidar-point-clouds', comparator: '==', threshold: true, source: 'ACME policy 12', reason: 'mapping risk' }] },
    });
    const d = only(run(ws).datasets);
    expect(d.level).toBe('important');
    expect(d.findings[0]).toMatchObject({ rule: 'ORG-1', pack: 'organization' });
  });

  it('labels do not decide importance: a fact meeting a rule listed for other data types binds, and the finding says so', () => {
    const d = only(run(workspace({ datasets: [{ id: 'bom', name: 'bom', scenario: 'manufacturing', dataType: 'bill-of-materials', facts: { maxFaceBoxMinSidePx: 64 } }] })).datasets);
    expect(d.level).toBe('important');
    expect(d.findings[0]).toMatchObject({ rule: 'DRAFT-J6', binding: true });
    expect(codes(d.findings[0]!.notes)).toContain('finding.beyond-listed-types');
  });
});

describe('packs and evidence', () => {
  it('chooses the pack by the transfer date, and says when none was yet in force', () => {
    const ws = workspace({ datasets: [piDataset('d', 10)], transfers: [transfer('early', '2025-05-01', ['d']), transfer('draft', '2026-01-29', ['d']), transfer('final', '2026-01-30', ['d'])] });
    const r = run(ws, { asOf: '2026-02-01' });
    // Before the guidelines the 2021 provisions apply; the draft stands in (flagged) until the final.
    expect(r.transfers.map((t) => t.packs[1])).toEqual(['cn-auto@2021', 'cn-auto@2025-draft', 'cn-auto@2026']);
    expect(r.packs.find((p) => p.id === 'cn-auto@2025-draft')!.reason).toBe('draft');
    expect(r.packs.find((p) => p.id === 'cn-auto@2021')!.reason).toBe('in-force');
    expect(codes(r.transfers[1]!.legalReview)).toContain('review.draft-pack');
    expect(codes(r.warnings)).toContain('pack.draft-applied');
    // Before the 2024 provisions took effect: judged under them, and flagged.
    const old = only(run(workspace({ datasets: [piDataset('d', 10)], transfers: [transfer('old', '2024-01-10', ['d'])] }), { asOf: '2024-02-01' }).transfers);
    expect(codes(old.legalReview)).toContain('review.national-before-effective');
    const pinned = run({ ...ws, rulePack: 'cn-auto@2025-draft' }, { asOf: '2026-02-01' });
    expect(pinned.transfers.every((t) => t.packs[1] === 'cn-auto@2025-draft')).toBe(true);
  });

  it('measured facts replace declared ones, and an understating declaration is flagged', () => {
    const ws = workspace({ datasets: [imagery('v', { maxFaceBoxMinSidePx: 20 })], transfers: [transfer('t', '2026-03-01', ['v'])] });
    const measured = { v: { facts: { maxFaceBoxMinSidePx: 48 }, sources: [{ kind: 'annotations', path: 'labels.json', contentHash: 'x', cached: false }] } };
    const r = run(ws, { measured });
    const d = only(r.datasets);
    expect(d.level).toBe('important');
    expect(d.findings[0]).toMatchObject({ value: 48, basis: 'measured' });
    expect(d.factComparison).toEqual([{ fact: 'maxFaceBoxMinSidePx', declared: 20, measured: 48, understated: true }]);
    expect(codes(r.actions)).toContain('action.understated');
    expect(en(r.actions)).toContain('understates');
  });

  it('is pure: the same input gives the same report, and the input is not modified', () => {
    const ws = workspace({ datasets: [piDataset('d', 150_000)], transfers: [transfer('t', '2026-03-01', ['d'])] });
    const snapshot = JSON.stringify(ws);
    const a = assess({ workspace: ws, asOf: '2026-11-23', calendar: CALENDAR });
    const b = assess({ workspace: ws, asOf: '2026-11-23', calendar: CALENDAR });
    expect(a).toEqual(b);
    expect(JSON.stringify(ws)).toBe(snapshot);
  });
});

describe('approval coverage', () => {
  it('a group approval without an organisation list covers every entity of its group (PROC-3), and no other', () => {
    const ws = workspace({
      organization: { group: 'g' },
      affiliates: [{ id: 'sub', name: 'sub', processorType: 'dealer', group: 'g' }, { id: 'outsider', name: 'o', processorType: 'dealer' }],
      datasets: [piDataset('traj', 100, 100)],
      transfers: [transfer('t-sub', '2026-05-01', ['traj'], { organization: 'sub' }), transfer('t-out', '2026-05-01', ['traj'], { organization: 'outsider' })],
      approvals: [{ id: 'joint', mechanism: 'standard-contract', group: 'g', effective: '2026-01-10', covers: {} }],
    });
    const r = run(ws);
    expect(r.transfers.find((t) => t.id === 't-sub')).toMatchObject({ covered: true, coveredBy: 'joint' });
    expect(r.transfers.find((t) => t.id === 't-out')!.covered).toBe(false);
  });

  it('applied, rejected, revoked and expired approvals cover nothing', () => {
    for (const status of ['applied', 'rejected', 'revoked', 'expired']) {
      const ws = workspace({ datasets: [piDataset('traj', 100, 100)], transfers: [transfer('t', '2026-05-01', ['traj'])], approvals: [{ id: 'a', mechanism: 'standard-contract', status, effective: '2026-01-10', covers: {} }] });
      expect(only(run(ws).transfers).covered).toBe(false);
    }
  });
});
