/**
 * The judgment rules in force for an organisation: a pack's rules with the workspace's overrides
 * applied (threshold changes, promotions of advisory rules, the organisation's own rules) and the
 * settings that make an advisory rule binding. Every override is recorded so each report can show it.
 */
import type { Overrides, Settings } from '../model/workspace.js';
import type { JudgmentRule, RulePack } from '../rules/types.js';
import { msg, type Msg } from '../i18n/index.js';
import type { AppliedOverride } from './types.js';

export interface EffectiveRule extends JudgmentRule {
  pack: string;
  /** Decides the level (true) or is only shown (advisory). */
  binding: boolean;
  overridden: boolean;
  /** Why it is advisory, or what made it binding. */
  bindingNotes: Msg[];
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
        o.fact === undefined || o.fact === c.fact ? { ...c, threshold: o.threshold ?? c.threshold, comparator: o.comparator ?? c.comparator } : c,
      );
      overridden = true;
    }
    let binding = !isAdvisoryByDefault(rule);
    let bindingNotes: Msg[] = rule.advisory
      ? [msg('rule.advisory', { rule: rule.id, why: rule.advisory })]
      : rule.confidence === 'UNCONFIRMED'
        ? [msg('rule.unconfirmed-advisory', { rule: rule.id })]
        : [];
    const bySetting = rule.bindingSetting;
    if (bySetting && (settings as Record<string, unknown>)[bySetting.setting] === bySetting.value) {
      binding = true;
      bindingNotes = [msg('rule.binding-by-setting', { rule: rule.id, setting: bySetting.setting, value: bySetting.value })];
    }
    if (promoted.has(rule.id)) {
      binding = true;
      bindingNotes = [msg('rule.promoted', { rule: rule.id })];
      overridden = true;
    }
    return { ...rule, conditions, pack: pack.id, binding, overridden, bindingNotes };
  });
  for (const extra of overrides.rules) {
    rules.push({
      id: extra.id,
      title: { en: extra.title.en, zh: extra.title.zh ?? extra.title.en },
      conditions: [{ fact: extra.fact, comparator: extra.comparator, threshold: extra.threshold }],
      ...(extra.appliesTo?.dataTypes ? { dataTypes: extra.appliesTo.dataTypes } : {}),
      ...(extra.appliesTo?.scenarios ? { scenarios: extra.appliesTo.scenarios } : {}),
      outcome: extra.outcome,
      source: extra.source,
      confidence: 'confirmed',
      pack: 'organization',
      binding: true,
      overridden: true,
      bindingNotes: [msg('rule.organisation-rule', { rule: extra.id, reason: extra.reason })],
    });
  }
  return rules;
}

/** What the workspace changed, for every report. */
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
