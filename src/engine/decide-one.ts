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
 * The ledger's days change with every execution: `setLedger` swaps the prefix sums. When an entry for a
 * workspace transfer appears or disappears, that transfer's counting changes (ledger-recorded), so the
 * pass is run again.
 */
import { yearOf } from '../model/dates.js';
import type { Transfer } from '../model/workspace.js';
import { groupAggregates, judgeInOrder, judgeTransfer, orderKey, packNotes, prepare, raiseBySplitting, splittingKeys, type GroupAggregate, type Judged, type PreparedWorkspace } from './assess.js';
import { describeOverrides } from './effective-rules.js';
import { AUTO_PACKS, NATIONAL_PACKS } from '../rules/index.js';
import { LedgerIndex, YearCounter, add, isZero, overlapAdjusted, sub, zero } from './counting.js';
import { SPLITTING_LISTED, type AppliedOverride, type AssessInput, type CounterState, type LedgerBaseline, type PackUse, type TransferResult } from './types.js';

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

export class DecisionEngine {
  readonly prepared: PreparedWorkspace;
  /** The organisation's overrides, as every report shows them. */
  readonly overrides: AppliedOverride[];
  private ledger!: LedgerIndex;
  private recordedWorkspaceIds = '';
  private timelines = new Map<string, Timeline>();
  private datasets = new Map<string, DatasetTimeline>();
  private groups = new Map<string, GroupAggregate>();
  /** Each workspace transfer's contribution to its group aggregates, to take it out when it is asked again. */
  private contributions = new Map<string, CounterState>();
  /**
   * CNT-1 (a dataset counts once a year): the first counted transfer carrying each dataset, per
   * organisation and year. A question placed before it takes that dataset's count from it.
   */
  private firstCarriers = new Map<string, { key: string; transfer: string; size: CounterState }>();

  constructor(private readonly input: Pick<AssessInput, 'workspace' | 'measured' | 'calendar'>, ledger?: LedgerBaseline) {
    this.prepared = prepare(input);
    this.overrides = describeOverrides(input.workspace.overrides, [...NATIONAL_PACKS, ...AUTO_PACKS]);
    this.setLedger(ledger);
  }

  /** A new ledger baseline (after executions): swap the prefix sums; re-run the pass only when needed. */
  setLedger(baseline: LedgerBaseline | undefined): void {
    // The decision's own date cuts every count; the as-of date of the index is open-ended.
    this.ledger = new LedgerIndex(baseline, '9999-12-31');
    const ids = new Set(this.input.workspace.transfers.map((t) => t.id));
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
    this.groups = groupAggregates(p, judged);
    for (const j of judged) this.contributions.set(j.result.id, j.contribution);
  }

  /**
   * Judge one transfer: a workspace transfer in its own place (same id), or a new one after the
   * workspace's transfers of its date. `exactNew`: persons it adds beyond the ledger, when its keyed
   * hashes are known.
   */
  judge(transfer: Transfer, exactNew?: CounterState): OneJudgement {
    const p = this.prepared;
    const entity = p.entityOf(transfer);
    const y = yearOf(transfer.date);
    const key = orderKey(transfer);
    const declared = p.workspace.transfers.some((t) => t.id === transfer.id);

    // The counters just before this transfer's place in date order.
    const year = new YearCounter();
    const tl = this.timelines.get(`${entity.id}|${y}`);
    const i = tl ? before(tl.keys, key) : -1;
    if (tl && i >= 0) {
      year.effective = { ...tl.effective[i]! };
      year.all = { ...tl.all[i]! };
      year.excludingExempt = { ...tl.excludingExempt[i]! };
    }
    for (const id of new Set(transfer.datasets)) {
      const dt = this.datasets.get(`${entity.id}|${y}|${id}`);
      const k = dt ? before(dt.keys, key) : -1;
      if (dt && k >= 0) {
        year.countedMax.set(id, dt.counted[k]!);
        year.allMax.set(id, dt.all[k]!);
      }
    }
    const view = { ledger: this.ledger.through(entity.id, y, transfer.date), year };
    const j = judgeTransfer(p, transfer, view, this.ledger, exactNew);

    // PATH-SC-3: the year's aggregate of its kind, with this transfer's contribution in place of the old.
    if (p.workspace.settings.splittingCheck !== 'off') {
      const old = declared ? (this.contributions.get(transfer.id) ?? zero()) : zero();
      // Later transfers that first carried one of this transfer's datasets now count it no more.
      const taken = new Map<string, CounterState>();
      if (!declared) {
        for (const { id, size } of j.countedSizes) {
          const first = this.firstCarriers.get(`${entity.id}|${y}|${id}`);
          if (!first || first.key < key) continue;
          taken.set(first.transfer, add(taken.get(first.transfer) ?? zero(), overlapAdjusted(size, p.workspace.settings.sensitiveOverlap)));
        }
      }
      for (const { key: gk, group, kind } of splittingKeys(p, j)) {
        const g = this.groups.get(gk);
        const others = (g?.parts ?? []).filter((x) => x.result.id !== transfer.id && !(taken.has(x.result.id) && isZero(sub(x.contribution, taken.get(x.result.id)!))));
        let total = add(sub(g?.total ?? zero(), declared && g?.parts.some((x) => x.result.id === transfer.id) ? old : zero()), j.contribution);
        for (const part of g?.parts ?? []) {
          const t = taken.get(part.result.id);
          if (t) total = sub(total, t);
        }
        // In date order, as the whole-year pass lists them.
        const parts = [...others.map((x) => ({ key: orderKey(x.result), id: x.result.id, org: x.result.organization })), { key, id: transfer.id, org: entity.id }].sort((u, v) => (u.key < v.key ? -1 : u.key > v.key ? 1 : 0));
        const entities = [...new Set(parts.map((x) => x.org))];
        raiseBySplitting(p, j, transfer, { group, kind, total, entities, parts: parts.length, transfers: parts.slice(0, SPLITTING_LISTED).map((x) => x.id) });
      }
    }
    return { result: j.result, packs: this.packsOf(transfer) };
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
