/**
 * Data identification (数据识别, PROC-1 step 1): is a dataset core, important or general data under a
 * rule pack? Declared facts are overlaid by measured ones; each rule that holds becomes a finding that
 * names the rule, the fact, the value, the threshold, the source and the confidence.
 */
import type { Dataset, NegativeList, Settings } from '../model/workspace.js';
import type { RulePack } from '../rules/types.js';
import { compare } from './compare.js';
import type { EffectiveRule } from './effective-rules.js';
import type { DataLevel, DatasetResult, Fact, FactComparison, Finding, MeasuredDataset } from './types.js';

/** Facts derived from the dataset's personal-information block, usable by rules (IMP-A21-5). */
function derivedFacts(pi: DatasetResult['personalInfo']): Record<string, Fact> {
  return { piPersons: pi.persons, piSensitivePersons: pi.sensitivePersons, chargingConsumptionPersons: pi.chargingConsumptionPersons };
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

export function evaluateRule(rule: EffectiveRule, facts: Record<string, Fact>, basisOf: (fact: string) => Finding['basis']): Finding[] {
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
      source: rule.source,
      confidence: rule.confidence,
      binding: rule.binding,
      ...(rule.bindingNote || rule.note ? { note: [rule.bindingNote, rule.note].filter(Boolean).join(' ') } : {}),
      basis: basisOf(c.fact),
      ...(rule.overridden ? { overridden: true } : {}),
      title: rule.title,
    });
  }
  return out;
}

/** FTZ-1..3: which items of the entity's negative list the dataset is on. */
export function negativeListHits(dataset: Dataset, facts: Record<string, Fact>, list: NegativeList | undefined): DatasetResult['negativeListHits'] {
  if (!list) return [];
  const hits: DatasetResult['negativeListHits'] = [];
  for (const item of list.items) {
    const declared = dataset.negativeListItems.includes(item.id);
    const byType = item.match.dataTypes?.includes(dataset.dataType) ?? false;
    const byScenario = item.match.scenarios?.includes(dataset.scenario) ?? false;
    const byFact = item.match.facts?.some((f) => {
      const v = facts[f];
      return v === true || (typeof v === 'number' && v > 0);
    }) ?? false;
    if (declared || byType || byScenario || byFact) hits.push({ list: list.id, item: item.id, title: item.title.en });
  }
  return hits;
}

export interface ClassifyContext {
  pack: RulePack;
  rules: EffectiveRule[];
  settings: Settings;
  measured?: MeasuredDataset;
  /** The negative list of the entity's FTZ, if it has one. */
  negativeList?: NegativeList;
}

export function classifyDataset(dataset: Dataset, ctx: ClassifyContext): DatasetResult {
  const { facts, comparison } = mergeFacts(dataset, ctx.measured);
  const personalInfo = personalInfoOf(dataset, ctx.measured, comparison);
  const allFacts = { ...facts, ...derivedFacts(personalInfo) };
  const measuredFacts = new Set(Object.keys(ctx.measured?.facts ?? {}));
  const basisOf = (fact: string): Finding['basis'] =>
    measuredFacts.has(fact) ? 'measured' : fact in derivedFacts(personalInfo) ? (personalInfo.basis === 'measured' ? 'measured' : 'derived') : 'declared';
  const scenario = scenarioIn(ctx.pack, dataset.scenario);
  const warnings: string[] = [];
  const scenarioDef = ctx.pack.scenarios.find((s) => s.id === scenario);
  if (scenario !== 'other' && !scenarioDef) warnings.push(`scenario '${dataset.scenario}' is not in ${ctx.pack.id}`);
  else if (scenarioDef && !scenarioDef.dataTypes.some((t) => t.id === dataset.dataType)) {
    warnings.push(`data type '${dataset.dataType}' is not a data type of scenario '${scenario}' in ${ctx.pack.id}`);
  }

  const findings: Finding[] = [];
  const advisories: Finding[] = [];
  for (const rule of ctx.rules) {
    if (rule.scenarios && !rule.scenarios.includes(scenario) && !rule.scenarios.includes(dataset.scenario)) continue;
    const hits = evaluateRule(rule, allFacts, basisOf);
    if (hits.length === 0) continue;
    const listed = !rule.dataTypes || rule.dataTypes.includes(dataset.dataType);
    for (const hit of hits) {
      if (!listed) {
        // The fact meets the threshold but the pack lists the rule for other data types: shown for review.
        advisories.push({ ...hit, binding: false, note: `${rule.id} is listed for ${rule.dataTypes!.join(', ')}, not ${dataset.dataType}; review whether it applies` });
      } else (hit.binding ? findings : advisories).push(hit);
    }
  }

  if (dataset.level === 'important' || dataset.level === 'core') {
    findings.push({
      rule: dataset.level === 'core' ? 'IMP-GEN-6' : 'IMP-GEN-3',
      pack: 'cn-national@2024',
      fact: 'level',
      value: null,
      comparator: '==',
      threshold: true,
      source: dataset.level === 'core' ? 'S-43697' : 'S-PROV Art. 2',
      confidence: dataset.level === 'core' ? 'confirmed' : 'recalled',
      binding: true,
      basis: 'declared',
      note: `declared ${dataset.level} by the organisation`,
      title: dataset.level === 'core' ? { en: 'Declared core data: must never be exported', zh: '声明为核心数据：不得出境' } : { en: 'Declared important data', zh: '声明为重要数据' },
    });
  }

  const hits = negativeListHits(dataset, allFacts, ctx.negativeList);
  let level: DataLevel = 'general';
  if (findings.some((f) => f.binding)) level = 'important';
  if (dataset.level === 'core' || findings.some((f) => f.binding && ctx.rules.find((r) => r.id === f.rule)?.outcome === 'core')) level = 'core';
  if (dataset.level === 'general' && level !== 'general') warnings.push(`declared general, but the rules make it ${level}`);

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
    negativeListHits: hits,
    warnings,
  };
}
