/**
 * Path determination (路径判断, PROC-1 step 2) for one transfer, on the datasets no exemption claim took
 * out: core data → prohibited; important data (catalogue, year-to-date rules, FTZ negative lists) →
 * security assessment; a CIIO with PI → security assessment; FTZ lists; no PI → FREE-1; then the
 * national volume bands on the year-to-date counts (CNT-4: the highest band any counter reaches).
 */
import type { Entity, NegativeList, Settings } from '../model/workspace.js';
import type { PathThresholds, RulePack } from '../rules/types.js';
import { msg, type Msg } from '../i18n/index.js';
import { evaluateRule } from './classify.js';
import { compare } from './compare.js';
import type { EffectiveRule } from './effective-rules.js';
import type { CounterState, DatasetResult, TransferPath } from './types.js';

export interface PathDecision {
  path: TransferPath;
  exemption: string | null;
  rules: string[];
  why: Msg;
  legalReview: Msg[];
  /** Whether this transfer's persons count toward the year-to-date totals (CNT-6). */
  counted: boolean;
  containsImportantData: boolean;
}

export interface DecideInput {
  entity: Entity;
  pack: RulePack;
  rules: EffectiveRule[];
  thresholds: PathThresholds;
  settings: Settings;
  /** Every dataset of the transfer (core data is never exempted by a claim). */
  all: DatasetResult[];
  /** The datasets still to be judged (not taken out by an exemption). */
  residual: DatasetResult[];
  /** Dataset id -> exemption rule, for the ones taken out. */
  exempted: Map<string, string>;
  /** Persons of the residual datasets in this transfer. */
  volume: CounterState;
  /** Year-to-date counters including this transfer (what the bands are judged on). */
  ytd: CounterState;
  /** Charging-consumption persons this year including this transfer, exempt or not (DRAFT-J12). */
  chargingYtdAll: number;
  list?: NegativeList;
}

export function bandOf(state: CounterState, hasSensitive: boolean, t: PathThresholds): { path: TransferPath; rules: string[] } {
  const sa: string[] = [];
  if (compare(state.persons, t.saPersons.comparator, t.saPersons.threshold)) sa.push('PATH-SA-2');
  if (hasSensitive && compare(state.sensitivePersons, t.saSensitivePersons.comparator, t.saSensitivePersons.threshold)) sa.push('PATH-SA-3');
  if (sa.length) return { path: 'security-assessment', rules: sa };
  const sc: string[] = [];
  if (compare(state.persons, t.scPersons.comparator, t.scPersons.threshold)) sc.push('PATH-SC-1');
  if (hasSensitive && compare(state.sensitivePersons, t.scSensitivePersons.comparator, t.scSensitivePersons.threshold)) sc.push('PATH-SC-2');
  if (sc.length) return { path: 'standard-contract-or-certification', rules: sc };
  return { path: 'exempt', rules: ['EXEMPT-6'] };
}

/**
 * Every volume band the counters reach, not only the highest (bandOf stops at the first): a
 * declaration ticks "100万人以上" for a transfer already on the SA path for important data, and the
 * documents state that an organisation crossed a threshold this year. The thresholds are the pack's.
 */
export function thresholdsReached(state: CounterState, t: PathThresholds): string[] {
  const out: string[] = [];
  if (compare(state.persons, t.saPersons.comparator, t.saPersons.threshold)) out.push('PATH-SA-2');
  if (compare(state.sensitivePersons, t.saSensitivePersons.comparator, t.saSensitivePersons.threshold)) out.push('PATH-SA-3');
  if (compare(state.persons, t.scPersons.comparator, t.scPersons.threshold)) out.push('PATH-SC-1');
  if (state.sensitivePersons > 0 && compare(state.sensitivePersons, t.scSensitivePersons.comparator, t.scSensitivePersons.threshold)) out.push('PATH-SC-2');
  return out;
}

