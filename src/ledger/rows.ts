/** Mapping between ledger_entries rows and LedgerEntry values (both back-ends return the same shapes). */
import { LEDGER_CATEGORIES, type PerCategory } from './categories.js';
import type { AddedHashes, LedgerEntry } from './entry.js';

export interface EntryRow {
  organization: string;
  seq: number;
  id: string;
  occurred_at: string;
  year: number;
  datasets: string[];
  recipient: string;
  kind: string;
  mechanism: string | null;
  approval_reference: string | null;
  channel: string | null;
  operator: string | null;
  records: number | null;
  bytes: number | null;
  identifiers_read: Record<string, number>;
  input_digest: Buffer;
  added: Record<string, AddedHashes>;
  prev_hash: Buffer;
  entry_hash: Buffer;
  recorded_at: Date | string;
  hash_version: number;
  forced: string | null;
  distinct_counts: Record<string, number> | string | null;
  seal: Buffer | null;
}

const hex = (b: Buffer | null | undefined) => (b ? Buffer.from(b).toString('hex') : '');
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export function rowToEntry(r: EntryRow): LedgerEntry & { recordedAt: string; seal: string | null } {
  const read = json<Record<string, number>>(r.identifiers_read) ?? {};
  const added = json<Record<string, AddedHashes>>(r.added) ?? {};
  const distinct = json<Record<string, number> | null>(r.distinct_counts);
  const v1 = Number(r.hash_version ?? 1) === 1;
  return {
    hashVersion: v1 ? 1 : 2,
    ...(v1 ? {} : { forced: r.forced ?? null, distinct: Object.fromEntries(LEDGER_CATEGORIES.map((c) => [c, Number(distinct?.[c] ?? 0)])) as PerCategory<number> }),
    organization: r.organization,
    seq: Number(r.seq),
    id: r.id,
    time: r.occurred_at,
    year: Number(r.year),
    datasets: r.datasets ?? [],
    recipient: r.recipient,
    kind: r.kind,
    mechanism: r.mechanism,
    approvalReference: r.approval_reference,
    channel: r.channel,
    operator: r.operator,
    records: num(r.records),
    bytes: num(r.bytes),
    identifiersRead: Object.fromEntries(LEDGER_CATEGORIES.map((c) => [c, Number(read[c] ?? 0)])) as PerCategory<number>,
    inputDigest: hex(r.input_digest),
    added: Object.fromEntries(LEDGER_CATEGORIES.map((c) => [c, { count: Number(added[c]?.count ?? 0), digest: String(added[c]?.digest ?? '') }])) as PerCategory<AddedHashes>,
    prevHash: hex(r.prev_hash),
    entryHash: hex(r.entry_hash),
    recordedAt: r.recorded_at instanceof Date ? r.recorded_at.toISOString() : String(r.recorded_at),
    seal: r.seal ? hex(r.seal) : null,
  };
}
