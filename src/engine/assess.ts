/**
 * The assessment engine: a pure function of the workspace, the rule packs, the ledger's year-to-date
 * counts, the measured evidence and the as-of date. Data identification, then path determination for
 * each transfer in date order (PROC-1), then whether an approval covers it.
 */
import { yearOf } from '../model/dates.js';
import type { Dataset, Entity, NegativeList, Transfer, Workspace } from '../model/workspace.js';
import { AUTO_PACKS, BUILT_IN_NEGATIVE_LISTS, NATIONAL_PACKS, selectPack, type PackChoice } from '../rules/index.js';
import type { LifecyclePeriods, PathThresholds, RulePack } from '../rules/types.js';
import { both } from '../i18n/messages.js';
import { AUTO_EXEMPTIONS, PI_ONLY_EXEMPTIONS, checkClaim } from './claims.js';
import { classifyDataset, scenarioIn, evaluateRule } from './classify.js';
import { compare } from './compare.js';
import { coverage } from './coverage.js';
import { describeOverrides, effectiveRules, type EffectiveRule } from './effective-rules.js';
import type {
  AssessInput,
  AssessReport,
  ClaimCheck,
  CounterState,
  DatasetResult,
  Finding,
  TransferPath,
  TransferResult,
} from './types.js';

const HK_MO_TW = new Set(['HK', 'MO', 'TW']);
const OUT_RULE: Record<Transfer['kind'], string> = { transmit: 'OUT-1', 'remote-access': 'OUT-2', 'offshore-processing': 'OUT-3' };
const zero = (): CounterState => ({ persons: 0, sensitivePersons: 0, chargingConsumptionPersons: 0 });
const add = (a: CounterState, b: CounterState): CounterState => ({
  persons: a.persons + b.persons,
  sensitivePersons: a.sensitivePersons + b.sensitivePersons,
  chargingConsumptionPersons: a.chargingConsumptionPersons + b.chargingConsumptionPersons,
});

/** Per-pack rules and dataset classifications, computed once and reused by every transfer. */
class PackContext {
  readonly rules: EffectiveRule[];
  private readonly classified = new Map<string, DatasetResult>();

  constructor(
    readonly pack: RulePack,
    private readonly input: AssessInput,
    private readonly lists: NegativeList[],
  ) {
    this.rules = effectiveRules(pack, input.workspace.overrides, input.workspace.settings);
  }

  classify(dataset: Dataset, entity: Entity): DatasetResult {
    const listId = entity.ftz?.list;
    const key = `${dataset.id}|${listId ?? ''}`;
    let r = this.classified.get(key);
    if (!r) {
      r = classifyDataset(dataset, {
        pack: this.pack,
        rules: this.rules,
        settings: this.input.workspace.settings,
        measured: this.input.measured?.[dataset.id],
        negativeList: listId ? this.lists.find((l) => l.id === listId) : undefined,
      });
      this.classified.set(key, r);
    }
    return r;
  }
}

function bindingSummary(results: DatasetResult[]): { ids: string; findings: string; rules: string[] } {
  const important = results.filter((r) => r.important);
  const findings = important.flatMap((r) => r.findings.filter((f) => f.binding));
  return {
    ids: important.map((r) => r.id).join(', '),
    findings: findings.map((f) => (f.value === null ? f.rule : `${f.rule}: ${f.fact} ${f.value} ${f.comparator} ${f.threshold}`)).join('; '),
    rules: [...new Set(findings.map((f) => f.rule))],
  };
}

interface Decision {
  path: TransferPath;
  exemption: string | null;
  rules: string[];
  why: { en: string; zh: string };
  legalReview: string[];
  splitting: TransferResult['splitting'];
  /** Whether this transfer's persons count toward the year-to-date totals (CNT-6). */
  counted: boolean;
  claims: ClaimCheck[];
}

