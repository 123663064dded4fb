/**
 * Streaming reader for manifests (CSV with a header row, or JSON Lines) as an async generator: one
 * record at a time with its line number, so a manifest of any size is read in constant memory, the
 * ledger's database batches set the pace, and every problem can name its line. CSV parsing is the
 * evidence scanners' parser (src/evidence/tabular.ts); only the pull-based shape is the ledger's.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ChujingError } from '../errors.js';
import { CsvParser } from '../evidence/tabular.js';
import { LEDGER_MESSAGES as M } from './messages.js';

export type TabularFormat = 'csv' | 'jsonl';
export type CellValue = string | number | boolean | null;

export interface TabularRecord {
  line: number;
  values: Record<string, CellValue>;
}

export function formatFromPath(path: string): TabularFormat | null {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(?:jsonl|ndjson)$/i.test(path)) return 'jsonl';
  return null;
}

export async function* readTabular(file: string, format: TabularFormat): AsyncGenerator<TabularRecord> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (e) {
    throw new ChujingError('bad-input', M.cannotRead(file, (e as NodeJS.ErrnoException).code ?? 'unreadable'), [{ file, message: 'file not readable', expected: 'a readable CSV or JSONL manifest' }]);
  }
  if (format === 'csv') {
    // CSV: the evidence scanners' RFC 4180 parser, fed chunk by chunk. Records are yielded between
    // chunks, so the consumer's pace (database batches) holds the reading back: memory stays bounded.
    yield* csvRecords(stream, file);
    return;
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new ChujingError('bad-input', M.malformedManifest(file), [{ file, line: lineNo, message: `not valid JSON: ${(e as Error).message}`, expected: 'one JSON object per line' }]);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ChujingError('bad-input', M.malformedManifest(file), [{ file, line: lineNo, message: 'the line is not a JSON object', expected: 'one JSON object per line' }]);
    }
    const values: Record<string, CellValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values[k] = v;
      else throw new ChujingError('bad-input', M.malformedManifest(file), [{ file, line: lineNo, field: k, message: 'nested value', expected: 'a string, number, boolean or null' }]);
    }
    yield { line: lineNo, values };
  }
}

async function* csvRecords(stream: AsyncIterable<string | Buffer>, file: string): AsyncGenerator<TabularRecord> {
  const pending: { fields: string[]; line: number }[] = [];
  const parser = new CsvParser(
    (fields, line) => pending.push({ fields, line }),
    (line, message) => {
      throw new ChujingError('bad-input', M.malformedManifest(file), [{ file, line, message, expected: 'RFC 4180 CSV: quoted fields closed, commas between fields' }]);
    },
  );
  let header: string[] | null = null;
  let headerLine = 1;
  function* drain(): Generator<TabularRecord> {
    for (const { fields, line } of pending) {
      if (fields.length === 1 && fields[0]!.trim() === '') continue; // a blank line is not a record
      if (!header) {
        header = fields.map((f) => f.trim());
        headerLine = line;
        const dup = header.find((h, i) => header!.indexOf(h) !== i);
        if (dup !== undefined) throw new ChujingError('bad-input', M.malformedManifest(file), [{ file, line, field: dup, message: 'column named twice in the header', expected: 'unique column names' }]);
        continue;
      }
      if (fields.length !== header.length) {
        throw new ChujingError('bad-input', M.malformedManifest(file), [
          { file, line, message: `${fields.length} fields, the header has ${header.length}`, expected: `${header.length} comma-separated fields` },
        ]);
      }
      const values: Record<string, CellValue> = {};
      header.forEach((h, i) => (values[h] = fields[i]!));
      yield { line, values };
    }
    pending.length = 0;
  }
  for await (const chunk of stream) {
    parser.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    yield* drain();
  }
  parser.end();
  yield* drain();
  if (!header) throw new ChujingError('bad-input', M.malformedManifest(file), [{ file, line: headerLine, message: 'the file is empty', expected: 'a header row naming the columns' }]);
}