/** How a path reads: general data (FREE-1) needs no mechanism at all, which is not an exemption (免予申报). */
export function pathLabel(path: TransferPath, exemption: string | null): Msg {
  return msg(exemption === 'FREE-1' ? 'path.free' : `path.${path}`);
}

/** Why the volume bands decided, one clause per rule that holds (CNT-4, Q-1: both are named). */
export function bandWhy(rules: string[], ytd: CounterState, t: PathThresholds): Msg {
  // A switch, not a table of closures built per call (that was ~4% of a new decision's time).
  const clauses: Msg[] = [];
  for (const r of rules) {
    switch (r) {
      case 'PATH-SA-2':
        clauses.push(msg('why.sa-persons', { value: ytd.persons, threshold: t.saPersons.threshold as number }));
        break;
      case 'PATH-SA-3':
        clauses.push(msg('why.sa-sensitive', { value: ytd.sensitivePersons, threshold: t.saSensitivePersons.threshold as number }));
        break;
      case 'PATH-SC-1':
        clauses.push(msg('why.sc-persons', { value: ytd.persons, threshold: t.scPersons.threshold as number, upper: t.saPersons.threshold as number }));
        break;
      case 'PATH-SC-2':
        clauses.push(msg('why.sc-sensitive', { value: ytd.sensitivePersons, upper: t.saSensitivePersons.threshold as number }));
        break;
    }
  }
  return msg('why.band', { clauses });
}

export const PATH_RANK: Record<TransferPath, number> = { exempt: 0, 'standard-contract-or-certification': 1, 'security-assessment': 2, prohibited: 3 };

/** Comparators as people write them in a sentence about a finding (the same in both languages). */
export const COMPARATOR_SYMBOL: Record<string, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '==': '=', '!=': '≠' };

export function findingsText(results: DatasetResult[]): Msg[] {
  return results.flatMap((r) =>
    r.findings
      .filter((f) => f.binding)
      .map((f) =>
        f.value === null || typeof f.value === 'boolean'
          ? msg('finding.short', { rule: f.rule, fact: f.fact === 'level' ? msg('finding.declared') : msg(`fact.${f.fact}`) })
          : msg('finding.numeric', { rule: f.rule, fact: msg(`fact.${f.fact}`), value: f.value, comparator: COMPARATOR_SYMBOL[f.comparator] ?? f.comparator, threshold: f.threshold, unit: f.unit ? msg(`unit.${f.unit}`) : '' }),
      ),
  );
}

const NO_EXTRA: Partial<PathDecision> = Object.freeze({});

/**
 * What the path decision takes from a transfer's scope, not its counts: core data, claims, important
 * data by its findings, the FTZ lists. `assess` works it out per transfer; the decision engine keeps
 * it with the question's scope (TransferScope), so a question's decision judges only its volume.
 */
export interface PathScope {
  claimRules: string[];
  /** A decision that does not depend on the counts (core data; every dataset taken out by claims). */
  fixed: { path: TransferPath; rules: string[]; why: Msg; extra: Partial<PathDecision> } | null;
  importantRules: string[];
  importantWhy: Msg | null;
  negative: NegativeList | undefined;
  listHits: DatasetResult['negativeListHits'];
  /** Why, when a negative-list item needs a security assessment (FTZ-3). */
  ftzWhy: Msg | null;
  offListWhy: Msg | null;
  listPiWhy: Msg | null;
  positive: { reviews: Msg[]; allOn: boolean; why: Msg | null } | null;
}

