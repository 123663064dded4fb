/**
 * Exemption claims are checked against the facts, never trusted blindly (EXEMPT-1..5, EXEMPT-AUTO-1..3),
 * and a claim covers only the datasets it is about: the rest of the transfer is judged normally.
 * A supported claim never exempts important data unless the rule says so (EXEMPT-8; Q-3 / UPD-2 for the
 * automobile exemptions), and never core data.
 */
import { claimName, type Dataset, type ExemptionClaim, type Settings } from '../model/workspace.js';
import type { ExemptionReach, RulePack } from '../rules/types.js';
import { canonicalScenario } from '../rules/index.js';
import { msg, type Msg } from '../i18n/index.js';
import type { ClaimCheck, DatasetResult } from './types.js';

/** Automobile-sector exemptions: whether they reach important data is Q-3 (UPD-2, setting). */
export const AUTO_EXEMPTIONS = new Set(['EXEMPT-AUTO-1', 'EXEMPT-AUTO-2', 'EXEMPT-AUTO-3']);

export interface ClaimContext {
  national: RulePack;
  auto: RulePack;
  settings: Settings;
  /** The transfer's datasets and their classification, in the same order. */
  datasets: Dataset[];
  results: DatasetResult[];
}

export interface ClaimOutcome {
  checks: ClaimCheck[];
  /** Dataset id -> the rule whose supported claim takes it out of the transfer. */
  exempted: Map<string, string>;
  /** Rules that would have applied but do not reach important data (EXEMPT-8; EXEMPT-AUTO-4 under Q-3). */
  refusedForImportant: string[];
  legalReview: Msg[];
}

const detail = (claim: ExemptionClaim): { basis?: string; reference?: string; activity?: string; datasets?: string[] } => (typeof claim === 'string' ? {} : claim);

/** Under which reading a supported automobile claim also exempts important data (Q-3, UPD-2). */
export function autoClaimReachesImportant(settings: Settings, pack: RulePack): boolean {
  if (settings.autoExemptionForImportantData === 'exempt') return true;
  if (settings.autoExemptionForImportantData === 'security-assessment') return false;
  return pack.autoExemptionsReachImportantData?.value ?? false;
}

/**
 * UPD-2: whether an important dataset is of the kind an automobile exemption names, decided by the rule
 * that made it important (every binding finding must be of the kind) and, for importance declared
 * without a rule, by its data type.
 */
export function kindOf(dataset: Dataset, result: DatasetResult, reach: ExemptionReach | undefined): { ofKind: boolean; kind: Msg | ExemptionReach['kind']; by: string[]; others: string[]; expected: string[] } {
  const none = msg('law.auto.no-kind');
  if (!reach) return { ofKind: false, kind: none, by: [], others: [...new Set(result.findings.filter((f) => f.binding).map((f) => f.rule))], expected: [] };
  const matches = (f: DatasetResult['findings'][number]) =>
    f.fact === 'level'
      ? reach.dataTypes.includes(dataset.dataType)
      : reach.importantBy.some((b) => (b.rule === f.rule || (f.aliases ?? []).includes(b.rule)) && (!b.facts || b.facts.includes(f.fact)));
  const binding = result.findings.filter((f) => f.binding);
  const label = (f: DatasetResult['findings'][number]) => (f.fact === 'level' ? f.rule : `${f.rule} (${f.fact})`);
  const by = [...new Set(binding.filter(matches).map(label))];
  const others = [...new Set(binding.filter((f) => !matches(f)).map(label))];
  const expected = [...reach.importantBy.map((b) => (b.facts ? `${b.rule} (${b.facts.join(', ')})` : b.rule)), ...reach.dataTypes.map((t) => `IMP-GEN-3 (${t})`)];
  return { ofKind: binding.length > 0 && others.length === 0, kind: reach.kind, by, others, expected };
}

