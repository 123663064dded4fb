/**
 * Identifier -> keyed digest, the moment it is read: `normaliseIdentifier` then HMAC-SHA-256 of
 * `category:normalised` under the organisation's key — the same value as `hashIdentifier` in
 * keyed-hash.ts (the tests hold the two together), computed without allocating per identifier.
 * The raw string is dropped by the caller right after; only the digest words live on.
 */
import type { KeyObject } from 'node:crypto';
import { normaliseIdentifier, type IdentifierCategory } from '../keyed-hash.js';
import { HmacSha256 } from './hmac-sha256.js';

const PREFIX: Record<IdentifierCategory, string> = { vin: 'vin:', iccid: 'iccid:', imsi: 'imsi:', personId: 'personId:', phone: 'phone:' };

/**
 * Characters of an identifier that `normaliseIdentifier` leaves unchanged: [0-9A-Z] for VIN, ICCID,
 * IMSI and ID numbers; for phones, plain digits of length 11 (too short to carry a +86 / 0086 prefix).
 */
const CHARSET_ALNUM = 1;
const CHARSET_DIGITS = 2;

export class IdentifierHasher {
  private readonly hmac: HmacSha256;

  constructor(key: KeyObject) {
    this.hmac = new HmacSha256(key);
  }

  /**
   * The digest of one identifier as 8 words (reused by the next call: copy or insert at once), or null
   * when nothing is left after normalisation (e.g. a phone cell holding only punctuation).
   */
  hash(category: IdentifierCategory, raw: string): Int32Array | null {
    // Fast path: the raw value is already in normal form (checked while hashing it).
    if (category !== 'phone') {
      if (raw.length > 0) {
        const d = this.hmac.digestChecked(PREFIX[category], raw, CHARSET_ALNUM);
        if (d) return d;
      }
    } else if (raw.length === 11) {
      const d = this.hmac.digestChecked(PREFIX.phone, raw, CHARSET_DIGITS);
      if (d) return d;
    }
    const body = normaliseIdentifier(category, raw);
    if (body === '') return null;
    return this.hmac.digestWords2(PREFIX[category], body);
  }
}
