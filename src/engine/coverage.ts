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

/** What does not depend on the year-to-date counts: the transfer's scope and date. */
export type ScopeSubject = Omit<CoverageSubject, 'path' | 'personsYearToDate' | 'sensitivePersonsYearToDate'>;

/** An approval's gaps for a scope, split around the two that depend on the counts (the order of `scopeGaps`). */
interface ScopeGaps {
  approval: Approval;
  before: Msg[];
  after: Msg[];
  /** The validity notes: added when there is any gap; the covering approval's notes otherwise. */
  notes: Msg[];
  /** Its gaps and near miss when the counts add none (the usual case: kept, not rebuilt per judgement). */
  fixed: Msg[];
  nearMiss: Msg | null;
}

function gapsAround(approval: Approval, s: ScopeSubject, periods: LifecyclePeriods, calendar?: WorkingDayCalendar, validityOf?: ValidityOf): ScopeGaps {
  const before: Msg[] = [];
  const c = approval.covers;
  const inScope = c.organizations?.length
    ? c.organizations.includes(s.organization)
    : approval.group
      ? approval.group === s.organizationGroup
      : s.organization === s.mainOrganization;
  if (!inScope) before.push(msg('gap.organization', { organization: s.organization }));
  if (c.datasets) {
    const out = s.datasets.filter((d) => !c.datasets!.includes(d.id)).map((d) => d.id);
    if (out.length) before.push(msg('gap.datasets', { datasets: out }));
  }
  if (c.dataTypes) {
    const out = [...new Set(s.datasets.filter((d) => !c.dataTypes!.includes(d.dataType)).map((d) => d.dataType))];
    if (out.length) before.push(msg('gap.data-types', { dataTypes: out }));
  }
  if (c.recipients && !c.recipients.includes(s.transfer.recipient)) before.push(msg('gap.recipient', { recipient: s.transfer.recipient }));
  if (c.countries && !c.countries.includes(s.country)) before.push(msg('gap.country', { country: s.country }));
  if (c.storageCountries && !c.storageCountries.includes(s.storageCountry)) before.push(msg('gap.storage', { country: s.storageCountry }));
  if (c.purposes && !c.purposes.includes(s.transfer.purpose)) before.push(msg('gap.purpose', { purpose: s.transfer.purpose }));
  const after: Msg[] = [];
  if (c.retentionAbroadMonths !== undefined && s.transfer.retentionAbroadMonths !== undefined && s.transfer.retentionAbroadMonths > c.retentionAbroadMonths) {
    after.push(msg('gap.retention', { months: s.transfer.retentionAbroadMonths, max: c.retentionAbroadMonths }));
  }
  const v = validityOf ? validityOf(approval) : approvalValidity(approval, periods, calendar);
  const date = s.transfer.date;
  if (!v.start) after.push(msg('gap.not-in-force', { basis: v.basis }));
  else if (date < v.start) after.push(msg('gap.not-yet', { date, start: v.start }));
  else if (v.end && date > v.end) after.push(msg('gap.expired', { date, end: v.end }));
  else if (!validOn(v, date)) after.push(msg('gap.validity-gap', { date }));
  const fixed = [...before, ...after];
  if (fixed.length && v.notes.length) fixed.push(...v.notes);
  return { approval, before, after, notes: v.notes, fixed, nearMiss: fixed.length ? msg('missing.near-miss', { approval: approval.id, gaps: fixed }) : null };
}

/** The gaps that depend on the counts: the approval's largest persons per year. */
function countGaps(c: Approval['covers'], persons: number, sensitivePersons: number): Msg[] | null {
  const over = c.maxPersons !== undefined && persons > c.maxPersons;
  const overSensitive = c.maxSensitivePersons !== undefined && sensitivePersons > c.maxSensitivePersons;
  if (!over && !overSensitive) return null;
  const gaps: Msg[] = [];
  if (over) gaps.push(msg('gap.max-persons', { persons, max: c.maxPersons! }));
  if (overSensitive) gaps.push(msg('gap.max-sensitive', { persons: sensitivePersons, max: c.maxSensitivePersons! }));
  return gaps;
}

