/**
 * Streaming reader for the tabular evidence files (manifests, drive logs): CSV (RFC 4180: quoted fields
 * may hold commas, quotes written twice and line breaks; the first record is the header) and JSONL (one
 * JSON object per line). Files are read in chunks, so their size does not matter; every record comes
 * with the line it starts on, so errors name `file:line`. Bytes are decoded by `decode.ts` (UTF-8 with or
 * without BOM, GB18030 chosen or detected from the header, UTF-16 with BOM; invalid bytes are an error).
 *
 * The reader hands the caller only the fields it asked for (`FieldSpec`), as strings, so both formats
 * look the same to the counters. A column the user named explicitly (`--column category=name`) must exist:
 * an unknown name is bad input, never a silently empty category.
 *
 * Messages never quote a cell or the text of a line: a mis-mapped column, or a file without a header,
 * could put an identifier there.
 */
import { createReadStream } from 'node:fs';
import { ChujingError, badInput, type ErrorIssue } from '../errors.js';
import { msg, type Msg } from '../i18n/index.js';
import { CATEGORY_ALIASES, NAME_COLUMNS, namesKnownColumn, normaliseHeader } from './columns.js';
import { ManifestDecoder, type DecodedFileInfo, type TextEncodingName } from './decode.js';
import type { SkippedRecord } from './types.js';

export type TabularFormat = 'csv' | 'jsonl';
export const TABULAR_FORMATS: readonly TabularFormat[] = ['csv', 'jsonl'];

/** A field the caller wants: its name for messages and the column / key names it may go by. */
export interface FieldSpec {
  name: string;
  /** Column (CSV header) or key (JSONL) names, matched case-insensitively, first match wins. */
  candidates: readonly string[];
  /** Named by the user (`--column`, workspace `columns:`): it must exist in the file. */
  explicit?: boolean;
}

/** Which column each wanted field was found in (CSV: known from the header; JSONL: per record). */
export interface ResolvedColumns {
  /** Index in `fields` -> the column name used, or null when the file has no such column. */
  columns: (string | null)[];
  header: string[] | null;
  /** Header cells that hold a person's name (never an identifier), for a clearer message. */
  nameColumns: number;
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
  /** Chosen encoding; default: BOM, else UTF-8, else GB18030 when the header decodes into known names. */
  encoding?: TextEncodingName;
  /** Called after each chunk with the bytes read so far (for a progress bar). */
  onBytes?: (bytesRead: number) => void;
}

export interface ReadSummary {
  records: number;
  bytes: number;
  /** Bad records skipped under keepGoing (all of them counted, the first MAX_LISTED listed). */
  skippedCount: number;
  skipped: SkippedRecord[];
  /** The encoding the file was read in, and how it was decided. */
  encoding: DecodedFileInfo;
}

/** Longest record the CSV reader buffers (characters); beyond it an open quote is reported as unclosed. */
const MAX_RECORD_CHARS = 64 * 1024 * 1024;

/** How many skipped records are listed one by one (all are counted). */
export const MAX_LISTED = 1000;

/** Thrown by a record callback to reject one record (missing identifier, negative duration...). */
export class RecordError extends Error {
  constructor(
    readonly msg: Msg,
    readonly expected?: Msg,
    readonly field?: string,
  ) {
    super(msg.code);
  }
}

/** Format from the option, else from the extension (.csv / .jsonl / .ndjson). */
export function tabularFormatOf(path: string, format?: string): TabularFormat {
  if (format) {
    if ((TABULAR_FORMATS as readonly string[]).includes(format)) return format as TabularFormat;
    const m = msg('evidence.format.unknown', { format });
    throw badInput(m, [{ field: '--format', message: m, expected: msg('evidence.format.expected-tabular') }]);
  }
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  const m = msg('evidence.format.from-name', { path });
  throw badInput(m, [{ file: path, field: 'format', message: m, expected: msg('evidence.format.expected-tabular') }]);
}

/** Collects bad records: throws at the first one, or lists them under keepGoing. */
class BadRecords {
  readonly skipped: SkippedRecord[] = [];
  count = 0;
  constructor(
    private readonly file: string,
    private readonly keepGoing: boolean,
  ) {}

