import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCount } from './format.js';

describe('formatCount (one shared number formatter)', () => {
  it('writes English counts exactly as toLocaleString did (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -1e12, max: 1e12 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 })), (n) => {
        expect(formatCount('en', n)).toBe(n.toLocaleString('en-US', { maximumFractionDigits: 3 }));
      }),
      { numRuns: 2000 },
    );
  });
});
