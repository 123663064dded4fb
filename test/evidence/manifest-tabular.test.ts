// The shared CSV / JSONL reader: RFC 4180 quoting, line numbers, BOM, chunk boundaries, bad input.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ChujingError } from '../../src/errors.js';
import { CsvParser, csvRecord, readTabular, type FieldSpec } from '../../src/evidence/tabular.js';

const dir = mkdtempSync(join(tmpdir(), 'chujing-tabular-'));
let n = 0;
function file(text: string, ext = 'csv'): string {
  const p = join(dir, `f${n++}.${ext}`);
  writeFileSync(p, text);
  return p;
}

/** Parse text fed in the given chunks; returns records and bad-record lines. */
function parseChunks(chunks: string[]): { rows: { fields: string[]; line: number }[]; bad: { line: number; message: string }[] } {
  const rows: { fields: string[]; line: number }[] = [];
  const bad: { line: number; message: string }[] = [];
  const p = new CsvParser(
    (fields, line) => rows.push({ fields: [...fields], line }),
    (line, message) => bad.push({ line, message: message.code }),
  );
  for (const c of chunks) p.push(c);
  p.end();
  return { rows, bad };
}

const F = (name: string, ...candidates: string[]): FieldSpec => ({ name, candidates: candidates.length ? candidates : [name] });

async function read(path: string, fields: FieldSpec[], format: 'csv' | 'jsonl' = 'csv', keepGoing = false) {
  const records: { values: (string | undefined)[]; line: number }[] = [];
  const summary = await readTabular(path, { format, fields, keepGoing, onRecord: (values, line) => records.push({ values: [...values], line }) });
  return { records, summary };
}

describe('CsvParser', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and numbers records by their first line', () => {
    const { rows, bad } = parseChunks(['a,b,c\n"x, y","say ""hi""","two\nlines"\nplain,,end\r\n']);
    expect(bad).toEqual([]);
    expect(rows).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['x, y', 'say "hi"', 'two\nlines'], line: 2 },
      { fields: ['plain', '', 'end'], line: 4 },
    ]);
  });

  it('keeps CR LF inside quotes and strips it at record ends; skips blank lines; handles a missing final newline', () => {
    const { rows } = parseChunks(['h1,h2\r\n"a\r\nb",c\r\n\r\nlast,"q"']);
    expect(rows).toEqual([
      { fields: ['h1', 'h2'], line: 1 },
      { fields: ['a\r\nb', 'c'], line: 2 },
      { fields: ['last', 'q'], line: 5 },
    ]);
  });

  it('reports an unclosed quote at the line where the field opened', () => {
    const { rows, bad } = parseChunks(['h\nok\n"never closed\nmore\n']);
    expect(rows.map((r) => r.fields)).toEqual([['h'], ['ok']]);
    expect(bad).toEqual([{ line: 3, message: 'evidence.csv.unclosed-quote' }]);
  });

  it('reports text after a closing quote and a quote inside an unquoted field, then goes on with the next line', () => {
    const { rows, bad } = parseChunks(['h,i\n"a"b,c\nx,y"z\nfine,row\n']);
    expect(bad.map((b) => b.line)).toEqual([2, 3]);
    expect(rows.map((r) => [r.fields, r.line])).toEqual([
      [['h', 'i'], 1],
      [['fine', 'row'], 4],
    ]);
  });

  it('gives the same records whatever the chunk boundaries (property)', () => {
    const text = 'vin,name\n"L1,2","multi\nline ""q"""\r\nplain,x\n"",""\n"end"';
    const whole = parseChunks([text]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 6 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(text.slice(prev, p));
          prev = p;
        }
        chunks.push(text.slice(prev));
        expect(parseChunks(chunks)).toEqual(whole);
      }),
    );
  });

  it('round-trips any fields through csvRecord (property: quotes, commas, CR/LF inside fields)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', '9', ',', '"', '\n', '\r', ' ', '车', 'é') });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }).chain((width) => fc.array(fc.array(field, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 })), (records) => {
        // A record that is a single empty field would serialise as a blank line, which is not a record.
        fc.pre(records.every((r) => !(r.length === 1 && r[0] === '')));
        const text = records.map(csvRecord).join('\n');
        const { rows, bad } = parseChunks([text]);
        expect(bad).toEqual([]);
        expect(rows.map((r) => r.fields)).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });
});

describe('readTabular', () => {
  it('maps header columns case-insensitively to the wanted fields, ignores a BOM, and gives empty cells as undefined', async () => {
    const p = file('\uFEFFVIN,Person_ID,other\nL1,,x\nL2,P2,y\n');
    const { records, summary } = await read(p, [F('vin'), F('personId', 'person_id'), F('phone')]);
    expect(records).toEqual([
      { values: ['L1', undefined, undefined], line: 2 },
      { values: ['L2', 'P2', undefined], line: 3 },
    ]);
    expect(summary.records).toBe(2);
  });

  it('stops at a record with the wrong number of fields, naming file and line', async () => {
    const p = file('a,b\n1,2\n1,2,3\n');
    const err = await read(p, [F('a')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChujingError);
    expect((err as ChujingError).code).toBe('bad-input');
    expect((err as ChujingError).issues[0]).toMatchObject({ file: p, line: 3 });
  });

  it('with keepGoing skips, counts and lists bad records', async () => {
    const p = file('a,b\n1,2\n1,2,3\n"x"y,1\n4,5\n');
    const { records, summary } = await read(p, [F('a')], 'csv', true);
    expect(records.map((r) => r.values[0])).toEqual(['1', '4']);
    expect(summary.skippedCount).toBe(2);
    expect(summary.skipped.map((s) => s.line)).toEqual([3, 4]);
  });

  it('reads JSONL, turning numbers and booleans into strings and null into undefined', async () => {
    const p = file('{"vin":"L1","n":3,"ok":true}\n\n{"VIN":"L2","n":null}\n', 'jsonl');
    const { records } = await read(p, [F('vin'), F('n'), F('ok')], 'jsonl');
    expect(records).toEqual([
      { values: ['L1', '3', 'true'], line: 1 },
      { values: ['L2', undefined, undefined], line: 3 },
    ]);
  });

  it('reports a bad JSON line without quoting its text', async () => {
    const p = file('{"vin":"L1"}\n{"vin":"SECRETVIN123", oops}\n', 'jsonl');
    const err = (await read(p, [F('vin')], 'jsonl').catch((e: unknown) => e)) as ChujingError;
    expect(err.issues[0]).toMatchObject({ file: p, line: 2 });
    expect(JSON.stringify(err.issues) + err.message).not.toContain('SECRETVIN123');
  });

  it('rejects JSON lines that are not objects, and object-valued fields', async () => {
    const p = file('[1,2]\n{"vin":{"x":1}}\n', 'jsonl');
    const { summary } = await read(p, [F('vin')], 'jsonl', true);
    expect(summary.skipped.map((s) => s.line)).toEqual([1, 2]);
  });
});
