/**
 * Data identification (数据识别, PROC-1 step 1): is a dataset core, important or general data under a
 * rule pack? Declared facts are overlaid by measured ones; each rule that holds becomes a finding that
 * names the rule, the fact, the value, the threshold, the source and the confidence.
 *
 * Labels do not decide importance (issue 8): a rule whose fact is declared or measured binds whatever
 * scenario or data type the dataset is labelled with; where the pack lists the rule for other data
 * types, the finding says so, so a reviewer can see the label and the data disagree.
 */
import type { Dataset, Entity, NegativeList, Settings } from '../model/workspace.js';
import type { RulePack } from '../rules/types.js';
import { CUSTOM_FACT, canonicalScenario } from '../rules/index.js';
import { msg, type Msg } from '../i18n/index.js';
import { compare } from './compare.js';
import { COMPARATOR_SYMBOL } from './decide.js';
import type { EffectiveRule } from './effective-rules.js';
import type { DataLevel, DatasetResult, Fact, FactComparison, Finding, MeasuredDataset } from './types.js';

/** Facts derived from the dataset's personal-information block, usable by rules (IMP-A21-5). */
function derivedFacts(pi: DatasetResult['personalInfo']): Record<string, Fact> {
  return { piPersons: pi.persons };
}

export function mergeFacts(dataset: Dataset, measured: MeasuredDataset | undefined): { facts: Record<string, Fact>; comparison: FactComparison[] } {
  const facts: Record<string, Fact> = { ...dataset.facts };
  const comparison: FactComparison[] = [];
  for (const [fact, value] of Object.entries(measured?.facts ?? {})) {
    const declared = dataset.facts[fact];
    facts[fact] = value;
    comparison.push({ fact, declared: declared ?? null, measured: value, understated: understates(declared, value) });
  }
  return { facts, comparison };
}

function understates(declared: Fact | undefined, measured: Fact): boolean {
  if (declared === undefined) return false;
  if (typeof measured === 'number' && typeof declared === 'number') return declared < measured;
  if (typeof measured === 'boolean') return declared === false && measured === true;
  return false;
}

/** Persons in the dataset, measured over declared; the basis says which. */
export function personalInfoOf(dataset: Dataset, measured: MeasuredDataset | undefined, comparison: FactComparison[]): DatasetResult['personalInfo'] {
  const declared = dataset.personalInfo;
  const m = measured?.personalInfo;
  if (!m) return { persons: declared.persons, sensitivePersons: declared.sensitivePersons, chargingConsumptionPersons: declared.chargingConsumptionPersons, basis: 'declared' };
  const pick = (key: 'persons' | 'sensitivePersons' | 'chargingConsumptionPersons') => {
    const value = m[key];
    if (value === undefined) return declared[key];
    comparison.push({ fact: `personalInfo.${key}`, declared: declared[key], measured: value, understated: declared[key] < value });
    return value;
  };
  return { persons: pick('persons'), sensitivePersons: pick('sensitivePersons'), chargingConsumptionPersons: pick('chargingConsumptionPersons'), basis: 'measured' };
}

/** Resolve a dataset's scenario id in a pack (aliases let workspaces move between pack versions). */
export function scenarioIn(pack: RulePack, scenario: string): string {
  return pack.scenarioAliases?.[scenario] ?? scenario;
}

export function evaluateRule(rule: EffectiveRule, facts: Record<string, Fact>, basisOf: (fact: string) => Finding['basis'], notes: Msg[] = []): Finding[] {
  const out: Finding[] = [];
  for (const c of rule.conditions) {
    const value = facts[c.fact];
    if (value === undefined || !compare(value, c.comparator, c.threshold)) continue;
    out.push({
      rule: rule.id,
      ...(rule.aliases ? { aliases: rule.aliases } : {}),
      pack: rule.pack,
      fact: c.fact,
      value,
      comparator: c.comparator,
      threshold: c.threshold,
      ...(c.unit ? { unit: c.unit } : {}),
      source: rule.source,
      confidence: rule.confidence,
      ...(rule.provenance ? { provenance: rule.provenance } : {}),
      binding: rule.binding,
      notes: [...rule.bindingNotes, ...notes],
      basis: basisOf(c.fact),
      ...(rule.overridden ? { overridden: true } : {}),
      title: rule.title,
    });
  }
  return out;
}

