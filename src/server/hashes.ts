/**
 * Person hashes in decision requests and executions. Callers send keyed hashes (hex), never
 * identifiers. A sensitive or charging-consumption person is a person too: every hash listed under
 * those categories is also counted under `persons`, as `ledger record` does.
 *
 * A transfer judged on counts alone (no hashes) is still recorded with its persons counted: each
 * declared person becomes one placeholder hash, HMAC(key, "chujing:declared-person:v1", organisation,
 * entry id, n) — unique to that entry, so it can never match a real person's hash nor another entry's.
 * The ledger's distinct counts then grow by exactly the declared numbers (no de-duplication is possible
 * without identifiers: the conservative side), `assess` and `ledger stats` see them like any other
 * persons, and `ledger verify` covers them.
 */
import { createHash, createHmac, type KeyObject } from 'node:crypto';
import type { CounterState } from '../engine/types.js';
import { CATEGORY_CODE, HashPacker, LEDGER_CATEGORIES, type HashSource, type LedgerCategory, type PerCategory } from '../ledger/index.js';
import type { DecisionRequest } from './schemas.js';

export interface PersonHashes {
  lists: PerCategory<Buffer[]>;
  counts: PerCategory<number>;
  /** SHA-256 (hex) over every category's sorted hashes: identifies the set without holding it. */
  digest: string;
}

export function parseHashes(h: DecisionRequest['hashes']): PersonHashes | null {
  if (!h) return null;
  const sets: Record<LedgerCategory, Set<string>> = { persons: new Set(), sensitivePersons: new Set(), chargingConsumptionPersons: new Set(), vehicles: new Set() };
  for (const c of LEDGER_CATEGORIES) for (const x of h[c] ?? []) sets[c].add(x.toLowerCase());
  for (const c of ['sensitivePersons', 'chargingConsumptionPersons'] as const) for (const x of sets[c]) sets.persons.add(x);
  const digest = createHash('sha256');
  const lists = {} as PerCategory<Buffer[]>;
  const counts = {} as PerCategory<number>;
  for (const c of LEDGER_CATEGORIES) {
    const sorted = [...sets[c]].sort();
    lists[c] = sorted.map((x) => Buffer.from(x, 'hex'));
    counts[c] = sorted.length;
    digest.update(Buffer.from([CATEGORY_CODE[c]]));
    for (const b of lists[c]) digest.update(b);
  }
  return { lists, counts, digest: digest.digest('hex') };
}

export async function* hashSource(h: PersonHashes): HashSource {
  const packer = new HashPacker();
  for (const c of LEDGER_CATEGORIES) {
    for (const b of h.lists[c]) {
      const full = packer.push(c, b);
      if (full) yield full;
    }
  }
  const last = packer.flush();
  if (last) yield last;
}

/** Placeholder hashes for declared counts (see above). */
export async function* declaredSource(key: KeyObject, organization: string, entryId: string, volume: CounterState): HashSource {
  const packer = new HashPacker();
  const n = Math.max(volume.persons, volume.sensitivePersons, volume.chargingConsumptionPersons);
  for (let i = 0; i < n; i++) {
    const hash = createHmac('sha256', key).update(`chujing:declared-person:v1\n${organization}\n${entryId}\n${i}`).digest();
    for (const c of ['persons', 'sensitivePersons', 'chargingConsumptionPersons'] as const) {
      if (c !== 'persons' && i >= volume[c]) continue;
      const full = packer.push(c, hash);
      if (full) yield full;
    }
    // Let other work run between large batches of hashing.
    if (i % 50_000 === 49_999) await new Promise<void>((r) => setImmediate(r));
  }
  const last = packer.flush();
  if (last) yield last;
}
