/**
 * One transfer, judged in microseconds, exactly as `assess` would judge it among the workspace's
 * transfers of its year — for the egress decision API, which asks "may this go now?" many times a
 * second.
 *
 * What does not depend on the question is done once, when the workspace (or the ledger's workspace
 * entries) change: the pack contexts and dataset classifications (`PreparedWorkspace`), and one pass
 * over the workspace's transfers in date order, recording after each transfer its organisation's year
 * counters and the largest size each dataset was counted at (timelines, binary-searched by date), and the
 * group aggregates of PATH-SC-3. A question then costs: the ledger's count up to its date (prefix sums),
 * the counters just before its place in date order, the same `judgeTransfer` as `assess`, and the
 * splitting check against the year's aggregate with its own contribution in place of the old one.
 *
 * What a question fixes besides its counts is kept too: its scope (`TransferScope`: packs,
 * classifications, claim checks, sizes; per workspace) and its place (the counters before it, the
 * ledger's count to its date, its packs; per ledger baseline). A question that differs from an earlier
 * one only in its counts costs the judging of those counts; the splitting check looks up the group's
 * indexed parts (split-index.ts) instead of walking them.
 *
 * The ledger's days change with every execution: `setLedger` swaps the prefix sums (and forgets the
 * places). When an entry for a workspace transfer appears or disappears, that transfer's counting
 * changes (ledger-recorded), so the pass is run again.
 */
import { yearOf } from '../model/dates.js';
import type { Transfer } from '../model/workspace.js';
import { groupAggregates, judgeInOrder, judgeTransfer, orderKey, packNotes, prepare, raiseBySplitting, splittingKinds, transferScope, type Judged, type PreparedWorkspace, type TransferScope } from './assess.js';
import { describeOverrides } from './effective-rules.js';
import { AUTO_PACKS, NATIONAL_PACKS } from '../rules/index.js';
import { LedgerIndex, add, isZero, overlapAdjusted, zero, type YearCounter } from './counting.js';
import { QuestionTrie } from './question-trie.js';
import { IndexedGroup, alone, figuresOf, type PlacedPart } from './split-index.js';
import type { AppliedOverride, AssessInput, CounterState, LedgerBaseline, PackUse, TransferResult } from './types.js';

/** Sorts after every workspace id on its date: a requested transfer is judged after the day's own. */
export const REQUESTED_ID = '\uffff';

interface Timeline {
  keys: string[];
  effective: CounterState[];
  all: CounterState[];
  excludingExempt: CounterState[];
}

interface DatasetTimeline {
  keys: string[];
  counted: CounterState[];
  all: CounterState[];
}

/** The last index whose key is below `key` (-1 when none). */
function before(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < key) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export interface OneJudgement {
  result: TransferResult;
  packs: PackUse[];
}

/** Every key of a result but its id, in the order assess writes them (the compiler checks none is missing). */
const RESULT_KEYS = ['date', 'organization', 'recipient', 'country', 'datasets', 'kind', 'status', 'path', 'exemption', 'rules', 'packs', 'containsImportantData', 'volume', 'counted', 'yearToDate', 'splitting', 'exemptedDatasets', 'claims', 'covered', 'coveredBy', 'missing', 'legalReview', 'duties', 'ledger', 'explanation', 'levelsOnDate'] as const;
const everyKeyListed: [Exclude<keyof TransferResult, 'id' | (typeof RESULT_KEYS)[number]>] extends [never] ? true : never = true;
void everyKeyListed;

/**
 * A result without its id (a decision's id is its own), written out: `const { id, ...rest } = r` copies
 * through V8's runtime, ~1 µs, a fifth of a new decision in the decision bench. Same keys, same order.
 */
export function withoutId(r: TransferResult): Omit<TransferResult, 'id'> {
  const out: Omit<TransferResult, 'id'> = {
    date: r.date,
    organization: r.organization,
    recipient: r.recipient,
    country: r.country,
    datasets: r.datasets,
    kind: r.kind,
    status: r.status,
    path: r.path,
    exemption: r.exemption,
    rules: r.rules,
    packs: r.packs,
    containsImportantData: r.containsImportantData,
    volume: r.volume,
    counted: r.counted,
    yearToDate: r.yearToDate,
    splitting: r.splitting,
    exemptedDatasets: r.exemptedDatasets,
    claims: r.claims,
    covered: r.covered,
    coveredBy: r.coveredBy,
    missing: r.missing,
    legalReview: r.legalReview,
    duties: r.duties,
    ledger: r.ledger,
    explanation: r.explanation,
  };
  if ('levelsOnDate' in r) out.levelsOnDate = r.levelsOnDate!;
  return out;
}

/**
 * Everything a question's judgement takes from its place — scope (see `TransferScope`), id and date —
 * and not from its counts: the counters just before it, the ledger's count up to its date, its packs.
 * Kept per engine and ledger baseline, so a question that differs from an earlier one only in its
 * counts (a gate's next batch) costs only the judging of those counts.
 */
