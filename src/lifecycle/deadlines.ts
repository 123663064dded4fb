/**
 * The life cycle of each approval as of a date: when it is valid, when it expires, and the dates that
 * must not be missed — the security-assessment extension window (SA-6), the standard-contract filing
 * (SC-2) and its review answer (SC-3), the certificate re-application (CERT-4). Pure: the workspace,
 * the periods (from the national rule pack), the calendar and `asOf` go in; nothing is read or written.
 *
 * Calendar-day periods (3 years, 6 months) use src/model/dates.ts (month ends clamp, Civil Code
 * Art. 203); working-day periods use the mainland working-day calendar (src/lifecycle/calendar.ts). A
 * date the calendar cannot count through is reported on the deadline (`error`), not thrown, so one
 * far-away expiry does not hide the rest of the status.
 */
import { ChujingError } from '../errors.js';
import { isMsg, msg, type Msg } from '../i18n/index.js';
import { approvalValidity, type ApprovalValidity } from '../engine/validity.js';
import { addMonths, daysBetween, type IsoDate } from '../model/dates.js';
import type { Approval, Workspace } from '../model/workspace.js';
import type { LifecyclePeriods } from '../rules/types.js';
import { addWorkingDays, engineCalendar, provisionalNotes, provisionalYearsBetween, subtractWorkingDays, type WorkdayCalendar } from './calendar.js';
import { coveredOrganizations } from './scope.js';
import type { ExtensionCondition } from './extension-conditions.js';

export type DeadlineKind = 'sa-expiry' | 'sa-extension-window' | 'sc-filing' | 'sc-review' | 'cert-expiry' | 'cert-renewal';

/**
 * - `upcoming`: not reached yet; `open`: a window is open now; `due`: to do by `date`;
 * - `overdue`: `date` passed and it was not done; `done`: done in time; `late`: done after `date`;
 * - `passed`: an expiry that has passed; `missed`: a window that closed without the action;
 * - `unknown`: the date could not be computed (`error` says why) — someone must add the calendar year;
 * - `date-missing`: the workspace says it was done (a contract marked filed) but not when.
 */
export type DeadlineState = 'upcoming' | 'open' | 'due' | 'overdue' | 'done' | 'late' | 'passed' | 'missed' | 'unknown' | 'date-missing';

export interface Deadline {
  approval: string;
  mechanism: Approval['mechanism'];
  kind: DeadlineKind;
  /** The key date: the expiry, the opening day of a window, the last day to file. Null when unknown. */
  date: IsoDate | null;
  /** Last day of a window (the expiry for SA-6, CERT-4). */
  until?: IsoDate | null;
  state: DeadlineState;
  /** Whether someone has to act now (exit code 1 of `status`). */
  action: boolean;
  rules: string[];
  /** Provisional calendar years the working-day count went through (results may change). */
  provisionalYears: number[];
  /** When the action was done (filing date, extension application...). */
  doneOn?: IsoDate;
  /** Days from asOf to `date` (negative when past). */
  daysLeft: number | null;
  /** Confidence notes shown with the date (e.g. CERT-4's UNCONFIRMED reading). */
  notes: Msg[];
  /** Why the date could not be computed (state `unknown`). */
  error?: Msg;
  /** SA-6 extension window open or coming: the conditions for an extension (SA-6-C1, UPD-9), UNCONFIRMED. */
  conditions?: ExtensionCondition[];
}

export type ApprovalState = 'inactive' | 'pending' | 'not-yet-valid' | 'valid' | 'expired';

export interface ApprovalLifecycle {
  id: string;
  mechanism: Approval['mechanism'];
  status: Approval['status'];
  reference?: string;
  group?: string;
  organizations: string[];
  validity: ApprovalValidity;
  state: ApprovalState;
  /** Days from asOf to the last valid day (negative once expired); null when open-ended or not valid. */
  daysToExpiry: number | null;
  /** Id of a later approval that renews this one (`renews:`). */
  renewedBy: string | null;
  deadlines: Deadline[];
}

/**
 * Calendar-range failures become an `unknown` deadline, which needs action (the calendar year must be
 * added before the date can be known); anything else is a real error.
 */
