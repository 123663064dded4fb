/**
 * One table of keyed-hash digests with category flags: the manifest counter's exact distinct counts of
 * persons, sensitive persons, charging-consumption persons, persons identifiable by vehicle ids and
 * vehicles (CNT-1, PI-4, DRAFT-J12, DRAFT-J9, DRAFT-J8), in one pass over one table.
 *
 * Why not one set per category: every person went into up to four identical sets, and each insert into
 * a large table is a cache miss (measured: 730 ns per insert into a 128 MB table against 72 ns when the
 * table is in cache). Here a digest is stored once with a flag word, and inserts are **radix
 * partitioned**: the digest's first byte picks one of 256 partitions; new digests are appended to that
 * partition's small buffer (sequential writes), and a full buffer is inserted into its partition's hash
 * table in one go, while that table — 1/256 of the whole — sits in the CPU cache.
 *
 * Exactness: each slot keeps the first 16 bytes of the HMAC-SHA-256 digest (the collision argument is in
 * digest-set.ts: n²/2¹²⁹, a collision could only lower a count by one). Counts are kept per flag as
 * digests gain flags, so reading them costs nothing. The test holds the counts against a naive Set.
 */
import { DigestSet } from './digest-set.js';

/** Flags of one digest. */
export const PERSON = 1;
export const SENSITIVE = 2;
export const CHARGING = 4;
/** A person identifiable by a vehicle identifier (DRAFT-J9): persons on records with a VIN / ICCID / IMSI, and the keepers of vehicles on records without a person. */
export const BY_VEHICLE = 8;
export const VEHICLE = 16;
export const FLAGS = { persons: PERSON, sensitivePersons: SENSITIVE, chargingPersons: CHARGING, personsByVehicleIds: BY_VEHICLE, vehicles: VEHICLE } as const;
export type FlagName = keyof typeof FLAGS;
const FLAG_BITS = [PERSON, SENSITIVE, CHARGING, BY_VEHICLE, VEHICLE];

const PARTITIONS = 256;
/** Entries buffered per partition before they are inserted (5 words each: 256 × 256 × 20 B = 1.3 MB). */
const BATCH = 256;
const WORDS = 5;
const MIN_SLOTS = 8;
const MAX_LOAD = 0.5;

export class PersonTable {
  private readonly tables: Int32Array[] = [];
  private readonly masks = new Int32Array(PARTITIONS);
  private readonly used = new Int32Array(PARTITIONS);
  /** Allocated at the first add (a dataset without manifests never pays for it). */
  private buffer: Int32Array | null = null;
  private readonly fill = new Int32Array(PARTITIONS);
  private readonly counts = new Float64Array(FLAG_BITS.length);
  private pending = 0;

  /** `expected`: distinct digests expected (sizes the partitions; they grow when it is exceeded). */
  constructor(expected = 0) {
    let slots = MIN_SLOTS;
    while (slots * MAX_LOAD * PARTITIONS < expected) slots *= 2;
    for (let p = 0; p < PARTITIONS; p++) {
      this.tables.push(new Int32Array(slots * WORDS));
      this.masks[p] = slots - 1;
    }
  }

  /** Add a digest (its first 4 words) with `flags` (an OR of the flags above, never 0). */
  add(words: ArrayLike<number>, flags: number): void {
    const a = words[0]! | 0;
    const p = a >>> 24;
    const n = this.fill[p]!;
    const at = (p * BATCH + n) * WORDS;
    const buf = (this.buffer ??= new Int32Array(PARTITIONS * BATCH * WORDS));
    buf[at] = a;
    buf[at + 1] = words[1]! | 0;
    buf[at + 2] = words[2]! | 0;
    buf[at + 3] = words[3]! | 0;
    buf[at + 4] = flags;
    this.pending++;
    this.fill[p] = n + 1;
    if (n + 1 === BATCH) this.flushPartition(p);
  }

  /** Distinct digests carrying `flag`. */
  count(flag: number): number {
    if (this.pending > 0) this.flush();
    return this.counts[FLAG_BITS.indexOf(flag)]!;
  }

  get size(): number {
    if (this.pending > 0) this.flush();
    let n = 0;
    for (let p = 0; p < PARTITIONS; p++) n += this.used[p]!;
    return n;
  }

  /** Bytes held (for the bench's memory figures). */
  get byteLength(): number {
    return this.tables.reduce((n, t) => n + t.byteLength, this.buffer?.byteLength ?? 0);
  }

  /** Insert every buffered digest. */
  flush(): void {
    for (let p = 0; p < PARTITIONS; p++) if (this.fill[p]! > 0) this.flushPartition(p);
  }

