/**
 * The decision: "may this transfer go now?", judged by the same engine as `assess` — this module is the
 * one place that knows how.
 *
 * How: the engine's DecisionEngine (src/engine/decide-one.ts) prepares, once per workspace revision
 * (and evidence measurement), everything that does not depend on the question — classifications, the
 * year counters along the workspace's transfers in date order, the group aggregates of PATH-SC-3 — and
 * then judges one transfer in place exactly as `assess` would judge it among the workspace's transfers
 * (a property test holds it to that). The ledger's baseline is swapped in whenever LiveLedger changes.
 * A transfer the workspace does not declare is judged after every workspace transfer of its day (the
 * conservative order: on everything the workspace plans for that day).
 */
import { DecisionEngine, REQUESTED_ID as ENGINE_REQUESTED_ID, withoutId } from '../engine/decide-one.js';
import type { AssessReport, CounterState, LedgerBaseline, MeasuredDataset, TransferResult, WorkingDayCalendar } from '../engine/types.js';
import type { ExemptionClaim, Transfer } from '../model/workspace.js';
import type { LiveLedger } from './live-ledger.js';
import type { WorkspaceSnapshot } from './workspace-state.js';

/** Sorts after every workspace id on the same date (ids start with a letter or digit). */
const REQUESTED_ID = ENGINE_REQUESTED_ID;

export interface TransferQuestion {
  /** A workspace transfer this is (judged in its place, on `date`); absent for a transfer the workspace does not declare. */
  transferId?: string;
  organization: string;
  datasets: string[];
  recipient: string;
  kind: Transfer['kind'];
  purpose: string;
  /** The transfer's date in China. */
  date: string;
  exemptionClaims: ExemptionClaim[];
  channel?: string;
  retentionAbroadMonths?: number;
  /** Declared distinct persons of this transfer (otherwise the datasets' declared or measured persons). */
  persons?: number;
  sensitivePersons?: number;
  chargingConsumptionPersons?: number;
  /** Exact new persons, when the caller sent keyed hashes (de-duplicated against the ledger). */
  exactNew?: CounterState;
}

export interface Judgement {
  allow: boolean;
  /** The engine's result for the requested transfer (its id is the decision's, set by the caller). */
  transfer: Omit<TransferResult, 'id'>;
  /** Rule packs applied to it. */
  packs: AssessReport['packs'];
  settings: AssessReport['settings'];
  overrides: AssessReport['overrides'];
}

/**
 * The ledger baseline as the requested transfer needs it: the engine treats a workspace transfer whose
 * id is in the ledger as already counted, so only entries whose id names a workspace transfer matter
 * besides the day counts; the gateway's own entries (decision ids) are left out of that list, which
 * keeps each judgement independent of how many executions the ledger holds.
 */
class BaselineView {
  private cached: { version: number; revision: string; view: LedgerBaseline } | null = null;

  get(live: LiveLedger, snapshot: WorkspaceSnapshot): LedgerBaseline {
    if (this.cached && this.cached.version === live.version && this.cached.revision === snapshot.revision) return this.cached.view;
    const ids = new Set(snapshot.loaded.workspace.transfers.map((t) => t.id));
    const b = live.baseline;
    const view: LedgerBaseline = { source: b.source, days: b.days, entries: b.entries.filter((e) => ids.has(e.id)) };
    this.cached = { version: live.version, revision: snapshot.revision, view };
    return view;
  }
}

/** Engines per workspace revision and evidence measurement (one per automobile pack in use). */
const NO_EVIDENCE = {};

/**
 * Judgements already made, per engine and ledger version: a gate asks the same few questions (the
 * same datasets, recipient and counts, on the same day) over and over, and the engine is a pure
 * function of the prepared workspace, the ledger's counters and the question, so a repeated question
 * is answered from here. An execution changes the ledger (a new version), a reload the workspace (a new
 * engine): both start an empty memo. Bounded, so varied questions cannot grow it without limit.
 */
const MEMO_LIMIT = 4096;

interface HeldEngine {
  engine: DecisionEngine;
  ledgerVersion: number;
  memo: Map<string, Judgement>;
}

