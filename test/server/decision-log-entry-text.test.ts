/**
 * The text a decision's entry hash is taken over is written out by hand on the server's hot path; it
 * must be exactly the canonical JSON of the decision's fields, as it always was (or every stored
 * decision would stop verifying). Compared on generated decisions: any text (quotes, backslashes,
 * control characters, lone surrogates, CJK), with and without a judgement.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/ledger/canonical.js';
import { entryText } from '../../src/server/decision-log.js';

const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('', '"', '\\', '\u0000', '\u2028', '\ud800', '数据出境'));

describe('a decision entry hash text', () => {
  it('is the canonical JSON of its fields', () => {
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          prev: text,
          id: text,
          decidedAt: text,
          caller: text,
          inputDigest: text,
          result: text,
          workspaceRevision: text,
          packs: fc.array(text, { maxLength: 4 }),
          body: text,
          judgement: fc.option(text, { nil: null }),
        }),
        (d) => {
          const expected = canonicalJson({
            v: 1,
            seq: d.seq,
            prev: d.prev,
            id: d.id,
            decidedAt: d.decidedAt,
            caller: d.caller,
            inputDigest: d.inputDigest,
            result: d.result,
            workspaceRevision: d.workspaceRevision,
            packs: d.packs.join(','),
            body: d.body,
            ...(d.judgement !== null ? { judgement: d.judgement } : {}),
          });
          const record = { id: d.id, decidedAt: d.decidedAt, caller: d.caller, inputDigest: d.inputDigest, result: d.result as 'allow', workspaceRevision: d.workspaceRevision, packs: d.packs };
          expect(entryText(d.seq, d.prev, record, d.body, d.judgement)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