export function assess(input: AssessInput): AssessReport {
  const ws: Workspace = input.workspace;
  const settings = ws.settings;
  const national = NATIONAL_PACKS[0]!;
  const thresholds = national.pathThresholds as PathThresholds;
  const periods = national.periods as LifecyclePeriods;
  const lists = [...BUILT_IN_NEGATIVE_LISTS, ...ws.negativeLists];
  const entities = new Map<string, Entity>([ws.organization, ...ws.affiliates].map((e) => [e.id, e]));
  const datasets = new Map(ws.datasets.map((d) => [d.id, d]));
  const recipients = new Map(ws.recipients.map((r) => [r.id, r]));
  const packContexts = new Map<string, PackContext>();
  const packUse = new Map<string, { choice: PackChoice; usedBy: Set<string> }>();
  const markUsed = (choice: PackChoice, user: string) => {
    const use = packUse.get(choice.pack.id) ?? { choice, usedBy: new Set<string>() };
    use.usedBy.add(user);
    packUse.set(choice.pack.id, use);
  };
  const contextFor = (choice: PackChoice, user: string): PackContext => {
    let ctx = packContexts.get(choice.pack.id);
    if (!ctx) packContexts.set(choice.pack.id, (ctx = new PackContext(choice.pack, input, lists)));
    markUsed(choice, user);
    return ctx;
  };
  const autoChoice = (date: string, pin?: string): PackChoice => {
    const choice = selectPack(AUTO_PACKS, date, pin ?? ws.rulePack);
    // Pins are validated when the workspace is checked; a bad pin here is a programming error.
    if (!choice) throw new Error(`unknown rule pack ${pin ?? ws.rulePack}`);
    return choice;
  };

  // 1. Data identification under the pack in force on the as-of date.
  const asOfCtx = contextFor(autoChoice(input.asOf), 'datasets');
  const datasetResults = ws.datasets.map((d) => asOfCtx.classify(d, ws.organization));

  // 2. Path per transfer, in date order, with year-to-date counters per organisation and year.
  const recorded = new Set(input.ledger?.entries.map((e) => e.id) ?? []);
  const counters = new Map<string, { effective: CounterState; all: CounterState; excludingExempt: CounterState }>();
  const counterFor = (org: string, year: number) => {
    const key = `${org}|${year}`;
    let c = counters.get(key);
    if (!c) {
      const start: CounterState = zero();
      for (const d of input.ledger?.days ?? []) if (d.organization === org && d.year === year) Object.assign(start, add(start, d));
      c = { effective: { ...start }, all: { ...start }, excludingExempt: { ...start } };
      counters.set(key, c);
    }
    return c;
  };
  // PATH-SC-3: group totals per year and scenario, and which entities contributed.
  const groupTotals = new Map<string, { state: CounterState; entities: Set<string>; transfers: string[] }>();

  const ordered = [...ws.transfers].sort((a, b) => (a.date === b.date ? a.id.localeCompare(b.id) : a.date < b.date ? -1 : 1));
  const transferResults: TransferResult[] = [];
  for (const transfer of ordered) {
    const entity = entities.get(transfer.organization ?? ws.organization.id) ?? ws.organization;
    const choice = autoChoice(transfer.date, transfer.rulePack);
    const ctx = contextFor(choice, transfer.id);
    markUsed({ pack: national, reason: 'in-force' }, transfer.id);
    const tDatasets = transfer.datasets.map((id) => datasets.get(id)!);
    const results = tDatasets.map((d) => ctx.classify(d, entity));
    const recipient = recipients.get(transfer.recipient)!;
    const year = yearOf(transfer.date);

    // This transfer's persons: de-duplicated against the ledger when its hashes are known, else the
    // declared/measured sum over its datasets (a conservative sum: CNT-1 wants distinct persons).
    const exact = input.ledger?.newPersonsByTransfer?.[transfer.id];
    const declaredSum = results.reduce((acc, r) => add(acc, r.personalInfo), zero());
    const volume: CounterState = exact
      ? { ...exact }
      : {
          persons: transfer.persons ?? declaredSum.persons,
          sensitivePersons: transfer.sensitivePersons ?? declaredSum.sensitivePersons,
          chargingConsumptionPersons: transfer.chargingConsumptionPersons ?? declaredSum.chargingConsumptionPersons,
        };
    const alreadyInLedger = recorded.has(transfer.id);
    // CNT-3 / Q-1: the non-sensitive counter takes everyone (count-in-both) or only persons without sensitive PI.
    const increment: CounterState = alreadyInLedger
      ? zero()
      : {
          persons: settings.sensitiveOverlap === 'count-in-both' ? volume.persons : Math.max(0, volume.persons - volume.sensitivePersons),
          sensitivePersons: volume.sensitivePersons,
          chargingConsumptionPersons: volume.chargingConsumptionPersons,
        };
    const counter = counterFor(entity.id, year);
    const ytd = add(counter.effective, increment);

    // Group aggregate for the anti-splitting check.
    const scenarios = [...new Set(tDatasets.map((d) => scenarioIn(choice.pack, d.scenario)))];
    const groupKeys = entity.group && settings.splittingCheck !== 'off' ? scenarios.map((s) => `${entity.group}|${year}|${s}`) : [];

    const decision = decide({
      transfer,
      entity,
      results,
      tDatasets,
      ytd,
      volume,
      choice,
      ctx,
      national,
      thresholds,
      lists,
      groupKeys,
      groupTotals,
      increment,
      settings,
    });

    // Count it (CNT-6: exempt-situation transfers only if configured; both totals are kept).
    counter.all = add(counter.all, increment);
    if (decision.counted) counter.excludingExempt = add(counter.excludingExempt, increment);
    if (decision.counted || settings.countExemptTransfers) counter.effective = add(counter.effective, increment);
    if (decision.counted || settings.countExemptTransfers) {
      for (const key of groupKeys) {
        const g = groupTotals.get(key) ?? { state: zero(), entities: new Set<string>(), transfers: [] };
        g.state = add(g.state, increment);
        g.entities.add(entity.id);
        g.transfers.push(transfer.id);
        groupTotals.set(key, g);
      }
    }

    const cov = coverage(ws.approvals, {
      transfer,
      organization: entity.id,
      ...(entity.group ? { organizationGroup: entity.group } : {}),
      mainOrganization: ws.organization.id,
      datasets: tDatasets,
      country: recipient.country,
      storageCountry: recipient.storageCountry ?? recipient.country,
      path: decision.path,
      personsYearToDate: ytd.persons,
      sensitivePersonsYearToDate: ytd.sensitivePersons,
    }, periods);

    const hasPI = volume.persons > 0 || volume.sensitivePersons > 0;
    const duties: string[] = [];
    if (hasPI) duties.push('PI-2: notify individuals of the recipient, purpose, method and PI categories; obtain separate consent where consent is the basis', 'PI-5: PI protection impact assessment before the transfer (keep 3 years)');
    if (hasPI && decision.path === 'exempt') duties.push('PATH-SC-4: the exemption removes the mechanism, not the PIPL duties');
    if (decision.path === 'security-assessment') duties.push('SA-1: self-assessment before declaring; declare through the domestic legal entity (PROC-2)');
    if (decision.path === 'standard-contract-or-certification') duties.push('SC-2: file the standard contract within 10 working days of it taking effect, with the PIPIA; or CERT-3/CERT-4 certification');
    const legalReview = [...decision.legalReview];
    if (HK_MO_TW.has(recipient.country)) legalReview.push(`OUT-4: recipient in ${recipient.country}, treated as outbound (UNCONFIRMED)`);
    for (const r of results) {
      for (const f of r.findings) if (f.binding && f.confidence === 'recalled' && f.fact !== 'level') legalReview.push(`${f.rule} (${r.id}) rests on a recalled text: needs_legal_check`);
      if (r.facts.surveyingMappingData === true) legalReview.push(`IMP-DA-G6 (${r.id}): surveying & mapping data needs the statutory approval or map review before declaring (UNCONFIRMED)`);
    }

    transferResults.push({
      id: transfer.id,
      date: transfer.date,
      organization: entity.id,
      recipient: transfer.recipient,
      country: recipient.country,
      datasets: transfer.datasets,
      kind: transfer.kind,
      status: transfer.status,
      path: decision.path,
      exemption: decision.exemption,
      rules: [...new Set([OUT_RULE[transfer.kind], ...decision.rules])],
      packs: [national.id, choice.pack.id],
      containsImportantData: results.some((r) => r.important),
      volume,
      yearToDate: {
        ...ytd,
        counted: decision.counted || settings.countExemptTransfers,
        excludingExempt: { ...counter.excludingExempt },
        includingExempt: { ...counter.all },
      },
      splitting: decision.splitting,
      claims: decision.claims,
      covered: cov.covered,
      coveredBy: cov.coveredBy,
      missing: cov.missing,
      legalReview: [...new Set(legalReview)],
      duties,
      explanation: decision.why,
    });
  }

  // PATH-SC-3 hindsight: once a group's total for a scenario reaches SA by aggregation, the earlier
  // transfers that made it up are flagged for review (once per group, year and scenario).
  const byId = new Map(transferResults.map((t) => [t.id, t]));
  const flagged = new Set<string>();
  for (const t of transferResults) {
    if (!t.splitting) continue;
    const key = `${t.splitting.group}|${yearOf(t.date)}|${t.splitting.scenario}`;
    if (flagged.has(key)) continue;
    flagged.add(key);
    for (const earlier of groupTotals.get(key)?.transfers ?? []) {
      const e = byId.get(earlier);
      if (e && !e.splitting && e.date <= t.date) {
        e.legalReview.push(`PATH-SC-3: part of group ${t.splitting.group}'s ${t.splitting.scenario} transfers whose ${yearOf(t.date)} total reached a security assessment at ${t.id}`);
      }
    }
  }

  const byPath: Record<TransferPath, number> = { 'security-assessment': 0, 'standard-contract-or-certification': 0, exempt: 0, prohibited: 0 };
  for (const t of transferResults) byPath[t.path]++;
  const actions: string[] = [];
  for (const t of transferResults) {
    if (t.path === 'prohibited') actions.push(`${t.id}: prohibited — ${t.missing[0]}`);
    else if (!t.covered) actions.push(`${t.id}: needs ${t.missing[0]}`);
  }
  for (const d of datasetResults) {
    for (const c of d.factComparison) if (c.understated) actions.push(`${d.id}: declared ${c.fact} = ${c.declared} understates the measured ${c.measured}`);
    for (const w of d.warnings) actions.push(`${d.id}: ${w}`);
  }
  const transferIds = new Set(transferResults.map((t) => t.id));
  return {
    asOf: input.asOf,
    organization: { id: ws.organization.id, name: ws.organization.name, ciio: ws.organization.ciio, ftz: ws.organization.ftz ? `${ws.organization.ftz.zone}:${ws.organization.ftz.list}` : null },
    packs: [...packUse.values()].map(({ choice, usedBy }) => ({
      id: choice.pack.id,
      title: choice.pack.title.en,
      effective: choice.pack.effective,
      status: choice.pack.status,
      usedBy: [...usedBy].filter((u) => u === 'datasets' || transferIds.has(u)),
      reason: choice.reason === 'earliest' ? `no automobile pack was in force on some dates; the earliest (${choice.pack.id}) was applied` : choice.reason,
    })),
    settings,
    overrides: describeOverrides(ws.overrides, [...NATIONAL_PACKS, ...AUTO_PACKS]),
    datasets: datasetResults,
    transfers: transferResults,
    summary: {
      datasets: datasetResults.length,
      important: datasetResults.filter((d) => d.level === 'important').length,
      core: datasetResults.filter((d) => d.level === 'core').length,
      transfers: transferResults.length,
      byPath,
      uncovered: transferResults.filter((t) => !t.covered).length,
      prohibited: byPath.prohibited,
      advisories: datasetResults.reduce((n, d) => n + d.advisories.length, 0),
      legalReview: transferResults.filter((t) => t.legalReview.length > 0).length,
    },
    ledger: input.ledger ? { source: input.ledger.source, recordedTransfers: input.ledger.entries.length } : null,
    actions,
  };
}

