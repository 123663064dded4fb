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
import type { Queryable } from '../store/index.js';
import type { ServerDb } from './db.js';

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

const CHAIN = 'decisions';
const ENTRY_PREFIX = 'chujing:decision:v1\n';
const SEAL_PREFIX = 'chujing:decision-head:v1\n';
export const DECISION_GENESIS = createHash('sha256').update('chujing:decision:genesis:v1').digest('hex');

function entryHash(seq: number, prev: string, r: Omit<DecisionRecord, 'judgement' | 'body'>, bodyText: string, judgement: string | null): string {
  const canonical = canonicalJson({
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
  return createHash('sha256').update(ENTRY_PREFIX).update(canonical).digest('hex');
}

export function seal(key: KeyObject, h: { headSeq: number; headHash: string; baseSeq: number; baseHash: string }): Buffer {
  return createHmac('sha256', key).update(SEAL_PREFIX).update(canonicalJson({ chain: CHAIN, ...h })).digest();
}

const hex = (b: Buffer | Uint8Array) => Buffer.from(b).toString('hex');

interface Pending {
  record: DecisionRecord;
  resolve: (seq: number) => void;
  reject: (e: unknown) => void;
}

interface Row {
  seq: number;
  id: string;
  decided_at: string;
  caller: string;
  input_digest: Buffer;
  result: string;
  workspace_revision: string;
  packs: string;
  body: string;
  prev_hash: Buffer;
  entry_hash: Buffer;
  judgement: Buffer | null;
  /** The kept judgement's text (joined; null when the row has none or it is missing). */
  judgement_body?: string | null;
}

const COLUMNS = 'seq, id, decided_at, caller, input_digest, result, workspace_revision, packs, body, prev_hash, entry_hash, judgement';
/** A decision row with its judgement's text. */
const SELECT_JOINED = `SELECT ${COLUMNS
  .split(', ')
  .map((c) => `d.${c}`)
  .join(', ')}, j.body AS judgement_body FROM server_decisions d LEFT JOIN server_decision_judgements j ON j.digest = d.judgement`;
const PARAMS_PER_ROW = 12;

/** The answer as it was given: the judgement's fields, then the decision's own. */
function bodyOf(r: Row): unknown {
  const own = JSON.parse(r.body) as Record<string, unknown>;
  if (!r.judgement) return own;
  const shared = r.judgement_body ? (JSON.parse(r.judgement_body) as Record<string, unknown>) : { judgementMissing: true };
  return { ...shared, ...own };
}

/** The hashed fields of a stored row, as entryHash reads them. */
function rowRecord(r: Row): Omit<DecisionRecord, 'judgement' | 'body'> {
  return {
    id: r.id,
    decidedAt: r.decided_at,
    caller: r.caller,
    inputDigest: hex(r.input_digest),
    result: r.result as 'allow' | 'deny',
    workspaceRevision: r.workspace_revision,
    packs: r.packs ? r.packs.split(',') : [],
  };
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A judgement's text as the log keeps it, under the digest verify checks it against. */
export function sharedJudgement(text: string): SharedJudgement {
  return { digest: sha256Hex(text), text };
}

function rowToDecision(r: Row): StoredDecision {
  return {
    seq: Number(r.seq),
    id: r.id,
    decidedAt: r.decided_at,
    caller: r.caller,
    inputDigest: hex(r.input_digest),
    result: r.result as 'allow' | 'deny',
    workspaceRevision: r.workspace_revision,
    packs: r.packs ? r.packs.split(',') : [],
    body: bodyOf(r),
    entryHash: hex(r.entry_hash),
    judgementDigest: r.judgement ? hex(r.judgement) : null,
  };
}

/**
 * `($1::bigint, $2, …), (…)`: the rows of an INSERT as plain parameters. Measured on PGlite, a quarter
 * to a half cheaper per row than one array per column through unnest(): the decision's JSON is full of
 * quotes, which an array literal escapes (in JS) and parses again (in the database); a parameter is sent
 * as it is. Byte columns arrive as hex.
 */
function valuesList(rows: number, offset: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const p = offset + r * PARAMS_PER_ROW;
    out.push(`($${p + 1}::bigint, $${p + 2}, $${p + 3}, $${p + 4}, decode($${p + 5}, 'hex'), $${p + 6}, $${p + 7}, $${p + 8}, $${p + 9}, decode($${p + 10}, 'hex'), decode($${p + 11}, 'hex'), decode($${p + 12}, 'hex'))`);
  }
  return out.join(', ');
}

/** `($1, $2), …`: a judgement's digest (hex) and text per row. */
function judgementValues(rows: number, offset: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) out.push(`($${offset + 2 * r + 1}, $${offset + 2 * r + 2})`);
  return out.join(', ');
}

type Guard = readonly [number, string, Buffer | null, string, number, string, number, string];

/** The fast statement with parameters (PostgreSQL: its extended protocol carries them cheaply). */
function fastStatement(guard: Guard, judgements: SharedJudgement[], rows: (string | null)[]): { sql: string; params: unknown[] } {
  const kept = judgements.flatMap((j) => [j.digest, j.text]);
  const keep = judgements.length
    ? `, kept AS (
       INSERT INTO server_decision_judgements (digest, body)
       SELECT decode(v.d, 'hex'), v.b FROM (VALUES ${judgementValues(judgements.length, guard.length)}) AS v(d, b)
        WHERE EXISTS (SELECT 1 FROM moved)
       ON CONFLICT (digest) DO NOTHING)`
    : '';
  return {
    sql: `WITH moved AS (
       UPDATE server_decision_chain SET head_seq = $1, head_hash = decode($2, 'hex'), head_seal = $3
        WHERE chain = $4 AND head_seq = $5 AND head_hash = decode($6, 'hex') AND base_seq = $7 AND base_hash = decode($8, 'hex')
       RETURNING 1)${keep}
     , added AS (
       INSERT INTO server_decisions (${COLUMNS})
       SELECT * FROM (VALUES ${valuesList(rows.length / PARAMS_PER_ROW, guard.length + kept.length)}) AS v
        WHERE EXISTS (SELECT 1 FROM moved)
       RETURNING 1)
     SELECT count(*)::int AS n FROM added`,
    params: [...guard, ...kept, ...rows],
  };
}

/**
 * A string as an SQL literal (standard_conforming_strings, PostgreSQL's default since 9.1: only ' is
 * special). PostgreSQL's text never holds a NUL, as a parameter or a literal; the log's texts are JSON
 * (which escapes it), ids, digests and token names (letters, digits and . _ : @ -).
 */
function textLiteral(s: string): string {
  if (s.includes('\u0000')) throw new Error('a text for the decision log holds a NUL character');
  return `'${s.replaceAll("'", "''")}'`;
}

/** Hex (from this module, never from a caller) as a bytea literal. */
function byteaLiteral(hexText: string | null): string {
  if (hexText === null) return 'NULL::bytea';
  if (!/^[0-9a-f]*$/.test(hexText)) throw new Error('not hex');
  return `'\\x${hexText}'::bytea`;
}

/**
 * The same statement as SQL text, for the embedded database: PGlite serialises parameters in
 * JavaScript and describes the statement before binding them, which measured about twice the CPU per
 * row of a text statement with literals (bench: 16-row batches, 88 vs 149–226 µs a row). Every value
 * is quoted (text) or checked hex (bytea); the test feeds it quotes, backslashes and dollar signs.
 */
function fastStatementText(guard: Guard, judgements: SharedJudgement[], rows: (string | null)[]): { sql: string; params?: unknown[] } {
  const [nextSeq, nextHash, headSeal, chain, knownSeq, knownHash, baseSeq, baseHash] = guard;
  const keep = judgements.length
    ? `, kept AS (
       INSERT INTO server_decision_judgements (digest, body)
       SELECT v.d, v.b FROM (VALUES ${judgements.map((j) => `(${byteaLiteral(j.digest)}, ${textLiteral(j.text)})`).join(', ')}) AS v(d, b)
        WHERE EXISTS (SELECT 1 FROM moved)
       ON CONFLICT (digest) DO NOTHING)`
    : '';
  const values: string[] = [];
  for (let i = 0; i < rows.length; i += PARAMS_PER_ROW) {
    const r = rows.slice(i, i + PARAMS_PER_ROW);
    values.push(
      `(${Number(r[0])}::bigint, ${textLiteral(r[1]!)}, ${textLiteral(r[2]!)}, ${textLiteral(r[3]!)}, ${byteaLiteral(r[4]!)}, ${textLiteral(r[5]!)}, ${textLiteral(r[6]!)}, ${textLiteral(r[7]!)}, ${textLiteral(r[8]!)}, ${byteaLiteral(r[9]!)}, ${byteaLiteral(r[10]!)}, ${byteaLiteral(r[11] ?? null)})`,
    );
  }
  return {
    sql: `WITH moved AS (
       UPDATE server_decision_chain SET head_seq = ${Number(nextSeq)}, head_hash = ${byteaLiteral(nextHash)}, head_seal = ${byteaLiteral(headSeal ? hex(headSeal) : null)}
        WHERE chain = ${textLiteral(chain)} AND head_seq = ${Number(knownSeq)} AND head_hash = ${byteaLiteral(knownHash)} AND base_seq = ${Number(baseSeq)} AND base_hash = ${byteaLiteral(baseHash)}
       RETURNING 1)${keep}
     , added AS (
       INSERT INTO server_decisions (${COLUMNS})
       SELECT * FROM (VALUES ${values.join(', ')}) AS v
        WHERE EXISTS (SELECT 1 FROM moved)
       RETURNING 1)
     SELECT count(*)::int AS n FROM added`,
  };
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

  /** 12 parameters a row and 2 a judgement: at most 4,000 rows keeps a statement under the protocol's 65,535 parameters. */
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
    const { rows, seqs, next, judgements } = this.chain(known, records);
    this.head = next;
    const guard = [next.headSeq, next.headHash, this.sealOf(next), CHAIN, known.headSeq, known.headHash, known.baseSeq, known.baseHash] as const;
    const { sql, params } = this.db.kind === 'pglite' ? fastStatementText(guard, judgements, rows) : fastStatement(guard, judgements, rows);
    const done: Promise<void> = this.db
      // One row back (how many were added), not one per decision: less to parse and pass between threads.
      .autocommit<{ n: number }>(sql, params)
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
          for (const p of batch) p.reject(e);
        },
      )
      .finally(() => {
        this.inflight.delete(done);
        this.wake?.();
      });
    this.inflight.add(done);
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
   * The rows of `records` chained after `head`, as the INSERT's parameters, the new head, and the
   * judgements the database may not hold yet (each once).
   */
  private chain(head: ChainHead, records: DecisionRecord[], everyJudgement = false): { rows: (string | null)[]; seqs: number[]; next: ChainHead; judgements: SharedJudgement[] } {
    const rows: (string | null)[] = [];
    let prev = head.headHash;
    let seq = head.headSeq;
    const seqs: number[] = [];
    const judgements = new Map<string, SharedJudgement>();
    for (const r of records) {
      seq++;
      // The body as JSON text, hashed as stored (verify hashes the stored text): it needs no canonical
      // key order, so the engine's objects are written by the native serialiser, not sorted first.
      const bodyText = JSON.stringify(r.body);
      const digest = r.judgement?.digest ?? null;
      const h = entryHash(seq, prev, r, bodyText, digest);
      rows.push(String(seq), r.id, r.decidedAt, r.caller, r.inputDigest, r.result, r.workspaceRevision, r.packs.join(','), bodyText, prev, h, digest);
      if (r.judgement && (everyJudgement || !this.stored.has(r.judgement.digest))) judgements.set(r.judgement.digest, r.judgement);
      seqs.push(seq);
      prev = h;
    }
    return { rows, seqs, next: { headSeq: seq, headHash: prev, baseSeq: head.baseSeq, baseHash: head.baseHash }, judgements: [...judgements.values()] };
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
    const { rows, seqs, next, judgements } = this.chain(head, records, true);
    if (judgements.length) {
      await tx.query(
        `INSERT INTO server_decision_judgements (digest, body) SELECT decode(v.d, 'hex'), v.b FROM (VALUES ${judgementValues(judgements.length, 0)}) AS v(d, b) ON CONFLICT (digest) DO NOTHING`,
        judgements.flatMap((j) => [j.digest, j.text]),
      );
    }
    await tx.query(`INSERT INTO server_decisions (${COLUMNS}) VALUES ${valuesList(records.length, 0)}`, rows);
    await tx.query("UPDATE server_decision_chain SET head_seq = $2, head_hash = decode($3, 'hex'), head_seal = $4 WHERE chain = $1", [CHAIN, next.headSeq, next.headHash, this.sealOf(next)]);
    return { seqs, next, judgements };
  }

  async get(id: string): Promise<StoredDecision | null> {
    const rows = await this.db.query<Row>(`${SELECT_JOINED} WHERE d.id = $1`, [id]);
    return rows[0] ? rowToDecision(rows[0]) : null;
  }

  /** Newest first; `before` is a sequence number to page from. */
  async list(options: { limit: number; before?: number; result?: 'allow' | 'deny'; caller?: string }): Promise<StoredDecision[]> {
    // `caller`: only one caller's decisions (a gateway token sees its own only).
    const rows = await this.db.query<Row>(
      `${SELECT_JOINED}
        WHERE ($1::bigint IS NULL OR d.seq < $1) AND ($2::text IS NULL OR d.result = $2) AND ($4::text IS NULL OR d.caller = $4)
        ORDER BY d.seq DESC LIMIT $3`,
      [options.before ?? null, options.result ?? null, options.limit, options.caller ?? null],
    );
    return rows.map(rowToDecision);
  }

  async counts(): Promise<{ allow: number; deny: number }> {
    const rows = await this.db.query<{ result: string; n: number }>('SELECT result, count(*)::int8 AS n FROM server_decisions GROUP BY result');
    const out = { allow: 0, deny: 0 };
    for (const r of rows) if (r.result === 'allow' || r.result === 'deny') out[r.result] = Number(r.n);
    return out;
  }

  /**
   * Recompute the chain from its base (never trusting a stored hash) and report the first break; with
   * the key, also check the head's seal (a rewrite of the tail and the head row without the key shows).
   */
  async verify(key?: KeyObject): Promise<DecisionLogVerification> {
    // One snapshot: batches are appended while verify reads (on PGlite they do not wait for the lock).
    return this.db.exclusive((s) => s.transaction(async (store) => {
      await store.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const [h] = await store.query<{ head_seq: number; head_hash: Buffer; base_seq: number; base_hash: Buffer; head_seal: Buffer | null }>(
        'SELECT head_seq, head_hash, base_seq, base_hash, head_seal FROM server_decision_chain WHERE chain = $1',
        [CHAIN],
      );
      // Read the table itself, never through its index (`seq + 0` is not indexable): a table truncated
      // on disk leaves index entries pointing at nothing, and verify must say which rows are gone.
      const rows = (await store.query<Row>(`SELECT ${COLUMNS} FROM server_decisions ORDER BY seq + 0`)).map((r) => ({ r, d: { seq: Number(r.seq), id: r.id, entryHash: hex(r.entry_hash) } }));
      // The kept judgements whose text still hashes to their digest (read whole: never trust the key).
      const judgements = await store.query<{ digest: Buffer; body: string }>('SELECT digest, body FROM server_decision_judgements');
      const intactJudgements = new Set(judgements.filter((j) => sha256Hex(j.body) === hex(j.digest)).map((j) => hex(j.digest)));
      const head = h
        ? { headSeq: Number(h.head_seq), headHash: hex(h.head_hash), baseSeq: Number(h.base_seq), baseHash: hex(h.base_hash) }
        : { headSeq: 0, headHash: DECISION_GENESIS, baseSeq: 0, baseHash: DECISION_GENESIS };
      const report = (firstBreak: DecisionLogVerification['firstBreak'], headSealed: boolean | null = null): DecisionLogVerification => ({
        intact: firstBreak === null,
        entries: rows.length,
        baseSeq: head.baseSeq,
        headSeq: head.headSeq,
        headHash: head.headHash,
        headSealed,
        firstBreak,
      });
      if (!h && rows.length) return report({ seq: rows[0]!.d.seq, id: rows[0]!.d.id, kind: 'inserted', detail: 'decisions exist but the chain has no head' });
      let expSeq = head.baseSeq + 1;
      let prev = head.baseHash;
      for (const { r, d } of rows) {
        const judgement = r.judgement ? hex(r.judgement) : null;
        const recomputed = entryHash(d.seq, hex(r.prev_hash), rowRecord(r), r.body, judgement);
        if (recomputed !== d.entryHash) return report({ seq: d.seq, id: d.id, kind: 'changed', detail: `decision ${d.seq} (${d.id}) no longer matches its hash` });
        if (judgement !== null && !intactJudgements.has(judgement)) {
          return report({ seq: d.seq, id: d.id, kind: 'changed', detail: `the judgement decision ${d.seq} (${d.id}) refers to is missing or no longer matches its digest` });
        }
        if (d.seq > expSeq) return report({ seq: expSeq, id: null, kind: 'deleted', detail: d.seq - 1 === expSeq ? `decision ${expSeq} is missing` : `decisions ${expSeq} to ${d.seq - 1} are missing` });
        if (d.seq < expSeq) return report({ seq: d.seq, id: d.id, kind: 'inserted', detail: `decision ${d.id} repeats position ${d.seq}` });
        if (hex(r.prev_hash) !== prev) return report({ seq: d.seq, id: d.id, kind: 'changed', detail: `decision ${d.seq} (${d.id}) does not follow the one before it` });
        prev = d.entryHash;
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
      return report(null, sealed);
    }));
  }

  /**
   * Retention: remove the oldest decisions made before `cutoff` (an ISO instant), as one prefix of the
   * chain; the chain then resumes from the last removed decision's hash (kept in the head row, sealed).
   */
  async prune(cutoff: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const head = await lockHead(tx);
      // The longest prefix made before the cutoff (decisions are appended in time order, but a clock
      // step backwards must not punch a hole in the chain).
      const [firstKept] = await tx.query<{ seq: number }>('SELECT min(seq) AS seq FROM server_decisions WHERE decided_at >= $1', [cutoff]);
      const limit = firstKept?.seq === null || firstKept?.seq === undefined ? head.headSeq : Number(firstKept.seq) - 1;
      if (limit <= head.baseSeq) return 0;
      const [last] = await tx.query<{ entry_hash: Buffer }>('SELECT entry_hash FROM server_decisions WHERE seq = $1', [limit]);
      if (!last) return 0;
      const removed = await tx.query<{ seq: number }>('DELETE FROM server_decisions WHERE seq <= $1 RETURNING seq', [limit]);
      // Judgements no decision refers to any more go with them.
      await tx.query('DELETE FROM server_decision_judgements j WHERE NOT EXISTS (SELECT 1 FROM server_decisions d WHERE d.judgement = j.digest)');
      this.stored.clear();
      const next = { headSeq: head.headSeq, headHash: head.headHash, baseSeq: limit, baseHash: hex(last.entry_hash) };
      await tx.query("UPDATE server_decision_chain SET base_seq = $2, base_hash = decode($3, 'hex'), head_seal = $4 WHERE chain = $1", [
        CHAIN,
        limit,
        next.baseHash,
        this.options.key ? seal(this.options.key, next) : null,
      ]);
      return removed.length;
    });
  }
}