/** The question as a memo key: every field the judgement depends on, in a fixed order. */
function questionKey(q: TransferQuestion): string {
  return JSON.stringify([
    q.transferId ?? null,
    q.organization,
    q.datasets,
    q.recipient,
    q.kind,
    q.purpose,
    q.date,
    q.exemptionClaims,
    q.channel ?? null,
    q.retentionAbroadMonths ?? null,
    q.persons ?? null,
    q.sensitivePersons ?? null,
    q.chargingConsumptionPersons ?? null,
    q.exactNew ?? null,
  ]);
}

export class Decider {
  private readonly views = new BaselineView();
  private revision: string | null = null;
  private engines = new WeakMap<object, HeldEngine>();

  private engineFor(snapshot: WorkspaceSnapshot, live: LiveLedger, inputs: { measured?: Record<string, MeasuredDataset> | undefined; calendar?: WorkingDayCalendar }): HeldEngine {
    if (this.revision !== snapshot.revision) {
      this.revision = snapshot.revision;
      this.engines = new WeakMap();
    }
    const key = inputs.measured ?? NO_EVIDENCE;
    let held = this.engines.get(key);
    const view = this.views.get(live, snapshot);
    if (!held) {
      const engine = new DecisionEngine({ workspace: snapshot.loaded.workspace, ...(inputs.measured ? { measured: inputs.measured } : {}), ...(inputs.calendar ? { calendar: inputs.calendar } : {}) }, view);
      this.engines.set(key, (held = { engine, ledgerVersion: live.version, memo: new Map() }));
    } else if (held.ledgerVersion !== live.version) {
      held.engine.setLedger(view);
      held.ledgerVersion = live.version;
      held.memo = new Map();
    }
    return held;
  }

  /** The judgement of a question (shared between answers: callers must not change it). */
  judge(snapshot: WorkspaceSnapshot, live: LiveLedger, inputs: { measured?: Record<string, MeasuredDataset> | undefined; calendar?: WorkingDayCalendar }, q: TransferQuestion): Judgement {
    const held = this.engineFor(snapshot, live, inputs);
    const key = questionKey(q);
    let j = held.memo.get(key);
    if (!j) {
      j = this.judgeNow(snapshot, held.engine, q);
      if (held.memo.size >= MEMO_LIMIT) held.memo.clear();
      held.memo.set(key, j);
    }
    return j;
  }

  private judgeNow(snapshot: WorkspaceSnapshot, engine: DecisionEngine, q: TransferQuestion): Judgement {
    const ws = snapshot.loaded.workspace;
    const declared = q.transferId !== undefined ? ws.transfers.find((t) => t.id === q.transferId) : undefined;
    // Optional fields assigned, not spread in: `...(cond ? { x } : {})` takes V8's slow path, and this
    // with the result's copy below was a fifth of a new decision's time in the decision bench.
    const requested: Transfer = {
      id: declared?.id ?? REQUESTED_ID,
      date: q.date,
      organization: q.organization,
      kind: q.kind,
      datasets: q.datasets,
      recipient: q.recipient,
      purpose: q.purpose,
      exemptionClaims: q.exemptionClaims,
      status: declared?.status ?? 'planned',
    };
    if (declared?.rulePack) requested.rulePack = declared.rulePack;
    if (q.persons !== undefined) requested.persons = q.persons;
    if (q.sensitivePersons !== undefined) requested.sensitivePersons = q.sensitivePersons;
    if (q.chargingConsumptionPersons !== undefined) requested.chargingConsumptionPersons = q.chargingConsumptionPersons;
    if (q.channel !== undefined) requested.channel = q.channel;
    if (q.retentionAbroadMonths !== undefined) requested.retentionAbroadMonths = q.retentionAbroadMonths;
    const { result: t, packs } = engine.judge(requested, q.exactNew);
    const transfer = withoutId(t);
    return {
      // allow only when the data is not prohibited and the path is exempt or an approval covers this
      // scope, on this date, with the year-to-date count after this transfer (the engine's `covered`).
      allow: t.path !== 'prohibited' && t.covered,
      transfer,
      packs,
      settings: ws.settings,
      overrides: engine.overrides,
    };
  }
}