  report(line: number, message: Msg, expected: Msg | undefined, field?: string): void {
    if (!this.keepGoing) {
      const issue: ErrorIssue = { file: this.file, line, message };
      if (expected) issue.expected = expected;
      if (field) issue.field = field;
      throw badInput(msg('evidence.bad-record', { file: this.file, line }), [issue]);
    }
    this.count++;
    if (this.skipped.length < MAX_LISTED) this.skipped.push({ file: this.file, line, reason: message, ...(expected ? { expected } : {}) });
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
    private readonly bad: (line: number, message: Msg) => void,
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
          this.bad(this.line, msg('evidence.csv.unclosed-quote'));
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
    let error: Msg | null = null;
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
            this.bad(startLine, msg('evidence.csv.unclosed-quote'));
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
        error = msg('evidence.csv.text-after-quote');
        break;
      }
      // Unquoted field: up to the next comma or line end; a quote inside is an error.
      let j = i;
      while (j < n) {
        const c = s.charCodeAt(j);
        if (c === 44 || c === 10) break;
        if (c === 34) {
          error = msg('evidence.csv.quote-in-field');
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

/** Bytes of `path`, decoded (see decode.ts), as text chunks of whole lines. */
export async function* decodedText(path: string, decoder: ManifestDecoder, onBytes?: (n: number) => void): AsyncGenerator<string> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      bytes += (chunk as Buffer).length;
      const text = decoder.push(chunk as Buffer);
      if (text) yield text;
      onBytes?.(bytes);
    }
    const last = decoder.end();
    if (last) yield last;
  } finally {
    stream.destroy();
  }
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
      if (e instanceof RecordError) bad.report(line, e.msg, e.expected, e.field);
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
          const header = row.map((h) => h.replace(/^\uFEFF/, '').trim());
          const lower = header.map(normaliseHeader);
          const seen = new Set<string>();
          lower.forEach((h, i) => {
            if (h && seen.has(h)) bad.report(line, msg('evidence.csv.duplicate-header', { position: i + 1 }), msg('evidence.csv.expected-unique-header'));
            seen.add(h);
          });
          index = fields.map((f) => {
            for (const c of f.candidates) {
              const at = lower.indexOf(normaliseHeader(c));
              if (at !== -1) return at;
            }
            return -1;
          });
          fields.forEach((f, k) => {
            if (f.explicit && index![k] === -1) throw missingColumn(display, line, f, header.length);
          });
          width = row.length;
          const names = new Set(NAME_COLUMNS.map(normaliseHeader));
          options.onColumns?.({ columns: index.map((at) => (at === -1 ? null : header[at]!)), header, nameColumns: lower.filter((h) => names.has(h)).length });
          return;
        }
        if (row.length !== width) {
          bad.report(line, msg('evidence.csv.field-count', { got: row.length, want: width }), msg('evidence.csv.expected'));
          return;
        }
        for (let k = 0; k < index.length; k++) {
          const at = index[k]!;
          const v = at === -1 ? undefined : row[at];
          values[k] = v === '' ? undefined : v;
        }
        deliver(line);
      },
      (line, message) => bad.report(line, message, msg('evidence.csv.expected')),
    );
    push = (t) => parser.push(t);
    end = () => {
      parser.end();
      if (index === null) bad.report(1, msg('evidence.csv.no-header'), msg('evidence.csv.expected-header'));
    };
  } else {
    options.onColumns?.({ columns: fields.map(() => null), header: null, nameColumns: 0 });
    let buf = '';
    let line = 1;
    const lowerCandidates = fields.map((f) => f.candidates.map(normaliseHeader));
    const seenExplicit = fields.map((f) => !f.explicit);
    const handle = (text: string) => {
      if (text.trim() === '') return;
      let obj: unknown;
      try {
        obj = JSON.parse(text);
      } catch {
        // JSON.parse's own message quotes the text around the error, which may be an identifier: not shown.
        bad.report(line, msg('evidence.jsonl.bad-json'), msg('evidence.jsonl.expected'));
        return;
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
        bad.report(line, msg('evidence.jsonl.not-object'), msg('evidence.jsonl.expected'));
        return;
      }
      const rec = obj as Record<string, unknown>;
      for (let k = 0; k < fields.length; k++) {
        let v: string | undefined | null = undefined;
        let found = false;
        for (const c of fields[k]!.candidates) {
          if (Object.hasOwn(rec, c)) {
            v = scalar(rec[c]);
            found = true;
            break;
          }
        }
        if (!found) {
          // Keys are matched case-insensitively too, as CSV headers are.
          const wanted = lowerCandidates[k]!;
          for (const key in rec) {
            if (wanted.includes(normaliseHeader(key))) {
              v = scalar(rec[key]);
              found = true;
              break;
            }
          }
        }
        if (found) seenExplicit[k] = true;
        if (v === null) {
          bad.report(line, msg('evidence.jsonl.non-scalar', { field: fields[k]!.name }), msg('evidence.jsonl.expected-scalar'));
          return;
        }
        values[k] = v === '' ? undefined : v;
      }
      deliver(line);
    };
    push = (text) => {
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
      // A key the user named that no record holds is a mapping mistake, not an empty column.
      fields.forEach((f, k) => {
        if (!seenExplicit[k]) throw missingColumn(display, undefined, f, null);
      });
    };
  }

  const decoder = new ManifestDecoder({ display, ...(options.encoding ? { encoding: options.encoding } : {}), knownHeader: namesKnownColumn });
  let bytes = 0;
  for await (const text of decodedText(path, decoder, (n) => {
    bytes = n;
    options.onBytes?.(n);
  })) {
    push(text);
  }
  end();
  return { records, bytes, skippedCount: bad.count, skipped: bad.skipped, encoding: decoder.info ?? { encoding: options.encoding ?? 'utf-8', by: options.encoding ? 'option' : 'default' } };
}

