/**
 * The decision API behind POST /v1/decisions, POST /v1/executions and the egress gate: check the
 * request against the workspace (unknown names are errors), judge it with the engine (decide.ts), log
 * it (decision-log.ts), and — when it is allowed and the caller executes it — record it in the ledger.
 *
 * Executions are judged and recorded one at a time under the database lock, with the counters read
 * fresh when another process may have written (PostgreSQL), so two concurrent transfers can never both
 * pass a threshold that only one of them fits under; the decision row of an executing request is
 * written in the same transaction as its ledger entry, so neither exists without the other.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { badInput, ChujingError, type ErrorIssue } from '../errors.js';
import { isMsg, msg, type Msg } from '../i18n/index.js';
import type { CounterState } from '../engine/types.js';
import { canonicalJson } from '../ledger/canonical.js';
import { sha256Hex } from '../ledger/sha256.js';
import { chinaDate, chinaYear, newPersonsOf, normaliseTime, recordEntries, type LedgerEntryContent, type RecordOutcome } from '../ledger/index.js';
import type { Approval, Transfer, Workspace } from '../model/workspace.js';
import type { Queryable, Store } from '../store/index.js';
import type { Principal } from './auth.js';
import type { ServerDb } from './db.js';
import { Decider, type Judgement, type TransferQuestion } from './decide.js';
import { sharedJudgement, type DecisionLog, type DecisionRecord, type SharedJudgement, type StoredDecision } from './decision-log.js';
import { HttpError } from './errors.js';
import { declaredSource, hashSource, parseHashes, type PersonHashes } from './hashes.js';
import type { LiveLedger } from './live-ledger.js';
import type { DecisionRequest, ExecutionRequest } from './schemas.js';
import type { WorkspaceSnapshot, WorkspaceState } from './workspace-state.js';

export const DECISION_SCHEMA = 'chujing.decision/1';

export interface DecisionDeps {
  state: WorkspaceState;
  db: ServerDb;
  live: LiveLedger;
  /** null: decisions are not logged (benchmarks only). */
  log: DecisionLog | null;
  key: KeyObject | null;
  keyFingerprint: string | null;
  /** Other processes may write the ledger (PostgreSQL): read the chain heads before each execution. */
  shared: boolean;
  now(): Date;
}

/** Where the request's fields came from, for error fields: `body` or the gate's headers. */
export type FieldNamer = (field: string) => string;

export interface DecisionBody {
  schema: typeof DECISION_SCHEMA;
  id: string;
  decidedAt: string;
  caller: string;
  result: 'allow' | 'deny';
  path: Judgement['transfer']['path'];
  exemption: string | null;
  coveredBy: string | null;
  approval: { id: string; mechanism: string; reference: string | null; status: string } | null;
  rules: string[];
  packs: { id: string; effective: string; status: string }[];
  reasons: Msg[];
  volume: CounterState & { basis: 'hashes' | 'declared' | 'datasets'; hashes: { persons: number; sensitivePersons: number; chargingConsumptionPersons: number; vehicles: number; digest: string } | null };
  yearToDate: Judgement['transfer']['yearToDate'];
  request: ResolvedRequest & { time: string; date: string; records: number | null; bytes: number | null };
  transfer: Judgement['transfer'];
  settings: Judgement['settings'];
  overrides: Judgement['overrides'];
  workspaceRevision: string;
  execution: { status: 'recorded' | 'unchanged'; organization: string; seq: number; entry: string } | null;
}

/** A request with every transfer field known (from the request, or from the workspace transfer it names). */
export interface ResolvedRequest {
  /** The workspace transfer it executes, if any (its id becomes the ledger entry's). */
  transfer: string | null;
  organization: string;
  datasets: string[];
  recipient: string;
  kind: Transfer['kind'];
  purpose: string;
  exemptionClaims: Transfer['exemptionClaims'];
  channel: string | null;
  retentionAbroadMonths: number | null;
  persons: number | null;
  sensitivePersons: number | null;
  chargingConsumptionPersons: number | null;
}

/** The names a request may use, per workspace (made once per loaded workspace, not per request). */
const NAMES = new WeakMap<Workspace, { organizations: string[]; datasets: Set<string>; recipients: Set<string> }>();
function namesOf(ws: Workspace) {
  let n = NAMES.get(ws);
  if (!n) NAMES.set(ws, (n = { organizations: [ws.organization.id, ...ws.affiliates.map((a) => a.id)], datasets: new Set(ws.datasets.map((d) => d.id)), recipients: new Set(ws.recipients.map((x) => x.id)) }));
  return n;
}