function factHolds(v: Fact | undefined): boolean {
  return v === true || (typeof v === 'number' && v > 0);
}

/** FTZ-1..3: which items of the entity's negative list the dataset is on. */
export function negativeListHits(dataset: Dataset, facts: Record<string, Fact>, list: NegativeList | undefined): DatasetResult['negativeListHits'] {
  if (!list || list.kind !== 'negative') return [];
  const hits: DatasetResult['negativeListHits'] = [];
  for (const item of list.items) {
    const declared = dataset.negativeListItems.includes(item.id);
    const byType = item.match.dataTypes?.includes(dataset.dataType) ?? false;
    const byScenario = item.match.scenarios?.some((s) => canonicalScenario(s) === canonicalScenario(dataset.scenario)) ?? false;
    const byFact = item.match.facts?.some((f) => factHolds(facts[f])) ?? false;
    if (declared || byType || byScenario || byFact) hits.push({ list: list.id, item: item.id, title: { en: item.title.en, zh: item.title.zh ?? item.title.en }, mechanism: item.mechanism });
  }
  return hits;
}

/** FTZ-4 / UPD-10: positive-list items the dataset is declared under, and whether their conditions hold. */
export function positiveListHits(dataset: Dataset, facts: Record<string, Fact>, list: NegativeList | undefined, entity: Entity): DatasetResult['positiveListHits'] {
  if (!list || list.kind !== 'positive') return [];
  const hits: DatasetResult['positiveListHits'] = [];
  for (const item of list.items) {
    if (!dataset.positiveListItems.includes(item.id)) continue;
    const failed: Msg[] = [];
    for (const c of item.requires) {
      const value = facts[c.fact] ?? (typeof c.threshold === 'boolean' ? false : 0);
      if (!compare(value, c.comparator, c.threshold)) failed.push(msg('list.condition-failed', { fact: msg(`fact.${c.fact}`), value, comparator: COMPARATOR_SYMBOL[c.comparator] ?? c.comparator, threshold: c.threshold }));
    }
    if (list.excludesCiio && entity.ciio) failed.push(msg('list.not-for-ciio', { list: list.id }));
    hits.push({ list: list.id, item: item.id, title: { en: item.title.en, zh: item.title.zh ?? item.title.en }, conditionsMet: failed.length === 0, failed });
  }
  return hits;
}

export interface ClassifyContext {
  pack: RulePack;
  rules: EffectiveRule[];
  settings: Settings;
  entity: Entity;
  measured?: MeasuredDataset;
  /** The FTZ data list of the entity's zone, if it has one. */
  list?: NegativeList;
}

