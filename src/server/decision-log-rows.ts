/**
 * How the decision log is stored: decisions written before batches (one `server_decisions` row each)
 * and batches (one `server_decision_batches` row per batch, its decisions in a JSON array; see
 * migration 22). Both are read as the same `LogRow`: one decision with its hashes, as verify, the
 * listing and retention see it.
 */
import type { Queryable } from '../store/index.js';

/** One decision as stored (hashes and digests in hex). */
export interface LogRow {
  seq: number;
  id: string;
  decidedAt: string;
  caller: string;
  inputDigest: string;
  result: string;
  workspaceRevision: string;
  /** Pack ids joined by commas, as hashed. */
  packs: string;
  /** The body's JSON text, as hashed. */
  body: string;
  /** The body as answered also held the decision's id, decidedAt, caller, result, workspaceRevision and inputDigest (stored once, in the entry). */
  fieldsInEntry?: boolean;
  /** The entry hash this decision follows. */
  prevHash: string;
  entryHash: string;
  judgement: string | null;
}

/** A row that cannot be read as decisions (a batch changed outside chujing): verify reports it at `seq`. */
export interface UnreadableRows {
  seq: number;
  unreadable: string;
}

/**
 * A batch's decision, as its JSON array holds it (the order of the columns in migration 22). The body
 * is nested as JSON (not a string in a string: no second escaping) and hashed as JSON.stringify writes
 * it. With the flag `1`, the answer's id, decidedAt, caller, result, workspaceRevision and inputDigest
 * are the entry's own fields and were left out of the body (~300 bytes a decision).
 */
export type BatchEntry =
  | [seq: number, id: string, decidedAt: string, caller: string, inputDigest: string, result: string, workspaceRevision: string, packs: string, body: unknown, judgement: string | null, entryHash: string]
  | [seq: number, id: string, decidedAt: string, caller: string, inputDigest: string, result: string, workspaceRevision: string, packs: string, body: unknown, judgement: string | null, entryHash: string, fieldsInEntry: 1];

/** The answer's fields an entry holds (left out of its body when the body repeats them). */
export const FIELDS_IN_ENTRY = ['id', 'decidedAt', 'caller', 'result', 'workspaceRevision', 'inputDigest'] as const;

/** What a batch row holds besides its entries: derived from them, checked against them by verify. */
export interface BatchIndex {
  firstSeq: number;
  lastSeq: number;
  earliestAt: string;
  latestAt: string;
  ids: string[];
  callers: string[];
  judgements: string[];
  allowed: number;
  denied: number;
  prevHash: string;
  lastHash: string;
}

export interface Batch extends BatchIndex {
  /** The entries' JSON text. */
  entries: string;
}

export const hex = (b: Buffer | Uint8Array) => Buffer.from(b).toString('hex');

/** The index columns of a batch, from its entries (non-empty, in seq order). */
export function indexOf(entries: readonly BatchEntry[], prevHash: string): BatchIndex {
  const callers = new Set<string>();
  const judgements = new Set<string>();
  let allowed = 0;
  let denied = 0;
  let earliestAt = entries[0]![2];
  let latestAt = earliestAt;
  const ids: string[] = [];
  for (const e of entries) {
    ids.push(e[1]);
    callers.add(e[3]);
    if (e[9] !== null) judgements.add(e[9]);
    if (e[5] === 'allow') allowed++;
    else denied++;
    if (e[2] < earliestAt) earliestAt = e[2];
    if (e[2] > latestAt) latestAt = e[2];
  }
  return {
    firstSeq: entries[0]![0],
    lastSeq: entries.at(-1)![0],
    earliestAt,
    latestAt,
    ids,
    callers: [...callers],
    judgements: [...judgements],
    allowed,
    denied,
    prevHash,
    lastHash: entries.at(-1)![10],
  };
}

/** A batch of `entries`; `text`: their JSON when the caller wrote it already (it must be JSON.stringify(entries)). */
export function batchOf(entries: readonly BatchEntry[], prevHash: string, text?: string): Batch {
  return { ...indexOf(entries, prevHash), entries: text ?? JSON.stringify(entries) };
}

