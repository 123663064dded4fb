/**
 * The decision log: every answer of the decision API and of the egress gate, in one hash chain in the
 * database (tamper-evident as the ledger is: each row commits to the previous row's hash, the head row
 * is locked by appenders and sealed with the organisation key when the server has it).
 *
 * Group commit: a request hands its record to `append` and is answered only when the batch holding it
 * has committed — so an acknowledged decision is never lost (kill -9 included) — while concurrent
 * requests share one transaction, and the per-request cost is a few microseconds of hashing rather than
 * one commit each. The database work runs between requests, not inside any one of them.
 */
import { createHash, createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../ledger/canonical.js';
import { sha256Hex } from '../ledger/sha256.js';
import type { Queryable } from '../store/index.js';
import type { ServerDb } from './db.js';
import {
  BATCH_COLUMNS,
  batchOf,
  batchValues,
  expandBatch,
  fromTable,
  hex,
  SqlValues,
  storedEntryHash,
  TABLE_COLUMNS,
  type Batch,
  type BatchEntry,
  type BatchRow,
  type LogRow,
  type TableRow,
  type UnreadableRows,
  entryOf,
  FIELDS_IN_ENTRY,
} from './decision-log-rows.js';

export interface DecisionRecord {
  id: string;
  /** ISO instant (UTC) the decision was made. */
  decidedAt: string;
  /** Who asked: `token:<id> (<name>)` or `session`. */
  caller: string;
  /** SHA-256 (hex) of the canonical request (person hashes included, so the digest identifies them without holding them). */
  inputDigest: string;
  result: 'allow' | 'deny';
  workspaceRevision: string;
  packs: string[];
  /**
   * The decision as answered (messages as {code, params}); never raw identifiers or person hashes.
   * With `judgement`, only what is this decision's own; the rest is the judgement's.
   */
  body: unknown;
  /** The part of the answer many decisions share (the engine's judgement), kept once by its digest. */
  judgement?: SharedJudgement;
}

/** A judgement's JSON text and the SHA-256 (hex) of that text. */
export interface SharedJudgement {
  digest: string;
  text: string;
}

export interface StoredDecision extends Omit<DecisionRecord, 'judgement'> {
  seq: number;
  entryHash: string;
  /** The judgement's digest the row refers to (null: a row that holds its whole answer). */
  judgementDigest: string | null;
}

export interface DecisionLogVerification {
  intact: boolean;
  entries: number;
  baseSeq: number;
  headSeq: number;
  headHash: string;
  /** Whether the head's seal was checked and valid (null: no key, or nothing sealed yet). */
  headSealed: boolean | null;
  firstBreak: { seq: number | null; id: string | null; kind: 'changed' | 'deleted' | 'inserted'; detail: string } | null;
}

/** The decision log's row in server_decision_chain. */
export const DECISION_CHAIN = 'decisions';
const CHAIN = DECISION_CHAIN;
const ENTRY_PREFIX = 'chujing:decision:v1\n';
const SEAL_PREFIX = 'chujing:decision-head:v1\n';
export const DECISION_GENESIS = createHash('sha256').update('chujing:decision:genesis:v1').digest('hex');

/** The text an entry hash is taken over: the canonical JSON (keys sorted) of the decision's fields. */
export function entryText(seq: number, prev: string, r: Omit<DecisionRecord, 'judgement' | 'body'>, bodyText: string, judgement: string | null): string {
  const fields = [prev, r.id, r.decidedAt, r.caller, r.inputDigest, r.result, r.workspaceRevision, bodyText];
  if (!Number.isSafeInteger(seq) || !fields.every((f) => typeof f === 'string') || !r.packs.every((p) => typeof p === 'string') || (judgement !== null && typeof judgement !== 'string')) {
    return canonicalJson({
      v: 1,
      seq,
      prev,
      id: r.id,
      decidedAt: r.decidedAt,
      caller: r.caller,
      inputDigest: r.inputDigest,
      result: r.result,
      workspaceRevision: r.workspaceRevision,
      packs: r.packs.join(','),
      body: bodyText,
      // Rows written before judgements were kept apart hash as they did (no such key).
      ...(judgement !== null ? { judgement } : {}),
    });
  }
  // The same text written out in canonicalJson's key order (a test compares the two on generated
  // records): sorting and escaping a dozen keys per decision was measurable on the server's thread.
  const j = JSON.stringify;
  return `{"body":${j(bodyText)},"caller":${j(r.caller)},"decidedAt":${j(r.decidedAt)},"id":${j(r.id)},"inputDigest":${j(r.inputDigest)},${judgement !== null ? `"judgement":${j(judgement)},` : ''}"packs":${j(r.packs.join(','))},"prev":${j(prev)},"result":${j(r.result)},"seq":${seq},"v":1,"workspaceRevision":${j(r.workspaceRevision)}}`;
}

function entryHash(seq: number, prev: string, r: Omit<DecisionRecord, 'judgement' | 'body'>, bodyText: string, judgement: string | null): string {
  return sha256Hex(ENTRY_PREFIX + entryText(seq, prev, r, bodyText, judgement));
}

export function seal(key: KeyObject, h: { headSeq: number; headHash: string; baseSeq: number; baseHash: string }): Buffer {
  return createHmac('sha256', key).update(SEAL_PREFIX).update(canonicalJson({ chain: CHAIN, ...h })).digest();
}

interface Pending {
  record: DecisionRecord;
  resolve: (seq: number) => void;
  reject: (e: unknown) => void;
}

/** The decision's body as answered: the judgement's fields, then the decision's own. */
function bodyOf(r: LogRow, judgementBody: string | null | undefined): unknown {
  const stored = JSON.parse(r.body) as Record<string, unknown>;
  const own = r.fieldsInEntry
    ? { ...stored, id: r.id, decidedAt: r.decidedAt, caller: r.caller, result: r.result, workspaceRevision: r.workspaceRevision, inputDigest: r.inputDigest }
    : stored;
  if (!r.judgement) return own;
  const shared = judgementBody ? (JSON.parse(judgementBody) as Record<string, unknown>) : { judgementMissing: true };
  return { ...shared, ...own };
}

/** The hashed fields of a stored decision, as entryHash reads them. */
function rowRecord(r: LogRow): Omit<DecisionRecord, 'judgement' | 'body'> {
  return {
    id: r.id,
    decidedAt: r.decidedAt,
    caller: r.caller,
    inputDigest: r.inputDigest,
    result: r.result as 'allow' | 'deny',
    workspaceRevision: r.workspaceRevision,
    packs: r.packs ? r.packs.split(',') : [],
  };
}


/** A judgement's text as the log keeps it, under the digest verify checks it against. */
export function sharedJudgement(text: string): SharedJudgement {
  return { digest: sha256Hex(text), text };
}

function toDecision(r: LogRow, judgementBody: string | null | undefined): StoredDecision {
  return {
    ...rowRecord(r),
    seq: r.seq,
    body: bodyOf(r, judgementBody),
    entryHash: r.entryHash,
    judgementDigest: r.judgement,
  };
}

/** The texts of the judgements `rows` refer to, by digest (hex). */
async function judgementTexts(db: ServerDb, rows: readonly LogRow[]): Promise<Map<string, string>> {
  const digests = [...new Set(rows.flatMap((r) => (r.judgement ? [r.judgement] : [])))];
  if (!digests.length) return new Map();
  const v = new SqlValues(db.kind === 'pglite');
  const found = await db.query<{ digest: Buffer; body: string }>(`SELECT digest, body FROM server_decision_judgements WHERE digest = ANY(${v.byteaArray(digests)})`, v.params);
  return new Map(found.map((j) => [hex(j.digest), j.body]));
}

/**
 * The body as a batch stores it: without the fields the entry holds when the body repeats them all
 * (a decision's answer does), so they are stored once.
 */
function storedBody(r: DecisionRecord): { body: unknown; fieldsInEntry: boolean } {
  const body = r.body as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { body, fieldsInEntry: false };
  if (body.id !== r.id || body.decidedAt !== r.decidedAt || body.caller !== r.caller || body.result !== r.result || body.workspaceRevision !== r.workspaceRevision || body.inputDigest !== r.inputDigest) {
    return { body, fieldsInEntry: false };
  }
  // fromEntries defines each key as the body's own (a key "__proto__" included), as JSON.parse does.
  return { body: Object.fromEntries(Object.entries(body).filter(([k]) => !(FIELDS_IN_ENTRY as readonly string[]).includes(k))), fieldsInEntry: true };
}

type Guard = readonly [number, string, Buffer | null, string, number, string, number, string];

/**
 * One batch the fast way, as one statement: the chain head moves only if it still is the head the
 * batch was chained on (adding the batch's allow and deny counts to the head's totals), and the
 * judgements and the batch's row are written only if it moved. Returns
 * one row: how many decisions were added (0: the head had moved). `$` gives the statement's 21 values
 * (placeholders or expressions), in the order of BATCH_TYPES.
 */
function batchStatement($: readonly string[]): string {
  const at = (i: number) => $[i - 1]!;
  return `WITH moved AS (
       UPDATE server_decision_chain SET head_seq = ${at(1)}, head_hash = ${at(2)}, head_seal = ${at(3)},
              allowed = allowed + ${at(17)}, denied = denied + ${at(18)}
        WHERE chain = ${at(4)} AND head_seq = ${at(5)} AND head_hash = ${at(6)} AND base_seq = ${at(7)} AND base_hash = ${at(8)}
       RETURNING 1)
     , kept AS (
       INSERT INTO server_decision_judgements (digest, body)
       SELECT j.d, j.b FROM unnest(${at(9)}, ${at(10)}) AS j(d, b) WHERE EXISTS (SELECT 1 FROM moved)
       ON CONFLICT (digest) DO NOTHING)
     , added AS (
       INSERT INTO server_decision_batches (${BATCH_COLUMNS})
       SELECT ${at(11)}, ${at(1)}, ${at(12)}, ${at(13)}, ${at(14)}, ${at(15)}, ${at(16)}, ${at(17)}, ${at(18)}, ${at(19)}, ${at(20)}, ${at(21)}
        WHERE EXISTS (SELECT 1 FROM moved)
       RETURNING last_seq - first_seq + 1 AS n)
     SELECT coalesce(sum(n), 0)::int AS n FROM added`;
}

const BATCH_TYPES = ['bigint', 'bytea', 'bytea', 'text', 'bigint', 'bytea', 'bigint', 'bytea', 'bytea[]', 'text[]', 'bigint', 'text', 'text', 'text[]', 'text[]', 'bytea[]', 'integer', 'integer', 'bytea', 'bytea', 'text'];

/**
 * The statement prepared once in the embedded database's session. PGlite plans in WebAssembly: planning
 * this statement for every batch measured about half of a one-decision batch's cost (PREPARE/EXECUTE:
 * 530–730 → 230–260 µs; a 14-decision batch 1.4–2.0 → 0.8–1.1 ms).
 */
const PREPARED_BATCH = 'chujing_decision_batch';
const PREPARE_BATCH = `PREPARE ${PREPARED_BATCH} (${BATCH_TYPES.join(', ')}) AS ${batchStatement(BATCH_TYPES.map((_, i) => `$${i + 1}`))}`;

/** The batch's values, as BATCH_TYPES orders them. */
function batchArguments(v: SqlValues, guard: Guard, judgements: SharedJudgement[], batch: Batch): string[] {
  const [nextSeq, nextHash, headSeal, chain, knownSeq, knownHash, baseSeq, baseHash] = guard;
  return [
    v.int(nextSeq),
    v.bytea(nextHash),
    v.bytea(headSeal ? hex(headSeal) : null),
    v.text(chain),
    v.int(knownSeq),
    v.bytea(knownHash),
    v.int(baseSeq),
    v.bytea(baseHash),
    v.byteaArray(judgements.map((j) => j.digest)),
    v.textArray(judgements.map((j) => j.text)),
    v.int(batch.firstSeq),
    v.text(batch.earliestAt),
    v.text(batch.latestAt),
    v.textArray(batch.ids),
    v.textArray(batch.callers),
    v.byteaArray(batch.judgements),
    v.int(batch.allowed),
    v.int(batch.denied),
    v.bytea(batch.prevHash),
    v.bytea(batch.lastHash),
    v.text(batch.entries),
  ];
}

/**
 * The fast statement: on the embedded database, EXECUTE of the prepared statement with literals (its
 * parameters are serialised in JavaScript and the statement described first, which measured about
 * twice the CPU of literals); on PostgreSQL, the statement with parameters (planned natively).
 */
function fastStatement(kind: 'pglite' | 'postgres', guard: Guard, judgements: SharedJudgement[], batch: Batch): { sql: string; params: unknown[] } {
  const v = new SqlValues(kind === 'pglite');
  const args = batchArguments(v, guard, judgements, batch);
  return kind === 'pglite' ? { sql: `EXECUTE ${PREPARED_BATCH}(${args.join(', ')})`, params: [] } : { sql: batchStatement(args), params: v.params };
}

interface ChainHead {
  headSeq: number;
  headHash: string;
  baseSeq: number;
  baseHash: string;
}

async function lockHead(tx: Queryable): Promise<ChainHead> {
  await tx.query(
    `INSERT INTO server_decision_chain (chain, head_seq, head_hash, base_seq, base_hash) VALUES ($1, 0, decode($2, 'hex'), 0, decode($2, 'hex'))
     ON CONFLICT (chain) DO NOTHING`,
    [CHAIN, DECISION_GENESIS],
  );
  const [h] = await tx.query<{ head_seq: number; head_hash: Buffer; base_seq: number; base_hash: Buffer }>(
    'SELECT head_seq, head_hash, base_seq, base_hash FROM server_decision_chain WHERE chain = $1 FOR UPDATE',
    [CHAIN],
  );
  return { headSeq: Number(h!.head_seq), headHash: hex(h!.head_hash), baseSeq: Number(h!.base_seq), baseHash: hex(h!.base_hash) };
}

/**
 * Retention's last step: the judgements no decision refers to any more. The batches' digests are
 * unnested once and anti-joined by hash. Written as `NOT EXISTS (… WHERE j.digest = ANY(b.judgements))`,
 * the planner could only loop: every judgement scanned the batches until it found itself. Measured on
 * the embedded database with 100,000 batches and 1,000 judgements: 11.0 s against 80 ms, inside the
 * transaction that holds the log's head, so every decision waited (and the wait grew with the log
 * times the judgements). test/server/decision-log-storage.test.ts holds the single pass.
 */
export const DELETE_UNREFERENCED_JUDGEMENTS = `DELETE FROM server_decision_judgements j
  WHERE NOT EXISTS (SELECT 1 FROM server_decisions d WHERE d.judgement = j.digest)
    AND NOT EXISTS (SELECT 1 FROM (SELECT unnest(b.judgements) AS digest FROM server_decision_batches b) u WHERE u.digest = j.digest)`;

/**
 * After retention removed rows, on the embedded database (no autovacuum): the log's tables vacuumed
 * with their indexes, so that the removed rows' index entries and line pointers go too.
 */
export const RETENTION_VACUUM = 'VACUUM (INDEX_CLEANUP ON) server_decisions, server_decision_batches, server_decision_judgements';

export interface DecisionLogOptions {
  /** The organisation key: seals the chain head (absent: the head is not sealed). */
  key?: KeyObject;
  /** Most records per transaction. */
  maxBatch?: number;
}

export class DecisionLog {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly db: ServerDb,
    private readonly options: DecisionLogOptions = {},
  ) {}

  /** Log a decision; resolves with its sequence number once it is committed. */
  append(record: DecisionRecord): Promise<number> {
    if (this.closed) return Promise.reject(new Error('the decision log is closed'));
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      this.wake?.();
      if (!this.flushing) this.flushing = this.drain();
    });
  }

  /** Wait until everything handed in so far is committed (or failed). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /**
   * Batches in flight at once. The next batch is chained on the head the one before it will leave, and
   * sent while that one commits, so the database never waits for the server's thread between commits
   * (the embedded database runs in a thread of its own; see src/store/pglite-remote.ts). Each batch is
   * acknowledged only when its own statement has committed, and it commits only if the head is the one
   * it was chained on — so when a batch fails, those chained after it write nothing either, and go the
   * locking way.
   */
  private readonly depth = 2;
  private readonly inflight = new Set<Promise<void>>();
  /** Called when a record arrives or a batch ends, if the writer is waiting for either. */
  private wake: (() => void) | null = null;
  /** Bumped whenever the known head is dropped: a batch's outcome only touches the head of its own generation. */
  private generation = 0;

  private async drain(): Promise<void> {
    // Let the requests that arrive in the same turn of the event loop join this batch.
    await new Promise<void>((r) => setImmediate(r));
    try {
      while (this.queue.length || this.inflight.size) {
        if (this.queue.length && this.head && this.inflight.size < this.depth) {
          this.send(this.queue.splice(0, this.batchLimit()));
        } else if (this.queue.length && !this.head && this.inflight.size === 0) {
          // The head is unknown: read it under the lock (one batch, on its own).
          const batch = this.queue.splice(0, this.batchLimit());
          try {
            const seqs = await this.writeLocked(batch.map((p) => p.record));
            batch.forEach((p, i) => p.resolve(seqs[i]!));
          } catch (e) {
            for (const p of batch) p.reject(e);
          }
          continue;
        }
        // Wait for a record (append) or the end of a batch (send's finally); then let the requests of this turn join.
        await new Promise<void>((r) => (this.wake = r));
        this.wake = null;
        if (this.queue.length && this.inflight.size) await new Promise<void>((r) => setImmediate(r));
      }
    } finally {
      this.flushing = null;
    }
  }

  /** Most decisions a batch row holds (its text grows with them; 1,000 decisions are about 1 MB). */
  private batchLimit(): number {
    return Math.min(this.options.maxBatch ?? 1000, 4000);
  }

  private dropHead(generation: number): void {
    if (this.generation !== generation) return;
    this.generation++;
    this.head = null;
  }

  /**
   * One batch the fast way: one statement (its own transaction, so one commit and one round trip): the
   * rows are chained from the head this log expects, and the statement inserts them only if the head
   * row still is that head (the UPDATE's guard; the INSERT runs only when the UPDATE matched). When it
   * is not — an execution's transaction or a prune moved it, another server on a shared PostgreSQL
   * appended, or the batch before this one failed — nothing is written and the batch is queued again
   * for the locking way.
   */
  private send(batch: Pending[]): void {
    const known = this.head!;
    const generation = this.generation;
    const records = batch.map((p) => p.record);
    const { batch: row, seqs, next, judgements } = this.chain(known, records);
    this.head = next;
    const guard = [next.headSeq, next.headHash, this.sealOf(next), CHAIN, known.headSeq, known.headHash, known.baseSeq, known.baseHash] as const;
    const { sql, params } = fastStatement(this.db.kind, guard, judgements, row);
    const done: Promise<void> = this.prepared()
      // One row back (how many were added), not one per decision: less to parse and pass between threads.
      .then(() => this.db.autocommit<{ n: number }>(sql, params))
      .then(
        (inserted) => {
          if (Number(inserted[0]?.n) === records.length) {
            this.remember(judgements);
            batch.forEach((p, i) => p.resolve(seqs[i]!));
          } else {
            this.dropHead(generation);
            this.queue.unshift(...batch);
          }
        },
        (e: unknown) => {
          this.dropHead(generation);
          if ((e as { code?: string }).code === '26000') {
            // The prepared statement is gone from the session (DEALLOCATE): prepare it again.
            this.preparing = null;
            this.queue.unshift(...batch);
          } else {
            for (const p of batch) p.reject(e);
          }
        },
      )
      .finally(() => {
        this.inflight.delete(done);
        this.wake?.();
      });
    this.inflight.add(done);
  }

  private preparing: Promise<void> | null = null;

  /** The fast statement prepared in the embedded database's session (once; again after a failure). */
  private prepared(): Promise<void> {
    if (this.db.kind !== 'pglite') return Promise.resolve();
    this.preparing ??= this.db.autocommit(PREPARE_BATCH).then(
      () => undefined,
      (e: unknown) => {
        // 42P05: prepared already (by an earlier log on the same session).
        if ((e as { code?: string }).code === '42P05') return;
        this.preparing = null;
        throw e;
      },
    );
    return this.preparing;
  }

  /** One batch under the lock: the head read FOR UPDATE in a transaction (which also learns the head). */
  private async writeLocked(records: DecisionRecord[]): Promise<number[]> {
    const generation = this.generation;
    const { seqs, next, judgements } = await this.db.transaction((tx) => this.appendLocked(tx, records));
    if (this.generation === generation) this.head = next; // committed
    this.remember(judgements);
    return seqs;
  }

  /** The chain head this log last wrote (null: unknown, read it under the lock next time). */
  private head: ChainHead | null = null;

  /**
   * Digests of judgements this log has committed: not sent again (the database would ignore them
   * anyway). Bounded; forgetting one only means sending it once more.
   */
  private stored = new Set<string>();

  private remember(judgements: SharedJudgement[]): void {
    if (this.stored.size > 100_000) this.stored.clear();
    for (const j of judgements) this.stored.add(j.digest);
  }

  private sealOf(next: ChainHead): Buffer | null {
    return this.options.key ? seal(this.options.key, next) : null;
  }

  /**
   * `records` chained after `head`, as one batch row, the new head, and the judgements the database
   * may not hold yet (each once).
   */
  private chain(head: ChainHead, records: DecisionRecord[], everyJudgement = false): { batch: Batch; seqs: number[]; next: ChainHead; judgements: SharedJudgement[] } {
    const entries: BatchEntry[] = [];
    const texts: string[] = [];
    let prev = head.headHash;
    let seq = head.headSeq;
    const seqs: number[] = [];
    const judgements = new Map<string, SharedJudgement>();
    for (const r of records) {
      seq++;
      const { body, fieldsInEntry } = storedBody(r);
      // The body as JSON text, hashed as stored (verify hashes the stored text): it needs no canonical
      // key order, so the engine's objects are written by the native serialiser, not sorted first.
      const bodyText = JSON.stringify(body) as string | undefined;
      if (bodyText === undefined) throw new Error(`decision ${r.id}: its body is not JSON`);
      const digest = r.judgement?.digest ?? null;
      const h = entryHash(seq, prev, r, bodyText, digest);
      const packs = r.packs.join(',');
      entries.push(fieldsInEntry ? [seq, r.id, r.decidedAt, r.caller, r.inputDigest, r.result, r.workspaceRevision, packs, body, digest, h, 1] : [seq, r.id, r.decidedAt, r.caller, r.inputDigest, r.result, r.workspaceRevision, packs, body, digest, h]);
      // The entry's JSON written around the body's text (JSON.stringify(entries) would write it again).
      texts.push(`[${seq},${JSON.stringify(r.id)},${JSON.stringify(r.decidedAt)},${JSON.stringify(r.caller)},${JSON.stringify(r.inputDigest)},${JSON.stringify(r.result)},${JSON.stringify(r.workspaceRevision)},${JSON.stringify(packs)},${bodyText},${digest === null ? 'null' : JSON.stringify(digest)},${JSON.stringify(h)}${fieldsInEntry ? ',1' : ''}]`);
      if (r.judgement && (everyJudgement || !this.stored.has(r.judgement.digest))) judgements.set(r.judgement.digest, r.judgement);
      seqs.push(seq);
      prev = h;
    }
    return {
      batch: batchOf(entries, head.headHash, `[${texts.join(',')}]`),
      seqs,
      next: { headSeq: seq, headHash: prev, baseSeq: head.baseSeq, baseHash: head.baseHash },
      judgements: [...judgements.values()],
    };
  }

  /**
   * Append inside a transaction the caller holds (the database lock included): used to commit a
   * decision together with the ledger entry of its execution. Resolves with the sequence numbers.
   */
  async appendIn(tx: Queryable, records: DecisionRecord[]): Promise<number[]> {
    // The caller's transaction may still roll back: the next batch reads the head again (and the
    // judgements it wrote are not remembered as kept).
    this.dropHead(this.generation);
    return (await this.appendLocked(tx, records)).seqs;
  }

  private async appendLocked(tx: Queryable, records: DecisionRecord[]): Promise<{ seqs: number[]; next: ChainHead; judgements: SharedJudgement[] }> {
    const head = await lockHead(tx);
    // Under the lock every judgement goes along (kept ones are ignored by the database): another server
    // sharing the database may have pruned one this log remembers as kept.
    const { batch, seqs, next, judgements } = this.chain(head, records, true);
    // The fast way's statement, planned in place: its guard holds, since the head is locked.
    const guard = [next.headSeq, next.headHash, this.sealOf(next), CHAIN, head.headSeq, head.headHash, head.baseSeq, head.baseHash] as const;
    const v = new SqlValues(this.db.kind === 'pglite');
    const [added] = await tx.query<{ n: number }>(batchStatement(batchArguments(v, guard, judgements, batch)), v.params);
    if (Number(added?.n) !== records.length) throw new Error('the decision log head moved while it was locked');
    return { seqs, next, judgements };
  }

  /**
   * Whether decisions of the first format (a `server_decisions` row each) may exist. None are written
   * after migration 22 (an older chujing refuses a database migrated past it), so once the table is
   * seen empty a look-up by id skips it: the gate's idempotent requests look their id up every time.
   */
  private firstFormatRows: boolean | null = null;

  async get(id: string): Promise<StoredDecision | null> {
    if (this.firstFormatRows !== false) {
      const old = await this.db.query<TableRow & { judgement_body: string | null }>(
        `SELECT ${TABLE_COLUMNS}, (SELECT j.body FROM server_decision_judgements j WHERE j.digest = d.judgement) AS judgement_body FROM server_decisions d WHERE id = $1`,
        [id],
      );
      if (old[0]) return toDecision(fromTable(old[0]), old[0].judgement_body);
      const [any] = await this.db.query<{ n: number }>('SELECT 1 AS n FROM server_decisions LIMIT 1');
      if (!any) this.firstFormatRows = false;
    }
    // The batch holding it, and the texts of the judgements its decisions refer to, in one statement.
    const batches = await this.db.query<BatchRow & { judgement_digests: Uint8Array[]; judgement_bodies: string[] }>(
      `SELECT ${BATCH_COLUMNS},
              ARRAY(SELECT j.digest FROM server_decision_judgements j WHERE j.digest = ANY(b.judgements) ORDER BY j.digest) AS judgement_digests,
              ARRAY(SELECT j.body FROM server_decision_judgements j WHERE j.digest = ANY(b.judgements) ORDER BY j.digest) AS judgement_bodies
         FROM server_decision_batches b WHERE ids @> ARRAY[$1::text]`,
      [id],
    );
    for (const b of batches) {
      const rows = expandBatch(b);
      const row = 'unreadable' in rows ? undefined : rows.find((r) => r.id === id);
      if (!row) continue;
      const at = b.judgement_digests.findIndex((d) => hex(d) === row.judgement);
      return toDecision(row, at >= 0 ? b.judgement_bodies[at] : null);
    }
    return null;
  }

  /** Newest first; `before` is a sequence number to page from. */
  async list(options: { limit: number; before?: number; result?: 'allow' | 'deny'; caller?: string }): Promise<StoredDecision[]> {
    // `caller`: only one caller's decisions (a gateway token sees its own only).
    const matches = (r: LogRow) =>
      (options.before === undefined || r.seq < options.before) && (options.result === undefined || r.result === options.result) && (options.caller === undefined || r.caller === options.caller);
    const old = (
      await this.db.query<TableRow>(
        `SELECT ${TABLE_COLUMNS} FROM server_decisions
          WHERE ($1::bigint IS NULL OR seq < $1) AND ($2::text IS NULL OR result = $2) AND ($4::text IS NULL OR caller = $4)
          ORDER BY seq DESC LIMIT $3`,
        [options.before ?? null, options.result ?? null, options.limit, options.caller ?? null],
      )
    ).map(fromTable);
    // Batches newest first, a page at a time, until `limit` decisions match (the index columns let
    // the database skip batches without the caller or the result).
    const found: LogRow[] = [];
    let before = options.before ?? null;
    const page = 32;
    for (;;) {
      const batches = await this.db.query<BatchRow>(
        `SELECT ${BATCH_COLUMNS} FROM server_decision_batches
          WHERE ($1::bigint IS NULL OR first_seq < $1) AND ($2::text IS NULL OR $2 = ANY(callers))
            AND ($3::text IS NULL OR ($3 = 'allow' AND allowed > 0) OR ($3 = 'deny' AND denied > 0))
          ORDER BY first_seq DESC LIMIT $4`,
        [before, options.caller ?? null, options.result ?? null, page],
      );
      for (const b of batches) {
        const rows = expandBatch(b);
        if (!('unreadable' in rows)) for (let i = rows.length - 1; i >= 0; i--) if (matches(rows[i]!)) found.push(rows[i]!);
      }
      if (found.length >= options.limit || batches.length < page) break;
      before = Number(batches.at(-1)!.first_seq);
    }
    const rows = [...old, ...found].sort((x, y) => y.seq - x.seq).slice(0, options.limit);
    const texts = await judgementTexts(this.db, rows);
    return rows.map((r) => toDecision(r, r.judgement ? texts.get(r.judgement) : null));
  }

  /**
   * The log's allow and deny totals, as the head row keeps them (migration 24): one row read. Counting
   * the batches instead read the whole log (300,000 batches: 168-214 ms), and decisions waited behind it.
   */
  async counts(): Promise<{ allow: number; deny: number }> {
    const [c] = await this.db.query<{ allowed: number | string; denied: number | string }>('SELECT allowed, denied FROM server_decision_chain WHERE chain = $1', [CHAIN]);
    return { allow: Number(c?.allowed ?? 0), deny: Number(c?.denied ?? 0) };
  }

  /**
   * Recompute the chain from its base (never trusting a stored hash) and report the first break; with
   * the key, also check the head's seal (a rewrite of the tail and the head row without the key shows).
   */
  async verify(key?: KeyObject): Promise<DecisionLogVerification> {
    // One snapshot: batches are appended while verify reads (on PGlite they do not wait for the lock).
    // The hashes are recomputed after the snapshot's transaction ends: for a long log that takes seconds,
    // and a transaction left idle that long is ended by PostgreSQL (postgres.ts, silent holders).
    const { h, tableRows, batches, judgements } = await this.db.exclusive((s) => s.transaction(async (store) => {
      await store.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const [h] = await store.query<{ head_seq: number; head_hash: Buffer; base_seq: number; base_hash: Buffer; head_seal: Buffer | null; allowed: number | string; denied: number | string }>(
        'SELECT head_seq, head_hash, base_seq, base_hash, head_seal, allowed, denied FROM server_decision_chain WHERE chain = $1',
        [CHAIN],
      );
      // Read the tables themselves, never through an index (`seq + 0` is not indexable): a table
      // truncated on disk leaves index entries pointing at nothing, and verify must say which rows are gone.
      const tableRows = await store.query<TableRow>(`SELECT ${TABLE_COLUMNS} FROM server_decisions ORDER BY seq + 0`);
      const batches = await store.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM server_decision_batches ORDER BY first_seq + 0`);
      // The kept judgements whose text still hashes to their digest (read whole: never trust the key).
      const judgements = await store.query<{ digest: Buffer; body: string }>('SELECT digest, body FROM server_decision_judgements');
      return { h, tableRows, batches, judgements };
    }));
    const rows: (LogRow | UnreadableRows)[] = tableRows.map(fromTable);
    for (const b of batches) {
      const expanded = expandBatch(b);
      if ('unreadable' in expanded) rows.push(expanded);
      else rows.push(...expanded);
    }
    // Decisions of both formats in chain order (stable: a repeated position stays visible).
    rows.sort((x, y) => x.seq - y.seq);
    const intactJudgements = new Set(judgements.filter((j) => sha256Hex(j.body) === hex(j.digest)).map((j) => hex(j.digest)));
    const head = h
      ? { headSeq: Number(h.head_seq), headHash: hex(h.head_hash), baseSeq: Number(h.base_seq), baseHash: hex(h.base_hash) }
      : { headSeq: 0, headHash: DECISION_GENESIS, baseSeq: 0, baseHash: DECISION_GENESIS };
    const report = (firstBreak: DecisionLogVerification['firstBreak'], headSealed: boolean | null = null): DecisionLogVerification => ({
      intact: firstBreak === null,
      entries: rows.filter((r) => !('unreadable' in r)).length,
      baseSeq: head.baseSeq,
      headSeq: head.headSeq,
      headHash: head.headHash,
      headSealed,
      firstBreak,
    });
    if (!h && rows.length) return report({ seq: rows[0]!.seq, id: 'id' in rows[0]! ? rows[0].id : null, kind: 'inserted', detail: 'decisions exist but the chain has no head' });
    let expSeq = head.baseSeq + 1;
    let prev = head.baseHash;
    for (const r of rows) {
      if ('unreadable' in r) return report({ seq: r.seq, id: null, kind: 'changed', detail: r.unreadable });
      // Positions first: inside a batch a decision follows the stored one before it, so a decision
      // removed from a batch also changes the next one's hash; what happened is the removal.
      if (r.seq > expSeq) return report({ seq: expSeq, id: null, kind: 'deleted', detail: r.seq - 1 === expSeq ? `decision ${expSeq} is missing` : `decisions ${expSeq} to ${r.seq - 1} are missing` });
      if (r.seq < expSeq) return report({ seq: r.seq, id: r.id, kind: 'inserted', detail: `decision ${r.id} repeats position ${r.seq}` });
      const recomputed = entryHash(r.seq, r.prevHash, rowRecord(r), r.body, r.judgement);
      if (recomputed !== r.entryHash) return report({ seq: r.seq, id: r.id, kind: 'changed', detail: `decision ${r.seq} (${r.id}) no longer matches its hash` });
      if (r.judgement !== null && !intactJudgements.has(r.judgement)) {
        return report({ seq: r.seq, id: r.id, kind: 'changed', detail: `the judgement decision ${r.seq} (${r.id}) refers to is missing or no longer matches its digest` });
      }
      if (r.prevHash !== prev) return report({ seq: r.seq, id: r.id, kind: 'changed', detail: `decision ${r.seq} (${r.id}) does not follow the one before it` });
      prev = r.entryHash;
      expSeq++;
    }
    const last = expSeq - 1;
    if (head.headSeq > last) return report({ seq: last + 1, id: null, kind: 'deleted', detail: `decisions ${last + 1} to ${head.headSeq} (the last) are missing` });
    if (head.headSeq < last) return report({ seq: head.headSeq + 1, id: null, kind: 'inserted', detail: `decisions after ${head.headSeq} were appended outside chujing` });
    if (head.headHash !== prev) return report({ seq: last, id: null, kind: 'changed', detail: `the chain head does not match decision ${last}` });
    let sealed: boolean | null = null;
    if (key && h?.head_seal) {
      const expected = seal(key, head);
      const got = Buffer.from(h.head_seal);
      sealed = got.length === expected.length && timingSafeEqual(got, expected);
      if (!sealed) return report({ seq: head.headSeq, id: null, kind: 'changed', detail: 'the chain head is not sealed by the organisation key: the log was rewritten' }, false);
    } else if (key && !h?.head_seal && head.headSeq > 0) {
      sealed = false;
    }
    // The totals the decision list shows (kept in the head row, not sealed) are recounted here.
    let allow = 0;
    let deny = 0;
    for (const r of rows) {
      if ('unreadable' in r) continue;
      if (r.result === 'allow') allow++;
      else if (r.result === 'deny') deny++;
    }
    if (h && (Number(h.allowed) !== allow || Number(h.denied) !== deny)) {
      return report({ seq: head.headSeq, id: null, kind: 'changed', detail: `the chain head's totals (${h.allowed} allowed, ${h.denied} denied) do not match its decisions (${allow} allowed, ${deny} denied)` }, sealed);
    }
    return report(null, sealed);
  }

  /**
   * Retention: remove the oldest decisions made before `cutoff` (an ISO instant), as one prefix of the
   * chain; the chain then resumes from the last removed decision's hash (kept in the head row, sealed).
   */
  async prune(cutoff: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const head = await lockHead(tx);
      // The longest prefix made before the cutoff (decisions are appended in time order, but a clock
      // step backwards must not punch a hole in the chain): the first decision made at or after it.
      const [oldKept] = await tx.query<{ seq: number | null }>('SELECT min(seq) AS seq FROM server_decisions WHERE decided_at >= $1', [cutoff]);
      const [straddling] = await tx.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM server_decision_batches WHERE latest_at >= $1 ORDER BY first_seq LIMIT 1`, [cutoff]);
      const kept: number[] = oldKept?.seq === null || oldKept?.seq === undefined ? [] : [Number(oldKept.seq)];
      if (straddling) {
        const rows = expandBatch(straddling);
        // A batch that cannot be read is kept whole (verify reports it).
        const first = 'unreadable' in rows ? Number(straddling.first_seq) : rows.find((r) => r.decidedAt >= cutoff)!.seq;
        kept.push(first);
      }
      const limit = kept.length ? Math.min(...kept) - 1 : head.headSeq;
      if (limit <= head.baseSeq) return 0;
      const lastHash = await storedEntryHash(tx, limit);
      if (lastHash === null) return 0;
      // What is removed also leaves the head's totals.
      let removed = 0;
      let allowed = 0;
      let denied = 0;
      for (const d of await tx.query<{ result: string }>('DELETE FROM server_decisions WHERE seq <= $1 RETURNING result', [limit])) {
        removed++;
        if (d.result === 'allow') allowed++;
        else if (d.result === 'deny') denied++;
      }
      for (const b of await tx.query<{ n: number | string; allowed: number; denied: number }>(
        'DELETE FROM server_decision_batches WHERE last_seq <= $1 RETURNING last_seq - first_seq + 1 AS n, allowed, denied',
        [limit],
      )) {
        removed += Number(b.n);
        allowed += Number(b.allowed);
        denied += Number(b.denied);
      }
      // The batch holding the cut keeps its decisions after it, chained from the last one removed.
      const [cut] = await tx.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM server_decision_batches WHERE first_seq <= $1 AND last_seq > $1`, [limit]);
      if (cut) {
        const rows = expandBatch(cut);
        if ('unreadable' in rows) throw new Error(`the decision log cannot be pruned at ${limit}: ${rows.unreadable}`);
        const rest = rows.filter((r) => r.seq > limit);
        const entries: BatchEntry[] = rest.map(entryOf);
        const remaining = batchOf(entries, lastHash);
        const v = new SqlValues(this.db.kind === 'pglite');
        await tx.query(`UPDATE server_decision_batches SET (${BATCH_COLUMNS}) = (SELECT ${batchValues(v, remaining)}) WHERE first_seq = ${v.int(Number(cut.first_seq))}`, v.params);
        removed += rows.length - rest.length;
        allowed += Number(cut.allowed) - remaining.allowed;
        denied += Number(cut.denied) - remaining.denied;
      }
      // Judgements no decision refers to any more go with them.
      await tx.query(DELETE_UNREFERENCED_JUDGEMENTS);
      this.stored.clear();
      const next = { headSeq: head.headSeq, headHash: head.headHash, baseSeq: limit, baseHash: lastHash };
      await tx.query(
        "UPDATE server_decision_chain SET base_seq = $2, base_hash = decode($3, 'hex'), head_seal = $4, allowed = allowed - $5, denied = denied - $6 WHERE chain = $1",
        [CHAIN, limit, next.baseHash, this.options.key ? seal(this.options.key, next) : null, allowed, denied],
      );
      return removed;
    });
  }
}
