/**
 * Streaming reader for manifests (CSV with a header row, or JSON Lines) as an async generator: one
 * record at a time with its line number, so a manifest of any size is read in constant memory, the
 * ledger's database batches set the pace, and every problem can name its line. Bytes are decoded and
 * CSV is parsed by the evidence scanners' code (src/evidence/decode.ts, src/evidence/tabular.ts): the
 * same encodings (UTF-8 with or without BOM, GB18030 chosen or detected from the header, invalid bytes
 * an error) and the same RFC 4180 parser; only the pull-based shape is the ledger's.
 *
 * No message quotes a cell or a line: an identifier must never reach an error output.
 */
import { createReadStream } from 'node:fs';
import { ChujingError } from '../errors.js';
import { msg } from '../i18n/index.js';
import { namesKnownColumn } from '../evidence/columns.js';
import { ManifestDecoder, type DecodedFileInfo, type TextEncodingName } from '../evidence/decode.js';
import { CsvParser } from '../evidence/tabular.js';
import { LEDGER_MESSAGES as M } from './messages.js';

export type TabularFormat = 'csv' | 'jsonl';
export type CellValue = string | number | boolean | null;

export interface TabularRecord {
  line: number;
  values: Record<string, CellValue>;
}

export interface ReadManifestOptions {
  /** Name shown in messages (default: the path). */
  display?: string;
  /** Chosen encoding; default: BOM, else UTF-8, else GB18030 detected from the header. */
  encoding?: TextEncodingName;
  /** Told the encoding once it is known. */
  onEncoding?: (info: DecodedFileInfo) => void;
}

export function formatFromPath(path: string): TabularFormat | null {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(?:jsonl|ndjson)$/i.test(path)) return 'jsonl';
  return null;
}

const bad = (file: string, line: number, message: ReturnType<typeof msg>, expected: ReturnType<typeof msg>, field?: string) =>
  new ChujingError('bad-input', M.malformedManifest(file), [{ file, line, ...(field !== undefined ? { field } : {}), message, expected }]);

export async function* readTabular(file: string, format: TabularFormat, options: ReadManifestOptions = {}): AsyncGenerator<TabularRecord> {
  const display = options.display ?? file;
  const stream = createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (e) {
    throw new ChujingError('bad-input', M.cannotRead(display, (e as NodeJS.ErrnoException).code ?? 'unreadable'), [{ file: display, message: 'file not readable', expected: 'a readable CSV or JSONL manifest' }]);
  }
  const decoder = new ManifestDecoder({ display, ...(options.encoding ? { encoding: options.encoding } : {}), knownHeader: namesKnownColumn });
  async function* text(): AsyncGenerator<string> {
    try {
      for await (const chunk of stream) {
        const t = decoder.push(chunk as Buffer);
        if (decoder.info && options.onEncoding) {
          options.onEncoding(decoder.info);
          options.onEncoding = undefined;
        }
        if (t) yield t;
      }
      const last = decoder.end();
      if (decoder.info && options.onEncoding) options.onEncoding(decoder.info);
      if (last) yield last;
    } finally {
      stream.destroy();
    }
  }
  if (format === 'csv') {
    // Records are yielded between chunks, so the consumer's pace (database batches) holds the reading
    // back: memory stays bounded.
    yield* csvRecords(text(), display);
    return;
  }
  let buf = '';
  let lineNo = 0;
  const handle = (raw: string): TabularRecord | null => {
    lineNo++;
    if (raw.trim() === '') return null;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      // JSON.parse's message quotes the text around the error, which may be an identifier: not shown.
      throw bad(display, lineNo, msg('evidence.jsonl.bad-json'), msg('evidence.jsonl.expected'));
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(display, lineNo, msg('evidence.jsonl.not-object'), msg('evidence.jsonl.expected'));
    const values: Record<string, CellValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values[k] = v;
      else throw bad(display, lineNo, msg('evidence.jsonl.non-scalar', { field: k }), msg('evidence.jsonl.expected-scalar'), k);
    }
    return { line: lineNo, values };
  };
  for await (const t of text()) {
    buf += t;
    let pos = 0;
    for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n', pos)) {
      const rec = handle(buf.slice(pos, nl).replace(/\r$/, ''));
      pos = nl + 1;
      if (rec) yield rec;
    }
    buf = buf.slice(pos);
  }
  if (buf) {
    const rec = handle(buf.replace(/\r$/, ''));
    if (rec) yield rec;
  }
}

async function* csvRecords(chunks: AsyncIterable<string>, file: string): AsyncGenerator<TabularRecord> {
  const pending: { fields: string[]; line: number }[] = [];
  const parser = new CsvParser(
    (fields, line) => pending.push({ fields, line }),
    (line, message) => {
      throw bad(file, line, message, msg('evidence.csv.expected'));
    },
  );
  let header: string[] | null = null;
  let headerLine = 1;
  function* drain(): Generator<TabularRecord> {
    for (const { fields, line } of pending) {
      if (fields.length === 1 && fields[0]!.trim() === '') continue; // a blank line is not a record
      if (!header) {
        header = fields.map((f) => f.replace(/^\uFEFF/, '').trim());
        headerLine = line;
        const lower = header.map((h) => h.toLowerCase());
        const dup = lower.findIndex((h, i) => h !== '' && lower.indexOf(h) !== i);
        if (dup !== -1) throw bad(file, line, msg('evidence.csv.duplicate-header', { position: dup + 1 }), msg('evidence.csv.expected-unique-header'));
        continue;
      }
      if (fields.length !== header.length) throw bad(file, line, msg('evidence.csv.field-count', { got: fields.length, want: header.length }), msg('evidence.csv.expected'));
      const values: Record<string, CellValue> = {};
      header.forEach((h, i) => (values[h] = fields[i]!));
      yield { line, values };
    }
    pending.length = 0;
  }
  for await (const chunk of chunks) {
    parser.push(chunk);
    yield* drain();
  }
  parser.end();
  yield* drain();
  if (!header) throw bad(file, headerLine, msg('evidence.csv.no-header'), msg('evidence.csv.expected-header'));
}
