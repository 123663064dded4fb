/**
 * Editing YAML through the API keeps everything but the edit: property-based on the example
 * workspace's files. For random changes to an entry (values of every YAML-awkward kind, keys added and
 * removed), the new text must parse to exactly the intended data, and every byte outside the entry's
 * lines must stay as it was. Appending and removing entries likewise.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isSeq, parseDocument, type Node } from 'yaml';
import { appendEntry, removeEntry, replaceEntry, renderScalar } from '../../src/server/workspace-yaml.js';
import { REPO_ROOT } from '../helpers/cli.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const FILES: [string, string][] = [
  ['acme-auto/transfers/2026.yaml', 'transfers'],
  ['acme-auto/chujing.yaml', 'recipients'],
  ['acme-auto/chujing.yaml', 'approvals'],
  ['acme-auto/datasets/engineering.yaml', 'datasets'],
  ['acme-auto/datasets/customer.yaml', 'datasets'],
  ['lifecycle-demo/chujing.yaml', 'approvals'],
];
const read = (f: string) => readFileSync(join(REPO_ROOT, 'examples', f), 'utf8');
const data = (text: string) => parseDocument(text).toJSON() as Record<string, Json>;
/** Both sides as the API's JSON carries them: -0 is written and read back as -0, but JSON has only 0. */
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

const CHARS = ['a', 'Z', '0', '7', ' ', ':', '#', ',', '[', ']', '{', '}', '"', "'", '-', '\n', '\t', '中', '文', '？', '&', '*', '!', '|', '>', '%', '@', '`', '\\', '.', '~'];
const text = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 12 });
const scalar: fc.Arbitrary<Json> = fc.oneof(
  text,
  fc.constantFrom('true', 'null', '2026-03-01', '1e3', '0x1F', 'yes', '', ' lead', 'trail ', 'a: b', 'x #y'),
  fc.integer({ min: -1_000_000, max: 1_000_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(scalar, { maxLength: 3 }),
    fc.array(tie('v'), { maxLength: 2 }),
    fc.dictionary(fc.constantFrom('k', 'key two', 'x:y', '中文', 'n'), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const KEY = fc.constantFrom('date', 'persons', 'purpose', 'name', 'note', 'covers', 'facts', 'extra key', '中文键', 'id', 'status');

type Op = { kind: 'set'; key: string; value: Json } | { kind: 'delete'; key: string };
const ops = fc.array(fc.oneof(fc.record({ kind: fc.constant('set' as const), key: KEY, value }), fc.record({ kind: fc.constant('delete' as const), key: KEY })), { minLength: 1, maxLength: 4 });

function applyOps(entry: Record<string, Json>, list: Op[]): Record<string, Json> {
  const out = structuredClone(entry);
  for (const op of list) {
    if (op.kind === 'set') out[op.key] = op.value;
    else delete out[op.key];
  }
  return out;
}

/** The entry's lines: [start of its first line, end of its last line). */
function entryLines(text: string, key: string, index: number): [number, number] {
  const doc = parseDocument(text);
  const seq = doc.get(key, true) as Node;
  if (!isSeq(seq)) throw new Error('not a list');
  const item = seq.items[index] as Node;
  const start = text.lastIndexOf('\n', item.range![0] - 1) + 1;
  let end = item.range![1];
  if (text[end - 1] !== '\n') {
    const nl = text.indexOf('\n', end);
    end = nl < 0 ? text.length : nl + 1;
  }
  return [start, end];
}

describe('YAML edits through the API', () => {
  it('scalars are written so that they read back as themselves', () => {
    fc.assert(
      fc.property(scalar, (v) => {
        if (v === null || typeof v !== 'object') expect(parseDocument(`k: ${renderScalar(v as never)}\n`).toJSON().k).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });

  it('a replaced entry reads back exactly, and nothing outside its lines changes', () => {
    for (const [file, key] of FILES) {
      const original = read(file);
      const list = data(original)[key] as Record<string, Json>[];
      fc.assert(
        fc.property(fc.integer({ min: 0, max: list.length - 1 }), ops, (index, change) => {
          const next = applyOps(list[index]!, change);
          const out = replaceEntry(original, key, index, next);
          const expected = { ...data(original), [key]: list.map((e, i) => (i === index ? next : e)) };
          expect(asJson(data(out))).toEqual(asJson(expected));
          const [start, end] = entryLines(original, key, index);
          expect(out.slice(0, start)).toBe(original.slice(0, start));
          expect(out.endsWith(original.slice(end))).toBe(true);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('an unchanged entry leaves the file byte for byte; a one-value change changes one line', () => {
    const original = read('acme-auto/transfers/2026.yaml');
    const list = data(original).transfers as Record<string, Json>[];
    list.forEach((e, i) => expect(replaceEntry(original, 'transfers', i, e)).toBe(original));
    const out = replaceEntry(original, 'transfers', 2, { ...list[2]!, purpose: 'training: the "global" model, v2' });
    const changed = out.split('\n').filter((l) => !original.split('\n').includes(l));
    expect(changed).toEqual(['    purpose: "training: the \\"global\\" model, v2"']);
  });

  it('appended entries read back and follow the file; removed entries take their comment with them', () => {
    for (const [file, key] of FILES) {
      const original = read(file);
      const list = data(original)[key] as Json[];
      fc.assert(
        fc.property(fc.dictionary(KEY, value, { minKeys: 1, maxKeys: 4 }), (entry) => {
          const out = appendEntry(original, key, entry);
          expect(asJson(data(out)[key])).toEqual(asJson([...list, entry]));
          // Only an insertion: the original is the new text with one contiguous block taken out.
          let p = 0;
          while (p < original.length && out[p] === original[p]) p++;
          expect(out.slice(p + out.length - original.length)).toBe(original.slice(p));
        }),
        { numRuns: 30 },
      );
      for (let i = 0; i < list.length; i++) {
        const out = removeEntry(original, key, i);
        expect(data(out)[key]).toEqual(list.filter((_, j) => j !== i));
      }
    }
    const t = read('acme-auto/transfers/2026.yaml');
    const removed = removeEntry(t, 'transfers', 9);
    expect(removed).not.toContain('core data: prohibited whatever the approvals');
    expect(removed).not.toContain('\n\n\n');
  });

  it('a list is created where there is none, and an empty one is filled', () => {
    const entry = { id: 'r1', name: 'R1', country: 'DE' };
    expect(data(appendEntry('version: 1\n', 'recipients', entry))).toEqual({ version: 1, recipients: [entry] });
    expect(data(appendEntry('version: 1\nrecipients: []\ntransfers: []\n', 'recipients', entry))).toEqual({ version: 1, recipients: [entry], transfers: [] });
    const doc = parseDocument(appendEntry('# top\nversion: 1\nrecipients:\n', 'recipients', entry));
    expect(isMap(doc.contents)).toBe(true);
    expect(doc.toJSON()).toEqual({ version: 1, recipients: [entry] });
  });
});
