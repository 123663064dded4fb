/**
 * Person and vehicle hashes travel from the readers to the database in packed batches: one Buffer of
 * 33-byte records (category code, then the 32-byte HMAC), so a batch of 20,000 hashes is one
 * parameter of one INSERT instead of 20,000 JS objects.
 */
import { CATEGORY_CODE, type LedgerCategory } from './categories.js';

export const RECORD_BYTES = 33;
export const DEFAULT_BATCH = 20_000;

export type HashSource = AsyncIterable<Buffer>;

export class HashPacker {
  private buf: Buffer;
  private n = 0;
  constructor(private readonly batch = DEFAULT_BATCH) {
    this.buf = Buffer.allocUnsafe(batch * RECORD_BYTES);
  }
  /** Add one hash; returns a full batch when one is ready. */
  push(category: LedgerCategory, hash: Buffer): Buffer | null {
    const at = this.n * RECORD_BYTES;
    this.buf[at] = CATEGORY_CODE[category];
    hash.copy(this.buf, at + 1, 0, 32);
    this.n++;
    if (this.n < this.batch) return null;
    return this.flush();
  }
  flush(): Buffer | null {
    if (this.n === 0) return null;
    const out = Buffer.from(this.buf.subarray(0, this.n * RECORD_BYTES));
    this.n = 0;
    return out;
  }
}
