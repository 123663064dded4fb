/**
 * Recording executed transfers. A whole call is one transaction: either every entry of the batch with
 * all its person hashes is visible, or none is (a crash or a bad row leaves nothing behind).
 *
 * Order of work, chosen for concurrency on a server: the hashes are first staged in a temporary table
 * (no lock held, so two importers stage in parallel); then the organisation's chain head row is locked
 * (SELECT … FOR UPDATE) and the entry is appended. The lock serialises appends, so the chain stays one
 * line and every person hash is attributed to exactly one entry, whichever process commits first.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { sealEntry, sealHead } from './checkpoint.js';
import { ChujingError } from '../errors.js';
import type { Queryable, Store } from '../store/index.js';
import { CATEGORY_CODE, LEDGER_CATEGORIES, categoryOfCode, perCategory, type PerCategory } from './categories.js';
import { ENTRY_HASH_VERSION, chinaDate, chinaYear, computeEntryHash, genesisHash, sameContent, type AddedHashes, type LedgerEntry, type LedgerEntryContent } from './entry.js';
import { RECORD_BYTES, type HashSource } from './hash-batches.js';
import { msg } from '../i18n/index.js';
import { rowToEntry, type EntryRow } from './rows.js';
import { ADD_STAGED, ADVANCE_STAGED, ENTRY_COLUMNS, MAYBE_OUT_OF_ORDER, STAGED_DISTINCT, STAGING_COPY, STAGING_CREATE, STAGING_INSERT, stagingCsv } from './sql.js';
import { invalidateSummary } from './summary.js';

export interface RecordItem {
  /** The transfer; a function is called after the hashes are read (e.g. records = rows read). */
  content: LedgerEntryContent | (() => LedgerEntryContent);
  hashes?: HashSource;
}

export interface RecordProgress {
  id: string;
  /** Hashes staged so far for this entry. */
  staged: number;
}

export interface RecordOptions {
  /** keyFingerprint() of the organisation key the hashes were made with. */
  keyFingerprint: string;
  /** The organisation key, to seal the chain head (checkpoint.ts sealHead); without it the head is unsealed. */
  key?: KeyObject;
  onProgress?: (p: RecordProgress) => void;
}

export interface RecordOutcome {
  organization: string;
  id: string;
  seq: number;
  status: 'recorded' | 'unchanged';
  added: PerCategory<number>;
  identifiersRead: PerCategory<number>;
  /** Distinct persons/vehicles of this entry alone. */
  distinct: PerCategory<number>;
  forced: string | null;
}

const hexBuf = (hex: string) => Buffer.from(hex, 'hex');

async function stage(tx: Queryable, id: string, hashes: HashSource | undefined, onProgress?: (p: RecordProgress) => void) {
  await tx.exec('TRUNCATE ledger_staging');
  const digest = createHash('sha256');
  const read = perCategory(() => 0);
  let staged = 0;
  if (hashes) {
    for await (const batch of hashes) {
      const n = batch.length / RECORD_BYTES;
      if (!Number.isInteger(n)) throw new ChujingError('internal', msg('ledger.internal-batch'));
      for (let i = 0; i < batch.length; i += RECORD_BYTES) {
        const c = categoryOfCode(batch[i]!);
        if (!c) throw new ChujingError('internal', msg('ledger.internal-category', { code: batch[i]! }));
        read[c]++;
      }
      digest.update(batch);
      // Sorted input is not needed here: the move into the distinct set sorts (ADD_STAGED).
      if (tx.copyFromCsv) await tx.copyFromCsv(STAGING_COPY, stagingCsv(batch, RECORD_BYTES));
      else await tx.query(STAGING_INSERT, [batch, n]);
      staged += n;
      onProgress?.({ id, staged });
    }
  }
  return { inputDigest: digest.digest('hex'), read };
}

