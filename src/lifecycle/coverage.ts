/**
 * Whether an approval covers a transfer, in the simple sense `status` needs: the sending organisation,
 * every dataset and the recipient are within the approval's scope, and the transfer's date is within
 * the approval's validity (SA-4, SC-2, CERT-4). An approval that is only applied for, rejected or
 * revoked covers nothing. The engine's `assess` decides which mechanism a transfer needs; this only
 * says whether some approval is there for it.
 */
import { approvalValidity, validOn } from '../engine/validity.js';
import type { WorkingDayCalendar } from '../engine/types.js';
import type { Msg } from '../i18n/index.js';
import type { Approval, Transfer, Workspace } from '../model/workspace.js';
import type { LifecyclePeriods } from '../rules/types.js';
import { coveredOrganizations, indexWorkspace, senderOf, type WorkspaceIndex } from './scope.js';

export type CoverageGap =
  | { kind: 'inactive'; status: string }
  | { kind: 'no-validity'; basis: Msg }
  | { kind: 'before-start'; start: string }
  | { kind: 'after-end'; end: string }
  | { kind: 'organization'; organization: string }
  | { kind: 'dataset'; dataset: string }
  | { kind: 'recipient'; recipient: string };

export interface ApprovalFit {
  approval: string;
  mechanism: Approval['mechanism'];
  covers: boolean;
  gaps: CoverageGap[];
}

/** Why `approval` does or does not cover `transfer`; no gaps means it covers it. */
export function approvalFit(ws: Workspace, approval: Approval, transfer: Transfer, periods: LifecyclePeriods, calendar?: WorkingDayCalendar): ApprovalFit {
  const gaps: CoverageGap[] = [];
  const validity = approvalValidity(approval, periods, calendar);
  if (['applied', 'rejected', 'revoked', 'expired'].includes(approval.status)) gaps.push({ kind: 'inactive', status: approval.status });
  else if (!validity.start) gaps.push({ kind: 'no-validity', basis: validity.basis });
  else {
    if (transfer.date < validity.start) gaps.push({ kind: 'before-start', start: validity.start });
    else if (validity.end && transfer.date > validity.end) gaps.push({ kind: 'after-end', end: validity.end });
    else if (!validOn(validity, transfer.date)) gaps.push({ kind: 'no-validity', basis: validity.notes[0] ?? validity.basis });
  }
  const sender = senderOf(ws, transfer);
  if (!coveredOrganizations(ws, approval).includes(sender)) gaps.push({ kind: 'organization', organization: sender });
  const scope = approval.covers;
  if (scope.datasets) for (const d of transfer.datasets) if (!scope.datasets.includes(d)) gaps.push({ kind: 'dataset', dataset: d });
  if (scope.recipients && !scope.recipients.includes(transfer.recipient)) gaps.push({ kind: 'recipient', recipient: transfer.recipient });
  return { approval: approval.id, mechanism: approval.mechanism, covers: gaps.length === 0, gaps };
}

export interface TransferCoverage {
  transfer: string;
  date: string;
  organization: string;
  recipient: string;
  datasets: string[];
  /** The path the engine determined (security-assessment, standard-contract-or-certification, prohibited). */
  path: string;
  covered: boolean;
  /** Approvals that cover it. */
  by: string[];
  /** For an uncovered transfer: each approval that reaches part of it, and what is missing. */
  nearest: ApprovalFit[];
}

export function transferCoverage(ws: Workspace, transfer: Transfer, periods: LifecyclePeriods, path = 'unknown', calendar?: WorkingDayCalendar): TransferCoverage {
  const fits = ws.approvals.map((a) => approvalFit(ws, a, transfer, periods, calendar));
  const by = fits.filter((f) => f.covers).map((f) => f.approval);
  // An approval "reaches" the transfer when at least the organisation and one dataset or the recipient match.
  const nearest = fits
    .filter((f) => !f.covers)
    .filter((f) => !f.gaps.some((g) => g.kind === 'organization'))
    .filter((f) => {
      const missingDatasets = f.gaps.filter((g) => g.kind === 'dataset').length;
      return missingDatasets < transfer.datasets.length || !f.gaps.some((g) => g.kind === 'recipient');
    });
  return {
    transfer: transfer.id,
    date: transfer.date,
    organization: senderOf(ws, transfer),
    recipient: transfer.recipient,
    datasets: transfer.datasets,
    path,
    covered: by.length > 0,
    by,
    nearest,
  };
}

/** The engine's decision for a transfer: which path it needs and whether an approval covers it. */
export interface TransferDecision {
  id: string;
  path: string;
  covered: boolean;
}

/**
 * Transfers that need a mechanism they lack on their date, as the engine (`assess`) decided them —
 * so that `status` and `assess` never disagree — with the approvals that reach part of each.
 */
export function uncoveredTransfers(ws: Workspace, periods: LifecyclePeriods, decisions: TransferDecision[], calendar?: WorkingDayCalendar): TransferCoverage[] {
  const byId = new Map(ws.transfers.map((t) => [t.id, t]));
  return decisions
    .filter((d) => !d.covered && byId.has(d.id))
    .map((d) => ({ ...transferCoverage(ws, byId.get(d.id)!, periods, d.path, calendar), covered: false }))
    .sort((a, b) => (a.date === b.date ? a.transfer.localeCompare(b.transfer) : a.date < b.date ? -1 : 1));
}