function allGaps(g: ScopeGaps, persons: number, sensitivePersons: number): Msg[] {
  const counted = countGaps(g.approval.covers, persons, sensitivePersons);
  if (!counted) return [...g.fixed];
  const gaps = [...g.before, ...counted, ...g.after];
  if (g.notes.length) gaps.push(...g.notes);
  return gaps;
}

/** Why an approval does not cover the subject (empty = it covers). */
export function scopeGaps(approval: Approval, s: CoverageSubject, periods: LifecyclePeriods, calendar?: WorkingDayCalendar, validityOf?: ValidityOf): Msg[] {
  return allGaps(gapsAround(approval, s, periods, calendar, validityOf), s.personsYearToDate, s.sensitivePersonsYearToDate);
}

/**
 * Coverage of one scope, prepared per path on first use: the candidates and the gaps that do not
 * depend on the counts once; each judgement adds only the max-persons checks. The decision engine
 * keeps one per question's scope (re-checking every candidate's scope and validity was ~15% of a new
 * decision's time in the decision bench's profile); `coverage` is the same for one subject.
 */
export class ScopedCoverage {
  private readonly byPath = new Map<TransferPath, { candidates: ScopeGaps[]; uncovered: CoverageResult | null }>();

  constructor(
    private readonly approvals: Approval[],
    private readonly subject: ScopeSubject,
    private readonly periods: LifecyclePeriods,
    private readonly calendar?: WorkingDayCalendar,
    private readonly validityOf?: ValidityOf,
  ) {}

  of(path: TransferPath, personsYearToDate: number, sensitivePersonsYearToDate: number): CoverageResult {
    if (path === 'exempt') return { covered: true, coveredBy: null, missing: [], notes: [] };
    if (path === 'prohibited') return { covered: false, coveredBy: null, missing: [msg('missing.prohibited')], notes: [] };
    let prepared = this.byPath.get(path);
    if (!prepared) {
      const candidates = this.approvals.filter((a) => ACCEPTED[path].includes(a.mechanism)).map((a) => gapsAround(a, this.subject, this.periods, this.calendar, this.validityOf));
      // When no count adds a gap, no candidate covers: the same answer every time.
      const uncovered = candidates.every((g) => g.nearMiss) ? { covered: false, coveredBy: null, missing: [msg(`missing.${path}`), ...candidates.map((g) => g.nearMiss!)], notes: [] } : null;
      this.byPath.set(path, (prepared = { candidates, uncovered }));
    }
    let nearMisses: Msg[] | null = null;
    for (let i = 0; i < prepared.candidates.length; i++) {
      const g = prepared.candidates[i]!;
      const counted = countGaps(g.approval.covers, personsYearToDate, sensitivePersonsYearToDate);
      if (!counted && !g.nearMiss) return { covered: true, coveredBy: g.approval.id, missing: [], notes: g.notes };
      if (counted && !nearMisses) nearMisses = prepared.candidates.slice(0, i).map((x) => x.nearMiss!);
      if (nearMisses) nearMisses.push(counted ? msg('missing.near-miss', { approval: g.approval.id, gaps: allGaps(g, personsYearToDate, sensitivePersonsYearToDate) }) : g.nearMiss!);
    }
    if (!nearMisses) return prepared.uncovered!;
    return { covered: false, coveredBy: null, missing: [msg(`missing.${path}`), ...nearMisses], notes: [] };
  }
}

export function coverage(approvals: Approval[], s: CoverageSubject, periods: LifecyclePeriods, calendar?: WorkingDayCalendar, validityOf?: ValidityOf): CoverageResult {
  return new ScopedCoverage(approvals, s, periods, calendar, validityOf).of(s.path, s.personsYearToDate, s.sensitivePersonsYearToDate);
}