/** Fill the request from the workspace and check every name in it: an unknown one is an error, never ignored. */
export function resolveRequest(ws: Workspace, r: DecisionRequest, field: FieldNamer): ResolvedRequest {
  const issues: ErrorIssue[] = [];
  let base: Transfer | undefined;
  if (r.transfer !== undefined) {
    base = ws.transfers.find((t) => t.id === r.transfer);
    if (!base) throw badInput(msg('server.decision.unknown-names'), [{ field: field('transfer'), message: msg('server.decision.unknown-transfer', { id: r.transfer }), expected: msg('server.decision.ids-of', { what: 'transfers' }) }]);
  }
  const q: ResolvedRequest = {
    transfer: base?.id ?? null,
    organization: base ? (base.organization ?? ws.organization.id) : (r.organization ?? ws.organization.id),
    datasets: base?.datasets ?? r.datasets ?? [],
    recipient: base?.recipient ?? r.recipient ?? '',
    kind: base?.kind ?? r.kind ?? 'transmit',
    purpose: base?.purpose ?? r.purpose ?? '',
    exemptionClaims: base?.exemptionClaims ?? r.exemptionClaims ?? [],
    channel: base?.channel ?? r.channel ?? null,
    retentionAbroadMonths: base?.retentionAbroadMonths ?? r.retentionAbroadMonths ?? null,
    // Counts or hashes in the request describe what actually goes; else the declaration.
    persons: r.persons ?? (r.hashes ? null : (base?.persons ?? null)),
    sensitivePersons: r.sensitivePersons ?? (r.hashes ? null : (base?.sensitivePersons ?? null)),
    chargingConsumptionPersons: r.chargingConsumptionPersons ?? (r.hashes ? null : (base?.chargingConsumptionPersons ?? null)),
  };
  const { organizations, datasets, recipients } = namesOf(ws);
  if (!organizations.includes(q.organization)) issues.push({ field: field('organization'), message: msg('server.decision.unknown-organization', { id: q.organization }), expected: organizations.join(', ') });
  q.datasets.forEach((d, i) => {
    if (!datasets.has(d)) issues.push({ field: field(`datasets[${i}]`), message: msg('server.decision.unknown-dataset', { id: d }), expected: msg('server.decision.ids-of', { what: 'datasets' }) });
  });
  if (!recipients.has(q.recipient)) issues.push({ field: field('recipient'), message: msg('server.decision.unknown-recipient', { id: q.recipient }), expected: ws.recipients.map((x) => x.id).join(', ') || msg('server.decision.ids-of', { what: 'recipients' }) });
  if (issues.length) throw badInput(msg('server.decision.unknown-names'), issues);
  return q;
}

function questionOf(q: ResolvedRequest, date: string, exactNew?: CounterState): TransferQuestion {
  return {
    ...(q.transfer ? { transferId: q.transfer } : {}),
    organization: q.organization,
    datasets: q.datasets,
    recipient: q.recipient,
    kind: q.kind,
    purpose: q.purpose,
    date,
    exemptionClaims: q.exemptionClaims,
    ...(q.channel !== null ? { channel: q.channel } : {}),
    ...(q.retentionAbroadMonths !== null ? { retentionAbroadMonths: q.retentionAbroadMonths } : {}),
    ...(q.persons !== null ? { persons: q.persons } : {}),
    ...(q.sensitivePersons !== null ? { sensitivePersons: q.sensitivePersons } : {}),
    ...(q.chargingConsumptionPersons !== null ? { chargingConsumptionPersons: q.chargingConsumptionPersons } : {}),
    ...(exactNew ? { exactNew } : {}),
  };
}