  private flushPartition(p: number): void {
    const count = this.fill[p]!;
    this.fill[p] = 0;
    this.pending -= count;
    const buf = this.buffer!;
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0;
    let t = this.tables[p]!;
    let mask = this.masks[p]!;
    let used = this.used[p]!;
    for (let e = 0, at = p * BATCH * WORDS; e < count; e++, at += WORDS) {
      if ((used + 1) > (mask + 1) * MAX_LOAD) {
        this.used[p] = used;
        t = this.grow(p);
        mask = this.masks[p]!;
      }
      const a = buf[at]!;
      const b = buf[at + 1]!;
      const c = buf[at + 2]!;
      const d = buf[at + 3]!;
      const flags = buf[at + 4]!;
      let slot = b & mask;
      for (;;) {
        const s = slot * WORDS;
        const old = t[s + 4]!;
        if (old === 0) {
          t[s] = a;
          t[s + 1] = b;
          t[s + 2] = c;
          t[s + 3] = d;
          t[s + 4] = flags;
          used++;
          if (flags & PERSON) c0++;
          if (flags & SENSITIVE) c1++;
          if (flags & CHARGING) c2++;
          if (flags & BY_VEHICLE) c3++;
          if (flags & VEHICLE) c4++;
          break;
        }
        if (t[s] === a && t[s + 1] === b && t[s + 2] === c && t[s + 3] === d) {
          const gained = flags & ~old;
          if (gained !== 0) {
            t[s + 4] = old | gained;
            if (gained & PERSON) c0++;
            if (gained & SENSITIVE) c1++;
            if (gained & CHARGING) c2++;
            if (gained & BY_VEHICLE) c3++;
            if (gained & VEHICLE) c4++;
          }
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    this.used[p] = used;
    const counts = this.counts;
    counts[0] = counts[0]! + c0;
    counts[1] = counts[1]! + c1;
    counts[2] = counts[2]! + c2;
    counts[3] = counts[3]! + c3;
    counts[4] = counts[4]! + c4;
  }

  private grow(p: number): Int32Array {
    const old = this.tables[p]!;
    const mask = this.masks[p]! * 2 + 1;
    const t = new Int32Array((mask + 1) * WORDS);
    for (let s = 0; s < old.length; s += WORDS) {
      if (old[s + 4] === 0) continue;
      let slot = old[s + 1]! & mask;
      while (t[slot * WORDS + 4] !== 0) slot = (slot + 1) & mask;
      t.set(old.subarray(s, s + WORDS), slot * WORDS);
    }
    this.tables[p] = t;
    this.masks[p] = mask;
    return t;
  }

  /** Visit every digest with its flags (the words array is reused between calls). */
  forEach(fn: (words: Int32Array, flags: number) => void): void {
    if (this.pending > 0) this.flush();
    const words = new Int32Array(4);
    for (const t of this.tables) {
      for (let s = 0; s < t.length; s += WORDS) {
        const flags = t[s + 4]!;
        if (flags === 0) continue;
        words[0] = t[s]!;
        words[1] = t[s + 1]!;
        words[2] = t[s + 2]!;
        words[3] = t[s + 3]!;
        fn(words, flags);
      }
    }
  }

  /** Exact union: every digest of `other` with its flags (evidence files of one dataset). */
  addAll(other: PersonTable): void {
    other.forEach((w, f) => this.add(w, f));
  }

  /** Every digest of a set, with `flags` (e.g. the VINs of a drive log as vehicles). */
  addSet(set: DigestSet, flags: number): void {
    set.forEachWords((w) => this.add(w, flags));
  }

  /** The digests carrying `flag`, as a set. */
  setOf(flag: number): DigestSet {
    const set = new DigestSet(this.count(flag));
    this.forEach((w, f) => {
      if (f & flag) set.add(w);
    });
    return set;
  }

  /** 20-byte records (4 digest words, flags; little-endian), for the evidence cache. */
  toBytes(): Uint8Array {
    const out = new Int32Array(this.size * WORDS);
    let k = 0;
    this.forEach((w, f) => {
      out.set(w, k);
      out[k + 4] = f;
      k += WORDS;
    });
    return new Uint8Array(out.buffer, 0, out.byteLength);
  }

  static fromBytes(bytes: Uint8Array): PersonTable {
    if (bytes.byteLength % (WORDS * 4) !== 0) throw new Error('person table bytes are not a whole number of 20-byte records');
    const words = new Int32Array(bytes.byteLength / 4);
    new Uint8Array(words.buffer).set(bytes);
    const table = new PersonTable(words.length / WORDS);
    for (let at = 0; at < words.length; at += WORDS) {
      const flags = words[at + 4]!;
      if (flags === 0 || (flags & ~31) !== 0) throw new Error('person table record with invalid flags');
      table.add(words.subarray(at, at + 4), flags);
    }
    return table;
  }
}
