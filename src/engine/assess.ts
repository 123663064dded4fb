/**
 * The assessment engine: a pure function of the workspace, the rule packs, the ledger's baseline, the
 * measured evidence and the as-of date. Data identification, then path determination for each transfer
 * in date order (PROC-1), then whether an approval covers it; then the checks that need the whole year
 * (PATH-SC-3 splitting across a group's entities) and the ledger cross-check.
 *
 * `prepare()` does everything that does not depend on a transfer (rules in force, classifications) once,
 * so the server can judge one transfer against live counters without redoing it (`judgeTransfer`).
 */
import { yearOf } from '../model/dates.js';
import type { Approval, Dataset, Entity, NegativeList, Recipient, Transfer, Workspace } from '../model/workspace.js';
import { AUTO_PACKS, BUILT_IN_NEGATIVE_LISTS, NATIONAL_PACKS, canonicalScenario, selectPack, type PackChoice } from '../rules/index.js';
import type { LifecyclePeriods, PathThresholds, RulePack } from '../rules/types.js';
import { msg, type Msg } from '../i18n/index.js';
import { classifyDataset } from './classify.js';
import { Counters, LedgerIndex, add, growthOf, isZero, markCounted, max, overlapAdjusted, same, sub, zero, type YearCounter } from './counting.js';
import { ScopedCoverage } from './coverage.js';
import { approvalValidity, type ApprovalValidity } from './validity.js';
import { checkClaims, type ClaimOutcome } from './claims.js';
import { PATH_RANK, bandOf, bandWhy, decidePath, pathScope, thresholdsReached, type PathDecision, type PathScope } from './decide.js';
import { describeOverrides, effectiveRules, type EffectiveRule } from './effective-rules.js';
import {
  ASSESS_SCHEMA,
  type AssessInput,
  type AssessReport,
  type CountingMethod,
  type CounterState,
  type DatasetResult,
  type LedgerBaseline,
  type LedgerFinding,
  type OrganizationYear,
  SPLITTING_LISTED,
  type PackUse,
  type TransferPath,
  type TransferResult,
} from './types.js';

const HK_MO_TW = new Set(['HK', 'MO', 'TW']);
const OUT_RULE: Record<Transfer['kind'], string> = { transmit: 'OUT-1', 'remote-access': 'OUT-2', 'offshore-processing': 'OUT-3' };

/** Per-pack rules and dataset classifications, computed once and reused by every transfer. */
class PackContext {
  readonly rules: EffectiveRule[];
  private readonly classified = new Map<string, DatasetResult>();

  constructor(
    readonly pack: RulePack,
    private readonly prepared: PreparedWorkspace,
  ) {
    this.rules = effectiveRules(pack, prepared.workspace.overrides, prepared.workspace.settings);
  }

  classify(dataset: Dataset, entity: Entity): DatasetResult {
    const key = `${dataset.id}|${entity.id}`;
    let r = this.classified.get(key);
    if (!r) {
      r = classifyDataset(dataset, {
        pack: this.pack,
        rules: this.rules,
        settings: this.prepared.workspace.settings,
        entity,
        measured: this.prepared.measured?.[dataset.id],
        list: this.prepared.listOf(entity),
      });
      this.classified.set(key, r);
    }
    return r;
  }
}

/** Everything about a workspace that does not depend on one transfer. */
export class PreparedWorkspace {
  readonly workspace: Workspace;
  readonly measured: AssessInput['measured'];
  readonly calendar: AssessInput['calendar'];
  readonly national: RulePack;
  readonly thresholds: PathThresholds;
  readonly periods: LifecyclePeriods;
  readonly entities: Map<string, Entity>;
  readonly datasets: Map<string, Dataset>;
  readonly recipients: Map<string, Recipient>;
  private readonly lists: Map<string, NegativeList>;
  private readonly contexts = new Map<string, PackContext>();
  private readonly validities = new Map<Approval, ApprovalValidity>();
  /** The pack of the report's datasets table (the one in force on the as-of date), when there is a report. */
  reportPack: RulePack | null = null;

  constructor(input: Pick<AssessInput, 'workspace' | 'measured' | 'calendar'>) {
    const ws = input.workspace;
    this.workspace = ws;
    this.measured = input.measured;
    this.calendar = input.calendar;
    this.national = NATIONAL_PACKS[0]!;
    this.thresholds = this.national.pathThresholds!;
    this.periods = this.national.periods!;
    this.entities = new Map([ws.organization, ...ws.affiliates].map((e) => [e.id, e]));
    this.datasets = new Map(ws.datasets.map((d) => [d.id, d]));
    this.recipients = new Map(ws.recipients.map((r) => [r.id, r]));
    // A workspace list with a built-in id fills a user-filled list (Chongqing, Fujian).
    this.lists = new Map([...BUILT_IN_NEGATIVE_LISTS, ...ws.negativeLists].map((l) => [l.id, l]));
  }

  listOf(entity: Entity): NegativeList | undefined {
    return entity.ftz ? this.lists.get(entity.ftz.list) : undefined;
  }

  autoChoice(date: string, pin?: string): PackChoice {
    const choice = selectPack(AUTO_PACKS, date, pin ?? this.workspace.rulePack);
    // Pins are validated when the workspace is checked; a bad pin here is a programming error.
    if (!choice) throw new Error(`unknown rule pack ${pin ?? this.workspace.rulePack}`);
    return choice;
  }

  nationalChoice(date: string): PackChoice {
    return selectPack(NATIONAL_PACKS, date)!;
  }

  context(pack: RulePack): PackContext {
    let ctx = this.contexts.get(pack.id);
    if (!ctx) this.contexts.set(pack.id, (ctx = new PackContext(pack, this)));
    return ctx;
  }

