/**
 * The rule-pack registry: which packs exist, which one applies on a date, and lookup of any rule ID.
 */
import type { NegativeList } from '../model/workspace.js';
import { cnAuto2021 } from './packs/cn-auto-2021.js';
import { cnAuto2025Draft } from './packs/cn-auto-2025-draft.js';
import { cnAuto2026 } from './packs/cn-auto-2026.js';
import { cnNational2024 } from './packs/cn-national-2024.js';
import { beijingFtz2024 } from './lists/beijing-ftz-2024.js';
import { shanghaiLingang2024 } from './lists/shanghai-lingang-2024.js';
import { chongqingFtz2025, fujianFtz2025 } from './lists/user-filled.js';
import type { JudgmentRule, ReferenceRule, RulePack } from './types.js';

export * from './types.js';
export { FACTS, CUSTOM_FACT, declarableFacts, factDef, type FactDef, type FactName } from './facts.js';

export const NATIONAL_PACKS: readonly RulePack[] = [cnNational2024];
/** Ordered by effective date. */
export const AUTO_PACKS: readonly RulePack[] = [cnAuto2021, cnAuto2025Draft, cnAuto2026];
export const ALL_PACKS: readonly RulePack[] = [...NATIONAL_PACKS, ...AUTO_PACKS];
export const BUILT_IN_NEGATIVE_LISTS: readonly NegativeList[] = [beijingFtz2024, shanghaiLingang2024, chongqingFtz2025, fujianFtz2025];

export function findPack(id: string): RulePack | undefined {
  return ALL_PACKS.find((p) => p.id === id);
}

export interface PackChoice {
  pack: RulePack;
  /**
   * Why this pack: `pinned`; `in-force` on the date; `draft` (a draft standing in for the final text
   * in its window — never binding law, flagged); `before-effective` (no pack of the family was in
   * force yet: the earliest is applied, flagged).
   */
  reason: 'pinned' | 'in-force' | 'draft' | 'before-effective';
}

/** Latest pack of the family whose effective date is on or before `date` (or the pin). */
export function selectPack(family: readonly RulePack[], date: string, pin?: string): PackChoice | undefined {
  if (pin) {
    const pack = family.find((p) => p.id === pin);
    return pack ? { pack, reason: 'pinned' } : undefined;
  }
  let chosen: RulePack | undefined;
  for (const p of family) if (p.effective <= date) chosen = p;
  if (chosen) return { pack: chosen, reason: chosen.status === 'draft' ? 'draft' : 'in-force' };
  return family[0] ? { pack: family[0], reason: 'before-effective' } : undefined;
}

export interface RuleLookup {
  rule: JudgmentRule | ReferenceRule;
  pack: RulePack;
  kind: 'judgment' | 'reference';
}

/** Every occurrence of a rule ID (a rule can be in several packs) — for `explain`. */
export function lookupRule(id: string): RuleLookup[] {
  const wanted = id.toUpperCase();
  const found: RuleLookup[] = [];
  for (const pack of ALL_PACKS) {
    for (const rule of pack.judgmentRules) {
      if (rule.id === wanted || rule.aliases?.includes(wanted)) found.push({ rule, pack, kind: 'judgment' });
    }
    for (const rule of pack.references) if (rule.id === wanted) found.push({ rule, pack, kind: 'reference' });
  }
  return found;
}

/** Scenario ids known to any pack and their data types, for validation. */
export function knownScenarios(): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const pack of AUTO_PACKS) {
    for (const s of pack.scenarios) {
      const set = map.get(s.id) ?? new Set<string>();
      for (const t of s.dataTypes) set.add(t.id);
      map.set(s.id, set);
    }
  }
  return map;
}

/**
 * One name per business scenario across pack versions (the draft's platform-operation is the final's
 * connected-operation), so that comparing scenarios never depends on which pack a date falls under.
 */
export function canonicalScenario(scenario: string): string {
  const s = scenario.trim().toLowerCase();
  for (const pack of [...AUTO_PACKS].reverse()) {
    const alias = pack.scenarioAliases?.[s];
    if (alias) return alias;
  }
  return s;
}

export const OTHER_SCENARIO = 'other';
