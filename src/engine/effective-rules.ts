/**
 * The judgment rules in force for an organisation: a pack's rules with the workspace's overrides
 * applied (threshold changes, promotions of advisory rules, the organisation's own rules). Every
 * override is recorded so each report can show it.
 */
import type { Overrides, Settings } from '../model/workspace.js';
import type { JudgmentRule, RulePack } from '../rules/types.js';
import type { AppliedOverride } from './types.js';

export interface EffectiveRule extends JudgmentRule {
  pack: string;
  /** Decides the level (true) or is only shown (advisory). */
  binding: boolean;
  overridden: boolean;
  bindingNote?: string;
}

export function isAdvisoryByDefault(rule: JudgmentRule): boolean {
  return rule.confidence === 'UNCONFIRMED' || rule.advisory !== undefined;
}

export function effectiveRules(pack: RulePack, overrides: Overrides, settings: Settings): EffectiveRule[] {
  const promoted = new Set(overrides.promote.map((p) => p.rule));
  const rules: EffectiveRule[] = pack.judgmentRules.map((rule) => {
    let conditions = rule.conditions;
    let overridden = false;
    for (const o of overrides.thresholds) {
      if (o.rule !== rule.id || (o.pack && o.pack !== pack.id)) continue;
      conditions = conditions.map((c) =>
        o.fact === undefined || o.fact === c.fact
          ? { ...c, threshold: o.threshold ?? c.threshold, comparator: o.comparator ?? c.comparator }
          : c,
      );
      overridden = true;
    }
    let binding = !isAdvisoryByDefault(rule);
    let bindingNote: string | undefined = rule.advisory ?? (rule.confidence === 'UNCONFIRMED' ? 'UNCONFIRMED rule: advisory unless promoted by the organisation' : undefined);
    if (rule.id === 'IMP-A21-5' && settings.auto21PersonsAsImportant === 'important') {
      binding = true;
      bindingNote = 'made binding by settings.auto21PersonsAsImportant (Q-4)';
    }
    if (promoted.has(rule.id)) {
      binding = true;
      bindingNote = 'promoted to binding by the organisation';
      overridden = true;
    }
    return { ...rule, conditions, pack: pack.id, binding, overridden, ...(bindingNote ? { bindingNote } : {}) };
  });
  for (const extra of overrides.rules) {
    rules.push({
      id: extra.id,
      title: { en: extra.title.en, zh: extra.title.zh ?? extra.title.en },
      conditions: [{ fact: extra.fact, comparator: extra.comparator, threshold: extra.threshold }],
      ...(extra.appliesTo?.dataTypes ? { dataTypes: extra.appliesTo.dataTypes } : {}),
      outcome: extra.outcome,
      source: extra.source,
      confidence: 'confirmed',
      pack: 'organization',
      binding: true,
      overridden: true,
      bindingNote: `organisation rule: ${extra.reason}`,
      ...(extra.appliesTo?.scenarios ? { scenarios: extra.appliesTo.scenarios } : {}),
    });
  }
  return rules;
}

/** Human-readable list of what the workspace changed, for every report. */
export function describeOverrides(overrides: Overrides, packs: readonly RulePack[]): AppliedOverride[] {
  const out: AppliedOverride[] = [];
  for (const o of overrides.thresholds) {
    const rule = packs.flatMap((p) => p.judgmentRules).find((r) => r.id === o.rule);
    const cond = rule?.conditions.find((c) => o.fact === undefined || c.fact === o.fact);
    const from = cond ? `${cond.fact} ${cond.comparator} ${cond.threshold}` : '?';
    const to = cond ? `${cond.fact} ${o.comparator ?? cond.comparator} ${o.threshold ?? cond.threshold}` : '?';
    out.push({ kind: 'threshold', rule: o.rule, ...(o.pack ? { pack: o.pack } : {}), detail: `${from} -> ${to}`, reason: o.reason });
  }
  for (const p of overrides.promote) out.push({ kind: 'promote', rule: p.rule, detail: 'advisory -> binding', reason: p.reason });
  for (const r of overrides.rules) out.push({ kind: 'rule', rule: r.id, detail: `${r.fact} ${r.comparator} ${r.threshold} => ${r.outcome}`, reason: r.reason });
  return out;
}

/** Unknown rule ids in overrides are mistakes worth an error (a typo would silently change nothing). */
export function unknownOverrideRules(overrides: Overrides, packs: readonly RulePack[]): { index: number; kind: 'thresholds' | 'promote'; rule: string }[] {
  const known = new Set(packs.flatMap((p) => p.judgmentRules.map((r) => r.id)));
  const bad: { index: number; kind: 'thresholds' | 'promote'; rule: string }[] = [];
  overrides.thresholds.forEach((o, index) => known.has(o.rule) || bad.push({ index, kind: 'thresholds', rule: o.rule }));
  overrides.promote.forEach((o, index) => known.has(o.rule) || bad.push({ index, kind: 'promote', rule: o.rule }));
  return bad;
}