  /** An approval's validity, computed once (it depends on the approval, the periods and the calendar only). */
  readonly validity = (approval: Approval): ApprovalValidity => {
    let v = this.validities.get(approval);
    if (!v) this.validities.set(approval, (v = approvalValidity(approval, this.periods, this.calendar)));
    return v;
  };

  entityOf(transfer: Transfer): Entity {
    return this.entities.get(transfer.organization ?? this.workspace.organization.id) ?? this.workspace.organization;
  }
}

export function prepare(input: Pick<AssessInput, 'workspace' | 'measured' | 'calendar'>): PreparedWorkspace {
  return new PreparedWorkspace(input);
}

/** What one transfer's judgement needs from the counters, and what it leaves for the whole-year passes. */
export interface Judged {
  result: TransferResult;
  decision: PathDecision;
  residual: Dataset[];
  /** Persons this transfer adds to its group's aggregate (PATH-SC-3). */
  contribution: CounterState;
  /** The datasets it counted and their sizes (empty when it was not counted). */
  countedSizes: { id: string; size: CounterState }[];
  hasSensitive: boolean;
}

export interface CounterView {
  /** Persons the ledger shows sent in the year up to this transfer's date (and the as-of date). */
  ledger: CounterState;
  year: YearCounter;
  /**
   * No transfer is judged after this one on `year` (the decision engine's question): its datasets'
   * largest sizes are not recorded, so the engine can lend the maps it keeps per place.
   */
  last?: boolean;
}

const sizeOf = (r: DatasetResult): CounterState => ({ persons: r.personalInfo.persons, sensitivePersons: r.personalInfo.sensitivePersons, chargingConsumptionPersons: r.personalInfo.chargingConsumptionPersons });

/**
 * What a transfer's judgement takes from its scope alone — organisation, datasets, recipient, purpose,
 * claims, retention abroad, date and pack pin — and not from any count or the ledger: the packs,
 * classifications, claim checks, sizes, the candidate approvals, what the path decision needs of the
 * data, and the legal-review notes that follow the path decision's own. `assess` builds one per
 * transfer; the decision engine keeps it per scope, so a question that differs from an earlier one only
 * in its counts starts here (decide-one.ts).
 */
export interface TransferScope {
  entity: Entity;
  choice: PackChoice;
  rules: EffectiveRule[];
  datasets: Dataset[];
  results: DatasetResult[];
  recipient: Recipient;
  claims: ClaimOutcome;
  residualResults: DatasetResult[];
  residual: Dataset[];
  sumAll: CounterState;
  residualSum: CounterState;
  /** No claim took a dataset out (the mechanism is judged on the transfer's own volume). */
  whole: boolean;
  /** Everything counts toward the year's totals (the counted volume is the transfer's own). */
  countedWhole: boolean;
  sizes: { id: string; size: CounterState }[];
  allSizes: { id: string; size: CounterState }[];
  /** The packs applied, as the result lists them (interned). */
  packIds: string[];
  /** Which approvals could cover it, per path, with the gaps that do not depend on the counts. */
  coverage: ScopedCoverage;
  /** What its path decision takes from the scope (core data, claims, important data, FTZ lists). */
  path: PathScope;
  /** Legal-review notes after the path decision's: pack status, OUT-4, recalled findings, measurement, mapping. */
  reviewTail: Msg[];
  levelsOnDate: NonNullable<TransferResult['levelsOnDate']>;
}

export function transferScope(p: PreparedWorkspace, transfer: Transfer): TransferScope {
  const settings = p.workspace.settings;
  const entity = p.entityOf(transfer);
  const choice = p.autoChoice(transfer.date, transfer.rulePack);
  const ctx = p.context(choice.pack);
  const nationalChoice = p.nationalChoice(transfer.date);
  const datasets = transfer.datasets.map((id) => p.datasets.get(id)!);
  const results = datasets.map((d) => ctx.classify(d, entity));
  const recipient = p.recipients.get(transfer.recipient)!;

  // Exemption claims, per dataset.
  const claims = checkClaims(transfer.exemptionClaims, { national: p.national, auto: choice.pack, settings, datasets, results });
  const residualResults = results.filter((r) => !claims.exempted.has(r.id));
  const residual = datasets.filter((d) => !claims.exempted.has(d.id));
  // The part that counts toward the year's totals: the residual, or everything when exempt transfers count.
  const countedResults = settings.countExemptTransfers ? results : residualResults;

  const reviewTail: Msg[] = [];
  // Pack status: say when a draft stands in for the law, or a transfer predates the pack applied.
  if (choice.reason === 'draft') reviewTail.push(msg('review.draft-pack', { pack: choice.pack.id, title: choice.pack.title, date: transfer.date }));
  if (choice.reason === 'before-effective') reviewTail.push(msg('review.auto-before-effective', { pack: choice.pack.id, title: choice.pack.title, date: transfer.date, effective: choice.pack.effective }));
  if (nationalChoice.reason === 'before-effective') reviewTail.push(msg('review.national-before-effective', { pack: nationalChoice.pack.id, title: nationalChoice.pack.title, date: transfer.date, effective: nationalChoice.pack.effective }));
  if (HK_MO_TW.has(recipient.country)) reviewTail.push(msg('review.out-4', { country: recipient.country }));
  for (const r of residualResults) {
    for (const f of r.findings) if (f.binding && f.confidence === 'recalled') reviewTail.push(msg('review.recalled-finding', { rule: f.rule, dataset: r.id }));
    reviewTail.push(...(r.measurementReview ?? []));
    if (r.facts.surveyingMappingData === true) reviewTail.push(msg('review.mapping', { dataset: r.id }));
  }

  return {
    entity,
    choice,
    rules: ctx.rules,
    datasets,
    results,
    recipient,
    claims,
    residualResults,
    residual,
    sumAll: results.reduce((acc, r) => add(acc, sizeOf(r)), zero()),
    residualSum: residualResults.reduce((acc, r) => add(acc, sizeOf(r)), zero()),
    whole: residual.length === datasets.length,
    countedWhole: countedResults.length === results.length,
    sizes: countedResults.map((r) => ({ id: r.id, size: sizeOf(r) })),
    allSizes: results.map((r) => ({ id: r.id, size: sizeOf(r) })),
    packIds: intern([p.national.id, choice.pack.id]),
    coverage: scopedCoverage(p, transfer, entity, recipient, residual),
    path: pathScope({ entity, all: results, residual: residualResults, exempted: claims.exempted, list: p.listOf(entity) }),
    reviewTail,
    // A dataset judged under another pack on the transfer's date than in the datasets table: say which.
    levelsOnDate: p.reportPack && p.reportPack.id !== choice.pack.id ? levelsDiffering(p, p.reportPack, choice.pack, datasets, results, entity) : [],
  };
}