/**
 * Values of one statement, either as SQL literals (the embedded database: PGlite serialises
 * parameters in JavaScript and describes the statement before binding them, which measured about
 * twice the CPU of literals) or as parameters (PostgreSQL's extended protocol carries them cheaply).
 */
export class SqlValues {
  readonly params: unknown[] = [];
  constructor(private readonly literals: boolean) {}

  private param(v: unknown, cast: string): string {
    this.params.push(v);
    return `$${this.params.length}::${cast}`;
  }

  /**
   * standard_conforming_strings (PostgreSQL's default since 9.1): only ' is special in a literal.
   * PostgreSQL's text never holds a NUL, as a parameter or a literal; the log's texts are JSON (which
   * escapes it), ids, digests and token names.
   */
  text(s: string): string {
    if (s.includes('\u0000')) throw new Error('a text for the decision log holds a NUL character');
    return this.literals ? `'${s.replaceAll("'", "''")}'` : this.param(s, 'text');
  }

  int(n: number): string {
    if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
    return this.literals ? `${n}::bigint` : this.param(n, 'bigint');
  }

  /** Hex (from this module, never from a caller), as bytea. */
  bytea(hexText: string | null): string {
    if (hexText !== null && !/^[0-9a-f]*$/.test(hexText)) throw new Error('not hex');
    if (!this.literals) return `decode(${this.param(hexText, 'text')}, 'hex')`;
    return hexText === null ? 'NULL::bytea' : `'\\x${hexText}'::bytea`;
  }

  textArray(list: readonly string[]): string {
    if (!this.literals) return this.param(list, 'text[]');
    return list.length ? `ARRAY[${list.map((s) => this.text(s)).join(', ')}]::text[]` : `'{}'::text[]`;
  }

  byteaArray(hexes: readonly string[]): string {
    if (!this.literals) {
      for (const h of hexes) if (!/^[0-9a-f]*$/.test(h)) throw new Error('not hex');
      return `ARRAY(SELECT decode(x, 'hex') FROM unnest(${this.param(hexes, 'text[]')}) AS x)`;
    }
    return hexes.length ? `ARRAY[${hexes.map((h) => this.bytea(h)).join(', ')}]::bytea[]` : `'{}'::bytea[]`;
  }
}

export const BATCH_COLUMNS = 'first_seq, last_seq, earliest_at, latest_at, ids, callers, judgements, allowed, denied, prev_hash, last_hash, entries';

/** The VALUES of a batch's row, in BATCH_COLUMNS' order. */
export function batchValues(v: SqlValues, b: Batch): string {
  return [
    v.int(b.firstSeq),
    v.int(b.lastSeq),
    v.text(b.earliestAt),
    v.text(b.latestAt),
    v.textArray(b.ids),
    v.textArray(b.callers),
    v.byteaArray(b.judgements),
    v.int(b.allowed),
    v.int(b.denied),
    v.bytea(b.prevHash),
    v.bytea(b.lastHash),
    v.text(b.entries),
  ].join(', ');
}

