/**
 * Does an approval cover a transfer on its date? The mechanism must fit the path, the scope must include
 * the transfer, and the date must fall within the approval's validity (SA-4, CERT-4, SC-2).
 */
import type { Approval, Dataset, Transfer } from '../model/workspace.js';
import type { LifecyclePeriods } from '../rules/types.js';
import type { TransferPath } from './types.js';
import { approvalValidity } from './validity.js';

export interface CoverageSubject {
  transfer: Transfer;
  organization: string;
  /** The sending entity's group: a group approval without an organisation list covers the whole group (PROC-3). */
  organizationGroup?: string;
  mainOrganization: string;
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
  missing: string[];
}

/** Mechanisms that satisfy a path. A security-assessment result also covers a flow in the SC band. */
const ACCEPTED: Record<TransferPath, Approval['mechanism'][]> = {
  'security-assessment': ['security-assessment'],
  'standard-contract-or-certification': ['standard-contract', 'certification', 'security-assessment'],
  exempt: [],
  prohibited: [],
};

const NEEDED: Record<TransferPath, string> = {
  'security-assessment': 'security assessment approval',
  'standard-contract-or-certification': 'standard contract (in effect) or certification',
  exempt: '',
  prohibited: '',
};

/** Why an approval does not cover the subject (empty = it covers). */
export function scopeGaps(approval: Approval, s: CoverageSubject, periods: LifecyclePeriods): string[] {
  const gaps: string[] = [];
  const c = approval.covers;
  const inScope = c.organizations?.length
    ? c.organizations.includes(s.organization)
    : approval.group
      ? approval.group === s.organizationGroup
      : s.organization === s.mainOrganization;
  if (!inScope) gaps.push(`organisation ${s.organization} is not covered`);
  if (c.datasets) {
    const out = s.datasets.filter((d) => !c.datasets!.includes(d.id)).map((d) => d.id);
    if (out.length) gaps.push(`dataset(s) ${out.join(', ')} not in scope`);
  }
  if (c.dataTypes) {
    const out = s.datasets.filter((d) => !c.dataTypes!.includes(d.dataType)).map((d) => d.dataType);
    if (out.length) gaps.push(`data type(s) ${[...new Set(out)].join(', ')} not in scope`);
  }
  if (c.recipients && !c.recipients.includes(s.transfer.recipient)) gaps.push(`recipient ${s.transfer.recipient} not in scope`);
  if (c.countries && !c.countries.includes(s.country)) gaps.push(`country ${s.country} not in scope`);
  if (c.storageCountries && !c.storageCountries.includes(s.storageCountry)) gaps.push(`storage location ${s.storageCountry} not in scope (SA-5 / SC-5: re-assess or re-file)`);
  if (c.purposes && !c.purposes.includes(s.transfer.purpose)) gaps.push(`purpose "${s.transfer.purpose}" not in scope`);
  if (c.maxPersons !== undefined && s.personsYearToDate > c.maxPersons) gaps.push(`${s.personsYearToDate} persons this year exceed the approved ${c.maxPersons}`);
  if (c.maxSensitivePersons !== undefined && s.sensitivePersonsYearToDate > c.maxSensitivePersons) {
    gaps.push(`${s.sensitivePersonsYearToDate} sensitive persons this year exceed the approved ${c.maxSensitivePersons}`);
  }
  if (c.retentionAbroadMonths !== undefined && s.transfer.retentionAbroadMonths !== undefined && s.transfer.retentionAbroadMonths > c.retentionAbroadMonths) {
    gaps.push(`retention abroad ${s.transfer.retentionAbroadMonths} months exceeds the approved ${c.retentionAbroadMonths}`);
  }
  const v = approvalValidity(approval, periods);
  const date = s.transfer.date;
  if (!v.start) gaps.push(`not in force (${v.basis})`);
  else if (date < v.start) gaps.push(`not yet in force on ${date} (from ${v.start})`);
  else if (v.end && date > v.end) gaps.push(`expired on ${v.end}, before ${date}`);
  return gaps;
}

export function coverage(approvals: Approval[], s: CoverageSubject, periods: LifecyclePeriods): CoverageResult {
  if (s.path === 'exempt') return { covered: true, coveredBy: null, missing: [] };
  if (s.path === 'prohibited') return { covered: false, coveredBy: null, missing: ['core data must not be exported (IMP-GEN-6): remove it from the transfer'] };
  const candidates = approvals.filter((a) => ACCEPTED[s.path].includes(a.mechanism));
  const nearMisses: string[] = [];
  for (const a of candidates) {
    const gaps = scopeGaps(a, s, periods);
    if (gaps.length === 0) return { covered: true, coveredBy: a.id, missing: [] };
    nearMisses.push(`${a.id}: ${gaps.join('; ')}`);
  }
  return { covered: false, coveredBy: null, missing: [NEEDED[s.path], ...nearMisses] };
}