export function pathScope(a: Pick<DecideInput, 'entity' | 'all' | 'residual' | 'exempted' | 'list'>): PathScope {
  const { entity, residual } = a;
  const claimRules = a.exempted.size ? [...new Set(a.exempted.values())] : [];
  const none: Omit<PathScope, 'claimRules' | 'fixed'> = { importantRules: [], importantWhy: null, negative: undefined, listHits: [], ftzWhy: null, offListWhy: null, listPiWhy: null, positive: null };

  // Core data never leaves (IMP-GEN-6), whatever is claimed.
  const core = a.all.filter((r) => r.level === 'core');
  if (core.length) {
    const fixed = { path: 'prohibited' as const, rules: ['IMP-GEN-6', ...new Set(core.flatMap((r) => r.findings.map((f) => f.rule)))], why: msg('why.core', { datasets: core.map((r) => r.id) }), extra: { containsImportantData: true } };
    return { claimRules, fixed, ...none };
  }

  // Every dataset taken out by a supported claim: the transfer is exempt (not counted, CNT-6).
  if (residual.length === 0) {
    const first = claimRules[0]!;
    const reachesImportant = a.all.some((r) => r.important);
    const fixed = {
      path: 'exempt' as const,
      rules: [...claimRules, ...(reachesImportant ? ['EXEMPT-AUTO-4'] : ['EXEMPT-8'])],
      why: msg('why.claims', { rules: claimRules }),
      extra: { exemption: first, counted: false, containsImportantData: reachesImportant },
    };
    return { claimRules, fixed, ...none };
  }

  // Important data: catalogue findings (the year-to-date rules, DRAFT-J12, need the counts).
  const important = residual.filter((r) => r.important);
  const importantRules = important.length ? [...new Set(important.flatMap((r) => r.findings.filter((f) => f.binding).map((f) => f.rule)))] : [];
  const importantWhy: Msg | null = important.length ? msg('why.important', { datasets: important.map((r) => r.id), findings: findingsText(important) }) : null;
  const negative = a.list?.kind === 'negative' ? a.list : undefined;
  const listHits = negative ? residual.flatMap((r) => r.negativeListHits) : [];
  const saHits = listHits.filter((h) => h.mechanism === 'security-assessment');
  let positive: PathScope['positive'] = null;
  if (a.list?.kind === 'positive') {
    const on = residual.filter((r) => r.positiveListHits.some((h) => h.conditionsMet));
    const reviews: Msg[] = [];
    for (const r of residual) for (const h of r.positiveListHits) if (!h.conditionsMet) reviews.push(msg('review.positive-list-conditions', { dataset: r.id, item: h.item, failed: h.failed }));
    const allOn = on.length === residual.length;
    positive = { reviews, allOn, why: allOn ? msg('why.ftz-positive', { list: a.list.id, items: [...new Set(on.flatMap((r) => r.positiveListHits.map((h) => h.item)))] }) : null };
  }
  return {
    claimRules,
    fixed: null,
    importantRules,
    importantWhy,
    negative,
    listHits,
    ftzWhy: saHits.length ? msg('why.ftz-list', { list: saHits[0]!.list, items: [...new Set(saHits.map((h) => h.item))] }) : null,
    offListWhy: negative && listHits.length === 0 ? msg('why.ftz-off-list', { zone: entity.ftz!.zone, list: negative.id }) : null,
    listPiWhy: listHits.length ? msg('why.ftz-list-pi', { list: listHits[0]!.list, items: [...new Set(listHits.map((h) => h.item))] }) : null,
    positive,
  };
}

