/**
 * Change detection: the workspace as it is now against the scope each approval was granted for. A
 * transfer that continues an approved flow (same sending entity, one of the scope's datasets, dated
 * within the approval's validity) but differs from the scope in what, to whom, where, why,
 * how long or how much is a change that needs a new assessment or filing:
 *
 * - security assessment: SA-5 (re-declare within validity; S-SAM Art. 14) and PROC-5; an extension under
 *   SA-6 is only for a flow with no such change;
 * - standard contract: SC-5 (re-sign or supplement the filing; S-SCM Art. 8);
 * - certification: regulation.md has no change rule for certificates. A certificate certifies the
 *   scope assessed before applying (CERT-3: PIPIA of the transfer), so chujing reports the change under
 *   CERT-3 and marks it UNCONFIRMED: have the certification body confirm whether the certificate still
 *   covers it.
 *
 * A higher volume band (PATH-SA-2, PATH-SA-3 thresholds of the national pack) moves a flow covered by a
 * standard contract or certificate into security assessment; important data (PATH-SA-1) always needs one.
 */
import { approvalValidity } from '../engine/validity.js';
import { yearOf } from '../model/dates.js';
import type { Approval, Transfer, Workspace } from '../model/workspace.js';
import type { Comparator, Condition, LifecyclePeriods, PathThresholds } from '../rules/types.js';
import { coveredOrganizations, indexWorkspace, samePurpose, senderOf, transferPersons, type WorkspaceIndex } from './scope.js';

export type ChangeKind =
  | 'dataset'
  | 'data-type'
  | 'recipient'
  | 'country'
  | 'purpose'
  | 'storage-country'
  | 'retention'
  | 'volume'
  | 'sensitive-volume'
  | 'volume-band'
  | 'important-data';

export type Band = 'below' | 'standard-contract-or-certification' | 'security-assessment';

export interface ScopeChange {
  approval: string;
  mechanism: Approval['mechanism'];
  kind: ChangeKind;
  /** What the workspace has now (a dataset id, a country, a number...). */
  now: string | number;
  /** What the scope allows (a list, a number), or null when the scope says nothing of it. */
  approved: string | number | string[] | null;
  /** Calendar year for volume changes (CNT-2: counts run from 1 January). */
  year?: number;
  transfers: string[];
  /** Rule IDs that make the change need a new assessment or filing. */
  rules: string[];
  confidence: 'recalled' | 'confirmed' | 'UNCONFIRMED';
}

/** Rules that make a change of scope need a new approval, per mechanism. */
export function changeRules(mechanism: Approval['mechanism']): { rules: string[]; confidence: ScopeChange['confidence'] } {
  switch (mechanism) {
    case 'security-assessment':
      return { rules: ['SA-5', 'PROC-5'], confidence: 'recalled' };
    case 'standard-contract':
      return { rules: ['SC-5'], confidence: 'recalled' };
    case 'certification':
      return { rules: ['CERT-3'], confidence: 'UNCONFIRMED' };
  }
}

function holds(value: number, c: Condition): boolean {
  const t = Number(c.threshold);
  const ops: Record<Comparator, (a: number, b: number) => boolean> = {
    '>=': (a, b) => a >= b,
    '>': (a, b) => a > b,
    '<=': (a, b) => a <= b,
    '<': (a, b) => a < b,
    '==': (a, b) => a === b,
    '!=': (a, b) => a !== b,
  };
  return ops[c.comparator](value, t);
}

/** The national volume band a year's persons fall in (PATH-SA-2/3, PATH-SC-1/2; CNT-4: the highest wins). */
export function volumeBand(persons: number, sensitivePersons: number, t: PathThresholds): Band {
  if (holds(persons, t.saPersons) || holds(sensitivePersons, t.saSensitivePersons)) return 'security-assessment';
  if (holds(persons, t.scPersons) || holds(sensitivePersons, t.scSensitivePersons)) return 'standard-contract-or-certification';
  return 'below';
}

const BAND_ORDER: Band[] = ['below', 'standard-contract-or-certification', 'security-assessment'];

/**
 * Transfers that continue the flow an approval was granted for: sent by a covered entity, dated within
 * the approval's validity, and carrying one of its datasets (or, for a scope without datasets, going to
 * one of its recipients).
 */
export function relatedTransfers(ws: Workspace, approval: Approval, periods: LifecyclePeriods): Transfer[] {
  const validity = approvalValidity(approval, periods);
  if (!validity.start) return [];
  const orgs = coveredOrganizations(ws, approval);
  const scope = approval.covers;
  return ws.transfers.filter((t) => {
    if (!orgs.includes(senderOf(ws, t))) return false;
    if (t.date < validity.start! || (validity.end && t.date > validity.end)) return false;
    // The flow is identified by its data: a transfer carrying at least one approved dataset continues it.
    // A transfer with none of them is a different flow (reported as not covered, not as a change).
    if (scope.datasets) return t.datasets.some((d) => scope.datasets!.includes(d));
    if (scope.recipients) return scope.recipients.includes(t.recipient);
    return true;
  });
}

function add(map: Map<string, ScopeChange>, change: Omit<ScopeChange, 'transfers'>, transfer: string): void {
  const key = `${change.kind}|${change.now}|${change.year ?? ''}`;
  const existing = map.get(key);
  if (existing) {
    if (!existing.transfers.includes(transfer)) existing.transfers.push(transfer);
  } else map.set(key, { ...change, transfers: [transfer] });
}