function computeOrUnknown(build: () => Deadline, fallback: Omit<Deadline, 'state' | 'action' | 'date' | 'daysLeft' | 'provisionalYears'>): Deadline {
  try {
    return build();
  } catch (e) {
    if (e instanceof ChujingError && e.issues.some((i) => i.field === 'calendar')) {
      return { ...fallback, date: null, state: 'unknown', action: true, daysLeft: null, provisionalYears: [], error: isMsg(e.summary) ? e.summary : msg('cli.text', { text: e.summary }) };
    }
    throw e;
  }
}

function approvalState(approval: Approval, validity: ApprovalValidity, asOf: IsoDate): ApprovalState {
  if (['rejected', 'revoked'].includes(approval.status)) return 'inactive';
  if (approval.status === 'expired') return 'expired';
  if (approval.status === 'applied' || !validity.start) return 'pending';
  if (asOf < validity.start) return 'not-yet-valid';
  if (validity.end && asOf > validity.end) return 'expired';
  return 'valid';
}

function expiryDeadline(approval: Approval, kind: 'sa-expiry' | 'cert-expiry', end: IsoDate, rules: string[], asOf: IsoDate): Deadline {
  return {
    approval: approval.id,
    mechanism: approval.mechanism,
    kind,
    date: end,
    state: asOf > end ? 'passed' : 'upcoming',
    action: false,
    rules,
    provisionalYears: [],
    daysLeft: daysBetween(asOf, end),
    notes: [],
  };
}

/**
 * SA-6: apply for an extension "within the 60 working days before expiry". The window opens on the
 * 60th working day before the last valid day (that day not counted, see subtractWorkingDays) and
 * closes on the last valid day. An extension applied for on or after the opening day counts as done.
 */
export function saExtensionWindow(approval: Approval, end: IsoDate, periods: LifecyclePeriods, cal: WorkdayCalendar, asOf: IsoDate, renewedBy: string | null): Deadline {
  const base = { approval: approval.id, mechanism: approval.mechanism, kind: 'sa-extension-window' as const, rules: ['SA-6'], notes: [] as Msg[], until: end };
  return computeOrUnknown(() => {
    const opens = subtractWorkingDays(cal, end, periods.saExtensionWindowWorkingDays);
    const applied = approval.extensions.find((x) => x.applied >= opens && !x.granted);
    const provisionalYears = provisionalYearsBetween(cal, opens, end);
    const common = { ...base, date: opens, provisionalYears, daysLeft: daysBetween(asOf, opens), notes: provisionalNotes(cal, opens, end, opens) };
    if (applied) return { ...common, state: 'done', action: false, doneOn: applied.applied };
    if (renewedBy) return { ...common, state: 'done', action: false, notes: [msg('status.note.renewed-by', { approval: renewedBy }), ...common.notes] };
    if (asOf < opens) return { ...common, state: 'upcoming', action: false };
    if (asOf <= end) return { ...common, state: 'open', action: true };
    return { ...common, state: 'missed', action: false };
  }, base);
}

/**
 * SC-2: file within 10 working days after the contract takes effect (the effective day not counted). A
 * contract marked `filed` without a filing date was filed on some unknown day: the date is missing (an
 * action: record it), which is not the same as overdue.
 */
export function scFilingDeadline(approval: Approval, effective: IsoDate, periods: LifecyclePeriods, cal: WorkdayCalendar, asOf: IsoDate): Deadline {
  const base = { approval: approval.id, mechanism: approval.mechanism, kind: 'sc-filing' as const, rules: ['SC-2'], notes: [] as Msg[] };
  return computeOrUnknown(() => {
    const due = addWorkingDays(cal, effective, periods.scFilingWorkingDays);
    const common = { ...base, date: due, provisionalYears: provisionalYearsBetween(cal, effective, due), daysLeft: daysBetween(asOf, due), notes: provisionalNotes(cal, effective, due, due) };
    if (approval.filed) return { ...common, state: approval.filed <= due ? 'done' : 'late', action: false, doneOn: approval.filed };
    if (approval.status === 'filed') return { ...common, state: 'date-missing', action: true, notes: [msg('status.note.filed-without-date'), ...common.notes] };
    if (asOf <= due) return { ...common, state: 'due', action: true };
    return { ...common, state: 'overdue', action: true };
  }, base);
}