function reasonsOf(j: Judgement, ws: Workspace): Msg[] {
  const t = j.transfer;
  const reasons: Msg[] = [];
  // The engine's own explanation once it is a message; until then, which path and which rules.
  if (isMsg(t.explanation)) reasons.push(t.explanation);
  else reasons.push(msg('server.reason.path', { path: msg(`path.${t.path}`), rules: t.rules }));
  const detail = (m: unknown): Msg => msg('server.reason.detail', { detail: isMsg(m) ? m : String(m) });
  if (t.path === 'prohibited') {
    reasons.push(msg('server.reason.prohibited', { datasets: t.datasets }));
  } else if (t.path === 'exempt') {
    reasons.push(msg('server.reason.exempt', { rule: t.exemption ?? '' }));
  } else if (t.covered && t.coveredBy) {
    const a = ws.approvals.find((x) => x.id === t.coveredBy);
    reasons.push(msg('server.reason.covered', { approval: t.coveredBy, mechanism: a ? msg(`mechanism.${a.mechanism}`) : '' }));
  } else {
    reasons.push(msg('server.reason.needs', { path: msg(`path.${t.path}`) }));
    for (const m of t.missing.slice(1)) reasons.push(detail(m));
  }
  return reasons;
}

/** What a decision's answer takes from its judgement: the same for every decision that shares it. */
type SharedFields = Pick<DecisionBody, 'path' | 'exemption' | 'coveredBy' | 'approval' | 'rules' | 'packs' | 'reasons' | 'yearToDate' | 'transfer' | 'settings' | 'overrides'>;

/**
 * Per judgement (the Decider keeps one object per question, workspace revision and ledger version):
 * its fields of the answer, made once, and their JSON text and digest, which the decision log keeps
 * once for all the decisions that share it.
 */
const SHARED = new WeakMap<Judgement, { fields: SharedFields; judgement: SharedJudgement }>();
function sharedOf(j: Judgement, ws: Workspace): { fields: SharedFields; judgement: SharedJudgement } {
  let s = SHARED.get(j);
  if (!s) {
    const a = approvalOf(ws, j.transfer.coveredBy);
    const fields: SharedFields = {
      path: j.transfer.path,
      exemption: j.transfer.exemption,
      coveredBy: j.transfer.coveredBy,
      approval: a ? { id: a.id, mechanism: a.mechanism, reference: a.reference ?? null, status: a.status } : null,
      rules: j.transfer.rules,
      packs: j.packs.map((p) => ({ id: p.id, effective: p.effective, status: p.status })),
      reasons: reasonsOf(j, ws),
      yearToDate: j.transfer.yearToDate,
      transfer: j.transfer,
      settings: j.settings,
      overrides: j.overrides,
    };
    SHARED.set(j, (s = { fields, judgement: sharedJudgement(JSON.stringify(fields)) }));
  }
  return s;
}

/** The fields of an answer that are this decision's own (the rest is its judgement's). */
function ownFields(b: DecisionBody, inputDigest: string) {
  return {
    schema: b.schema,
    id: b.id,
    decidedAt: b.decidedAt,
    caller: b.caller,
    result: b.result,
    volume: b.volume,
    request: b.request,
    workspaceRevision: b.workspaceRevision,
    execution: b.execution,
    inputDigest,
  };
}

function approvalOf(ws: Workspace, id: string | null): Approval | null {
  return id ? (ws.approvals.find((a) => a.id === id) ?? null) : null;
}

/** The ledger entry an allowed transfer writes, whether recorded at decision time or by a later execution. */
function executionEntry(
  ws: Workspace,
  coveredBy: string | null,
  q: ResolvedRequest,
  at: { id: string; time: string; channel: string; operator: string; records: number | null; bytes: number | null },
): LedgerEntryContent {
  const approval = approvalOf(ws, coveredBy);
  return {
    id: at.id,
    time: at.time,
    organization: q.organization,
    datasets: q.datasets,
    recipient: q.recipient,
    kind: q.kind,
    mechanism: approval?.mechanism ?? null,
    approvalReference: approval ? (approval.reference ?? approval.id) : null,
    channel: q.channel ?? at.channel,
    operator: at.operator,
    records: at.records,
    bytes: at.bytes,
  };
}

export class DecisionService {
  private readonly decider = new Decider();
  /** Requests with an idempotency key in progress: a second one waits for the first. */
  private readonly inflight = new Map<string, { digest: string; answer: Promise<DecisionBody> }>();

  constructor(private readonly d: DecisionDeps) {}

