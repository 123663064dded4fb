import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { msg, toJson } from '../i18n/index.js';
import { later, streamedArray, writeJsonStream } from './json-stream.js';

async function streamed(value: unknown, lang: 'en' | 'zh' = 'en'): Promise<{ text: string; chunks: number[] }> {
  let text = '';
  const chunks: number[] = [];
  await writeJsonStream({ write: (s) => ((text += s), chunks.push(s.length)) }, value, lang);
  return { text, chunks };
}

describe('writeJsonStream', () => {
  it('writes exactly what toJson writes, for any JSON value (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => {
        expect((await streamed(v)).text).toBe(toJson(v, 'en'));
      }),
      { numRuns: 300 },
    );
  });

  it('messages gain their text, as in toJson', async () => {
    const value = { a: msg('path.exempt'), list: [msg('level.core'), 1], skip: undefined, f: () => 1 };
    expect((await streamed(value, 'zh')).text).toBe(toJson(value, 'zh'));
  });

  it('a streamed array and a later field write the same text as the materialised report', async () => {
    const transfers = Array.from({ length: 5 }, (_, i) => ({ id: `t${i}`, path: 'exempt', why: msg('path.exempt'), rules: ['OUT-1'], gone: undefined }));
    const report = { asOf: '2026-11-23', datasets: [], transfers, summary: { transfers: 5 }, empty: [], actions: ['x'] };
    let counted = 0;
    const streamingReport = {
      asOf: '2026-11-23',
      datasets: [],
      transfers: streamedArray(
        (function* () {
          for (const t of transfers) {
            counted++;
            yield t;
          }
        })(),
      ),
      summary: later(() => ({ transfers: counted })),
      empty: streamedArray([]),
      actions: later(() => ['x']),
    };
    expect((await streamed(streamingReport)).text).toBe(toJson(report, 'en'));
  });

  it('async iterables stream too', async () => {
    async function* gen() {
      yield { id: 1 };
      yield { id: 2 };
    }
    expect((await streamed({ items: streamedArray(gen()) })).text).toBe(toJson({ items: [{ id: 1 }, { id: 2 }] }, 'en'));
  });

  it('a plain report (no wrappers) is written member by member too: its long lists are never one string', async () => {
    const report = { asOf: 'x', transfers: Array.from({ length: 50_000 }, (_, i) => ({ id: `t${i}`, why: msg('path.exempt') })) };
    const { text, chunks } = await streamed(report);
    expect(text).toBe(toJson(report, 'en'));
    expect(Math.max(...chunks)).toBeLessThan(70_000);
  });

  it('hands the sink chunks of bounded size, never the whole document', async () => {
    const n = 50_000;
    const { text, chunks } = await streamed({ transfers: streamedArray(Array.from({ length: n }, (_, i) => ({ id: `t${i}`, date: '2026-01-01' }))) });
    expect(text.length).toBeGreaterThan(3_000_000);
    expect(Math.max(...chunks)).toBeLessThan(70_000);
  });
});