/**
 * Judge one transfer and update its organisation's year counter. Pure apart from the counter it is
 * given; `assess` calls it in date order, the server with its live counters. `scope`: the transfer's
 * `transferScope`, when the caller keeps it (it must be of a transfer with the same scope).
 */
export function judgeTransfer(p: PreparedWorkspace, transfer: Transfer, view: CounterView, ledgerIndex: LedgerIndex, exactNew?: CounterState, scope: TransferScope = transferScope(p, transfer)): Judged {
  const settings = p.workspace.settings;
  const { entity, choice, results, residualResults, residual, claims, sumAll, sizes, allSizes } = scope;
  const legalReview: Msg[] = [...claims.legalReview];

  // This transfer's persons: what it declares or measures, never below what the ledger recorded for it.
  const declaredAll = transfer.persons !== undefined || transfer.sensitivePersons !== undefined || transfer.chargingConsumptionPersons !== undefined;
  const stated: CounterState = {
    persons: transfer.persons ?? sumAll.persons,
    sensitivePersons: transfer.sensitivePersons ?? sumAll.sensitivePersons,
    chargingConsumptionPersons: transfer.chargingConsumptionPersons ?? sumAll.chargingConsumptionPersons,
  };
  const entry = ledgerIndex.entry(entity.id, transfer.id);
  const recordedVolume: CounterState | null = entry ? { persons: entry.volume.persons, sensitivePersons: entry.volume.sensitivePersons, chargingConsumptionPersons: entry.volume.chargingConsumptionPersons } : null;
  const volume = recordedVolume ? max(stated, recordedVolume) : stated;
  if (recordedVolume && !same(recordedVolume, stated)) {
    legalReview.push(msg('review.ledger-volume-differs', { recorded: recordedVolume.persons, recordedSensitive: recordedVolume.sensitivePersons, stated: stated.persons, statedSensitive: stated.sensitivePersons }));
  }
  // The part of the volume that the mechanism is judged on: the datasets no claim took out.
  const residualVolume = scope.whole ? volume : scope.residualSum;
  // The part that counts toward the year's totals: the same, or everything when exempt transfers count.
  const countedWhole = scope.countedWhole;
  const countedVolume = countedWhole ? volume : scope.residualSum;

  // What it adds to the year-to-date counts (CNT-1), before knowing whether it counts (CNT-6).
  const year = view.year;
  let method: CountingMethod;
  let increment: CounterState;
  if (entry) {
    // Counted by the ledger on its date; a record that holds fewer persons than declared adds the rest.
    method = 'ledger-recorded';
    increment = sub(countedVolume, recordedVolume!);
  } else if (exactNew && countedWhole) {
    method = 'exact-hashes';
    increment = { ...exactNew };
  } else if (declaredAll && countedWhole) {
    method = 'transfer-declared';
    increment = countedVolume;
  } else {
    method = 'dataset-once-per-year';
    increment = growthOf(year.countedMax, sizes);
  }
  const incrementAll = entry ? sub(volume, recordedVolume!) : growthOf(year.allMax, allSizes);
  const inc = overlapAdjusted(increment, settings.sensitiveOverlap);
  const workspaceBefore = { ...year.effective };
  const ytd = add(add(view.ledger, workspaceBefore), inc);
  const chargingYtdAll = view.ledger.chargingConsumptionPersons + year.all.chargingConsumptionPersons + incrementAll.chargingConsumptionPersons;

  const decision = decidePath({
    entity,
    pack: choice.pack,
    rules: scope.rules,
    thresholds: p.thresholds,
    settings,
    all: results,
    residual: residualResults,
    exempted: claims.exempted,
    volume: residualVolume,
    ytd,
    chargingYtdAll,
    list: p.listOf(entity),
  }, scope.path);
  legalReview.push(...decision.legalReview);
  if (decision.path === 'security-assessment' && claims.refusedForImportant.length) decision.rules.push(...claims.refusedForImportant);

  // Count it (CNT-6: exempt-situation transfers only if configured; both totals are kept).
  const counts = decision.counted || settings.countExemptTransfers;
  if (counts) {
    year.effective = add(year.effective, inc);
    if (!view.last) markCounted(year.countedMax, sizes);
  }
  if (decision.counted) year.excludingExempt = add(year.excludingExempt, inc);
  year.all = add(year.all, overlapAdjusted(incrementAll, settings.sensitiveOverlap));
  if (!view.last) markCounted(year.allMax, allSizes);
  legalReview.push(...scope.reviewTail);

  const levelsOnDate = scope.levelsOnDate;
  if (levelsOnDate.length) {
    decision.why = msg('law.why.levels-on-date', {
      why: decision.why,
      date: transfer.date,
      levels: levelsOnDate.map((l) => msg('law.level-on-date', { dataset: l.dataset, pack: l.pack, level: msg(`level.${l.level}`), reportPack: l.reportPack, reportLevel: msg(`level.${l.reportLevel}`) })),
    });
  }

  const result = finishTransfer(p, transfer, entity, scope.recipient, decision, {
    packs: scope.packIds,
    coverage: scope.coverage,
    volume,
    counted: countedAs(counts ? inc : ZERO, counts ? method : 'not-counted', method === 'exact-hashes'),
    ytd,
    before: { ledger: view.ledger, workspace: workspaceBefore },
    counter: year,
    view,
    claims: claims.checks,
    exempted: claims.exempted,
    residual,
    legalReview,
    entry: entry ? { forced: entry.forced, recordedVolume: recordedVolume! } : null,
  });
  if (levelsOnDate.length) result.levelsOnDate = levelsOnDate;
  const contribution = overlapAdjusted(entry ? countedVolume : increment, settings.sensitiveOverlap);
  return { result, decision, residual, contribution: counts ? contribution : zero(), countedSizes: counts ? sizes : [], hasSensitive: residualVolume.sensitivePersons > 0 };
}