  /** Decide (and, when asked and allowed, execute). */
  async decide(r: DecisionRequest, caller: Principal, field: FieldNamer, channel: 'api' | 'gate'): Promise<DecisionBody> {
    // randomUUID draws from a cached entropy pool (randomBytes asks the kernel on every call): 122 random bits.
    const id = r.idempotencyKey ? `dec-${sha256Hex(`${caller.tokenId ?? caller.label}\u0000${r.idempotencyKey}`).slice(0, 32)}` : `dec-${randomUUID().replaceAll('-', '')}`;
    if (!r.idempotencyKey) return this.decideOnce(id, r, caller, field, channel);
    const digest = requestDigest(r, parseHashes(r.hashes));
    const running = this.inflight.get(id);
    if (running) return this.sameRequest({ ...(await running.answer), inputDigest: running.digest } as DecisionBody, r);
    const answer = (async () => {
      const earlier = this.d.log ? await this.d.log.get(id) : null;
      if (earlier) return this.sameRequest(earlier.body as DecisionBody, r);
      return this.decideOnce(id, r, caller, field, channel);
    })();
    this.inflight.set(id, { digest, answer });
    try {
      return await answer;
    } finally {
      this.inflight.delete(id);
    }
  }

  /** A repeated idempotency key must carry the same request. */
  private sameRequest(earlier: DecisionBody, r: DecisionRequest): DecisionBody {
    const digest = requestDigest(r, parseHashes(r.hashes));
    const stored = (earlier as DecisionBody & { inputDigest?: string }).inputDigest;
    if (stored !== undefined && stored !== digest) {
      throw new ChujingError('conflict', msg('server.decision.key-reused'), [{ field: 'idempotencyKey', message: msg('server.decision.key-reused'), expected: msg('server.decision.key-expected') }]);
    }
    return publicBody(earlier);
  }