/** Lock (creating if needed) the chain head of an organisation; refuse a different key. */
async function lockChain(tx: Queryable, organization: string, keyFingerprint: string): Promise<{ seq: number; hash: string }> {
  await tx.query('INSERT INTO ledger_chains (organization, head_seq, head_hash, key_fingerprint) VALUES ($1, 0, $2, $3) ON CONFLICT (organization) DO NOTHING', [
    organization,
    hexBuf(genesisHash(organization)),
    keyFingerprint,
  ]);
  const [head] = await tx.query<{ head_seq: number; head_hash: Buffer; key_fingerprint: string }>(
    'SELECT head_seq, head_hash, key_fingerprint FROM ledger_chains WHERE organization = $1 FOR UPDATE',
    [organization],
  );
  if (!head) throw new ChujingError('internal', msg('ledger.internal-chain-vanished', { organization }));
  if (head.key_fingerprint !== keyFingerprint) {
    throw new ChujingError('bad-input', msg('ledger.key-mismatch', { organization }), [
      { field: 'key', message: msg('ledger.key-mismatch-detail', { have: keyFingerprint, want: head.key_fingerprint }), expected: msg('ledger.key-mismatch-expected') },
    ]);
  }
  return { seq: Number(head.head_seq), hash: Buffer.from(head.head_hash).toString('hex') };
}