interface DecideArgs {
  transfer: Transfer;
  entity: Entity;
  results: DatasetResult[];
  tDatasets: Dataset[];
  ytd: CounterState;
  volume: CounterState;
  increment: CounterState;
  choice: PackChoice;
  ctx: PackContext;
  national: RulePack;
  thresholds: PathThresholds;
  lists: NegativeList[];
  groupKeys: string[];
  groupTotals: Map<string, { state: CounterState; entities: Set<string>; transfers: string[] }>;
  settings: Workspace['settings'];
}

function decide(a: DecideArgs): Decision {
  const { transfer, entity, results, ytd, volume, thresholds, choice, ctx } = a;
  const hasPI = volume.persons > 0 || volume.sensitivePersons > 0;
  const hasSensitive = volume.sensitivePersons > 0;
  const settings = a.settings;
  let claims: ClaimCheck[] = [];
  const decision = (path: TransferPath, rules: string[], why: { en: string; zh: string }, extra: Partial<Decision> = {}): Decision => ({
    path,
    exemption: null,
    rules,
    why,
    legalReview: [],
    splitting: null,
    counted: true,
    claims,
    ...extra,
  });

  // Core data never leaves (IMP-GEN-6).
  const core = results.filter((r) => r.level === 'core');
  if (core.length) return decision('prohibited', ['IMP-GEN-6', ...new Set(core.flatMap((r) => r.findings.map((f) => f.rule)))], both('why.core', { datasets: core.map((r) => r.id).join(', ') }));

  // Important data: catalogue findings, year-to-date rules (DRAFT-J12), the FTZ negative list.
  const important = bindingSummary(results);
  let importantWhy: { en: string; zh: string } | null = important.ids ? both('why.important', { datasets: important.ids, findings: important.findings }) : null;
  const importantRules = [...important.rules];
  const ytdRules = ctx.rules.filter((r) => r.scope === 'year-to-date' && r.binding);
  for (const rule of ytdRules) {
    const relevant = results.some((r) => !rule.dataTypes || rule.dataTypes.includes(r.dataType));
    if (!relevant) continue;
    const hits = evaluateRule(rule, { chargingConsumptionPersonsYTD: ytd.chargingConsumptionPersons }, () => 'year-to-date');
    if (hits.length && !importantRules.includes(rule.id)) {
      importantRules.push(rule.id);
      importantWhy ??= both('why.important-ytd', { value: ytd.chargingConsumptionPersons, threshold: String(hits[0]!.threshold), rule: rule.id });
    }
  }
  const listHits = entity.ftz ? results.flatMap((r) => r.negativeListHits) : [];
  if (listHits.length) {
    importantRules.push('FTZ-3');
    importantWhy ??= both('why.ftz-list', { list: listHits[0]!.list, items: [...new Set(listHits.map((h) => h.item))].join(', ') });
  }
  const containsImportant = importantRules.length > 0;

  // Exemption claims, checked against the facts.
  claims = transfer.exemptionClaims.map((c) =>
    checkClaim(c, { national: a.national, auto: choice.pack, datasets: a.tDatasets, results, persons: volume.persons, sensitivePersons: volume.sensitivePersons, containsImportantData: containsImportant }),
  );
  const supported = claims.find((c) => c.supported);
  const legalReview: string[] = claims.filter((c) => !c.supported).map((c) => `unsupported exemption claim ${c.claim}: ${c.reason}`);

  if (supported?.rule) {
    const rule = supported.rule;
    if (containsImportant && PI_ONLY_EXEMPTIONS.has(rule)) {
      return decision('security-assessment', ['PATH-SA-1', 'EXEMPT-8', ...importantRules], both('why.claim-not-important', { rule, datasets: important.ids || 'the data', findings: important.findings || importantRules.join(', ') }), { legalReview });
    }
    if (containsImportant && AUTO_EXEMPTIONS.has(rule)) {
      const exemptIt = settings.autoExemptionForImportantData === 'exempt';
      const why = both('why.auto-important', { rule, outcome: exemptIt ? 'exempt' : 'security assessment' });
      legalReview.push('Q-3 / EXEMPT-AUTO-4: automobile exemption claimed for important data');
      return exemptIt
        ? decision('exempt', [rule, 'EXEMPT-AUTO-4', ...importantRules], why, { exemption: rule, legalReview, counted: false })
        : decision('security-assessment', ['PATH-SA-1', 'EXEMPT-AUTO-4', ...importantRules], why, { legalReview });
    }
    return decision('exempt', [rule, 'EXEMPT-8'], both('why.claim', { rule, reason: supported.reason }), { exemption: rule, legalReview, counted: false });
  }

  if (containsImportant) return decision('security-assessment', ['PATH-SA-1', 'CNT-7', ...importantRules], importantWhy!, { legalReview });
  if (entity.ciio && hasPI) return decision('security-assessment', ['PATH-SA-4', 'CNT-8'], both('why.ciio'), { legalReview });
  if (entity.ftz && !listHits.length) {
    return decision('exempt', ['EXEMPT-7', 'FTZ-1'], both('why.ftz-off-list', { zone: entity.ftz.zone }), { exemption: 'EXEMPT-7', legalReview, counted: false });
  }
  if (!hasPI) return decision('exempt', ['FREE-1'], both('why.free'), { exemption: 'FREE-1', legalReview });

  // Volume bands (CNT-4: the highest outcome across the counters this transfer touches).
  const sa = saTrigger(ytd, hasSensitive, thresholds);
  if (sa) return decision('security-assessment', [sa.rule, 'CNT-2', 'CNT-3', 'PATH-SA-6', 'CNT-10'], sa.why, { legalReview });

  // PATH-SC-3: the same group's entities together reaching the SA band for the same scenario.
  for (const key of a.groupKeys) {
    const g = a.groupTotals.get(key);
    if (!g) continue;
    const entitiesWithThis = new Set([...g.entities, entity.id]);
    if (entitiesWithThis.size < 2) continue;
    const aggregate = add(g.state, a.increment);
    const hit = saTrigger(aggregate, hasSensitive, thresholds);
    if (hit) {
      const [group, , scenario] = key.split('|') as [string, string, string];
      const value = hit.rule === 'PATH-SA-2' ? aggregate.persons : aggregate.sensitivePersons;
      return decision(
        'security-assessment',
        ['PATH-SC-3', hit.rule, 'CNT-5', 'CNT-2'],
        both('why.splitting', { group, value, scenario, entities: [...entitiesWithThis].join(', '), rule: hit.rule }),
        { legalReview, splitting: { group, scenario, entities: [...entitiesWithThis], yearToDate: aggregate } },
      );
    }
  }

  const sc = thresholds.scPersons;
  if (compare(ytd.persons, sc.comparator, sc.threshold)) {
    return decision('standard-contract-or-certification', ['PATH-SC-1', 'CNT-2', 'CNT-3', 'CNT-10'], both('why.sc-persons', { value: ytd.persons, threshold: String(sc.threshold) }), { legalReview });
  }
  const scs = thresholds.scSensitivePersons;
  if (hasSensitive && compare(ytd.sensitivePersons, scs.comparator, scs.threshold)) {
    return decision('standard-contract-or-certification', ['PATH-SC-2', 'CNT-2', 'CNT-3'], both('why.sc-sensitive', { value: ytd.sensitivePersons }), { legalReview });
  }
  return decision('exempt', ['EXEMPT-6', 'CNT-2', 'CNT-10'], both('why.low-volume', { value: ytd.persons, threshold: String(sc.threshold) }), { exemption: 'EXEMPT-6', legalReview });
}

function saTrigger(state: CounterState, hasSensitive: boolean, thresholds: PathThresholds): { rule: string; why: { en: string; zh: string } } | null {
  const p = thresholds.saPersons;
  if (compare(state.persons, p.comparator, p.threshold)) return { rule: 'PATH-SA-2', why: both('why.sa-persons', { value: state.persons, threshold: String(p.threshold), rule: 'PATH-SA-2' }) };
  const s = thresholds.saSensitivePersons;
  if (hasSensitive && compare(state.sensitivePersons, s.comparator, s.threshold)) {
    return { rule: 'PATH-SA-3', why: both('why.sa-sensitive', { value: state.sensitivePersons, threshold: String(s.threshold), rule: 'PATH-SA-3' }) };
  }
  return null;
}