  private async decideOnce(id: string, r: DecisionRequest, caller: Principal, field: FieldNamer, channel: 'api' | 'gate'): Promise<DecisionBody> {
    const hashes = parseHashes(r.hashes);
    // With keyed hashes, the transfer is exactly those persons (the ledger then says how many are new).
    const withHashes = (x: ResolvedRequest): ResolvedRequest =>
      hashes ? { ...x, persons: hashes.counts.persons, sensitivePersons: hashes.counts.sensitivePersons, chargingConsumptionPersons: hashes.counts.chargingConsumptionPersons } : x;
    let q = withHashes(resolveRequest(this.d.state.current.loaded.workspace, r, field));
    // The server's clock is an instant already; a sent time is checked and normalised (the last one kept: a gate sends the same).
    const instant = r.time === undefined ? this.d.now().toISOString() : timeOf(r.time);
    const date = chinaDate(instant);
    const measured = await this.d.state.measured(date);
    const calendar = await this.d.state.calendar();
    const digest = requestDigest(r, hashes);
    const basis: DecisionBody['volume']['basis'] = hashes ? 'hashes' : q.persons !== null || q.sensitivePersons !== null || q.chargingConsumptionPersons !== null ? 'declared' : 'datasets';
    const build = (snapshot: WorkspaceSnapshot, j: Judgement, decidedAt: string, execution: DecisionBody['execution']): DecisionBody => {
      const { fields: s } = sharedOf(j, snapshot.loaded.workspace);
      const v = j.transfer.volume;
      return {
        schema: DECISION_SCHEMA,
        id,
        decidedAt,
        caller: caller.label,
        result: j.allow ? 'allow' : 'deny',
        path: s.path,
        exemption: s.exemption,
        coveredBy: s.coveredBy,
        approval: s.approval,
        rules: s.rules,
        packs: s.packs,
        reasons: s.reasons,
        // Written out, not spread: spreading into a wider object was half of a decision's time in process.
        volume: { persons: v.persons, sensitivePersons: v.sensitivePersons, chargingConsumptionPersons: v.chargingConsumptionPersons, basis, hashes: hashes ? { ...hashes.counts, digest: hashes.digest } : null },
        yearToDate: s.yearToDate,
        request: {
          transfer: q.transfer,
          organization: q.organization,
          datasets: q.datasets,
          recipient: q.recipient,
          kind: q.kind,
          purpose: q.purpose,
          exemptionClaims: q.exemptionClaims,
          channel: q.channel,
          retentionAbroadMonths: q.retentionAbroadMonths,
          persons: q.persons,
          sensitivePersons: q.sensitivePersons,
          chargingConsumptionPersons: q.chargingConsumptionPersons,
          time: instant,
          date,
          records: r.records ?? null,
          bytes: r.bytes ?? null,
        },
        transfer: s.transfer,
        settings: s.settings,
        overrides: s.overrides,
        workspaceRevision: snapshot.revision,
        execution,
      };
    };
    // The log keeps the decision's own fields per row and the judgement's once (decision-log.ts).
    const record = (body: DecisionBody, j: Judgement, snapshot: WorkspaceSnapshot): DecisionRecord => ({
      id,
      decidedAt: body.decidedAt,
      caller: caller.label,
      inputDigest: digest,
      result: body.result,
      workspaceRevision: body.workspaceRevision,
      packs: body.packs.map((p) => p.id),
      body: ownFields(body, digest),
      judgement: sharedOf(j, snapshot.loaded.workspace).judgement,
    });

    if (!r.execute) {
      const exactNew = hashes ? await this.d.db.transaction((tx) => exactNewPersons(tx, q.organization, chinaYear(instant), hashes)) : undefined;
      const snapshot = this.d.state.current;
      const j = this.decider.judge(snapshot, this.d.live, { measured, calendar }, questionOf(q, date, exactNew));
      const body = build(snapshot, j, this.d.now().toISOString(), null);
      if (this.d.log) await this.d.log.append(record(body, j, snapshot));
      return body;
    }

    const key = this.requireKey();
    this.notInFuture(instant, field('time'));
    return this.d.db.exclusive(async (store) =>
      this.withExecutionLock(store, async () => {
        if (this.d.shared) await this.d.live.refreshIfChanged(store, this.thisYear());
        // The workspace may have been reloaded while this request waited: judge on the current one.
        const snapshot = this.d.state.current;
        q = withHashes(resolveRequest(snapshot.loaded.workspace, r, field));
        const entryId = q.transfer ?? id;
        const decidedAt = this.d.now().toISOString();
        if (this.d.live.has(q.organization, entryId)) {
          // A declared transfer is executed once: its entry is already in the ledger.
          throw new ChujingError('conflict', msg('server.decision.already-executed', { transfer: entryId }), [{ field: field('transfer'), message: msg('server.decision.already-executed', { transfer: entryId }), expected: msg('server.decision.once') }]);
        }
        const exactNew = hashes ? await store.transaction((tx) => exactNewPersons(tx, q.organization, chinaYear(instant), hashes)) : undefined;
        const j = this.decider.judge(snapshot, this.d.live, { measured, calendar }, questionOf(q, date, exactNew));
        if (!j.allow) {
          const body = build(snapshot, j, decidedAt, null);
          if (this.d.log) await store.transaction((tx) => this.d.log!.appendIn(tx, [record(body, j, snapshot)]));
          return body;
        }
        const content = executionEntry(snapshot.loaded.workspace, j.transfer.coveredBy, q, {
          id: entryId,
          time: instant,
          channel: channel === 'gate' ? 'chujing-gate' : 'chujing-api',
          operator: caller.label,
          records: r.records ?? null,
          bytes: r.bytes ?? null,
        });
        let body!: DecisionBody;
        const outcome = await this.record(store, content, hashes, j.transfer.volume, key, (o, tx) => {
          body = build(snapshot, j, decidedAt, { status: o.status, organization: q.organization, seq: o.seq, entry: entryId });
          return this.d.log ? this.d.log.appendIn(tx, [record(body, j, snapshot)]) : Promise.resolve();
        });
        await this.d.live.recorded(store, content, outcome);
        return body;
      }),
    );
  }