/**
 * `{ ...c, method }`, written out (the spread was ~4% of a new decision's time in the decision bench's
 * profile) — but for a caller's `exactNew`, which may carry more than the three counters and keeps
 * them, as the report always has.
 */
function countedAs(c: CounterState, method: CountingMethod, foreign: boolean): TransferResult['counted'] {
  if (foreign) return { ...c, method };
  return { persons: c.persons, sensitivePersons: c.sensitivePersons, chargingConsumptionPersons: c.chargingConsumptionPersons, method };
}

function levelsDiffering(p: PreparedWorkspace, reportPack: RulePack, pack: RulePack, datasets: Dataset[], results: DatasetResult[], entity: Entity): NonNullable<TransferResult['levelsOnDate']> {
  const out: NonNullable<TransferResult['levelsOnDate']> = [];
  datasets.forEach((d, i) => {
    const reportLevel = p.context(reportPack).classify(d, entity).level;
    const level = results[i]!.level;
    if (level !== reportLevel) out.push({ dataset: d.id, pack: pack.id, level, reportPack: reportPack.id, reportLevel });
  });
  return out;
}

interface FinishArgs {
  packs: string[];
  coverage: ScopedCoverage;
  volume: CounterState;
  counted: TransferResult['counted'];
  ytd: CounterState;
  before: { ledger: CounterState; workspace: CounterState };
  counter: YearCounter;
  view: CounterView;
  claims: TransferResult['claims'];
  exempted: Map<string, string>;
  residual: Dataset[];
  legalReview: Msg[];
  entry: { forced: boolean; recordedVolume: CounterState } | null;
}

function finishTransfer(p: PreparedWorkspace, transfer: Transfer, entity: Entity, recipient: Recipient, decision: PathDecision, a: FinishArgs): TransferResult {
  const cov = a.coverage.of(decision.path, a.ytd.persons, a.ytd.sensitivePersons);
  const hasPI = a.volume.persons > 0 || a.volume.sensitivePersons > 0;
  return {
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
    rules: intern(withFirst(OUT_RULE[transfer.kind], decision.rules)),
    packs: a.packs,
    containsImportantData: decision.containsImportantData,
    volume: a.volume,
    counted: a.counted,
    // Written out, not `{ ...a.ytd, counted, ... }`: a spread followed by more properties was a quarter
    // of a new decision's time (V8's slow path; decision bench profile). `ytd` is always add()'s three.
    yearToDate: {
      persons: a.ytd.persons,
      sensitivePersons: a.ytd.sensitivePersons,
      chargingConsumptionPersons: a.ytd.chargingConsumptionPersons,
      counted: a.counted.method !== 'not-counted',
      before: isZero(a.before.ledger) ? { ledger: ZERO, workspace: a.before.workspace } : a.before,
      excludingExempt: add(a.view.ledger, a.counter.excludingExempt),
      includingExempt: add(a.view.ledger, a.counter.all),
      thresholdsReached: intern(thresholdsReached(a.ytd, p.thresholds)),
    },
    splitting: null,
    exemptedDatasets: a.exempted.size ? [...a.exempted].map(([dataset, rule]) => ({ dataset, rule })) : (NONE as unknown as TransferResult['exemptedDatasets']),
    claims: a.claims.length ? a.claims : (NONE as unknown as TransferResult['claims']),
    covered: cov.covered,
    coveredBy: cov.coveredBy,
    missing: cov.missing.length ? cov.missing : (NONE as unknown as Msg[]),
    legalReview: a.legalReview.length || cov.notes.length ? dedupe([...a.legalReview, ...cov.notes]) : (NONE as unknown as Msg[]),
    duties: duties(decision.path, hasPI),
    ledger: a.entry ? { recorded: true, forced: a.entry.forced, recordedVolume: a.entry.recordedVolume } : NOT_RECORDED,
    explanation: decision.why,
  };
}

/** A transfer's coverage, prepared for its scope (see ScopedCoverage). */
function scopedCoverage(p: PreparedWorkspace, transfer: Transfer, entity: Entity, recipient: Recipient, residual: Dataset[]): ScopedCoverage {
  const subject = {
    transfer,
    organization: entity.id,
    organizationGroup: entity.group,
    mainOrganization: p.workspace.organization.id,
    datasets: residual,
    country: recipient.country,
    storageCountry: recipient.storageCountry ?? recipient.country,
  };
  return new ScopedCoverage(p.workspace.approvals, subject, p.periods, p.calendar, p.validity);
}

