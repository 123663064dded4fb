/**
 * An exact set of keyed-hash digests, for counting distinct persons and vehicles (CNT-1: natural
 * persons, deduplicated) at millions of identifiers per second in bounded, predictable memory.
 *
 * Open addressing with linear probing over a flat Uint32Array: each slot holds the first 16 bytes
 * (4 words) of an HMAC-SHA-256 digest, so a million distinct identifiers take 16 MB of slots at most
 * 50 % load (32 MB), with no per-entry objects for the garbage collector — against ~100 bytes per
 * entry for a `Set` of 64-character hex strings.
 *
 * Why 16 bytes is exact enough: HMAC-SHA-256 under a secret key behaves as a random function, so two
 * different identifiers share a 128-bit prefix with probability 2^-128. Over n identifiers the chance of
 * any collision is at most n²/2^129: for n = 10^9 (far beyond any manifest) about 1.5 × 10^-21. A
 * collision could only make a count one too low; at that probability the count is exact in practice.
 * The slot index is taken from the digest's first word, which is uniformly distributed for the same
 * reason, so no further mixing is needed.
 */
const WORDS = 4;
const INITIAL_SLOTS = 1 << 12;
/** Grow when more than half the slots are used: linear probing stays short below that load. */
const MAX_LOAD = 0.5;

export class DigestSet {
  private table: Uint32Array;
  private mask: number;
  private count = 0;
  /** The all-zero prefix is the empty-slot marker, so it is tracked on its own (probability 2^-128). */
  private hasZero = false;

  constructor(expected = 0) {
    let slots = INITIAL_SLOTS;
    while (slots * MAX_LOAD < expected) slots *= 2;
    this.table = new Uint32Array(slots * WORDS);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.count + (this.hasZero ? 1 : 0);
  }

  /** Bytes held by the table (for the bench's memory figures). */
  get byteLength(): number {
    return this.table.byteLength;
  }

  /** Add a digest given as its first 4 words (e.g. `HmacSha256.out`); true when it was not there. */
  add(words: ArrayLike<number>): boolean {
    const a = words[0]! >>> 0;
    const b = words[1]! >>> 0;
    const c = words[2]! >>> 0;
    const d = words[3]! >>> 0;
    if ((a | b | c | d) === 0) {
      if (this.hasZero) return false;
      this.hasZero = true;
      return true;
    }
    const t = this.table;
    let slot = a & this.mask;
    for (;;) {
      const at = slot * WORDS;
      const x = t[at]!;
      const y = t[at + 1]!;
      const z = t[at + 2]!;
      const w = t[at + 3]!;
      if ((x | y | z | w) === 0) {
        t[at] = a;
        t[at + 1] = b;
        t[at + 2] = c;
        t[at + 3] = d;
        if (++this.count > (this.mask + 1) * MAX_LOAD) this.grow();
        return true;
      }
      if (x === a && y === b && z === c && w === d) return false;
      slot = (slot + 1) & this.mask;
    }
  }

  has(words: ArrayLike<number>): boolean {
    const a = words[0]! >>> 0;
    const b = words[1]! >>> 0;
    const c = words[2]! >>> 0;
    const d = words[3]! >>> 0;
    if ((a | b | c | d) === 0) return this.hasZero;
    const t = this.table;
    let slot = a & this.mask;
    for (;;) {
      const at = slot * WORDS;
      const x = t[at]!;
      const y = t[at + 1]!;
      const z = t[at + 2]!;
      const w = t[at + 3]!;
      if ((x | y | z | w) === 0) return false;
      if (x === a && y === b && z === c && w === d) return true;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Add every member of another set (exact union, e.g. VINs of a manifest and of a drive log). */
  addAll(other: DigestSet): void {
    other.forEachWords((w) => this.add(w));
  }

  forEachWords(fn: (words: Uint32Array) => void): void {
    const t = this.table;
    const words = new Uint32Array(WORDS);
    for (let at = 0; at < t.length; at += WORDS) {
      if ((t[at]! | t[at + 1]! | t[at + 2]! | t[at + 3]!) === 0) continue;
      words.set(t.subarray(at, at + WORDS));
      fn(words);
    }
    if (this.hasZero) {
      words.fill(0);
      fn(words);
    }
  }

  /** The members packed as 16-byte records (little-endian words), for the evidence cache. */
  toBytes(): Uint8Array {
    const out = new Uint32Array(this.size * WORDS);
    let k = 0;
    this.forEachWords((w) => {
      out.set(w, k);
      k += WORDS;
    });
    return new Uint8Array(out.buffer, 0, out.byteLength);
  }

  static fromBytes(bytes: Uint8Array): DigestSet {
    if (bytes.byteLength % (WORDS * 4) !== 0) throw new Error('digest set bytes are not a whole number of 16-byte records');
    const copy = new Uint32Array(bytes.byteLength / 4);
    new Uint8Array(copy.buffer).set(bytes);
    const set = new DigestSet(copy.length / WORDS);
    for (let at = 0; at < copy.length; at += WORDS) set.add(copy.subarray(at, at + WORDS));
    return set;
  }

  private grow(): void {
    const old = this.table;
    const t = new Uint32Array(old.length * 2);
    const mask = this.mask * 2 + 1;
    // Re-insert without the duplicate check: every old member is distinct.
    for (let at = 0; at < old.length; at += WORDS) {
      const a = old[at]!;
      if ((a | old[at + 1]! | old[at + 2]! | old[at + 3]!) === 0) continue;
      let slot = a & mask;
      while ((t[slot * WORDS]! | t[slot * WORDS + 1]! | t[slot * WORDS + 2]! | t[slot * WORDS + 3]!) !== 0) slot = (slot + 1) & mask;
      const to = slot * WORDS;
      t[to] = a;
      t[to + 1] = old[at + 1]!;
      t[to + 2] = old[at + 2]!;
      t[to + 3] = old[at + 3]!;
    }
    this.table = t;
    this.mask = mask;
  }
}