/** SC-3: the provincial CAC answers within 15 working days of the filing; past that, follow up. */
export function scReviewDeadline(approval: Approval, filed: IsoDate, periods: LifecyclePeriods, cal: WorkdayCalendar, asOf: IsoDate): Deadline {
  const base = { approval: approval.id, mechanism: approval.mechanism, kind: 'sc-review' as const, rules: ['SC-3'], notes: [] as Msg[] };
  return computeOrUnknown(() => {
    const expected = addWorkingDays(cal, filed, periods.scReviewWorkingDays);
    const common = { ...base, date: expected, provisionalYears: provisionalYearsBetween(cal, filed, expected), daysLeft: daysBetween(asOf, expected), notes: provisionalNotes(cal, filed, expected, expected) };
    const answered = approval.answered ?? (['approved', 'rejected', 'revoked', 'expired'].includes(approval.status) ? filed : undefined);
    if (answered) return { ...common, state: answered <= expected ? 'done' : 'late', action: false, ...(approval.answered ? { doneOn: approval.answered } : {}) };
    if (asOf <= expected) return { ...common, state: 'upcoming', action: false };
    return { ...common, state: 'overdue', action: true };
  }, base);
}

/**
 * CERT-4: re-apply 6 months before expiry. Whether that day is the last day to apply or the first day
 * one may apply is UNCONFIRMED (regulation.md T18); chujing treats it as the day from which the
 * re-application is due, and says so on the deadline.
 */
export function certRenewalDeadline(approval: Approval, end: IsoDate, periods: LifecyclePeriods, asOf: IsoDate, renewedBy: string | null): Deadline {
  const date = addMonths(end, -periods.certRenewalMonthsBefore);
  const common = {
    approval: approval.id,
    mechanism: approval.mechanism,
    kind: 'cert-renewal' as const,
    date,
    until: end,
    rules: ['CERT-4'],
    provisionalYears: [],
    daysLeft: daysBetween(asOf, date),
    notes: [msg('status.note.cert-renewal-unconfirmed', { months: periods.certRenewalMonthsBefore })],
  };
  if (renewedBy) return { ...common, state: 'done', action: false };
  if (asOf < date) return { ...common, state: 'upcoming', action: false };
  if (asOf <= end) return { ...common, state: 'due', action: true };
  return { ...common, state: 'missed', action: false };
}

export function approvalLifecycle(ws: Workspace, approval: Approval, periods: LifecyclePeriods, cal: WorkdayCalendar, asOf: IsoDate): ApprovalLifecycle {
  const validity = approvalValidity(approval, periods, engineCalendar(cal));
  const state = approvalState(approval, validity, asOf);
  const renewer = ws.approvals.find((a) => a.renews === approval.id && !['rejected', 'revoked'].includes(a.status));
  const renewedBy = renewer?.id ?? null;
  const deadlines: Deadline[] = [];
  const live = state !== 'inactive' && state !== 'pending';
  switch (approval.mechanism) {
    case 'security-assessment':
      if (live && validity.end) {
        deadlines.push(expiryDeadline(approval, 'sa-expiry', validity.end, validity.rules, asOf));
        deadlines.push(saExtensionWindow(approval, validity.end, periods, cal, asOf, renewedBy));
      }
      break;
    case 'certification':
      if (live && validity.end) {
        deadlines.push(expiryDeadline(approval, 'cert-expiry', validity.end, ['CERT-4'], asOf));
        deadlines.push(certRenewalDeadline(approval, validity.end, periods, asOf, renewedBy));
      }
      break;
    case 'standard-contract':
      // A contract only applied for has no effective date to count from; rejected/revoked needs nothing.
      if (approval.effective && state !== 'inactive') deadlines.push(scFilingDeadline(approval, approval.effective, periods, cal, asOf));
      if (approval.filed && state !== 'inactive') deadlines.push(scReviewDeadline(approval, approval.filed, periods, cal, asOf));
      break;
  }
  return {
    id: approval.id,
    mechanism: approval.mechanism,
    status: approval.status,
    ...(approval.reference ? { reference: approval.reference } : {}),
    ...(approval.group ? { group: approval.group } : {}),
    organizations: coveredOrganizations(ws, approval),
    validity,
    state,
    daysToExpiry: live && validity.end ? daysBetween(asOf, validity.end) : null,
    renewedBy,
    deadlines,
  };
}

export function approvalLifecycles(ws: Workspace, periods: LifecyclePeriods, cal: WorkdayCalendar, asOf: IsoDate): ApprovalLifecycle[] {
  return ws.approvals.map((a) => approvalLifecycle(ws, a, periods, cal, asOf));
}