/** `s`: the transfer's `pathScope`, when the caller keeps it. */
export function decidePath(a: DecideInput, s: PathScope = pathScope(a)): PathDecision {
  const { entity, volume, ytd, thresholds } = a;
  const legalReview: Msg[] = [];
  // Written out, not `{ ..., ...extra }`: a spread after properties is V8's slow path (~5% of a new
  // decision's time in the decision bench's profile). Same keys, same order, the extras' values.
  const result = (path: TransferPath, rules: string[], why: Msg, extra: Partial<PathDecision> = NO_EXTRA): PathDecision => ({
    path,
    exemption: 'exemption' in extra ? extra.exemption! : null,
    rules,
    why,
    legalReview,
    counted: 'counted' in extra ? extra.counted! : true,
    containsImportantData: 'containsImportantData' in extra ? extra.containsImportantData! : false,
  });
  if (s.fixed) return result(s.fixed.path, [...s.fixed.rules], s.fixed.why, s.fixed.extra);

  // Important data: catalogue findings, year-to-date rules (DRAFT-J12), the FTZ negative list.
  let importantRules = s.importantRules;
  let importantWhy = s.importantWhy;
  if (volume.chargingConsumptionPersons > 0) {
    // DRAFT-J12 is about everything provided abroad in the year, exempt or not (issue 8), and binds
    // on the data whatever its label.
    for (const rule of a.rules.filter((r) => r.scope === 'year-to-date' && r.binding)) {
      const hits = evaluateRule(rule, { chargingConsumptionPersonsYTD: a.chargingYtdAll }, () => 'year-to-date');
      if (hits.length && !importantRules.includes(rule.id)) {
        importantRules = [...importantRules, rule.id];
        importantWhy ??= msg('why.important-ytd', { value: a.chargingYtdAll, threshold: hits[0]!.threshold, rule: rule.id });
      }
    }
  }
  if (s.ftzWhy) {
    importantRules = [...importantRules, 'FTZ-1', 'FTZ-3'];
    importantWhy ??= s.ftzWhy;
  }
  const withClaims = s.claimRules;
  if (importantRules.length) {
    return result('security-assessment', ['PATH-SA-1', 'CNT-7', ...importantRules, ...withClaims], importantWhy!, { containsImportantData: true });
  }

  const hasPI = volume.persons > 0 || volume.sensitivePersons > 0;
  if (entity.ciio && hasPI) return result('security-assessment', ['PATH-SA-4', 'CNT-8', ...withClaims], msg('why.ciio'));

  // FTZ lists (S-PROV Art. 6): off a negative list, or on a positive list with its conditions met.
  if (s.offListWhy) {
    return result('exempt', ['EXEMPT-7', 'FTZ-1', ...withClaims], s.offListWhy, { exemption: 'EXEMPT-7', counted: false });
  }
  if (s.positive) {
    legalReview.push(...s.positive.reviews);
    if (s.positive.allOn) {
      return result('exempt', ['EXEMPT-7', 'FTZ-4', ...withClaims], s.positive.why!, {
        exemption: 'EXEMPT-7',
        counted: false,
      });
    }
  }

  if (!hasPI) return result('exempt', ['FREE-1', ...withClaims], msg('why.free'), { exemption: 'FREE-1' });

  // Volume bands (CNT-4: the highest outcome across the counters this transfer touches).
  const hasSensitive = volume.sensitivePersons > 0;
  const band = bandOf(ytd, hasSensitive, thresholds);
  // A negative-list item with a PI mechanism (standard contract / certification) is a floor.
  const listFloor = s.listHits.length ? 'standard-contract-or-certification' : null;
  if (band.path === 'security-assessment') {
    return result('security-assessment', [...band.rules, 'CNT-2', 'CNT-3', 'PATH-SA-6', 'CNT-10', ...withClaims], bandWhy(band.rules, ytd, thresholds));
  }
  if (band.path === 'standard-contract-or-certification' || listFloor) {
    const rules = band.path === 'standard-contract-or-certification' ? band.rules : ['FTZ-1'];
    const why = band.path === 'standard-contract-or-certification' ? bandWhy(band.rules, ytd, thresholds) : s.listPiWhy!;
    return result('standard-contract-or-certification', [...rules, 'CNT-2', 'CNT-3', 'CNT-10', ...withClaims], why);
  }
  return result('exempt', ['EXEMPT-6', 'CNT-2', 'CNT-10', ...withClaims], msg('why.low-volume', { persons: ytd.persons, threshold: thresholds.scPersons.threshold as number }), { exemption: 'EXEMPT-6' });
}