export function checkClaims(claims: ExemptionClaim[], ctx: ClaimContext): ClaimOutcome {
  const checks: ClaimCheck[] = [];
  const exempted = new Map<string, string>();
  const refusedForImportant: string[] = [];
  const legalReview: Msg[] = [];
  const byId = new Map(ctx.datasets.map((d, i) => [d.id, { dataset: d, result: ctx.results[i]! }]));
  for (const claim of claims) {
    const name = claimName(claim);
    const { basis, reference, activity, datasets: named } = detail(claim);
    const about = (named ?? ctx.datasets.map((d) => d.id)).filter((id) => byId.has(id));
    const rule = ctx.national.exemptions[name] ?? ctx.auto.exemptions[name] ?? null;
    const check = (supported: boolean, reason: Msg, ruleId: string | null = rule): ClaimCheck => ({ claim: name, rule: ruleId, datasets: about, supported, reason });
    if (!rule) {
      checks.push(check(false, msg('claim.not-recognised', { claim: name, national: ctx.national.id, auto: ctx.auto.id, nationalTitle: ctx.national.title, autoTitle: ctx.auto.title })));
      continue;
    }
    const items = about.map((id) => byId.get(id)!);
    const pi = (r: DatasetResult) => r.personalInfo.persons > 0 || r.personalInfo.sensitivePersons > 0;
    const important = items.filter((i) => i.result.important).map((i) => i.dataset.id);
    const core = items.filter((i) => i.result.level === 'core').map((i) => i.dataset.id);
    let verdict: ClaimCheck;
    switch (name) {
      case 'trade-no-pi': {
        const withPI = items.filter((i) => pi(i.result)).map((i) => i.dataset.id);
        if (withPI.length) verdict = check(false, msg('claim.has-pi', { rule, datasets: withPI }));
        else if (important.length) verdict = check(false, msg('claim.has-important', { rule, datasets: important }));
        else if (!activity) verdict = check(true, msg('claim.no-activity-free'), 'FREE-1');
        else verdict = check(true, msg('claim.trade', { activity }));
        break;
      }
      case 'foreign-transit': {
        const domestic = items.filter((i) => i.dataset.origin !== 'foreign').map((i) => i.dataset.id);
        if (domestic.length) verdict = check(false, msg('claim.domestic-origin', { datasets: domestic }));
        else if (important.length) verdict = check(false, msg('claim.has-important', { rule, datasets: important }));
        else verdict = check(true, msg('claim.foreign-transit'));
        break;
      }
      case 'contract-necessity':
      case 'emergency': {
        const noPI = items.filter((i) => !pi(i.result)).map((i) => i.dataset.id);
        if (noPI.length) verdict = check(false, msg('claim.no-pi', { rule, datasets: noPI }));
        else if (!basis) verdict = check(false, msg(name === 'emergency' ? 'claim.no-basis-emergency' : 'claim.no-basis-contract'));
        else verdict = check(true, msg(name === 'emergency' ? 'claim.emergency' : 'claim.contract', { basis }));
        break;
      }
      case 'hr-management': {
        const notEmployees = items.filter((i) => i.dataset.personalInfo.subjects.length === 0 || i.dataset.personalInfo.subjects.some((s) => s !== 'employees')).map((i) => i.dataset.id);
        if (notEmployees.length) verdict = check(false, msg('claim.not-employees', { datasets: notEmployees }));
        else if (!basis) verdict = check(false, msg('claim.no-basis-hr'));
        else verdict = check(true, msg('claim.hr', { basis }));
        break;
      }
      case 'vulnerability-remediation':
      case 'security-incident':
      case 'defect-recall-ota': {
        if (!reference) verdict = check(false, msg('claim.no-reference', { rule }));
        else if (!basis) verdict = check(false, msg('claim.no-purpose', { rule }));
        else verdict = check(true, msg('claim.auto', { rule, reference, basis }));
        if (name === 'defect-recall-ota') {
          const notOta = items.filter((i) => canonicalScenario(i.dataset.scenario) !== 'software-upgrade').map((i) => i.dataset.id);
          if (notOta.length) legalReview.push(msg('review.claim-does-not-fit', { rule, datasets: notOta }));
        }
        break;
      }
    }
    checks.push(verdict);
    if (!verdict.supported) {
      legalReview.push(msg('review.unsupported-claim', { claim: name, reason: verdict.reason }));
      continue;
    }
    const ruleId = verdict.rule!;
    const coverage: NonNullable<ClaimCheck['coverage']> = [];
    for (const item of items) {
      const dataset = item.dataset.id;
      if (item.result.level === 'core') continue; // core data never leaves (IMP-GEN-6), whatever the claim
      if (item.result.important) {
        if (!AUTO_EXEMPTIONS.has(ruleId)) {
          refusedForImportant.push('EXEMPT-8'); // national exemptions never reach important data
          coverage.push({ dataset, exempted: false, rule: 'EXEMPT-8', reason: msg('law.auto.national-not-important', { rule: ruleId, dataset }) });
          continue;
        }
        legalReview.push(msg('review.auto-claim-important', { rule: ruleId, dataset, pack: ctx.auto.id, title: ctx.auto.title, setting: ctx.settings.autoExemptionForImportantData, settingText: msg(`setting.autoExemptionForImportantData.${ctx.settings.autoExemptionForImportantData}`) }));
        if (!autoClaimReachesImportant(ctx.settings, ctx.auto)) {
          refusedForImportant.push('EXEMPT-AUTO-4');
          coverage.push({ dataset, exempted: false, rule: 'EXEMPT-AUTO-4', reason: msg('law.auto.not-reached', { rule: ruleId, dataset, pack: ctx.auto.id, title: ctx.auto.title, setting: ctx.settings.autoExemptionForImportantData, settingText: msg(`setting.autoExemptionForImportantData.${ctx.settings.autoExemptionForImportantData}`) }) });
          continue;
        }
        // UPD-2: only important data of the exemption's own kind; any other keeps PATH-SA-1.
        const kind = kindOf(item.dataset, item.result, ctx.auto.autoExemptionReach?.[ruleId]);
        if (!kind.ofKind) {
          refusedForImportant.push('EXEMPT-AUTO-5');
          const reason = msg('law.auto.not-of-kind', { rule: ruleId, dataset, kind: kind.kind, by: kind.others, dataType: item.dataset.dataType, expected: kind.expected });
          coverage.push({ dataset, exempted: false, rule: 'EXEMPT-AUTO-5', reason });
          legalReview.push(reason);
          continue;
        }
        coverage.push({ dataset, exempted: !exempted.has(dataset), rule: ruleId, reason: msg('law.auto.of-kind', { rule: ruleId, dataset, kind: kind.kind, by: kind.by }) });
      } else {
        coverage.push({ dataset, exempted: !exempted.has(dataset), rule: ruleId, reason: msg('law.claim.covers', { rule: ruleId, dataset }) });
      }
      if (exempted.has(dataset)) {
        const last = coverage[coverage.length - 1]!;
        last.reason = msg('law.claim.already', { rule: ruleId, dataset, by: exempted.get(dataset)! });
      } else exempted.set(dataset, ruleId);
    }
    verdict.coverage = coverage;
    if (core.length) legalReview.push(msg('review.claim-core', { claim: name, datasets: core }));
  }
  return { checks, exempted, refusedForImportant: [...new Set(refusedForImportant)], legalReview };
}
