/**
 * Streaming reader for the tabular evidence files (manifests, drive logs): CSV (RFC 4180: quoted fields
 * may hold commas, quotes written twice and line breaks; the first record is the header) and JSONL (one
 * JSON object per line). Files are read in chunks, so their size does not matter; every record comes
 * with the line it starts on, so errors name `file:line`. A UTF-8 byte-order mark is ignored.
 *
 * The reader hands the caller only the fields it asked for (`FieldSpec`), as strings, so both formats
 * look the same to the counters.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { ChujingError, type ErrorIssue } from '../errors.js';
import type { SkippedRecord } from './types.js';

export type TabularFormat = 'csv' | 'jsonl';
export const TABULAR_FORMATS: readonly TabularFormat[] = ['csv', 'jsonl'];

const MESSAGES = {
  unclosedQuote: 'a quoted field is not closed before the end of the file',
  quoteAfterClose: 'text after the closing quote of a field',
  quoteInField: 'a quote inside an unquoted field',
  fieldCount: (got: number, want: number) => `the record has ${got} fields, the header has ${want}`,
  // JSON.parse's own message quotes the text around the error, which may be an identifier: not shown.
  badJson: 'not valid JSON',
  notObject: 'the line is JSON but not an object',
  nonScalar: (field: string) => `field "${field}" is an object or array`,
  emptyHeader: 'the file has no header row',
  duplicateHeader: (position: number) => `header column ${position} repeats an earlier column name`,
  expectedCsv: 'RFC 4180 CSV: fields separated by commas, a field with commas, quotes or line breaks in double quotes, quotes doubled',
  expectedJsonl: 'one JSON object per line, e.g. {"vin": "LSV...", "person_id": "..."}',
  unknownFormat: (path: string) => `cannot tell the format of ${path} from its name`,
} as const;

/** A field the caller wants: its name for messages and the column / key names it may go by. */
export interface FieldSpec {
  name: string;
  /** Column (CSV header) or key (JSONL) names, matched case-insensitively, first match wins. */
  candidates: readonly string[];
}

/** Which column each wanted field was found in (CSV: known from the header; JSONL: per record). */
export interface ResolvedColumns {
  /** Index in `fields` -> the column name used, or null when the file has no such column. */
  columns: (string | null)[];
  header: string[] | null;
}

export interface ReadOptions {
  format: TabularFormat;
  fields: readonly FieldSpec[];
  /** Called once, before the first record (CSV: after the header; JSONL: with `header` null). */
  onColumns?: (resolved: ResolvedColumns) => void;
  /**
   * One record: `values[i]` is the value of `fields[i]` (undefined when absent, empty or JSON null).
   * The array is reused between calls. Throw a `RecordError` to reject the record.
   */
  onRecord: (values: (string | undefined)[], line: number) => void;
  /** Skip and list bad records instead of stopping at the first one. */
  keepGoing?: boolean;
  /** Name to show in messages (default: the path). */
  display?: string;
  /** Called after each chunk with the bytes read so far (for a progress bar). */
  onBytes?: (bytesRead: number) => void;
}

export interface ReadSummary {
  records: number;
  bytes: number;
  /** Bad records skipped under keepGoing (all of them counted, the first MAX_LISTED listed). */
  skippedCount: number;
  skipped: SkippedRecord[];
}

/** Longest record the CSV reader buffers (characters); beyond it an open quote is reported as unclosed. */
const MAX_RECORD_CHARS = 64 * 1024 * 1024;

/** How many skipped records are listed one by one (all are counted). */
export const MAX_LISTED = 1000;