/** A column the user named is not in the file (never a silently empty category). */
function missingColumn(file: string, line: number | undefined, f: FieldSpec, columns: number | null): ChujingError {
  const column = f.candidates[0]!;
  const m = msg('evidence.column.missing', { column, category: f.name });
  // The header is not listed: a file without a header would have its first record printed.
  return badInput(msg('evidence.column.missing-file', { file, column }), [
    { file, ...(line !== undefined ? { line } : {}), field: `--column ${f.name}=${column}`, message: m, expected: columns === null ? msg('evidence.column.expected-key') : msg('evidence.column.expected', { columns }) },
  ]);
}

// --- Column mapping: `--column category=name` overrides (and the workspace's `columns:` map) on top of
// a scanner's default column names.

/** Known category for a name (or an older alias), else null. */
export function categoryOf<F extends string>(known: readonly F[], name: string): F | null {
  if ((known as readonly string[]).includes(name)) return name as F;
  const alias = CATEGORY_ALIASES[name];
  return alias !== undefined && (known as readonly string[]).includes(alias) ? (alias as string as F) : null;
}

/** Default names per field, then overrides (an override replaces the defaults for its field). */
export function fieldSpecs<F extends string>(defaults: Record<F, readonly string[]>, overrides: Record<string, string> | undefined, what: 'manifest' | 'drivelog'): Record<F, FieldSpec> {
  const known = Object.keys(defaults) as F[];
  const given: Partial<Record<F, string>> = {};
  for (const [key, column] of Object.entries(overrides ?? {})) {
    const category = categoryOf(known, key);
    if (category === null) {
      const m = msg('evidence.column.unknown-category', { category: key, what: msg(`evidence.kind.${what}`) });
      throw badInput(m, [{ field: `columns.${key}`, message: m, expected: msg('evidence.expected.one-of', { values: known.join(', ') }) }]);
    }
    given[category] = column;
  }
  const out = {} as Record<F, FieldSpec>;
  for (const f of known) {
    const o = given[f];
    out[f] = o ? { name: f, candidates: [o], explicit: true } : { name: f, candidates: defaults[f] };
  }
  return out;
}

/** Parse repeated `category=name` options into a map. */
export function parseColumnOptions(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0 || eq === v.length - 1) {
      const m = msg('evidence.column.bad-option', { value: v });
      throw badInput(m, [{ field: '--column', message: m, expected: msg('evidence.column.expected-option') }]);
    }
    out[v.slice(0, eq).trim()] = v.slice(eq + 1).trim();
  }
  return out;
}
