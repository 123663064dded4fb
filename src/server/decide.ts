/**
 * The decision: "may this transfer go now?", judged by the same engine as `assess` — this module is the
 * one place that knows how, so that switching to a prepared fast path in src/engine later touches only
 * this file.
 *
 * How, today: the requested transfer is added to the workspace as a planned transfer on its date, and
 * `assess` runs, as of that date, on the workspace's transfers of that calendar year (the counters are
 * per organisation and year, so other years cannot change this one's judgement; later transfers of the
 * same year can, through the group aggregate of PATH-SC-3), with the ledger's baseline kept in memory
 * by LiveLedger. The requested transfer sorts after every workspace transfer of the same day (the
 * conservative order: it is judged on everything the workspace plans for that day).
 *
 * The engine's prepare()/judgeTransfer() split (src/engine/assess.ts) judges one transfer without the
 * whole-year passes (PATH-SC-3); until a one-transfer entry point includes them, the whole `assess`
 * is the only way to get exactly its answer.
 */
import { assess } from '../engine/assess.js';
import type { AssessReport, CounterState, LedgerBaseline, MeasuredDataset, TransferResult, WorkingDayCalendar } from '../engine/types.js';
import { yearOf } from '../model/dates.js';
import type { ExemptionClaim, Transfer } from '../model/workspace.js';
import type { LiveLedger } from './live-ledger.js';
import type { WorkspaceSnapshot } from './workspace-state.js';

/** Sorts after every workspace id on the same date (ids start with a letter or digit). */
const REQUESTED_ID = '\uffffrequested-transfer';

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

export class Decider {
  private readonly views = new BaselineView();

  judge(snapshot: WorkspaceSnapshot, live: LiveLedger, inputs: { measured?: Record<string, MeasuredDataset> | undefined; calendar?: WorkingDayCalendar }, q: TransferQuestion): Judgement {
    const ws = snapshot.loaded.workspace;
    const year = yearOf(q.date);
    const declared = q.transferId !== undefined ? ws.transfers.find((t) => t.id === q.transferId) : undefined;
    const sameYear = (snapshot.transfersByYear.get(year) ?? []).filter((t) => t !== declared);
    const requestedId = declared?.id ?? REQUESTED_ID;
    const requested: Transfer = {
      ...(declared?.rulePack ? { rulePack: declared.rulePack } : {}),
      id: requestedId,
      date: q.date,
      organization: q.organization,
      kind: q.kind,
      datasets: q.datasets,
      recipient: q.recipient,
      purpose: q.purpose,
      exemptionClaims: q.exemptionClaims,
      status: declared?.status ?? 'planned',
      ...(q.persons !== undefined ? { persons: q.persons } : {}),
      ...(q.sensitivePersons !== undefined ? { sensitivePersons: q.sensitivePersons } : {}),
      ...(q.chargingConsumptionPersons !== undefined ? { chargingConsumptionPersons: q.chargingConsumptionPersons } : {}),
      ...(q.channel !== undefined ? { channel: q.channel } : {}),
      ...(q.retentionAbroadMonths !== undefined ? { retentionAbroadMonths: q.retentionAbroadMonths } : {}),
    };
    const view = this.views.get(live, snapshot);
    const ledger: LedgerBaseline = q.exactNew ? { ...view, newPersonsByTransfer: { [requestedId]: q.exactNew } } : view;
    const report = assess({
      workspace: { ...ws, transfers: [...sameYear, requested] },
      asOf: q.date,
      ledger,
      ...(inputs.measured ? { measured: inputs.measured } : {}),
      ...(inputs.calendar ? { calendar: inputs.calendar } : {}),
    });
    const t = report.transfers.find((x) => x.id === requestedId);
    if (!t) throw new Error('the engine did not judge the requested transfer');
    const { id: _id, ...transfer } = t;
    return {
      // allow only when the data is not prohibited and the path is exempt or an approval covers this
      // scope, on this date, with the year-to-date count after this transfer (the engine's `covered`).
      allow: t.path !== 'prohibited' && t.covered,
      transfer,
      packs: report.packs.filter((p) => p.usedBy.includes(requestedId)).map((p) => ({ ...p, usedBy: [] })),
      settings: report.settings,
      overrides: report.overrides,
    };
  }
}