/** A batch row as read. */
export interface BatchRow {
  first_seq: number | string;
  last_seq: number | string;
  earliest_at: string;
  latest_at: string;
  ids: string[];
  callers: string[];
  judgements: (Buffer | Uint8Array)[];
  allowed: number;
  denied: number;
  prev_hash: Buffer | Uint8Array;
  last_hash: Buffer | Uint8Array;
  entries: string;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const isEntry = (e: unknown): e is BatchEntry =>
  Array.isArray(e) &&
  (e.length === 11 || (e.length === 12 && e[11] === 1 && isPlainObject(e[8]) && FIELDS_IN_ENTRY.every((k) => !(k in (e[8] as object))))) &&
  Number.isSafeInteger(e[0]) &&
  e.slice(1, 8).every((x) => typeof x === 'string') &&
  e[8] !== undefined &&
  (e[9] === null || typeof e[9] === 'string') &&
  typeof e[10] === 'string';

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && new Set([...a, ...b]).size === a.length;

/** A batch row's decisions (their `prevHash` chained inside the batch), or why they cannot be trusted. */
export function expandBatch(b: BatchRow): LogRow[] | UnreadableRows {
  const firstSeq = Number(b.first_seq);
  const lastSeq = Number(b.last_seq);
  const where = `decisions ${firstSeq} to ${lastSeq}`;
  let entries: unknown;
  try {
    entries = JSON.parse(b.entries);
  } catch {
    return { seq: firstSeq, unreadable: `${where}: the stored batch is not readable` };
  }
  if (!Array.isArray(entries) || entries.length === 0 || !entries.every(isEntry)) return { seq: firstSeq, unreadable: `${where}: the stored batch is not readable` };
  const want = indexOf(entries, hex(b.prev_hash));
  const agrees =
    want.firstSeq === firstSeq &&
    want.lastSeq === lastSeq &&
    want.earliestAt === b.earliest_at &&
    want.latestAt === b.latest_at &&
    sameList(want.ids, b.ids) &&
    sameSet(want.callers, b.callers) &&
    sameSet(want.judgements, b.judgements.map(hex)) &&
    want.allowed === Number(b.allowed) &&
    want.denied === Number(b.denied) &&
    want.lastHash === hex(b.last_hash);
  if (!agrees) return { seq: firstSeq, unreadable: `${where}: the batch's index (ids, callers, counts, times or last hash) no longer matches its decisions` };
  const rows: LogRow[] = [];
  let prev = want.prevHash;
  for (const e of entries) {
    rows.push({
      seq: e[0],
      id: e[1],
      decidedAt: e[2],
      caller: e[3],
      inputDigest: e[4],
      result: e[5],
      workspaceRevision: e[6],
      packs: e[7],
      // Hashed as written: JSON.stringify of what JSON.parse read from JSON.stringify's text is that text.
      body: JSON.stringify(e[8]),
      ...(e[11] === 1 ? { fieldsInEntry: true } : {}),
      judgement: e[9],
      entryHash: e[10],
      prevHash: prev,
    });
    prev = e[10];
  }
  return rows;
}

/** A stored decision as a batch's entry again. */
export function entryOf(r: LogRow): BatchEntry {
  const fields = [r.seq, r.id, r.decidedAt, r.caller, r.inputDigest, r.result, r.workspaceRevision, r.packs, JSON.parse(r.body) as unknown, r.judgement, r.entryHash] as const;
  return r.fieldsInEntry ? [...fields, 1] : [...fields];
}

/** A decision of the log's first format (a `server_decisions` row). */
export interface TableRow {
  seq: number | string;
  id: string;
  decided_at: string;
  caller: string;
  input_digest: Buffer | Uint8Array;
  result: string;
  workspace_revision: string;
  packs: string;
  body: string;
  prev_hash: Buffer | Uint8Array;
  entry_hash: Buffer | Uint8Array;
  judgement: Buffer | Uint8Array | null;
}

export const TABLE_COLUMNS = 'seq, id, decided_at, caller, input_digest, result, workspace_revision, packs, body, prev_hash, entry_hash, judgement';

export function fromTable(r: TableRow): LogRow {
  return {
    seq: Number(r.seq),
    id: r.id,
    decidedAt: r.decided_at,
    caller: r.caller,
    inputDigest: hex(r.input_digest),
    result: r.result,
    workspaceRevision: r.workspace_revision,
    packs: r.packs,
    body: r.body,
    prevHash: hex(r.prev_hash),
    entryHash: hex(r.entry_hash),
    judgement: r.judgement ? hex(r.judgement) : null,
  };
}

/** The entry hash of decision `seq` as stored (null: no such decision, or its batch is unreadable). */
export async function storedEntryHash(q: Queryable, seq: number): Promise<string | null> {
  const [row] = await q.query<{ entry_hash: Buffer }>('SELECT entry_hash FROM server_decisions WHERE seq = $1', [seq]);
  if (row) return hex(row.entry_hash);
  const [b] = await q.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM server_decision_batches WHERE first_seq <= $1 AND last_seq >= $1 ORDER BY first_seq DESC LIMIT 1`, [seq]);
  if (!b) return null;
  if (Number(b.last_seq) === seq) return hex(b.last_hash);
  const rows = expandBatch(b);
  return 'unreadable' in rows ? null : (rows.find((r) => r.seq === seq)?.entryHash ?? null);
}

/** How many decisions are stored, and the lowest and highest seq (both formats). */
export async function storedSpan(q: Queryable): Promise<{ n: number; lo: number | null; hi: number | null }> {
  // Read the tables, not their indexes (`+ 0`): a table file truncated on disk leaves index entries
  // pointing at nothing, and the check must report the decisions missing, not fail on the index.
  const [c] = await q.query<{ n: number | string; lo: number | string | null; hi: number | string | null }>(
    `SELECT d.n + coalesce(b.n, 0) AS n, least(d.lo, b.lo) AS lo, greatest(d.hi, b.hi) AS hi
       FROM (SELECT count(*) AS n, min(seq + 0) AS lo, max(seq + 0) AS hi FROM server_decisions) d,
            (SELECT sum(last_seq - first_seq + 1) AS n, min(first_seq + 0) AS lo, max(last_seq + 0) AS hi FROM server_decision_batches) b`,
  );
  const num = (x: number | string | null | undefined) => (x === null || x === undefined ? null : Number(x));
  return { n: Number(c?.n ?? 0), lo: num(c?.lo), hi: num(c?.hi) };
}

/**
 * The lowest and highest seq stored (both formats), found through the indexes: a few rows whatever the
 * log's size. Each read fetches a column the index does not hold (entry_hash, last_seq), so the row
 * itself is read, never only its index entry; a table file damaged on disk makes the read fail (the
 * caller then falls back to storedSpan, which reads the tables whole).
 */
export async function storedEnds(q: Queryable): Promise<{ lo: number | null; hi: number | null }> {
  // The conditions name a column outside the index, so that no scan of the index alone can answer.
  const [c] = await q.query<{ lo: number | string | null; hi: number | string | null }>(
    `SELECT least((SELECT seq FROM server_decisions WHERE length(entry_hash) > 0 ORDER BY seq LIMIT 1),
                  (SELECT first_seq FROM server_decision_batches WHERE last_seq >= first_seq ORDER BY first_seq LIMIT 1)) AS lo,
            greatest((SELECT seq FROM server_decisions WHERE length(entry_hash) > 0 ORDER BY seq DESC LIMIT 1),
                     (SELECT last_seq FROM server_decision_batches WHERE last_seq >= first_seq ORDER BY first_seq DESC LIMIT 1)) AS hi`,
  );
  const num = (x: number | string | null | undefined) => (x === null || x === undefined ? null : Number(x));
  return { lo: num(c?.lo), hi: num(c?.hi) };
}

/**
 * How many of the decisions `from`..`to` are stored (both formats), through the indexes: the rows of
 * that range only (a batch holds at least one decision, so at most to - from + 1 rows).
 */
export async function storedCountBetween(q: Queryable, from: number, to: number): Promise<number> {
  const [c] = await q.query<{ n: number | string | null }>(
    `SELECT (SELECT count(*) FROM server_decisions WHERE seq BETWEEN $1 AND $2 AND length(entry_hash) > 0)
          + coalesce((SELECT sum(least(last_seq, $2) - greatest(first_seq, $1) + 1) FROM server_decision_batches
                       WHERE first_seq BETWEEN coalesce((SELECT max(first_seq) FROM server_decision_batches WHERE first_seq <= $1), $1) AND $2
                         AND last_seq >= $1 AND last_seq >= first_seq), 0) AS n`,
    [from, to],
  );
  return Number(c?.n ?? 0);
}

/** The size in bytes of the two tables' files (what the database finds on disk now). */
export async function storedFileSizes(q: Queryable): Promise<{ decisions: number; batches: number }> {
  const [c] = await q.query<{ decisions: number | string; batches: number | string }>(
    "SELECT pg_relation_size('server_decisions') AS decisions, pg_relation_size('server_decision_batches') AS batches",
  );
  return { decisions: Number(c?.decisions ?? 0), batches: Number(c?.batches ?? 0) };
}