  /**
   * POST /v1/executions: record an allowed decision's transfer (re-judged now, on the current counters:
   * if it no longer fits, nothing is recorded and the answer says why). Idempotent by decision id.
   */
  async execute(e: ExecutionRequest, caller: Principal): Promise<{ status: 'recorded' | 'unchanged'; decision: string; organization: string; seq: number | null; workspaceRevision: string }> {
    if (!this.d.log) throw new HttpError('unavailable', msg('server.execution.no-log'));
    const stored = await this.d.log.get(e.decision);
    if (!stored) throw new ChujingError('not-found', msg('server.execution.no-decision', { id: e.decision }), [{ field: 'body.decision', message: msg('server.execution.no-decision', { id: e.decision }), expected: msg('server.execution.decision-expected') }]);
    const earlier = stored.body as DecisionBody;
    if (earlier.result !== 'allow') {
      throw new ChujingError('conflict', msg('server.execution.denied', { id: e.decision }), [{ field: 'body.decision', message: msg('server.execution.denied', { id: e.decision }), expected: msg('server.execution.decision-expected') }]);
    }
    const key = this.requireKey();
    const hashes = parseHashes(e.hashes);
    if ((earlier.volume.hashes?.digest ?? null) !== (hashes?.digest ?? null)) {
      throw badInput(msg('server.execution.hashes-differ'), [{ field: 'body.hashes', message: msg('server.execution.hashes-differ'), expected: msg('server.execution.hashes-expected') }]);
    }
    const q = earlier.request;
    const instant = e.time ? normaliseTime(e.time)! : q.time;
    this.notInFuture(instant, 'body.time');
    const date = chinaDate(instant);
    if (chinaYear(instant) !== chinaYear(q.time)) throw badInput(msg('server.execution.other-year'), [{ field: 'body.time', message: msg('server.execution.other-year'), expected: String(chinaYear(q.time)) }]);
    const measured = await this.d.state.measured(date);
    const calendar = await this.d.state.calendar();
    return this.d.db.exclusive(async (store) =>
      this.withExecutionLock(store, async () => {
        if (this.d.shared) await this.d.live.refreshIfChanged(store, this.thisYear());
        const entryId = q.transfer ?? e.decision;
        const snapshot = this.d.state.current;
        if (this.d.live.has(q.organization, entryId)) return { status: 'unchanged' as const, decision: e.decision, organization: q.organization, seq: null, workspaceRevision: snapshot.revision };
        const ws = snapshot.loaded.workspace;
        // The names must still exist in the workspace as it is now.
        resolveRequest(ws, { ...requestOf(q), execute: false }, (f) => `decision.request.${f}`);
        const exactNew = hashes ? await store.transaction((tx) => exactNewPersons(tx, q.organization, chinaYear(instant), hashes)) : undefined;
        const j = this.decider.judge(snapshot, this.d.live, { measured, calendar }, questionOf(q, date, exactNew));
        if (!j.allow) {
          throw new ChujingError('conflict', msg('server.execution.no-longer-allowed', { id: e.decision }), [
            { field: 'body.decision', message: msg('server.execution.no-longer-allowed', { id: e.decision }), expected: msg('server.execution.ask-again') },
            ...reasonsOf(j, ws).map((m) => ({ message: m })),
          ]);
        }
        const content = executionEntry(ws, j.transfer.coveredBy, q, {
          id: entryId,
          time: instant,
          channel: 'chujing-api',
          operator: caller.label,
          records: e.records ?? q.records ?? null,
          bytes: e.bytes ?? q.bytes ?? null,
        });
        const outcome = await this.record(store, content, hashes, j.transfer.volume, key, () => Promise.resolve());
        await this.d.live.recorded(store, content, outcome);
        return { status: outcome.status, decision: e.decision, organization: q.organization, seq: outcome.seq, workspaceRevision: snapshot.revision };
      }),
    );
  }

  /** GET /v1/decisions/:id: the decision as answered, and whether it was executed. */
  async explain(id: string): Promise<(DecisionBody & { seq: number; entryHash: string; executed: boolean }) | null> {
    if (!this.d.log) return null;
    const s: StoredDecision | null = await this.d.log.get(id);
    if (!s) return null;
    const body = publicBody(s.body as DecisionBody);
    return { ...body, seq: s.seq, entryHash: s.entryHash, executed: this.d.live.has(body.request.organization, id) };
  }

  /**
   * An execution is recorded as it happens: it cannot be dated in the future (a few minutes of clock
   * difference allowed). A past date is accepted — transfers are also recorded after the fact — and the
   * decision log keeps both dates (`decidedAt` is the server's clock), so a backdated record shows.
   */
  private notInFuture(instant: string, field: string): void {
    const ahead = Date.parse(instant) - this.d.now().getTime();
    if (ahead > MAX_CLOCK_SKEW_MS) {
      throw badInput(msg('server.execution.future', { time: instant }), [{ field, message: msg('server.execution.future', { time: instant }), expected: msg('server.execution.now-or-past') }]);
    }
  }

  private requireKey(): KeyObject {
    if (!this.d.key || !this.d.keyFingerprint) throw new HttpError('unavailable', msg('server.execution.no-key'), [{ field: 'CHUJING_HMAC_KEY', message: msg('server.execution.no-key'), expected: msg('server.execution.key-expected') }]);
    return this.d.key;
  }