interface Place {
  scope: TransferScope;
  effective: CounterState;
  all: CounterState;
  excludingExempt: CounterState;
  /** Its datasets' largest sizes so far this year (read only: judged as the last transfer, it adds none). */
  countedMax: ReadonlyMap<string, CounterState>;
  allMax: ReadonlyMap<string, CounterState>;
  ledger: CounterState;
  packs: PackUse[];
  /**
   * PATH-SC-3: its group aggregates with it in, but for its contribution (when it contributes persons):
   * when it is counted, later first carriers of its datasets count them no more; when not, they do.
   */
  splits: { counted: PlacedPart[]; notCounted: PlacedPart[] };
}

const NOTHING_TAKEN: ReadonlyMap<string, CounterState> = new Map();

/** Places kept per engine: bounded (cleared when full), so varied questions cannot grow it without limit. */
const PLACE_LIMIT = 4096;

export class DecisionEngine {
  readonly prepared: PreparedWorkspace;
  /** The organisation's overrides, as every report shows them. */
  readonly overrides: AppliedOverride[];
  private ledger!: LedgerIndex;
  private recordedWorkspaceIds = '';
  private readonly declaredIds: Set<string>;
  private timelines = new Map<string, Timeline>();
  private datasets = new Map<string, DatasetTimeline>();
  private groups = new Map<string, IndexedGroup>();
  /** Each workspace transfer's contribution to its group aggregates, to take it out when it is asked again. */
  private contributions = new Map<string, CounterState>();
  /**
   * CNT-1 (a dataset counts once a year): the first counted transfer carrying each dataset, per
   * organisation and year. A question placed before it takes that dataset's count from it.
   */
  private firstCarriers = new Map<string, { key: string; transfer: string; size: CounterState }>();
  /**
   * Per question asked: its scope, which depends on the workspace only, and its place, valid for the
   * ledger baseline it was found under (the counters before a place change with the ledger).
   */
  private kept = new QuestionTrie<{ scope?: TransferScope; place?: Place; baseline?: number }>(PLACE_LIMIT);
  private baseline = 0;

  constructor(private readonly input: Pick<AssessInput, 'workspace' | 'measured' | 'calendar'>, ledger?: LedgerBaseline) {
    this.prepared = prepare(input);
    this.overrides = describeOverrides(input.workspace.overrides, [...NATIONAL_PACKS, ...AUTO_PACKS]);
    this.declaredIds = new Set(input.workspace.transfers.map((t) => t.id));
    this.setLedger(ledger);
  }

  /** A new ledger baseline (after executions): swap the prefix sums; re-run the pass only when needed. */
  setLedger(baseline: LedgerBaseline | undefined): void {
    // The decision's own date cuts every count; the as-of date of the index is open-ended.
    this.ledger = new LedgerIndex(baseline, '9999-12-31');
    this.baseline++;
    const ids = this.declaredIds;
    const recorded = (baseline?.entries ?? []).filter((e) => ids.has(e.id)).map((e) => `${e.organization}|${e.id}|${e.volume.persons}|${e.volume.sensitivePersons}|${e.volume.chargingConsumptionPersons}`).sort().join('\n');
    if (recorded !== this.recordedWorkspaceIds || this.timelines.size === 0) {
      this.recordedWorkspaceIds = recorded;
      this.pass(baseline);
    }
  }

  private pass(baseline: LedgerBaseline | undefined): void {
    const p = this.prepared;
    this.timelines = new Map();
    this.datasets = new Map();
    this.contributions = new Map();
    this.firstCarriers = new Map();
    const judged = judgeInOrder(p, p.workspace.transfers, this.ledger, baseline?.newPersonsByTransfer, (j, transfer, year) => {
      const org = j.result.organization;
      const y = yearOf(transfer.date);
      const key = orderKey(transfer);
      const tl = this.timelines.get(`${org}|${y}`) ?? { keys: [], effective: [], all: [], excludingExempt: [] };
      tl.keys.push(key);
      tl.effective.push({ ...year.effective });
      tl.all.push({ ...year.all });
      tl.excludingExempt.push({ ...year.excludingExempt });
      this.timelines.set(`${org}|${y}`, tl);
      if (j.result.counted.method === 'dataset-once-per-year') {
        for (const { id, size } of j.countedSizes) {
          const fk = `${org}|${y}|${id}`;
          if (!this.firstCarriers.has(fk) && !isZero(size)) this.firstCarriers.set(fk, { key, transfer: transfer.id, size });
        }
      }
      for (const id of new Set(transfer.datasets)) {
        const dk = `${org}|${y}|${id}`;
        const dt = this.datasets.get(dk) ?? { keys: [], counted: [], all: [] };
        dt.keys.push(key);
        dt.counted.push(year.countedMax.get(id) ?? zero());
        dt.all.push(year.allMax.get(id) ?? zero());
        this.datasets.set(dk, dt);
      }
    });
    this.groups = new Map([...groupAggregates(p, judged)].map(([k, g]) => [k, new IndexedGroup(g)]));
    for (const j of judged) this.contributions.set(j.result.id, j.contribution);
  }

