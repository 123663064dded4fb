/**
 * Approval life cycles with fixed dates. Calendar-day results follow regulation.md T15 and T18 and the
 * month-end rule of src/model/dates.ts (Civil Code Art. 203); working-day results were counted by hand
 * in calendar.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../i18n/index.js';
import { endOfYears } from '../engine/validity.js';
import { workspaceSchema, type Approval, type WorkspaceInput } from '../model/workspace.js';
import { cnNational2024 } from '../rules/packs/cn-national-2024.js';
import { builtInCalendar } from './calendar.js';
import { approvalLifecycle, certRenewalDeadline, scFilingDeadline, type Deadline } from './deadlines.js';

const cal = builtInCalendar();
const periods = cnNational2024.periods!;

function ws(approvals: WorkspaceInput['approvals']) {
  return workspaceSchema.parse({ version: 1, organization: { id: 'acme-cn', name: 'ACME', processorType: 'oem', group: 'g' }, approvals });
}
const find = (ds: Deadline[], kind: Deadline['kind']) => ds.find((d) => d.kind === kind)!;

describe('security assessment (SA-4, SA-6)', () => {
  it('T15: issued 2026-03-02 is valid to 2029-03-01; the window is counted on the statutory holidays of 2028-2029, provisional with the reason', () => {
    const w = ws([{ id: 'sa', mechanism: 'security-assessment', issued: '2026-03-02' }]);
    const lc = approvalLifecycle(w, w.approvals[0]!, periods, cal, '2026-11-23');
    expect(lc.validity.end).toBe('2029-03-01');
    expect(find(lc.deadlines, 'sa-expiry')).toMatchObject({ date: '2029-03-01', state: 'upcoming', action: false });
    const win = find(lc.deadlines, 'sa-extension-window');
    // Back from Thu 2029-03-01: Feb 2029 has 20 weekdays less 除夕-初三 (12-15 Feb) = 16; Jan 22 (less 1 Jan) = 38;
    // Dec 2028 21 = 59; Thu 2028-11-30 = 60.
    expect(win).toMatchObject({ date: '2028-11-30', state: 'upcoming', action: false, provisionalYears: [2028, 2029] });
    expect(win.notes.map((n) => n.code)).toEqual(['law.calendar.statutory', 'law.calendar.statutory']);
    expect(render('en', win.notes[1]!)).toMatch(/^2029 is provisional: no State Council holiday notice is encoded/);
    // Beyond the table (2036) it is still an action, never a guess.
    const far = ws([{ id: 'sa', mechanism: 'security-assessment', issued: '2033-06-02' }]);
    const farWin = find(approvalLifecycle(far, far.approvals[0]!, periods, cal, '2033-07-01').deadlines, 'sa-extension-window');
    expect(farWin).toMatchObject({ state: 'unknown', action: true, error: { code: 'status.calendar.outside' } });
    expect(render('en', farWin.error!)).toMatch(/2036/);
  });

  it('a deadline within a few working days of a provisional year\'s holiday carries a warning', () => {
    // Effective Mon 2029-01-29: Jan 30 (1), 31, Feb 1, 2 (4), Feb 5-9 (9), 12-15 Spring Festival, Fri Feb 16 (10).
    const w = ws([{ id: 'sc', mechanism: 'standard-contract', effective: '2029-01-29' }]);
    const filing = scFilingDeadline(w.approvals[0]!, '2029-01-29', periods, cal, '2029-01-30');
    expect(filing).toMatchObject({ date: '2029-02-16', provisionalYears: [2029] });
    expect(filing.notes.map((n) => n.code)).toEqual(['law.calendar.statutory', 'law.calendar.near-unknown']);
    expect(render('en', filing.notes[1]!)).toContain('WARNING: 2029-02-16 is within 3 working days of 春节 Spring Festival (2029-02-12 to 2029-02-15) in provisional 2029');
    // Far from any holiday: provisional, no warning.
    const calm = scFilingDeadline(w.approvals[0]!, '2029-03-05', periods, cal, '2029-03-05');
    expect(calm.notes.map((n) => n.code)).toEqual(['law.calendar.statutory']);
  });

  it('3 years from 29 February: the anniversary is clamped to 28 February, validity ends the day before', () => {
    // 2024-02-29 + 3 years -> no 2027-02-29 -> 2027-02-28 (Art. 203 month end); first day counts -> last valid day 2027-02-27.
    expect(endOfYears('2024-02-29', 3)).toBe('2027-02-27');
    const w = ws([{ id: 'sa', mechanism: 'security-assessment', issued: '2024-02-29' }]);
    const lc = approvalLifecycle(w, w.approvals[0]!, periods, cal, '2026-12-01');
    expect(lc.validity.end).toBe('2027-02-27');
    // Sat 2027-02-27 not counted; Fri Feb 26 = 1 ... same count as before Sun Feb 28: Mon 2026-11-30 = 60.
    const win = find(lc.deadlines, 'sa-extension-window');
    expect(win).toMatchObject({ date: '2026-11-30', until: '2027-02-27', state: 'open', action: true, provisionalYears: [2027] });
  });

  it('window states: upcoming the day before it opens, open on its first and last day, missed after expiry', () => {
    const w = ws([{ id: 'sa', mechanism: 'security-assessment', issued: '2023-12-20' }]);
    const at = (asOf: string) => find(approvalLifecycle(w, w.approvals[0]!, periods, cal, asOf).deadlines, 'sa-extension-window');
    expect(at('2026-09-20')).toMatchObject({ date: '2026-09-21', state: 'upcoming', action: false });
    expect(at('2026-09-21')).toMatchObject({ state: 'open', action: true });
    expect(at('2026-12-19')).toMatchObject({ state: 'open', action: true });
    expect(at('2026-12-20')).toMatchObject({ state: 'missed', action: false });
  });

  it('an extension applied in the window is done; a granted one adds 3 years', () => {
    const w = ws([
      { id: 'sa1', mechanism: 'security-assessment', issued: '2023-12-20', extensions: [{ applied: '2026-10-12' }] },
      { id: 'sa2', mechanism: 'security-assessment', issued: '2021-12-20', extensions: [{ applied: '2024-10-08', granted: '2024-11-20' }] },
    ]);
    const lc1 = approvalLifecycle(w, w.approvals[0]!, periods, cal, '2026-11-23');
    expect(find(lc1.deadlines, 'sa-extension-window')).toMatchObject({ state: 'done', action: false, doneOn: '2026-10-12' });
    const lc2 = approvalLifecycle(w, w.approvals[1]!, periods, cal, '2026-11-23');
    // 2021-12-20 .. 2024-12-19, extended by 3 years: 2024-12-20 .. 2027-12-19.
    expect(lc2.validity.end).toBe('2027-12-19');
    expect(lc2.validity.rules).toEqual(['SA-4', 'SA-6']);
  });

  it('applied, rejected and revoked approvals have no deadlines', () => {
    const w = ws([
      { id: 'a', mechanism: 'security-assessment', status: 'applied', applied: '2026-01-05' },
      { id: 'r', mechanism: 'security-assessment', status: 'revoked', issued: '2025-01-05' },
    ]);
    for (const a of w.approvals) expect(approvalLifecycle(w, a, periods, cal, '2026-11-23').deadlines).toEqual([]);
  });
});

describe('standard contract (SC-2, SC-3)', () => {
  type ApprovalInput = NonNullable<WorkspaceInput['approvals']>[number];
  const sc = (extra: Partial<ApprovalInput>): Approval => ws([{ id: 'sc', mechanism: 'standard-contract', effective: '2026-02-12', ...extra }]).approvals[0]!;

  it('filing due on the 10th working day: due before, overdue after, done or late once filed', () => {
    expect(scFilingDeadline(sc({}), '2026-02-12', periods, cal, '2026-03-04')).toMatchObject({ date: '2026-03-04', state: 'due', action: true });
    expect(scFilingDeadline(sc({}), '2026-02-12', periods, cal, '2026-03-05')).toMatchObject({ state: 'overdue', action: true });
    expect(scFilingDeadline(sc({ filed: '2026-03-04' }), '2026-02-12', periods, cal, '2026-06-01')).toMatchObject({ state: 'done', action: false, doneOn: '2026-03-04' });
    expect(scFilingDeadline(sc({ filed: '2026-03-05' }), '2026-02-12', periods, cal, '2026-06-01')).toMatchObject({ state: 'late', action: false });
  });

  it('marked filed without a filing date: the date is missing (an action), never "overdue" nor "done"', () => {
    for (const asOf of ['2026-03-01', '2026-06-01']) {
      const d = scFilingDeadline(sc({ status: 'filed' }), '2026-02-12', periods, cal, asOf);
      expect(d).toMatchObject({ date: '2026-03-04', state: 'date-missing', action: true, notes: [{ code: 'status.note.filed-without-date' }] });
    }
    // Approved but never filed stays overdue once the day has passed.
    expect(scFilingDeadline(sc({ status: 'approved' }), '2026-02-12', periods, cal, '2026-06-01')).toMatchObject({ state: 'overdue' });
  });

  it('review answer expected 15 working days after filing; a missing answer after that needs a follow-up', () => {
    const w = ws([{ id: 'sc', mechanism: 'standard-contract', status: 'filed', effective: '2026-02-12', filed: '2026-02-26' }]);
    const before = approvalLifecycle(w, w.approvals[0]!, periods, cal, '2026-03-18');
    expect(find(before.deadlines, 'sc-review')).toMatchObject({ date: '2026-03-18', state: 'upcoming', action: false });
    const after = approvalLifecycle(w, w.approvals[0]!, periods, cal, '2026-03-19');
    expect(find(after.deadlines, 'sc-review')).toMatchObject({ state: 'overdue', action: true });
  });
});

describe('certification (CERT-4)', () => {
  it('T18: issued 2026-02-01 is valid to 2029-01-31; re-application from 2028-07-31, flagged UNCONFIRMED', () => {
    const w = ws([{ id: 'c', mechanism: 'certification', status: 'certified', issued: '2026-02-01' }]);
    const lc = approvalLifecycle(w, w.approvals[0]!, periods, cal, '2026-11-23');
    expect(lc.validity.end).toBe('2029-01-31');
    const renewal = find(lc.deadlines, 'cert-renewal');
    expect(renewal).toMatchObject({ date: '2028-07-31', until: '2029-01-31', state: 'upcoming' });
    expect(renewal.notes.map((n) => render('en', n)).join(' ')).toMatch(/UNCONFIRMED/);
  });

  it('6 months before a 31 August expiry is the last day of February (leap and common years)', () => {
    const w = ws([{ id: 'c', mechanism: 'certification', status: 'certified', issued: '2025-09-01' }]);
    // 2025-09-01 + 3 years - 1 day = 2028-08-31; minus 6 months -> 2028-02-31 does not exist -> 2028-02-29 (leap year).
    expect(certRenewalDeadline(w.approvals[0]!, '2028-08-31', periods, '2026-01-01', null).date).toBe('2028-02-29');
    // 2027-08-31 minus 6 months -> 2027-02-28 (common year).
    expect(certRenewalDeadline(w.approvals[0]!, '2027-08-31', periods, '2026-01-01', null).date).toBe('2027-02-28');
  });

  it('renewal due once the date is reached, done when a later approval renews it', () => {
    const w = ws([
      { id: 'c', mechanism: 'certification', status: 'certified', issued: '2025-09-01' },
      { id: 'c2', mechanism: 'certification', status: 'applied', applied: '2028-03-01', renews: 'c' },
    ]);
    expect(find(approvalLifecycle(ws([w.approvals[0]!]), w.approvals[0]!, periods, cal, '2028-02-29').deadlines, 'cert-renewal')).toMatchObject({ state: 'due', action: true });
    expect(find(approvalLifecycle(w, w.approvals[0]!, periods, cal, '2028-03-02').deadlines, 'cert-renewal')).toMatchObject({ state: 'done', action: false });
  });
});
