/** The one-shot SHA-256 (src/ledger/sha256.ts) gives createHash's digest of the same text, in hex and bytes. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Bytes, sha256Hex } from '../../src/ledger/sha256.js';

describe('sha256 of a text', () => {
  it('equals createHash over UTF-8 for any text (CJK, control characters, lone surrogates)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const expected = createHash('sha256').update(text).digest();
        expect(sha256Hex(text)).toBe(expected.toString('hex'));
        expect(sha256Bytes(text).equals(expected)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    for (const text of ['出境', '\ud800x', 'a\u0000b', '']) expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
  });
});
