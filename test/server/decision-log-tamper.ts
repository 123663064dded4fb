/**
 * Changing the decision log behind chujing's back, as someone with SQL access to its database would:
 * a decision edited or removed inside its batch, with the batch's index columns rewritten to agree
 * (what a careful attacker does, so only the hashes can show it), and the batch put back as it was.
 */
import { batchOf, batchValues, BATCH_COLUMNS, hex, SqlValues, type Batch, type BatchEntry, type BatchRow } from '../../src/server/decision-log-rows.js';
import type { Queryable, Store } from '../../src/store/index.js';

/** The stored batch holding decision `seq` (its row as read). */
export async function batchHolding(store: Queryable, seq: number): Promise<BatchRow> {
  const [b] = await store.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM server_decision_batches WHERE first_seq <= $1 AND last_seq >= $1`, [seq]);
  if (!b) throw new Error(`no batch holds decision ${seq}`);
  return b;
}

async function write(store: Store, replacing: number, entries: BatchEntry[], prevHash: string): Promise<void> {
  const v = new SqlValues(store.kind === 'pglite');
  await store.query(`DELETE FROM server_decision_batches WHERE first_seq = ${v.int(replacing)}`, v.params.length ? v.params : undefined);
  const w = new SqlValues(store.kind === 'pglite');
  await store.query(`INSERT INTO server_decision_batches (${BATCH_COLUMNS}) VALUES (${batchValues(w, batchOf(entries, prevHash))})`, w.params.length ? w.params : undefined);
}

/** Rewrite the batch `b` with `change(entries)` (which may edit them in place or return others); its index agrees with them. */
export async function rewriteBatch(store: Store, b: BatchRow, change: (entries: BatchEntry[]) => BatchEntry[] | void): Promise<void> {
  const entries = JSON.parse(b.entries) as BatchEntry[];
  const changed = change(entries) ?? entries;
  await write(store, Number(b.first_seq), changed, hex(b.prev_hash));
}

/** Put a batch back exactly as it was read (after rewriteBatch changed it). */
export async function restoreBatch(store: Store, b: BatchRow): Promise<void> {
  await store.query('DELETE FROM server_decision_batches WHERE first_seq <= $1 AND last_seq >= $2', [Number(b.last_seq), Number(b.first_seq)]);
  const v = new SqlValues(store.kind === 'pglite');
  const batch: Batch = {
    firstSeq: Number(b.first_seq),
    lastSeq: Number(b.last_seq),
    earliestAt: b.earliest_at,
    latestAt: b.latest_at,
    ids: b.ids,
    callers: b.callers,
    judgements: b.judgements.map(hex),
    allowed: Number(b.allowed),
    denied: Number(b.denied),
    prevHash: hex(b.prev_hash),
    lastHash: hex(b.last_hash),
    entries: b.entries,
  };
  await store.query(`INSERT INTO server_decision_batches (${BATCH_COLUMNS}) VALUES (${batchValues(v, batch)})`, v.params.length ? v.params : undefined);
}