  private thisYear(): number {
    return chinaYear(this.d.now().toISOString());
  }

  /**
   * Several servers sharing one PostgreSQL: one execution at a time across all of them (a session-level
   * advisory lock), so the counters read before judging are still the counters when the entry commits.
   */
  private async withExecutionLock<T>(store: Store, fn: () => Promise<T>): Promise<T> {
    if (!this.d.shared) return fn();
    // On one connection: were it lost and made again inside, the lock would be gone unseen.
    if (!store.withSessionLock) throw new Error('a database shared by several processes must offer session locks');
    return store.withSessionLock(EXECUTION_LOCK, fn);
  }

  /** Record one entry; `alsoInTx` writes in the same transaction (the decision row). */
  private async record(
    store: Store,
    content: LedgerEntryContent,
    hashes: PersonHashes | null,
    volume: CounterState,
    key: KeyObject,
    alsoInTx: (o: RecordOutcome, tx: Queryable) => Promise<unknown>,
  ): Promise<RecordOutcome> {
    const source = hashes ? hashSource(hashes) : declaredSource(key, content.organization, content.id, volume);
    // recordEntries runs one transaction; the wrapper appends our own statements before its commit.
    const joined: Store = {
      ...store,
      query: store.query.bind(store),
      exec: store.exec.bind(store),
      close: store.close.bind(store),
      transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
        store.transaction(async (tx) => {
          const out = await fn(tx);
          const outcomes = out as unknown as RecordOutcome[];
          await alsoInTx(outcomes[0]!, tx);
          return out;
        }),
    };
    if (store.copyFromCsv) joined.copyFromCsv = store.copyFromCsv.bind(store);
    const [outcome] = await recordEntries(joined, [{ content, hashes: source }], { keyFingerprint: this.d.keyFingerprint!, key });
    return outcome!;
  }
}

const EXECUTION_LOCK = 7_310_482_011;
/** How far ahead of the server's clock an execution's time may be. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The canonical request (person hashes as their digest), hashed: what the decision log keeps. */
function requestDigest(r: DecisionRequest, hashes: PersonHashes | null): string {
  // A gate sends the same request over and over: its digest is kept by the request's JSON text (one
  // serialisation instead of a canonical one and a hash; 5 µs of a decision's ~30 in process).
  const text = hashes ? null : JSON.stringify(r);
  const known = text === null ? undefined : DIGESTS.get(text);
  if (known) return known;
  const { hashes: _h, idempotencyKey: _k, ...rest } = r;
  const digest = sha256Hex(canonicalJson({ ...rest, hashes: hashes ? hashes.digest : null }));
  if (text !== null) {
    if (DIGESTS.size >= 1024) DIGESTS.clear();
    DIGESTS.set(text, digest);
  }
  return digest;
}
const DIGESTS = new Map<string, string>();

/** A request's `time` as an instant (schemas.ts accepted it as a time already). */
let lastTime: { text: string; instant: string } | null = null;
function timeOf(text: string): string {
  if (lastTime?.text !== text) lastTime = { text, instant: normaliseTime(text)! };
  return lastTime.instant;
}

/** How many of the hashes the ledger has not seen this year (CNT-1 de-duplication). */
async function exactNewPersons(tx: Queryable, organization: string, year: number, hashes: PersonHashes): Promise<CounterState> {
  const n = await newPersonsOf(tx, { organization, year, hashes: hashSource(hashes) });
  return { persons: n.persons, sensitivePersons: n.sensitivePersons, chargingConsumptionPersons: n.chargingConsumptionPersons };
}

/** The request a stored decision was asked with, as a request again (for re-checking its names). */
function requestOf(q: ResolvedRequest): DecisionRequest {
  if (q.transfer) return { transfer: q.transfer, execute: false };
  return {
    organization: q.organization,
    datasets: q.datasets,
    recipient: q.recipient,
    purpose: q.purpose,
    kind: q.kind,
    exemptionClaims: q.exemptionClaims,
    execute: false,
  };
}

/** The body without server-internal fields. */
function publicBody(b: DecisionBody): DecisionBody {
  const { inputDigest: _d, ...rest } = b as DecisionBody & { inputDigest?: string };
  return rest;
}

export type { WorkspaceSnapshot };