/** Thrown by a record callback to reject one record (missing identifier, negative duration...). */
export class RecordError extends Error {
  constructor(
    message: string,
    readonly expected?: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Format from the option, else from the extension (.csv / .jsonl / .ndjson). */
export function tabularFormatOf(path: string, format?: string): TabularFormat {
  if (format) {
    if ((TABULAR_FORMATS as readonly string[]).includes(format)) return format as TabularFormat;
    throw new ChujingError('bad-input', `unknown format ${format}`, [{ field: 'format', message: `unknown format ${format}`, expected: 'csv or jsonl' }]);
  }
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  throw new ChujingError('bad-input', MESSAGES.unknownFormat(path), [{ file: path, field: 'format', message: MESSAGES.unknownFormat(path), expected: '--format csv or --format jsonl (or a .csv / .jsonl file)' }]);
}

/** Collects bad records: throws at the first one, or lists them under keepGoing. */
class BadRecords {
  readonly skipped: SkippedRecord[] = [];
  count = 0;
  constructor(
    private readonly file: string,
    private readonly keepGoing: boolean,
  ) {}

  report(line: number, message: string, expected: string | undefined, field?: string): void {
    if (!this.keepGoing) {
      const issue: ErrorIssue = { file: this.file, line, message };
      if (expected) issue.expected = expected;
      if (field) issue.field = field;
      throw new ChujingError('bad-input', `${this.file}:${line}: ${message}`, [issue]);
    }
    this.count++;
    if (this.skipped.length < MAX_LISTED) this.skipped.push({ file: this.file, line, reason: expected ? `${message} (expected ${expected})` : message });
  }
}

/**
 * Incremental RFC 4180 parser: `push` text as it arrives, records come out through `emit` with the line
 * they start on. Lines without a quote take a fast path (`split`); quoted fields go through a small
 * state machine that may span chunks and lines.
 */
export class CsvParser {
  private buf = '';
  /** Line number of the first character of `buf`. */
  private line = 1;
  private first = true;
  private abandoned = false;

  constructor(
    private readonly emit: (fields: string[], line: number) => void,
    private readonly bad: (line: number, message: string) => void,
  ) {}

  push(text: string): void {
    if (this.abandoned) return;
    this.buf = this.buf ? this.buf + text : text;
    if (this.first && this.buf.length > 0) {
      if (this.buf.charCodeAt(0) === 0xfeff) this.buf = this.buf.slice(1);
      this.first = false;
    }
    this.drain(false);
  }

  end(): void {
    if (!this.abandoned) this.drain(true);
    this.buf = '';
  }

  private drain(final: boolean): void {
    const s = this.buf;
    let pos = 0;
    const n = s.length;
    // Next quote at or after pos (n: none), searched once and reused, not once per line.
    let q = -2;
    while (pos < n) {
      const nl = s.indexOf('\n', pos);
      if (nl === -1 && !final) break;
      const lineEnd = nl === -1 ? n : nl;
      if (q !== n && q < pos) {
        q = s.indexOf('"', pos);
        if (q === -1) q = n;
      }
      if (q >= lineEnd) {
        let end = lineEnd;
        if (end > pos && s.charCodeAt(end - 1) === 13) end--;
        if (end > pos) this.emit(s.slice(pos, end).split(','), this.line); // blank lines are not records
        this.line++;
        pos = nl === -1 ? n : nl + 1;
        continue;
      }
      const next = this.quoted(s, pos, final);
      if (next === -1) {
        // Need more text. A record this long is an unclosed quote swallowing the file, not data:
        // report it rather than buffer the whole file.
        if (n - pos > MAX_RECORD_CHARS) {
          this.bad(this.line, MESSAGES.unclosedQuote);
          this.abandoned = true;
          pos = n;
        }
        break;
      }
      pos = next;
    }
    this.buf = s.slice(pos);
  }

  /** Parse one record holding a quote starting at `pos`; returns the position after it, or -1. */
  private quoted(s: string, pos: number, final: boolean): number {
    const fields: string[] = [];
    const startLine = this.line;
    let lines = 0;
    let i = pos;
    const n = s.length;
    let error: string | null = null;
    for (;;) {
      // At the start of a field.
      if (i < n && s.charCodeAt(i) === 34) {
        let value = '';
        const open = i;
        let from = i + 1;
        for (;;) {
          const q = s.indexOf('"', from);
          if (q === -1) {
            if (!final) return -1;
            this.bad(startLine, MESSAGES.unclosedQuote);
            this.line += countNewlines(s, pos, n);
            return n;
          }
          if (q + 1 < n && s.charCodeAt(q + 1) === 34) {
            value += s.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          if (q + 1 >= n && !final) return -1;
          value += s.slice(from, q);
          lines += countNewlines(s, open, q);
          i = q + 1;
          break;
        }
        fields.push(value);
        const c = i < n ? s.charCodeAt(i) : -1;
        if (c === 44) {
          i++;
          continue;
        }
        if (c === 13 && i + 1 < n && s.charCodeAt(i + 1) === 10) i++;
        else if (c === 13 && i + 1 >= n && !final) return -1;
        if (c === 10 || c === 13 || c === -1) break;
        error = MESSAGES.quoteAfterClose;
        break;
      }
      // Unquoted field: up to the next comma or line end; a quote inside is an error.
      let j = i;
      while (j < n) {
        const c = s.charCodeAt(j);
        if (c === 44 || c === 10) break;
        if (c === 34) {
          error = MESSAGES.quoteInField;
          break;
        }
        j++;
      }
      if (error) break;
      if (j >= n && !final) return -1;
      let end = j;
      if (end > i && s.charCodeAt(end - 1) === 13 && (j >= n || s.charCodeAt(j) === 10)) end--;
      fields.push(s.slice(i, end));
      if (j < n && s.charCodeAt(j) === 44) {
        i = j + 1;
        continue;
      }
      i = j;
      break;
    }
    if (error) {
      // Skip the rest of the physical line; the record is reported, not guessed at.
      const nl = s.indexOf('\n', i);
      if (nl === -1 && !final) return -1;
      const stop = nl === -1 ? n : nl + 1;
      this.line += countNewlines(s, pos, stop);
      this.bad(startLine, error);
      return stop;
    }
    // i is at the newline ending the record (or the end of the text).
    this.line += lines + (i < n ? 1 : 0);
    this.emit(fields, startLine);
    return i < n ? i + 1 : n;
  }
}

function countNewlines(s: string, from: number, to: number): number {
  let count = 0;
  for (let k = s.indexOf('\n', from); k !== -1 && k < to; k = s.indexOf('\n', k + 1)) count++;
  return count;
}

/** Serialise one CSV record (quoting only when needed) — for fixtures, tests and benches. */
export function csvRecord(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}

function scalar(v: unknown): string | undefined | null {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** Read `path` record by record; resolves when the whole file has been read. */
export async function readTabular(path: string, options: ReadOptions): Promise<ReadSummary> {
  const display = options.display ?? path;
  const bad = new BadRecords(display, options.keepGoing ?? false);
  const fields = options.fields;
  const values: (string | undefined)[] = new Array<string | undefined>(fields.length);
  let records = 0;

  const deliver = (line: number) => {
    try {
      options.onRecord(values, line);
      records++;
    } catch (e) {
      if (e instanceof RecordError) bad.report(line, e.message, e.expected, e.field);
      else throw e;
    }
  };

  let push: (text: string) => void;
  let end: () => void;
  if (options.format === 'csv') {
    let index: number[] | null = null;
    let width = 0;
    const parser = new CsvParser(
      (row, line) => {
        if (index === null) {
          const header = row.map((h) => h.trim());
          const lower = header.map((h) => h.toLowerCase());
          const seen = new Set<string>();
          lower.forEach((h, i) => {
            if (h && seen.has(h)) bad.report(line, MESSAGES.duplicateHeader(i + 1), 'each column name once');
            seen.add(h);
          });
          index = fields.map((f) => {
            for (const c of f.candidates) {
              const at = lower.indexOf(c.toLowerCase());
              if (at !== -1) return at;
            }
            return -1;
          });
          width = row.length;
          options.onColumns?.({ columns: index.map((at) => (at === -1 ? null : header[at]!)), header });
          return;
        }
        if (row.length !== width) {
          bad.report(line, MESSAGES.fieldCount(row.length, width), MESSAGES.expectedCsv);
          return;
        }
        for (let k = 0; k < index.length; k++) {
          const at = index[k]!;
          const v = at === -1 ? undefined : row[at];
          values[k] = v === '' ? undefined : v;
        }
        deliver(line);
      },
      (line, message) => bad.report(line, message, MESSAGES.expectedCsv),
    );
    push = (t) => parser.push(t);
    end = () => {
      parser.end();
      if (index === null) bad.report(1, MESSAGES.emptyHeader, 'a header row naming the columns');
    };
  } else {
    options.onColumns?.({ columns: fields.map(() => null), header: null });
    let buf = '';
    let line = 1;
    let first = true;
    const lowerCandidates = fields.map((f) => f.candidates.map((c) => c.toLowerCase()));
    const handle = (text: string) => {
      if (text.trim() === '') return;
      let obj: unknown;
      try {
        obj = JSON.parse(text);
      } catch {
        bad.report(line, MESSAGES.badJson, MESSAGES.expectedJsonl);
        return;
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
        bad.report(line, MESSAGES.notObject, MESSAGES.expectedJsonl);
        return;
      }
      const rec = obj as Record<string, unknown>;
      for (let k = 0; k < fields.length; k++) {
        let v: string | undefined | null = undefined;
        for (const c of fields[k]!.candidates) {
          if (Object.hasOwn(rec, c)) {
            v = scalar(rec[c]);
            break;
          }
        }
        if (v === undefined) {
          // Keys are matched case-insensitively too, as CSV headers are.
          const wanted = lowerCandidates[k]!;
          for (const key in rec) {
            if (wanted.includes(key.toLowerCase())) {
              v = scalar(rec[key]);
              break;
            }
          }
        }
        if (v === null) {
          bad.report(line, MESSAGES.nonScalar(fields[k]!.name), 'a string, number or boolean');
          return;
        }
        values[k] = v === '' ? undefined : v;
      }
      deliver(line);
    };
    push = (text) => {
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      buf = buf ? buf + text : text;
      let pos = 0;
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n', pos)) {
        handle(buf.slice(pos, nl));
        line++;
        pos = nl + 1;
      }
      buf = buf.slice(pos);
    };
    end = () => {
      if (buf) handle(buf);
      buf = '';
    };
  }

  let bytes = 0;
  const decoder = new StringDecoder('utf8');
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      bytes += (chunk as Buffer).length;
      push(decoder.write(chunk as Buffer));
      options.onBytes?.(bytes);
    }
    push(decoder.end());
    end();
  } finally {
    stream.destroy();
  }
  return { records, bytes, skippedCount: bad.count, skipped: bad.skipped };
}

// --- Column mapping: `--column category=name` overrides (and the workspace's `columns:` map) on top of
// a scanner's default column names.

/** Default names per field, then overrides (an override replaces the defaults for its field). */
export function fieldSpecs<F extends string>(defaults: Record<F, readonly string[]>, overrides: Record<string, string> | undefined, what: string): Record<F, FieldSpec> {
  const known = Object.keys(defaults) as F[];
  for (const key of Object.keys(overrides ?? {})) {
    if (!(known as string[]).includes(key)) {
      throw new ChujingError('bad-input', `unknown ${what} column category ${key}`, [
        { field: `columns.${key}`, message: `unknown category ${key}`, expected: `one of ${known.join(', ')}` },
      ]);
    }
  }
  const out = {} as Record<F, FieldSpec>;
  for (const f of known) {
    const o = overrides?.[f];
    out[f] = { name: f, candidates: o ? [o] : defaults[f] };
  }
  return out;
}

/** Parse repeated `category=name` options into a map. */
export function parseColumnOptions(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0 || eq === v.length - 1) {
      throw new ChujingError('bad-input', `bad --column ${v}`, [{ field: '--column', message: `cannot read "${v}"`, expected: 'category=column-name, e.g. --column personId=customer_no' }]);
    }
    out[v.slice(0, eq).trim()] = v.slice(eq + 1).trim();
  }
  return out;
}
