/**
 * A ledger entry: one executed outbound transfer as SEC-LOG-1 asks it to be logged (time, operator,
 * recipient, data, volume, mechanism and approval reference, channel), plus what the person hashes
 * added to the year-to-date counts. `entryHash` commits to the previous entry's hash, the sequence
 * number and all of it (the hash chain that `ledger verify` walks).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import { LEDGER_CATEGORIES, type PerCategory } from './categories.js';

/** What the caller says about the transfer (everything but the hashes and the chain position). */
export interface LedgerEntryContent {
  id: string;
  /** ISO instant in UTC (`2026-03-01T02:00:00.000Z`). */
  time: string;
  organization: string;
  datasets: string[];
  recipient: string;
  kind: string;
  mechanism: string | null;
  approvalReference: string | null;
  channel: string | null;
  operator: string | null;
  records: number | null;
  bytes: number | null;
  /**
   * Why it was recorded although admission refused it (`--force`): 'prohibited' (assess finds the
   * transfer prohibited, core data), 'undeclared' (no such transfer in the workspace), or both joined
   * by ','. Null or absent: admitted normally. Part of the hashed content (format 2).
   */
  forced?: string | null;
}

/** What one category of person hashes added to the distinct set (count and SQL-computed digest, hex). */
export interface AddedHashes {
  count: number;
  digest: string;
}

export interface LedgerEntry extends LedgerEntryContent {
  /** Hash format: 1 (before distinct counts and --force were recorded) or 2. */
  hashVersion: 1 | 2;
  seq: number;
  /** CNT-2: the calendar year in China of `time`. */
  year: number;
  /** Identifiers read per category (with repeats): the volume as sent. */
  identifiersRead: PerCategory<number>;
  /** SHA-256 over the (category, hash) records in the order they were read (idempotency by content). */
  inputDigest: string;
  added: PerCategory<AddedHashes>;
  /** Format 2: distinct persons/vehicles of this entry alone, per category (its own volume). */
  distinct?: PerCategory<number>;
  prevHash: string;
  entryHash: string;
}

/** The current format of new entries. */
export const ENTRY_HASH_VERSION = 2 as const;

export const GENESIS_PREFIX = 'chujing:ledger:genesis:v1:';
const ENTRY_PREFIX = 'chujing:ledger:entry:v1\n';

/** Hash every chain of an organisation starts from. */
export function genesisHash(organization: string): string {
  return createHash('sha256').update(GENESIS_PREFIX + organization).digest('hex');
}

type TransferFields = LedgerEntryContent & { inputDigest: string };

/**
 * The fields that describe what was sent. The chain hash and the idempotency check both use this one
 * list, so a field added here is hashed and compared alike. (canonicalJson sorts keys: where the fields
 * are listed does not change the serialisation.)
 */
function transferFields(e: TransferFields) {
  return {
    // Absent (undefined: left out of the serialisation) for format 1 entries, null or the reason after.
    forced: e.forced,
    id: e.id,
    time: e.time,
    organization: e.organization,
    datasets: e.datasets,
    recipient: e.recipient,
    kind: e.kind,
    mechanism: e.mechanism,
    approvalReference: e.approvalReference,
    channel: e.channel,
    operator: e.operator,
    records: e.records,
    bytes: e.bytes,
    inputDigest: e.inputDigest,
  };
}

/** The canonical serialisation the chain hashes (everything stored, except when it was stored). */
export function entryCanonical(e: Omit<LedgerEntry, 'entryHash'>): string {
  const common = {
    seq: e.seq,
    prev: e.prevHash,
    year: e.year,
    identifiersRead: Object.fromEntries(LEDGER_CATEGORIES.map((c) => [c, e.identifiersRead[c]])),
    added: Object.fromEntries(LEDGER_CATEGORIES.map((c) => [c, { count: e.added[c].count, digest: e.added[c].digest }])),
  };
  if (e.hashVersion === 1) return canonicalJson({ v: 1, ...transferFields({ ...e, forced: undefined }), ...common });
  return canonicalJson({
    v: 2,
    ...transferFields({ ...e, forced: e.forced ?? null }),
    ...common,
    distinct: Object.fromEntries(LEDGER_CATEGORIES.map((c) => [c, e.distinct?.[c] ?? 0])),
  });
}

export function computeEntryHash(e: Omit<LedgerEntry, 'entryHash'>): string {
  return createHash('sha256').update(ENTRY_PREFIX).update(entryCanonical(e)).digest('hex');
}

/** Same transfer, same content: recording it again changes nothing (idempotency). */
export function sameContent(a: TransferFields & { identifiersRead: PerCategory<number> }, b: TransferFields & { identifiersRead: PerCategory<number> }): boolean {
  const pick = (e: typeof a) => canonicalJson({ ...transferFields({ ...e, forced: e.forced ?? null }), identifiersRead: e.identifiersRead });
  return pick(a) === pick(b);
}

/** CNT-2: the counting year is the calendar year in China (UTC+8) of the transfer. */
export function chinaYear(isoInstant: string): number {
  return new Date(Date.parse(isoInstant) + 8 * 3_600_000).getUTCFullYear();
}

/** The date in China (YYYY-MM-DD) of an instant (retention is counted in dates). */
export function chinaDate(isoInstant: string): string {
  return new Date(Date.parse(isoInstant) + 8 * 3_600_000).toISOString().slice(0, 10);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * Normalise a transfer time to a UTC instant. A bare date is a date in China (midnight UTC+8); a date-time
 * must carry its offset, so no machine's time zone leaks in. Returns null when it is not a valid time.
 */
export function normaliseTime(value: string): string | null {
  let text = value.trim();
  if (DATE_ONLY.test(text)) text = `${text}T00:00:00+08:00`;
  else if (!DATE_TIME.test(text)) return null;
  const t = Date.parse(text);
  if (!Number.isFinite(t)) return null;
  const iso = new Date(t).toISOString();
  // Reject dates that Date silently rolled over (2026-02-30).
  if (DATE_ONLY.test(value.trim()) && chinaDate(iso) !== value.trim()) return null;
  return iso;
}
