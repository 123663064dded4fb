/**
 * Minimal streaming reader for manifests (CSV with a header row, or JSON Lines), private to the ledger
 * until the shared reader in src/evidence lands. Yields one record at a time with its line number, so
 * a manifest of any size is read in constant memory and every problem can name its line.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ChujingError } from '../errors.js';
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

/** Split one CSV physical line into fields; `carry` holds an open quoted field from the previous line. */
interface CsvState {
  fields: string[];
  field: string;
  inQuotes: boolean;
  /** A quote just closed: the next character must be a separator or the end. */
  afterQuote: boolean;
}

function csvFeed(state: CsvState, text: string, file: string, line: number): void {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (state.inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          state.field += '"';
          i++;
        } else {
          state.inQuotes = false;
          state.afterQuote = true;
        }
      } else state.field += c;
    } else if (c === ',') {
      state.fields.push(state.field);
      state.field = '';
      state.afterQuote = false;
    } else if (state.afterQuote) {
      throw new ChujingError('bad-input', M.malformedManifest(file), [{ file, line, column: i + 1, message: 'text after a closing quote', expected: 'a comma or the end of the line after a quoted field' }]);
    } else if (c === '"' && state.field === '') {
      state.inQuotes = true;
    } else state.field += c;
  }
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
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  if (format === 'jsonl') {
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
    return;
  }
  let header: string[] | null = null;
  let state: CsvState = { fields: [], field: '', inQuotes: false, afterQuote: false };
  let recordLine = 0;
  for await (const raw of lines) {
    lineNo++;
    const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!state.inQuotes) {
      if (text.trim() === '') continue;
      recordLine = lineNo;
    } else state.field += '\n';
    csvFeed(state, text, file, lineNo);
    if (state.inQuotes) continue;
    const fields = [...state.fields, state.field];
    state = { fields: [], field: '', inQuotes: false, afterQuote: false };
    if (!header) {
      header = fields.map((f) => f.trim());
      const dup = header.find((h, i) => header!.indexOf(h) !== i);
      if (dup !== undefined) throw new ChujingError('bad-input', M.malformedManifest(file), [{ file, line: recordLine, field: dup, message: 'column named twice in the header', expected: 'unique column names' }]);
      continue;
    }
    if (fields.length !== header.length) {
      throw new ChujingError('bad-input', M.malformedManifest(file), [
        { file, line: recordLine, message: `${fields.length} fields, the header has ${header.length}`, expected: `${header.length} comma-separated fields` },
      ]);
    }
    const values: Record<string, CellValue> = {};
    header.forEach((h, i) => (values[h] = fields[i]!));
    yield { line: recordLine, values };
  }
  if (state.inQuotes) throw new ChujingError('bad-input', M.malformedManifest(file), [{ file, line: recordLine, message: 'a quoted field is never closed', expected: 'a closing double quote' }]);
  if (!header) throw new ChujingError('bad-input', M.malformedManifest(file), [{ file, line: 1, message: 'the file is empty', expected: 'a header row naming the columns' }]);
}