export function classifyDataset(dataset: Dataset, ctx: ClassifyContext): DatasetResult {
  const { facts, comparison } = mergeFacts(dataset, ctx.measured);
  let personalInfo = personalInfoOf(dataset, ctx.measured, comparison);
  const measuredFacts = new Set(Object.keys(ctx.measured?.facts ?? {}));
  const basisOf = (fact: string): Finding['basis'] =>
    measuredFacts.has(fact) ? 'measured' : fact === 'piPersons' ? (personalInfo.basis === 'measured' ? 'measured' : 'derived') : 'declared';
  const scenario = scenarioIn(ctx.pack, dataset.scenario);
  const warnings: Msg[] = [];
  const scenarioDef = ctx.pack.scenarios.find((s) => s.id === scenario);
  if (ctx.pack.scenarios.length > 0) {
    if (scenario !== 'other' && !scenarioDef) warnings.push(msg('dataset.scenario-not-in-pack', { scenario: dataset.scenario, pack: ctx.pack.id }));
    else if (scenarioDef && !scenarioDef.dataTypes.some((t) => t.id === dataset.dataType)) {
      warnings.push(msg('dataset.data-type-not-in-scenario', { dataType: dataset.dataType, scenario, pack: ctx.pack.id }));
    }
  }

  const evaluate = (pi: DatasetResult['personalInfo']) => {
    const all = { ...facts, ...derivedFacts(pi) };
    const findings: Finding[] = [];
    const advisories: Finding[] = [];
    for (const rule of ctx.rules) {
      // Year-to-date rules (DRAFT-J12) are judged per transfer, on the year's total.
      if (rule.scope === 'year-to-date') continue;
      if (rule.scenarios && !rule.scenarios.some((s) => canonicalScenario(s) === canonicalScenario(dataset.scenario))) continue;
      const listed = !rule.dataTypes || rule.dataTypes.includes(dataset.dataType);
      const notes = listed ? [] : [msg('finding.beyond-listed-types', { rule: rule.id, listed: rule.dataTypes!, dataType: dataset.dataType })];
      for (const hit of evaluateRule(rule, all, basisOf, notes)) (hit.binding ? findings : advisories).push(hit);
    }
    return { all, findings, advisories };
  };

  // AUTO-4: anonymised data is not PI — unless what was measured says it still identifies people.
  let evaluated = evaluate(personalInfo);
  if (dataset.anonymised) {
    const contradictions: Msg[] = [];
    for (const f of evaluated.findings) {
      if ((f.fact === 'maxFaceBoxMinSidePx' || f.fact === 'maxPlateBoxMinSidePx') && f.binding) contradictions.push(msg('dataset.anonymised-faces', { fact: msg(`fact.${f.fact}`), value: f.value, threshold: f.threshold }));
    }
    if (personalInfo.basis === 'measured' && personalInfo.persons > 0) contradictions.push(msg('dataset.anonymised-identifiers', { persons: personalInfo.persons }));
    if (contradictions.length) warnings.push(msg('dataset.anonymised-contradicted', { reasons: contradictions }));
    else {
      personalInfo = { persons: 0, sensitivePersons: 0, chargingConsumptionPersons: 0, basis: 'anonymised' };
      evaluated = evaluate(personalInfo);
    }
  }
  const { all: allFacts, findings, advisories } = evaluated;

  // A declared fact that no rule of this pack (nor the zone's list) tests is reported, not dropped.
  const tested = new Set(ctx.rules.flatMap((r) => r.conditions.map((c) => c.fact)));
  for (const item of ctx.list?.items ?? []) for (const f of [...(item.match.facts ?? []), ...item.requires.map((c) => c.fact)]) tested.add(f);
  const unused = Object.keys(dataset.facts).filter((f) => !tested.has(f) && !CUSTOM_FACT.test(f) && f !== 'surveyingMappingData');
  if (unused.length) warnings.push(msg('dataset.facts-unused', { facts: unused, pack: ctx.pack.id }));

  if (dataset.level === 'important' || dataset.level === 'core') {
    const core = dataset.level === 'core';
    findings.push({
      rule: core ? 'IMP-GEN-6' : 'IMP-GEN-3',
      pack: 'cn-national@2024',
      fact: 'level',
      value: null,
      comparator: '==',
      threshold: true,
      source: core ? 'S-43697' : 'S-PROV Art. 2',
      confidence: core ? 'confirmed' : 'recalled',
      binding: true,
      basis: 'declared',
      notes: [msg('finding.declared-level', { level: msg(`level.${dataset.level}`) })],
      title: core ? { en: 'Declared core data: must never be exported', zh: '声明为核心数据：不得出境' } : { en: 'Declared important data', zh: '声明为重要数据' },
    });
  }

  let level: DataLevel = 'general';
  if (findings.some((f) => f.binding)) level = 'important';
  if (dataset.level === 'core' || findings.some((f) => f.binding && ctx.rules.find((r) => r.id === f.rule)?.outcome === 'core')) level = 'core';
  if (dataset.level === 'general' && level !== 'general') warnings.push(msg('dataset.declared-general', { level: msg(`level.${level}`) }));
  warnings.push(...(ctx.measured?.warnings ?? []));

  return {
    id: dataset.id,
    name: dataset.name,
    scenario: dataset.scenario,
    dataType: dataset.dataType,
    pack: ctx.pack.id,
    level,
    important: level !== 'general',
    declaredLevel: dataset.level,
    findings,
    advisories,
    facts: allFacts,
    factComparison: comparison,
    evidence: ctx.measured?.sources ?? [],
    personalInfo,
    negativeListHits: negativeListHits(dataset, allFacts, ctx.list),
    positiveListHits: positiveListHits(dataset, allFacts, ctx.list, ctx.entity),
    warnings,
    ...(ctx.measured?.review?.length ? { measurementReview: ctx.measured.review } : {}),
  };
}
