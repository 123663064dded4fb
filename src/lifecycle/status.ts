/**
 * `status` as a pure function: everything a compliance officer must act on, as of a date — approvals
 * and their expiry, deadlines (SA-6, SC-2, SC-3, CERT-4), transfers without a valid approval on their
 * date, and changes of scope that need a new assessment or filing (SA-5, SC-5). No clock, no I/O.
 *
 * The JSON shape (`StatusReport`) is a contract, documented in docs/lifecycle.md.
 */
import type { IsoDate } from '../model/dates.js';
import type { Workspace } from '../model/workspace.js';
import type { AssessReport, LedgerFinding } from '../engine/types.js';
import { msg, type Msg } from '../i18n/index.js';
import type { LifecyclePeriods, PathThresholds } from '../rules/types.js';
import { engineCalendar, knownYears, type WorkdayCalendar } from './calendar.js';
import { scopeChanges, type ScopeChange } from './changes.js';
import { uncoveredTransfers, type TransferCoverage, type TransferDecision } from './coverage.js';
import { approvalLifecycles, type ApprovalLifecycle, type Deadline, type DeadlineKind } from './deadlines.js';
import { actionMessage } from './messages.js';
import { extensionConditions, type CoveredTransfer } from './extension-conditions.js';

/** /2: deadline notes and errors, and every action, carry messages `{code, params, text}`. */
export const STATUS_SCHEMA = 'chujing.status/2';

/** Expiries within this many calendar days are listed as "expiring soon". */
export const DEFAULT_SOON_DAYS = 90;

export type ActionKind =
  | 'extension-window-open'
  | 'filing-due'
  | 'filing-overdue'
  | 'filing-date-missing'
  | 'review-overdue'
  | 'deadline-unknown'
  | 'ledger-finding'
  | 'renewal-due'
  | 'uncovered-transfer'
  | 'prohibited-transfer'
  | 'scope-change';

export interface StatusAction {
  kind: ActionKind;
  approval?: string;
  transfer?: string;
  /** For `ledger-finding`: the ledger entry. */
  entry?: string;
  /** For `deadline-unknown`: which deadline. */
  deadline?: DeadlineKind;
  /** For `deadline-unknown` and `ledger-finding`: why. */
  reason?: Msg;
  /** The date that matters for the action (deadline, window close, transfer date). */
  date: IsoDate | null;
  rules: string[];
  /** For `scope-change`: the kinds of change found. */
  changes?: ScopeChange['kind'][];
  /** The action in words (a message: `{code, params, text}` in JSON). */
  message: Msg;
}

export interface StatusReport {
  schema: typeof STATUS_SCHEMA;
  asOf: IsoDate;
  needsAction: boolean;
  summary: {
    approvals: number;
    valid: number;
    expiringSoon: number;
    windowsOpen: number;
    filingsOverdue: number;
    uncoveredTransfers: number;
    changes: number;
    /** Ledger entries needing action (undeclared, prohibited, not covered, forced). */
    ledgerFindings: number;
    actions: number;
  };
  calendar: {
    years: number[];
    /** Provisional years that some date in this report was counted through. */
    provisionalYearsUsed: number[];
    sources: { year: number; provisional: boolean; source: string; origin: string }[];
  };
  approvals: (ApprovalLifecycle & { expiringSoon: boolean })[];
  /** Every deadline of every approval, by date (unknown ones last). */
  deadlines: Deadline[];
  uncoveredTransfers: TransferCoverage[];
  changes: ScopeChange[];
  actions: StatusAction[];
  /** The open-question settings and organisation overrides the judgement used (shown in every report). */
  settings: AssessReport['settings'];
  overrides: AssessReport['overrides'];
}

export interface StatusInput {
  workspace: Workspace;
  periods: LifecyclePeriods;
  thresholds?: PathThresholds;
  calendar: WorkdayCalendar;
  asOf: IsoDate;
  soonDays?: number;
  /** The engine's path and coverage of each transfer (from `assess`). */
  decisions: (TransferDecision & CoveredTransfer)[];
  settings: AssessReport['settings'];
  overrides: AssessReport['overrides'];
  /** Ledger entries `assess` found undeclared, prohibited, not covered or forced: each needs action. */
  ledgerFindings?: LedgerFinding[];
}

/** What `status` reports of the ledger's findings (a volume that differs is shown by `assess` only). */
const LEDGER_ACTION_KINDS: readonly LedgerFinding['kind'][] = ['undeclared', 'prohibited', 'uncovered', 'forced'];

const ACTION_OF: Partial<Record<string, ActionKind>> = {
  'sa-extension-window:open': 'extension-window-open',
  'sc-filing:due': 'filing-due',
  'sc-filing:overdue': 'filing-overdue',
  'sc-filing:date-missing': 'filing-date-missing',
  'sc-review:overdue': 'review-overdue',
  'cert-renewal:due': 'renewal-due',
};