export function approvalChanges(ws: Workspace, approval: Approval, periods: LifecyclePeriods, thresholds: PathThresholds | undefined, index: WorkspaceIndex = indexWorkspace(ws)): ScopeChange[] {
  if (['applied', 'rejected', 'revoked'].includes(approval.status)) return [];
  const scope = approval.covers;
  const { rules, confidence } = changeRules(approval.mechanism);
  const base = { approval: approval.id, mechanism: approval.mechanism, rules, confidence };
  const found = new Map<string, ScopeChange>();
  const transfers = relatedTransfers(ws, approval, periods);
  const perYear = new Map<number, { persons: number; sensitivePersons: number; transfers: string[] }>();

  for (const t of transfers) {
    for (const id of t.datasets) {
      const d = index.datasets.get(id);
      if (scope.datasets && !scope.datasets.includes(id)) add(found, { ...base, kind: 'dataset', now: id, approved: scope.datasets }, t.id);
      if (d && scope.dataTypes && !scope.dataTypes.includes(d.dataType)) add(found, { ...base, kind: 'data-type', now: d.dataType, approved: scope.dataTypes }, t.id);
      if (d?.level === 'important' && approval.mechanism !== 'security-assessment') {
        add(found, { ...base, kind: 'important-data', now: id, approved: null, rules: ['PATH-SA-1'], confidence: 'confirmed' }, t.id);
      }
    }
    if (scope.recipients && !scope.recipients.includes(t.recipient)) add(found, { ...base, kind: 'recipient', now: t.recipient, approved: scope.recipients }, t.id);
    const r = index.recipients.get(t.recipient);
    if (r && scope.countries && !scope.countries.includes(r.country)) add(found, { ...base, kind: 'country', now: r.country, approved: scope.countries }, t.id);
    const storage = r?.storageCountry ?? r?.country;
    if (storage && scope.storageCountries && !scope.storageCountries.includes(storage)) add(found, { ...base, kind: 'storage-country', now: storage, approved: scope.storageCountries }, t.id);
    if (scope.purposes && !scope.purposes.some((p) => samePurpose(p, t.purpose))) add(found, { ...base, kind: 'purpose', now: t.purpose, approved: scope.purposes }, t.id);
    if (t.retentionAbroadMonths !== undefined && scope.retentionAbroadMonths !== undefined && t.retentionAbroadMonths > scope.retentionAbroadMonths) {
      add(found, { ...base, kind: 'retention', now: t.retentionAbroadMonths, approved: scope.retentionAbroadMonths }, t.id);
    }
    // CNT-2: volumes are counted per calendar year; a sum over transfers is an upper bound (no dedup here).
    const y = yearOf(t.date);
    const acc = perYear.get(y) ?? { persons: 0, sensitivePersons: 0, transfers: [] };
    const p = transferPersons(t, index);
    acc.persons += p.persons;
    acc.sensitivePersons += p.sensitivePersons;
    acc.transfers.push(t.id);
    perYear.set(y, acc);
  }

  for (const [year, v] of [...perYear].sort((a, b) => a[0] - b[0])) {
    const addAll = (change: Omit<ScopeChange, 'transfers'>) => v.transfers.forEach((t) => add(found, change, t));
    if (scope.maxPersons !== undefined && v.persons > scope.maxPersons) addAll({ ...base, kind: 'volume', now: v.persons, approved: scope.maxPersons, year });
    if (scope.maxSensitivePersons !== undefined && v.sensitivePersons > scope.maxSensitivePersons) {
      addAll({ ...base, kind: 'sensitive-volume', now: v.sensitivePersons, approved: scope.maxSensitivePersons, year });
    }
    if (thresholds) {
      const nowBand = volumeBand(v.persons, v.sensitivePersons, thresholds);
      const declared = scope.maxPersons !== undefined || scope.maxSensitivePersons !== undefined;
      const approvedBand = declared ? volumeBand(scope.maxPersons ?? 0, scope.maxSensitivePersons ?? 0, thresholds) : null;
      if (nowBand === 'security-assessment' && approval.mechanism !== 'security-assessment') {
        // A standard contract or a certificate never covers the security-assessment band, whatever its scope says.
        addAll({ ...base, kind: 'volume-band', now: nowBand, approved: 'standard-contract-or-certification', year, rules: [
          ...(holds(v.persons, thresholds.saPersons) ? ['PATH-SA-2'] : []),
          ...(holds(v.sensitivePersons, thresholds.saSensitivePersons) ? ['PATH-SA-3'] : []),
          ...rules,
        ] });
      } else if (approvedBand && BAND_ORDER.indexOf(nowBand) > BAND_ORDER.indexOf(approvedBand)) {
        addAll({ ...base, kind: 'volume-band', now: nowBand, approved: approvedBand, year });
      }
    }
  }
  return [...found.values()];
}

export function scopeChanges(ws: Workspace, periods: LifecyclePeriods, thresholds: PathThresholds | undefined): ScopeChange[] {
  const index = indexWorkspace(ws);
  return ws.approvals.flatMap((a) => approvalChanges(ws, a, periods, thresholds, index));
}