function coverageOf(p: PreparedWorkspace, transfer: Transfer, entity: Entity, recipient: Recipient, path: TransferPath, residual: Dataset[], ytd: CounterState) {
  return scopedCoverage(p, transfer, entity, recipient, residual).of(path, ytd.persons, ytd.sensitivePersons);
}

/**
 * PIPL duties that remain whatever the mechanism (PATH-SC-4), and the mechanism's own first steps. The
 * lists are the same for every transfer of a path: one frozen list each (a million transfers share them).
 */
const DUTIES = { pi: new Map<TransferPath, readonly Msg[]>(), none: new Map<TransferPath, readonly Msg[]>() };
function duties(path: TransferPath, hasPI: boolean): Msg[] {
  // Two maps by path, not one by a `${path}|${hasPI}` key: building that key was ~5% of a new decision's time.
  const byPath = hasPI ? DUTIES.pi : DUTIES.none;
  let list = byPath.get(path);
  if (!list) {
    const out: Msg[] = [];
    if (hasPI) out.push(msg('duty.notice-consent'), msg('duty.pipia'));
    if (hasPI && path === 'exempt') out.push(msg('duty.exempt-keeps-pipl'));
    if (path === 'security-assessment') out.push(msg('duty.self-assessment'));
    if (path === 'standard-contract-or-certification') out.push(msg('duty.sc-filing'));
    byPath.set(path, (list = Object.freeze(out)));
  }
  return list as Msg[];
}

/** `[...new Set([first, ...rest])]` without the set (~8% of a new decision's time): the lists are a few rules. */
function withFirst(first: string, rest: string[]): string[] {
  const out = [first];
  for (const r of rest) if (!out.includes(r)) out.push(r);
  return out;
}

