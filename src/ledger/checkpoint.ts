/**
 * Signed checkpoints: pruning entries older than the retention (SEC-LOG-1) removes the start of the
 * chain, so the chain must resume from something the auditor can trust. The checkpoint holds the last
 * pruned sequence number and hash, the counts of the years dropped, and the digest of the person hashes
 * kept (years still in retention stay exact). It is signed with HMAC-SHA-256 under the organisation's
 * key — the same secret that keys the person hashes, so no second key to manage; whoever can check the
 * counts can check the checkpoint (see docs/ledger.md for the trade-off against Ed25519).
 */
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import type { LedgerCategory } from './categories.js';

export interface CheckpointBody {
  v: 1;
  organization: string;
  lastSeq: number;
  lastHash: string;
  /** Entries dated before this day (in China) were pruned. */
  before: string;
  prunedAt: string;
  prunedEntries: number;
  /** The previous checkpoint's signature (hex), or null: checkpoints chain too. */
  previous: string | null;
  keyFingerprint: string;
  /** Distinct counts of the years whose hashes were dropped, as they were at pruning. */
  droppedCounts: { year: number; category: LedgerCategory; count: number }[];
  /** Person hashes kept whose adding entry was pruned: count and set digest per year and category. */
  retained: { year: number; category: LedgerCategory; count: number; digest: string }[];
}

const PREFIX = 'chujing:ledger:checkpoint:v1\n';

export function serialiseCheckpoint(body: CheckpointBody): string {
  return canonicalJson(body);
}

export function signCheckpoint(key: KeyObject, bodyText: string): Buffer {
  return createHmac('sha256', key).update(PREFIX).update(bodyText).digest();
}

export function checkCheckpoint(key: KeyObject, bodyText: string, signature: Buffer): boolean {
  const expected = signCheckpoint(key, bodyText);
  return expected.length === signature.length && timingSafeEqual(expected, signature);
}

const SEAL_PREFIX = 'chujing:ledger:head:v1\n';

/**
 * The chain head's seal: an unkeyed hash chain can be recomputed by whoever rewrites it, so the head is
 * also MACed with the organisation key at every append. Without the key a rewrite of the tail and the
 * head row cannot be re-sealed.
 */
export function sealHead(key: KeyObject, organization: string, seq: number, hash: string): Buffer {
  return createHmac('sha256', key).update(SEAL_PREFIX).update(`${organization}\n${seq}\n${hash}`).digest();
}

export function checkSeal(key: KeyObject, organization: string, seq: number, hash: string, seal: Buffer): boolean {
  const expected = sealHead(key, organization, seq, hash);
  return expected.length === seal.length && timingSafeEqual(expected, seal);
}

const ENTRY_SEAL_PREFIX = 'chujing:ledger:entry-seal:v1\n';

/**
 * Each entry's seal (format 2): HMAC of (organisation, seq, entry hash) under the organisation key. The
 * head seal alone says THAT a tail was re-chained; the first entry whose seal fails says WHERE it starts.
 */
export function sealEntry(key: KeyObject, organization: string, seq: number, hash: string): Buffer {
  return createHmac('sha256', key).update(ENTRY_SEAL_PREFIX).update(`${organization}\n${seq}\n${hash}`).digest();
}

export function checkEntrySeal(key: KeyObject, organization: string, seq: number, hash: string, seal: Buffer): boolean {
  const expected = sealEntry(key, organization, seq, hash);
  return expected.length === seal.length && timingSafeEqual(expected, seal);
}