  private placeOf(transfer: Transfer): Place {
    const kept = this.kept.at(transfer, () => ({}));
    if (kept.place && kept.baseline === this.baseline) return kept.place;
    const p = this.prepared;
    const scope = (kept.scope ??= transferScope(p, transfer));
    const entity = scope.entity;
    const declared = this.declaredIds.has(transfer.id);
    const y = yearOf(transfer.date);
    const key = orderKey(transfer);
    // The counters just before this transfer's place in date order.
    const tl = this.timelines.get(`${entity.id}|${y}`);
    const i = tl ? before(tl.keys, key) : -1;
    const countedMax = new Map<string, CounterState>();
    const allMax = new Map<string, CounterState>();
    for (const id of new Set(transfer.datasets)) {
      const dt = this.datasets.get(`${entity.id}|${y}|${id}`);
      const k = dt ? before(dt.keys, key) : -1;
      if (dt && k >= 0) {
        countedMax.set(id, dt.counted[k]!);
        allMax.set(id, dt.all[k]!);
      }
    }
    // Later transfers that first carried one of its datasets count it no more (when it is counted).
    const taken = new Map<string, CounterState>();
    if (!declared) {
      for (const { id, size } of scope.sizes) {
        const first = this.firstCarriers.get(`${entity.id}|${y}|${id}`);
        if (!first || first.key < key) continue;
        taken.set(first.transfer, add(taken.get(first.transfer) ?? zero(), overlapAdjusted(size, p.workspace.settings.sensitiveOverlap)));
      }
    }
    const asked = { id: transfer.id, organization: entity.id, key };
    const old = declared ? (this.contributions.get(transfer.id) ?? zero()) : zero();
    const kinds = splittingKinds(p, entity.id, scope.residual, y);
    const placed = (t: ReadonlyMap<string, CounterState>) =>
      kinds.map(({ group, kind, key: gk }) => {
        const g = this.groups.get(gk);
        return g ? g.place(asked, old, t) : alone(group, kind, asked);
      });
    const counted = placed(taken);
    const place: Place = {
      scope,
      effective: tl && i >= 0 ? tl.effective[i]! : zero(),
      all: tl && i >= 0 ? tl.all[i]! : zero(),
      excludingExempt: tl && i >= 0 ? tl.excludingExempt[i]! : zero(),
      countedMax,
      allMax,
      ledger: this.ledger.through(entity.id, y, transfer.date),
      packs: this.packsOf(transfer),
      splits: { counted, notCounted: taken.size ? placed(NOTHING_TAKEN) : counted },
    };
    kept.place = place;
    kept.baseline = this.baseline;
    return place;
  }

  /**
   * Judge one transfer: a workspace transfer in its own place (same id), or a new one after the
   * workspace's transfers of its date. `exactNew`: persons it adds beyond the ledger, when its keyed
   * hashes are known.
   */
  judge(transfer: Transfer, exactNew?: CounterState): OneJudgement {
    const p = this.prepared;
    const place = this.placeOf(transfer);
    // A fresh counter (judgeTransfer advances it) from the place's figures, lent, not copied: it
    // replaces them and changes none; the maxima maps too, as a transfer judged last records none.
    const year: YearCounter = {
      effective: place.effective,
      all: place.all,
      excludingExempt: place.excludingExempt,
      countedMax: place.countedMax as Map<string, CounterState>,
      allMax: place.allMax as Map<string, CounterState>,
    };
    const view = { ledger: place.ledger, year, last: true };
    const j = judgeTransfer(p, transfer, view, this.ledger, exactNew, place.scope);

    // PATH-SC-3: the year's aggregate of its kind, with this transfer's contribution in place of the old.
    if (!isZero(j.contribution)) {
      for (const placed of j.countedSizes.length ? place.splits.counted : place.splits.notCounted) raiseBySplitting(p, j, transfer, figuresOf(placed, j.contribution));
    }
    return { result: j.result, packs: place.packs };
  }

  private packsOf(transfer: Transfer): PackUse[] {
    const p = this.prepared;
    return [p.nationalChoice(transfer.date), p.autoChoice(transfer.date, transfer.rulePack)].map((choice) => ({
      id: choice.pack.id,
      title: choice.pack.title,
      effective: choice.pack.effective,
      status: choice.pack.status,
      usedBy: [],
      reason: choice.reason,
      notes: packNotes(choice),
    }));
  }
}

export type { Judged };
