/**
 * A set of image ids whose memory depends on the largest id, not on how many boxes were read: a bitmap
 * over non-negative integer ids below 2^27 (at most 16 MB, sized to the largest id seen), a Set for any
 * other id. COCO image ids are small dense integers in practice.
 */
const DENSE_LIMIT = 2 ** 27;

export class ImageSet {
  private words = new Uint32Array(64);
  private sparse: Set<number> | null = null;

  add(id: number): void {
    if (id >= 0 && id < DENSE_LIMIT && Number.isInteger(id)) {
      const w = id >>> 5;
      if (w >= this.words.length) {
        let n = this.words.length * 2;
        while (n <= w) n *= 2;
        const next = new Uint32Array(n);
        next.set(this.words);
        this.words = next;
      }
      this.words[w]! |= 1 << (id & 31);
    } else {
      (this.sparse ??= new Set()).add(id);
    }
  }

  has(id: number): boolean {
    if (id >= 0 && id < DENSE_LIMIT && Number.isInteger(id)) {
      const w = id >>> 5;
      return w < this.words.length && (this.words[w]! & (1 << (id & 31))) !== 0;
    }
    return this.sparse?.has(id) ?? false;
  }

  /** Add every member of `other`. */
  addAll(other: ImageSet): void {
    if (other.words.length > this.words.length) {
      const next = new Uint32Array(other.words.length);
      next.set(this.words);
      this.words = next;
    }
    const o = other.words;
    for (let i = 0; i < o.length; i++) this.words[i]! |= o[i]!;
    if (other.sparse) for (const id of other.sparse) (this.sparse ??= new Set()).add(id);
  }

  /** Whether every member of `other` is in this set. */
  containsAll(other: ImageSet): boolean {
    const o = other.words;
    for (let i = 0; i < o.length; i++) {
      const mine = i < this.words.length ? this.words[i]! : 0;
      if ((o[i]! & ~mine) !== 0) return false;
    }
    if (other.sparse) for (const id of other.sparse) if (!this.has(id)) return false;
    return true;
  }

  get size(): number {
    let n = 0;
    const words = this.words;
    for (let i = 0; i < words.length; i++) {
      let v = words[i]!;
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n + (this.sparse?.size ?? 0);
  }
}