function dedupe(list: Msg[]): Msg[] {
  const seen = new Set<string>();
  return list.filter((m) => {
    const k = JSON.stringify(m);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Everything of a report but its transfers and what is counted over them. */
export type AssessHead = Omit<AssessReport, 'transfers' | 'summary' | 'ledger' | 'actions'>;
export type AssessTail = Pick<AssessReport, 'summary' | 'ledger' | 'actions'>;

/**
 * What a report counts over its transfers, fed one transfer at a time (a million transfers need not be
 * held to count them): paths, coverage, actions, and the ledger cross-check, which keeps only the
 * transfers the ledger holds an entry for.
 */
class Tally {
  private readonly byPath: Record<TransferPath, number> = { 'security-assessment': 0, 'standard-contract-or-certification': 0, exempt: 0, prohibited: 0 };
  private transfers = 0;
  private uncovered = 0;
  private legalReview = 0;
  private readonly actions: Msg[] = [];
  private readonly recorded = new Map<string, TransferResult>();

  constructor(private readonly ledger: LedgerIndex) {}

  add(t: TransferResult): void {
    this.transfers++;
    this.byPath[t.path]++;
    if (!t.covered) this.uncovered++;
    if (t.legalReview.length > 0) this.legalReview++;
    if (t.path === 'prohibited') this.actions.push(msg('action.prohibited', { transfer: t.id }));
    else if (!t.covered) this.actions.push(msg('action.uncovered', { transfer: t.id, needed: msg(`missing.${t.path}`) }));
    if (this.ledger.entry(t.organization, t.id)) this.recorded.set(`${t.organization}|${t.id}`, t);
  }

  finish(datasets: DatasetResult[], baseline: LedgerBaseline | undefined): AssessTail {
    const findings = crossCheckLedger(this.ledger, this.recorded);
    const actions = [...this.actions];
    for (const d of datasets) {
      for (const c of d.factComparison) if (c.understated) actions.push(msg('action.understated', { dataset: d.id, fact: msg(`fact.${c.fact}`), declared: c.declared, measured: c.measured }));
      for (const w of d.warnings) actions.push(msg('action.dataset', { dataset: d.id, warning: w }));
    }
    for (const f of findings) actions.push(msg('action.ledger', { entry: f.entry, finding: f.message }));
    return {
      summary: {
        datasets: datasets.length,
        important: datasets.filter((d) => d.level === 'important').length,
        core: datasets.filter((d) => d.level === 'core').length,
        transfers: this.transfers,
        byPath: { ...this.byPath },
        uncovered: this.uncovered,
        prohibited: this.byPath.prohibited,
        advisories: datasets.reduce((n, d) => n + d.advisories.length, 0),
        legalReview: this.legalReview,
        ledgerFindings: findings.length,
      },
      ledger: baseline ? { source: baseline.source, recordedTransfers: this.ledger.entries.length, findings } : null,
      actions,
    };
  }
}

/** The summary of a list of transfers (a narrowed report counts its own). */
export function summarize(datasets: DatasetResult[], transfers: TransferResult[], ledgerFindings: LedgerFinding[]): AssessReport['summary'] {
  const tally = new Tally(new LedgerIndex(undefined, '9999-12-31'));
  for (const t of transfers) tally.add(t);
  return { ...tally.finish(datasets, undefined).summary, ledgerFindings: ledgerFindings.length };
}

/**
 * PATH-SC-3's group aggregates, gathered one judged transfer at a time (no transfer held): per group,
 * year and kind, the total, the entities, how many parts and the first of them.
 */
class GroupAggregates {
  readonly groups = new Map<string, SplitView & { entitySet: Set<string> }>();

  constructor(private readonly p: PreparedWorkspace) {}

  add(j: Judged): void {
    for (const { group, kind, key } of splittingKeys(this.p, j)) {
      let g = this.groups.get(key);
      if (!g) this.groups.set(key, (g = { group, kind, total: zero(), entities: [], entitySet: new Set(), parts: 0, transfers: [] }));
      g.total = add(g.total, j.contribution);
      if (!g.entitySet.has(j.result.organization)) {
        g.entitySet.add(j.result.organization);
        g.entities.push(j.result.organization);
      }
      g.parts++;
      if (g.transfers.length < SPLITTING_LISTED) g.transfers.push(j.result.id);
    }
  }

  /** Raise a judged transfer to its aggregates' band, where they reach a higher one. */
  apply(j: Judged, transfer: Transfer): void {
    for (const { key } of splittingKeys(this.p, j)) {
      const g = this.groups.get(key);
      if (g) raiseBySplitting(this.p, j, transfer, g);
    }
  }
}

interface Pass {
  p: PreparedWorkspace;
  ledgerIndex: LedgerIndex;
  head: AssessHead;
  groups: GroupAggregates | null;
}

/** Step 1 and the first pass over the transfers: everything but the transfers' final results. */
function firstPass(input: AssessInput, keep: boolean): Pass & { judged: Judged[] } {
  const ws: Workspace = input.workspace;
  const p = prepare(input);
  const ledgerIndex = new LedgerIndex(input.ledger, input.asOf);
  const packUse = new Map<string, { choice: PackChoice; usedBy: Set<string> }>();
  const markUsed = (choice: PackChoice, user: string) => {
    const use = packUse.get(choice.pack.id) ?? { choice, usedBy: new Set<string>() };
    if (PATH_RANK_REASON[choice.reason] > PATH_RANK_REASON[use.choice.reason]) use.choice = choice;
    use.usedBy.add(user);
    packUse.set(choice.pack.id, use);
  };

  // 1. Data identification under the pack in force on the as-of date.
  const asOfChoice = p.autoChoice(input.asOf);
  markUsed(asOfChoice, 'datasets');
  const datasetResults = ws.datasets.map((d) => p.context(asOfChoice.pack).classify(d, ws.organization));
  p.reportPack = asOfChoice.pack;
  /** Pack id -> dataset id -> the transfers that carried it under that pack (for levelsByPack). */
  const carried = new Map<string, Map<string, string[]>>();

  // 2. Path per transfer, in date order, with year-to-date counters per organisation and year; the
  //    group aggregates of PATH-SC-3 gathered on the way.
  const asOfYear = yearOf(input.asOf);
  const snapshot = new Map<string, CounterState>();
  const groups = ws.settings.splittingCheck === 'off' ? null : new GroupAggregates(p);
  const judged: Judged[] = [];
  for (const { j, transfer, year } of judgeEach(p, ws.transfers, ledgerIndex, input.ledger?.newPersonsByTransfer)) {
    const transferPack = p.autoChoice(transfer.date, transfer.rulePack).pack;
    markUsed(p.autoChoice(transfer.date, transfer.rulePack), transfer.id);
    if (transferPack.id !== asOfChoice.pack.id) {
      const byDataset = carried.get(transferPack.id) ?? new Map<string, string[]>();
      carried.set(transferPack.id, byDataset);
      for (const id of new Set(transfer.datasets)) {
        const list = byDataset.get(id) ?? [];
        if (list.length < SPLITTING_LISTED) list.push(transfer.id);
        byDataset.set(id, list);
      }
    }
    markUsed(p.nationalChoice(transfer.date), transfer.id);
    if (yearOf(transfer.date) === asOfYear && transfer.date <= input.asOf) snapshot.set(j.result.organization, { ...year.effective });
    groups?.add(j);
    if (keep) judged.push(j);
  }

  // The datasets table shows, per dataset, its level under the other packs its transfers were judged by.
  for (const [packId, byDataset] of carried) {
    const ctx = p.context(AUTO_PACKS.find((k) => k.id === packId)!);
    datasetResults.forEach((r, i) => {
      const transfersOf = byDataset.get(r.id);
      if (!transfersOf) return;
      const level = ctx.classify(ws.datasets[i]!, ws.organization).level;
      if (level !== r.level) datasetResults[i] = { ...r, levelsByPack: [...(r.levelsByPack ?? []), { pack: packId, level, transfers: transfersOf }] };
    });
  }

  // Year-to-date per organisation on the as-of date, with where the numbers come from.
  const organizations: OrganizationYear[] = [...p.entities.keys()].map((organization) => {
    const ledger = ledgerIndex.through(organization, asOfYear, input.asOf);
    const workspace = snapshot.get(organization) ?? zero();
    const yearToDate = add(ledger, workspace);
    return {
      organization,
      year: asOfYear,
      yearToDate,
      sources: { ledger, workspace },
      thresholds: { scPersons: p.thresholds.scPersons.threshold as number, saPersons: p.thresholds.saPersons.threshold as number, saSensitivePersons: p.thresholds.saSensitivePersons.threshold as number },
      thresholdsReached: thresholdsReached(yearToDate, p.thresholds),
    };
  });
  const packs: PackUse[] = [...packUse.values()].map(({ choice, usedBy }) => ({
    id: choice.pack.id,
    title: choice.pack.title,
    effective: choice.pack.effective,
    status: choice.pack.status,
    usedBy: [...usedBy],
    reason: choice.reason,
    notes: packNotes(choice),
  }));
  const head: AssessHead = {
    schema: ASSESS_SCHEMA,
    asOf: input.asOf,
    organization: { id: ws.organization.id, name: ws.organization.name, ciio: ws.organization.ciio, ftz: ws.organization.ftz ? `${ws.organization.ftz.zone}:${ws.organization.ftz.list}` : null },
    packs,
    settings: ws.settings,
    overrides: describeOverrides(ws.overrides, [...NATIONAL_PACKS, ...AUTO_PACKS]),
    datasets: datasetResults,
    organizations,
    warnings: packs.flatMap((u) => u.notes),
  };
  return { p, ledgerIndex, head, groups, judged };
}

/** The report as one value (the workspace's transfers held in memory: every surface but the largest outputs). */
export function assess(input: AssessInput): AssessReport {
  const { p, ledgerIndex, head, groups, judged } = firstPass(input, true);
  // 3. PATH-SC-3: every part of a group's split transfers needs the aggregate's mechanism.
  const transfers = new Map(p.workspace.transfers.map((t) => [t.id, t]));
  const tally = new Tally(ledgerIndex);
  const results = judged.map((j) => {
    groups?.apply(j, transfers.get(j.result.id)!);
    tally.add(j.result);
    return j.result;
  });
  const { summary, ledger, actions } = tally.finish(head.datasets, input.ledger);
  return { schema: head.schema, asOf: head.asOf, organization: head.organization, packs: head.packs, settings: head.settings, overrides: head.overrides, datasets: head.datasets, transfers: results, organizations: head.organizations, summary, ledger, warnings: head.warnings, actions };
}

/**
 * The same report without holding its transfers (for workspaces of a million transfers): the first pass
 * keeps only what the whole year needs (group aggregates, counts); `transfers()` judges them again in
 * date order and yields each final result; `tail()` is ready once `transfers()` has been read to the end.
 * `assess()` and a drained stream give the same report (a property test holds them to it).
 */
export interface AssessmentStream {
  head: AssessHead;
  transfers(): Generator<TransferResult>;
  tail(): AssessTail;
}

export function assessStream(input: AssessInput): AssessmentStream {
  const { p, ledgerIndex, head, groups } = firstPass(input, false);
  let finished: AssessTail | null = null;
  return {
    head,
    *transfers() {
      const tally = new Tally(ledgerIndex);
      for (const { j, transfer } of judgeEach(p, p.workspace.transfers, ledgerIndex, input.ledger?.newPersonsByTransfer)) {
        groups?.apply(j, transfer);
        tally.add(j.result);
        yield j.result;
      }
      finished = tally.finish(head.datasets, input.ledger);
    },
    tail() {
      if (!finished) throw new Error('assessStream: read transfers() to the end before tail()');
      return finished;
    },
  };
}

/** The report's counts (also of a selection of it: `assess --transfer`, src/report/select.ts). */

/** Date order: by date, then id (a requested transfer sorts after every id of its day, see decide-one.ts). */
export const orderKey = (t: { date: string; id: string }) => `${t.date}\u0000${t.id}`;

/**
 * Judge transfers in date order against the year counters, calling `observe` after each with the
 * counter it updated (assess records the as-of snapshot; the decision engine its timelines).
 */
export function* judgeEach(
  p: PreparedWorkspace,
  transfers: readonly Transfer[],
  ledgerIndex: LedgerIndex,
  exact: LedgerBaseline['newPersonsByTransfer'],
): Generator<{ j: Judged; transfer: Transfer; year: YearCounter }> {
  const counters = new Counters();
  const ordered = [...transfers].sort((a, b) => (a.date === b.date ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.date < b.date ? -1 : 1));
  for (const transfer of ordered) {
    const entity = p.entityOf(transfer);
    const year = counters.get(entity.id, yearOf(transfer.date));
    const view = { ledger: ledgerIndex.through(entity.id, yearOf(transfer.date), transfer.date), year };
    const e = exact?.[transfer.id];
    const j = judgeTransfer(p, transfer, view, ledgerIndex, e ? { ...e } : undefined);
    yield { j, transfer, year };
  }
}

export function judgeInOrder(
  p: PreparedWorkspace,
  transfers: readonly Transfer[],
  ledgerIndex: LedgerIndex,
  exact: LedgerBaseline['newPersonsByTransfer'],
  observe?: (j: Judged, transfer: Transfer, year: YearCounter) => void,
): Judged[] {
  const judged: Judged[] = [];
  for (const { j, transfer, year } of judgeEach(p, transfers, ledgerIndex, exact)) {
    observe?.(j, transfer, year);
    judged.push(j);
  }
  return judged;
}

/** Which reason to show when a pack is used for several: the one a reader most needs to see. */
const PATH_RANK_REASON: Record<PackChoice['reason'], number> = { 'in-force': 0, pinned: 1, draft: 2, 'before-effective': 3 };

export function packNotes(choice: PackChoice): Msg[] {
  if (choice.reason === 'draft') return [msg('pack.draft-applied', { pack: choice.pack.id, title: choice.pack.title })];
  if (choice.reason === 'before-effective') return [msg('pack.before-effective', { pack: choice.pack.id, title: choice.pack.title, effective: choice.pack.effective })];
  return [];
}

/** A group's transfers of one kind in one year (PATH-SC-3). */
export interface GroupAggregate {
  group: string;
  kind: string;
  parts: Judged[];
  total: CounterState;
  entities: Set<string>;
}

/** The kinds a transfer's counted PI falls under, for the splitting check (or none). */
export function splittingKeys(p: PreparedWorkspace, j: Pick<Judged, 'result' | 'residual' | 'contribution'>): { group: string; kind: string; key: string }[] {
  return isZero(j.contribution) ? [] : splittingKinds(p, j.result.organization, j.residual, yearOf(j.result.date));
}

/** The same for a transfer that contributes persons (what the decision engine keeps per question's place). */
export function splittingKinds(p: PreparedWorkspace, organization: string, residual: Dataset[], year: number): { group: string; kind: string; key: string }[] {
  const mode = p.workspace.settings.splittingCheck;
  const entity = p.entities.get(organization);
  if (mode === 'off' || !entity?.group) return [];
  const kinds = mode === 'group' ? ['*'] : [...new Set(residual.map((d) => canonicalScenario(d.scenario)))];
  return kinds.map((kind) => ({ group: entity.group!, kind, key: `${entity.group}|${year}|${kind}` }));
}

export function groupAggregates(p: PreparedWorkspace, judged: Judged[]): Map<string, GroupAggregate> {
  const groups = new Map<string, GroupAggregate>();
  for (const j of judged) {
    for (const { group, kind, key } of splittingKeys(p, j)) {
      const g = groups.get(key) ?? { group, kind, parts: [], total: zero(), entities: new Set<string>() };
      g.parts.push(j);
      g.total = add(g.total, j.contribution);
      g.entities.add(j.result.organization);
      groups.set(key, g);
    }
  }
  return groups;
}

/**
 * Raise one part to the aggregate's band when the group's entities together reach a higher one. Parts
 * judged on their volume are raised; exemptions by claim, FREE-1, FTZ lists and prohibited transfers are
 * not volume questions and stay as they are.
 */
/**
 * Lists that recur across many transfers (rule ids, pack ids) are shared, not copied: at a million
 * transfers a copy each is most of the report's memory. Shared lists are frozen.
 */
interface InternNode {
  list?: readonly string[];
  next?: Map<string, InternNode>;
}
let INTERNED: InternNode = {};
let internedLists = 0;
/**
 * A trie by item, not a map by the joined list: the items are the same few rule and pack ids, so the
 * lookup builds no string (joining and hashing a key per list was ~12% of a new decision's time).
 */
function intern(list: string[]): string[] {
  if (internedLists > 10_000) {
    INTERNED = {}; // never unbounded
    internedLists = 0;
  }
  let node = INTERNED;
  for (const item of list) {
    node.next ??= new Map();
    let n = node.next.get(item);
    if (!n) node.next.set(item, (n = {}));
    node = n;
  }
  if (!node.list) {
    internedLists++;
    node.list = Object.freeze(list);
  }
  return node.list as string[];
}
const NONE: readonly never[] = Object.freeze([]);
const ZERO: CounterState = Object.freeze(zero());
const NOT_RECORDED: TransferResult['ledger'] = Object.freeze({ recorded: false, forced: false, recordedVolume: null });

/** What every raised part of one aggregate shares (one object for all of them, not one each). */
export interface SplitView {
  group: string;
  kind: string;
  total: CounterState;
  entities: string[];
  parts: number;
  transfers: string[];
  shared?: Map<TransferPath, { splitting: NonNullable<TransferResult['splitting']>; explanation: Msg; review: Msg }>;
}

export function raiseBySplitting(p: PreparedWorkspace, part: Judged, transfer: Transfer, g: SplitView): void {
  if (g.entities.length < 2) return;
  const r = part.result;
  const byVolume = r.rules.some((x) => x === 'EXEMPT-6' || x === 'PATH-SC-1' || x === 'PATH-SC-2');
  if (!byVolume) return;
  const band = bandOf(g.total, part.hasSensitive, p.thresholds);
  if (PATH_RANK[band.path] <= PATH_RANK[r.path]) return;
  const entity = p.entities.get(r.organization)!;
  const recipient = p.recipients.get(r.recipient)!;
  const cov = coverageOf(p, transfer, entity, recipient, band.path, part.residual, r.yearToDate);
  const { group, kind, entities } = g;
  g.shared ??= new Map();
  let shared = g.shared.get(band.path);
  if (!shared) {
    shared = {
      splitting: { group, kind, entities, parts: g.parts, transfers: g.transfers.slice(0, SPLITTING_LISTED), yearTotal: g.total, path: band.path },
      explanation: msg('why.splitting', { group, kind: kind === '*' ? msg('splitting.all-kinds') : kind, entities, band: bandWhy(band.rules, g.total, p.thresholds), path: msg(`path.${band.path}`) }),
      review: msg('review.splitting', { group, entities, persons: g.total.persons }),
    };
    g.shared.set(band.path, shared);
  }
  r.path = band.path;
  r.exemption = null;
  r.rules = [...new Set([r.rules[0]!, 'PATH-SC-3', 'CNT-5', ...band.rules, 'CNT-2', ...r.rules.slice(1).filter((x) => x !== 'EXEMPT-6')])];
  r.splitting = shared.splitting;
  r.explanation = shared.explanation;
  r.legalReview = dedupe([...r.legalReview, shared.review, ...cov.notes]);
  r.covered = cov.covered;
  r.coveredBy = cov.coveredBy;
  r.missing = cov.missing;
  r.duties = duties(band.path, true);
}


/** Ledger entries the workspace does not account for: undeclared, prohibited, uncovered, forced, different volume. */
function crossCheckLedger(ledger: LedgerIndex, byKey: Map<string, TransferResult>): LedgerFinding[] {
  const findings: LedgerFinding[] = [];
  for (const e of ledger.entries) {
    const t = byKey.get(`${e.organization}|${e.id}`);
    const finding = (kind: LedgerFinding['kind'], message: Msg) => findings.push({ entry: e.id, organization: e.organization, date: e.date, kind, message });
    if (e.forced) finding('forced', msg('ledger.forced', { entry: e.id }));
    if (!t) {
      finding('undeclared', msg('ledger.undeclared', { entry: e.id, organization: e.organization, date: e.date }));
      continue;
    }
    if (t.path === 'prohibited') finding('prohibited', msg('ledger.prohibited', { entry: e.id }));
    else if (!t.covered) finding('uncovered', msg('ledger.uncovered', { entry: e.id, date: e.date, needed: msg(`missing.${t.path}`) }));
    const recorded = t.ledger.recordedVolume;
    if (recorded && recorded.persons < t.volume.persons) finding('volume-differs', msg('ledger.volume-below', { entry: e.id, recorded: recorded.persons, stated: t.volume.persons }));
  }
  return findings;
}

export type { AssessInput, AssessReport };