export function computeStatus(input: StatusInput): StatusReport {
  const { workspace, periods, calendar, asOf } = input;
  const soonDays = input.soonDays ?? DEFAULT_SOON_DAYS;
  const lifecycles = approvalLifecycles(workspace, periods, calendar, asOf);
  const changes = scopeChanges(workspace, periods, input.thresholds);
  const uncovered = uncoveredTransfers(workspace, periods, input.decisions, engineCalendar(calendar));

  // SA-6 allows an extension only where no re-declaration situation (SA-5) arose: say so on the window.
  for (const lc of lifecycles) {
    const changed = changes.filter((c) => c.approval === lc.id);
    if (changed.length === 0) continue;
    const kinds = [...new Set(changed.map((c) => c.kind))].map((k) => msg(`status.change.${k}`));
    for (const d of lc.deadlines) if (d.kind === 'sa-extension-window') d.notes.push(msg('status.note.scope-changed', { changes: kinds }));
  }

  // SA-6-C1 (UPD-9): the conditions of an extension, where its window is open or coming.
  for (const lc of lifecycles) {
    const approval = workspace.approvals.find((a) => a.id === lc.id)!;
    for (const d of lc.deadlines) {
      if (d.kind !== 'sa-extension-window') continue;
      const conditions = extensionConditions(approval, d, periods, input.decisions, asOf);
      if (conditions.length === 0) continue;
      d.conditions = conditions;
      d.notes.push(...conditions.flatMap((c) => [c.message, c.comparisonMessage]));
    }
  }

  const approvals = lifecycles.map((lc) => ({ ...lc, expiringSoon: lc.state === 'valid' && lc.daysToExpiry !== null && lc.daysToExpiry <= soonDays }));
  const deadlines = lifecycles
    .flatMap((lc) => lc.deadlines)
    .sort((a, b) => (a.date === b.date ? a.approval.localeCompare(b.approval) : a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? -1 : 1));

  const actions: StatusAction[] = [];
  const act = (a: Omit<StatusAction, 'message'>) => actions.push({ ...a, message: actionMessage(a) });
  for (const d of deadlines) {
    if (!d.action) continue;
    // A deadline the calendar cannot compute needs the calendar year added: an action, never silence.
    if (d.state === 'unknown') {
      act({ kind: 'deadline-unknown', approval: d.approval, deadline: d.kind, date: d.until ?? null, rules: d.rules, ...(d.error ? { reason: d.error } : {}) });
      continue;
    }
    const kind = ACTION_OF[`${d.kind}:${d.state}`];
    if (kind) act({ kind, approval: d.approval, date: d.kind === 'sa-extension-window' ? (d.until ?? null) : d.date, rules: d.rules });
  }
  for (const u of uncovered) {
    act(u.path === 'prohibited'
      ? { kind: 'prohibited-transfer', transfer: u.transfer, date: u.date, rules: ['IMP-GEN-6'] }
      : { kind: 'uncovered-transfer', transfer: u.transfer, date: u.date, rules: ['PI-1', 'PROC-4'] });
  }
  // One action per approval whose scope changed, naming every kind of change and every rule.
  for (const id of [...new Set(changes.map((c) => c.approval))]) {
    const mine = changes.filter((c) => c.approval === id);
    act({ kind: 'scope-change', approval: id, date: null, rules: [...new Set(mine.flatMap((c) => c.rules))], changes: [...new Set(mine.map((c) => c.kind))] });
  }
  // The ledger's records the workspace does not account for (SEC-LOG-1): the same findings as `assess`.
  for (const f of input.ledgerFindings ?? []) {
    if (LEDGER_ACTION_KINDS.includes(f.kind)) act({ kind: 'ledger-finding', entry: f.entry, date: f.date, rules: ['SEC-LOG-1'], reason: f.message });
  }

  const provisionalYearsUsed = [...new Set(deadlines.flatMap((d) => d.provisionalYears))].sort((a, b) => a - b);
  return {
    schema: STATUS_SCHEMA,
    asOf,
    needsAction: actions.length > 0,
    summary: {
      approvals: approvals.length,
      valid: approvals.filter((a) => a.state === 'valid').length,
      expiringSoon: approvals.filter((a) => a.expiringSoon).length,
      windowsOpen: deadlines.filter((d) => d.state === 'open' || (d.kind === 'cert-renewal' && d.state === 'due')).length,
      filingsOverdue: deadlines.filter((d) => d.kind === 'sc-filing' && d.state === 'overdue').length,
      uncoveredTransfers: uncovered.length,
      changes: changes.length,
      ledgerFindings: actions.filter((a) => a.kind === 'ledger-finding').length,
      actions: actions.length,
    },
    calendar: {
      years: knownYears(calendar),
      provisionalYearsUsed,
      sources: [...calendar.years.values()].map((y) => ({ year: y.year, provisional: y.provisional, source: y.source, origin: y.origin })),
    },
    approvals,
    deadlines,
    uncoveredTransfers: uncovered,
    changes,
    actions,
    settings: input.settings,
    overrides: input.overrides,
  };
}