async function appendOne(tx: Queryable, item: RecordItem, options: RecordOptions): Promise<RecordOutcome> {
  const preview = typeof item.content === 'function' ? null : item.content;
  const { inputDigest, read } = await stage(tx, preview?.id ?? '(manifest)', item.hashes, options.onProgress);
  const content = typeof item.content === 'function' ? item.content() : item.content;
  const year = chinaYear(content.time);
  const head = await lockChain(tx, content.organization, options.keyFingerprint);

  const [existingRow] = await tx.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE organization = $1 AND id = $2`, [content.organization, content.id]);
  if (existingRow) {
    const existing = rowToEntry(existingRow);
    // A format-1 entry never recorded --force: compare as not forced.
    if (!sameContent({ ...existing, forced: existing.forced ?? null }, { ...content, inputDigest, identifiersRead: read })) {
      throw new ChujingError('conflict', msg('ledger.conflict', { organization: content.organization, id: content.id }), [
        { field: 'id', message: msg('ledger.conflict-detail', { id: content.id, seq: existing.seq }), expected: msg('ledger.conflict-expected') },
      ]);
    }
    return {
      organization: content.organization,
      id: content.id,
      seq: existing.seq,
      status: 'unchanged',
      added: perCategory(() => 0),
      identifiersRead: read,
      distinct: existing.distinct ?? read,
      forced: existing.forced ?? null,
    };
  }

  const seq = head.seq + 1;
  const date = chinaDate(content.time);
  const distinct = perCategory(() => 0);
  for (const r of await tx.query<{ category: number; n: number }>(STAGED_DISTINCT)) {
    const c = categoryOfCode(Number(r.category));
    if (c) distinct[c] = Number(r.n);
  }
  // Persons this entry sent earlier than any entry recorded before it: their first sending moves back
  // to this entry's date (year-to-date is by when persons were sent, whatever order they were recorded).
  const dayDelta = new Map<string, number>();
  const bump = (category: number, day: string, n: number) => {
    const k = `${category}|${day}`;
    dayDelta.set(k, (dayDelta.get(k) ?? 0) + n);
  };
  const [maybe] = await tx.query<{ maybe: boolean }>(MAYBE_OUT_OF_ORDER, [content.organization, year, content.time]);
  if (maybe?.maybe) {
    for (const r of await tx.query<{ category: number; date: string; n: number }>(ADVANCE_STAGED, [content.organization, year, content.time, date])) {
      bump(Number(r.category), r.date, -Number(r.n));
      bump(Number(r.category), date, Number(r.n));
    }
  }
  const addedRows = await tx.query<{ category: number; n: number; digest: Buffer }>(ADD_STAGED, [content.organization, year, seq, content.time, date]);
  const added: PerCategory<AddedHashes> = perCategory(() => ({ count: 0, digest: '' }));
  for (const r of addedRows) {
    const c = categoryOfCode(Number(r.category));
    if (c) added[c] = { count: Number(r.n), digest: Buffer.from(r.digest).toString('hex') };
  }
  for (const c of LEDGER_CATEGORIES) if (added[c].count) bump(CATEGORY_CODE[c], date, added[c].count);
  for (const [k, n] of dayDelta) {
    if (n === 0) continue;
    const [category, day] = k.split('|');
    await tx.query(
      `INSERT INTO ledger_days (organization, year, category, date, new_count) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organization, year, category, date) DO UPDATE SET new_count = ledger_days.new_count + EXCLUDED.new_count`,
      [content.organization, year, Number(category), day, n],
    );
  }
  await tx.query('DELETE FROM ledger_days WHERE organization = $1 AND year = $2 AND new_count = 0', [content.organization, year]);
  for (const c of LEDGER_CATEGORIES) {
    if (added[c].count === 0) continue;
    await tx.query(
      `INSERT INTO ledger_counts (organization, year, category, distinct_count) VALUES ($1, $2, $3, $4)
       ON CONFLICT (organization, year, category) DO UPDATE SET distinct_count = ledger_counts.distinct_count + EXCLUDED.distinct_count`,
      [content.organization, year, CATEGORY_CODE[c], added[c].count],
    );
  }
  const forced = content.forced ?? null;
  const entry: Omit<LedgerEntry, 'entryHash'> = { ...content, forced, hashVersion: ENTRY_HASH_VERSION, seq, year, identifiersRead: read, inputDigest, added, distinct, prevHash: head.hash };
  const entryHash = computeEntryHash(entry);
  const entrySeal = options.key ? sealEntry(options.key, entry.organization, seq, entryHash) : null;
  await tx.query(
    `INSERT INTO ledger_entries (organization, seq, id, occurred_at, year, datasets, recipient, kind, mechanism, approval_reference,
       channel, operator, records, bytes, identifiers_read, input_digest, added, prev_hash, entry_hash, hash_version, forced, distinct_counts, seal)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $17::jsonb, $18, $19, $20, $21, $22::jsonb, $23)`,
    [
      entry.organization, seq, entry.id, entry.time, year, entry.datasets, entry.recipient, entry.kind, entry.mechanism, entry.approvalReference,
      entry.channel, entry.operator, entry.records, entry.bytes, JSON.stringify(read), hexBuf(inputDigest), JSON.stringify(added), hexBuf(head.hash), hexBuf(entryHash),
      ENTRY_HASH_VERSION, forced, JSON.stringify(distinct), entrySeal,
    ],
  );
  const seal = options.key ? sealHead(options.key, entry.organization, seq, entryHash) : null;
  await tx.query('UPDATE ledger_chains SET head_seq = $2, head_hash = $3, head_seal = $4 WHERE organization = $1', [entry.organization, seq, hexBuf(entryHash), seal]);
  return { organization: entry.organization, id: entry.id, seq, status: 'recorded', added: perCategory((c) => added[c].count), identifiersRead: read, distinct, forced };
}

/** Record a batch of transfers atomically. Same id and same content again: 'unchanged'. Same id, other content: conflict. */
export async function recordEntries(store: Store, items: Iterable<RecordItem> | AsyncIterable<RecordItem>, options: RecordOptions): Promise<RecordOutcome[]> {
  // The summary assess reads without opening the database stops being current now (summary.ts).
  invalidateSummary(store);
  return store.transaction(async (tx) => {
    await tx.exec(STAGING_CREATE);
    // A batch spanning several organisations locks their chain heads up front, in one global order, so
    // two such batches running at once cannot deadlock. (A single-organisation import locks only after
    // staging, so large imports stage in parallel.)
    if (Array.isArray(items)) {
      const orgs = [...new Set((items as RecordItem[]).flatMap((i) => (typeof i.content === 'function' ? [] : [i.content.organization])))].sort();
      if (orgs.length > 1) for (const org of orgs) await lockChain(tx, org, options.keyFingerprint);
    }
    const out: RecordOutcome[] = [];
    for await (const item of items) out.push(await appendOne(tx, item, options));
    return out;
  });
}
