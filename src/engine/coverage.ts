/**
 * Does an approval cover a transfer on its date? The mechanism must fit the path, the scope must include
 * the transfer, and the date must fall within the approval's validity (SA-4, SA-6, CERT-4, SC-2).
 */
import type { Approval, Dataset, Transfer } from '../model/workspace.js';
import type { LifecyclePeriods } from '../rules/types.js';
import { msg, type Msg } from '../i18n/index.js';
import type { TransferPath, WorkingDayCalendar } from './types.js';
import { approvalValidity, validOn, type ApprovalValidity } from './validity.js';

/**
 * An approval's validity does not depend on the transfer: callers that judge many transfers pass a
 * memo (PreparedWorkspace.validity): recomputing it (date parsing and arithmetic, the SA-6 window on
 * the working-day calendar) for every candidate approval was ~7% of a new decision's CPU profile.
 */
export type ValidityOf = (approval: Approval) => ApprovalValidity;

export interface CoverageSubject {
  transfer: Transfer;
  organization: string;
  /** The sending entity's group: a group approval without an organisation list covers the whole group (PROC-3). */
  organizationGroup?: string;
  mainOrganization: string;
  /** The datasets that need the mechanism (those an exemption took out need none). */
  datasets: Dataset[];
  country: string;
  /** Where the recipient stores the data (recipient.storageCountry, else its country). */
  storageCountry: string;
  path: TransferPath;
  /** Persons of the organisation this year including this transfer (against `maxPersons`). */
  personsYearToDate: number;
  sensitivePersonsYearToDate: number;
}

export interface CoverageResult {
  covered: boolean;
  coveredBy: string | null;
  missing: Msg[];
  /** What a reader must know about the covering approval's validity (e.g. an approximate SA-6 window). */
  notes: Msg[];
}

/** Mechanisms that satisfy a path. A security-assessment result also covers a flow in the SC band. */
const ACCEPTED: Record<TransferPath, Approval['mechanism'][]> = {
  'security-assessment': ['security-assessment'],
  'standard-contract-or-certification': ['standard-contract', 'certification', 'security-assessment'],
  exempt: [],
  prohibited: [],
};

/** Why an approval does not cover the subject (empty = it covers). */
export function scopeGaps(approval: Approval, s: CoverageSubject, periods: LifecyclePeriods, calendar?: WorkingDayCalendar, validityOf?: ValidityOf): Msg[] {
  const gaps: Msg[] = [];
  const c = approval.covers;
  const inScope = c.organizations?.length
    ? c.organizations.includes(s.organization)
    : approval.group
      ? approval.group === s.organizationGroup
      : s.organization === s.mainOrganization;
  if (!inScope) gaps.push(msg('gap.organization', { organization: s.organization }));
  if (c.datasets) {
    const out = s.datasets.filter((d) => !c.datasets!.includes(d.id)).map((d) => d.id);
    if (out.length) gaps.push(msg('gap.datasets', { datasets: out }));
  }
  if (c.dataTypes) {
    const out = [...new Set(s.datasets.filter((d) => !c.dataTypes!.includes(d.dataType)).map((d) => d.dataType))];
    if (out.length) gaps.push(msg('gap.data-types', { dataTypes: out }));
  }
  if (c.recipients && !c.recipients.includes(s.transfer.recipient)) gaps.push(msg('gap.recipient', { recipient: s.transfer.recipient }));
  if (c.countries && !c.countries.includes(s.country)) gaps.push(msg('gap.country', { country: s.country }));
  if (c.storageCountries && !c.storageCountries.includes(s.storageCountry)) gaps.push(msg('gap.storage', { country: s.storageCountry }));
  if (c.purposes && !c.purposes.includes(s.transfer.purpose)) gaps.push(msg('gap.purpose', { purpose: s.transfer.purpose }));
  if (c.maxPersons !== undefined && s.personsYearToDate > c.maxPersons) gaps.push(msg('gap.max-persons', { persons: s.personsYearToDate, max: c.maxPersons }));
  if (c.maxSensitivePersons !== undefined && s.sensitivePersonsYearToDate > c.maxSensitivePersons) {
    gaps.push(msg('gap.max-sensitive', { persons: s.sensitivePersonsYearToDate, max: c.maxSensitivePersons }));
  }
  if (c.retentionAbroadMonths !== undefined && s.transfer.retentionAbroadMonths !== undefined && s.transfer.retentionAbroadMonths > c.retentionAbroadMonths) {
    gaps.push(msg('gap.retention', { months: s.transfer.retentionAbroadMonths, max: c.retentionAbroadMonths }));
  }
  const v = validityOf ? validityOf(approval) : approvalValidity(approval, periods, calendar);
  const date = s.transfer.date;
  if (!v.start) gaps.push(msg('gap.not-in-force', { basis: v.basis }));
  else if (date < v.start) gaps.push(msg('gap.not-yet', { date, start: v.start }));
  else if (v.end && date > v.end) gaps.push(msg('gap.expired', { date, end: v.end }));
  else if (!validOn(v, date)) gaps.push(msg('gap.validity-gap', { date }));
  if (gaps.length && v.notes.length) gaps.push(...v.notes);
  return gaps;
}

export function coverage(approvals: Approval[], s: CoverageSubject, periods: LifecyclePeriods, calendar?: WorkingDayCalendar, validityOf?: ValidityOf): CoverageResult {
  if (s.path === 'exempt') return { covered: true, coveredBy: null, missing: [], notes: [] };
  if (s.path === 'prohibited') return { covered: false, coveredBy: null, missing: [msg('missing.prohibited')], notes: [] };
  const candidates = approvals.filter((a) => ACCEPTED[s.path].includes(a.mechanism));
  const nearMisses: Msg[] = [];
  for (const a of candidates) {
    const gaps = scopeGaps(a, s, periods, calendar, validityOf);
    if (gaps.length === 0) return { covered: true, coveredBy: a.id, missing: [], notes: (validityOf ? validityOf(a) : approvalValidity(a, periods, calendar)).notes };
    nearMisses.push(msg('missing.near-miss', { approval: a.id, gaps }));
  }
  return { covered: false, coveredBy: null, missing: [msg(`missing.${s.path}`), ...nearMisses], notes: [] };
}
