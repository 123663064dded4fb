/**
 * JSON written piece by piece, for reports too large to hold as one string (a V8 string cannot exceed
 * 512 MiB; `assess --json` on a million transfers is about 1 GB of JSON). The text is exactly what
 * `toJson(value, lang)` (src/i18n/json.ts) gives for the same value — messages `{code, params}` gain
 * `text`, two-space indentation, one trailing newline — so the contract does not depend on the size.
 *
 * Two wrappers let a producer stream: `streamedArray(iterable)` writes an array item by item as the
 * iterable yields them (an engine's per-transfer results), and `later(() => value)` computes a field
 * only when the writer reaches it (a summary counted while the array above it streamed). Everything
 * else is written by JSON.stringify itself, one field or one array item at a time (so the items of a
 * streamed array are plain values, without wrappers inside).
 */
import { jsonReplacer } from '../i18n/json.js';
import type { Lang } from '../i18n/index.js';

const STREAMED = Symbol('chujing.streamedArray');
const LATER = Symbol('chujing.later');

export interface StreamedArray<T> {
  readonly [STREAMED]: Iterable<T> | AsyncIterable<T>;
}
export interface Later<T> {
  readonly [LATER]: () => T;
}

/** An array written item by item as `items` yields them (sync or async). */
export function streamedArray<T>(items: Iterable<T> | AsyncIterable<T>): StreamedArray<T> {
  return { [STREAMED]: items };
}

/** A value computed when the writer reaches it, after everything written before it. */
export function later<T>(compute: () => T): Later<T> {
  return { [LATER]: compute };
}

/** What the writer writes to: a stream's `write` (the CLI's stdout) or anything with one. */
export interface Sink {
  write(text: string): void;
}

/** Chunks of about this many characters are handed to the sink (few writes, bounded memory). */
const CHUNK = 1 << 16;

/** Gathers small pieces and hands them to the sink in chunks of about 64 K characters; `flush()` at the end. */
export class BufferedSink {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly sink: Sink) {}
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= CHUNK) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    this.sink.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

const isStreamed = (v: unknown): v is StreamedArray<unknown> => typeof v === 'object' && v !== null && STREAMED in v;
const isLater = (v: unknown): v is Later<unknown> => typeof v === 'object' && v !== null && LATER in v;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';

/** Levels of plain objects and arrays written one member at a time; deeper values go to JSON.stringify whole. */
const DESCEND = 2;

/**
 * Write `value` as JSON to `sink`, as `toJson(value, lang)` would print it. The first levels of objects
 * and arrays are written member by member (a report's list of a million transfers is never one string);
 * `streamedArray(...)` and `later(...)` wrappers are written as they come. An async iterable may be
 * streamed as a field of the top-level object.
 */
export async function writeJsonStream(sink: Sink, value: unknown, lang: Lang, indent = 2): Promise<void> {
  const replacer = jsonReplacer(lang);
  const out = new BufferedSink(sink);
  const pad = (depth: number) => ' '.repeat(indent * depth);
  /** A value by JSON.stringify, indented to `depth` (undefined for what JSON leaves out). */
  const plain = (v: unknown, depth: number): string | undefined => {
    const s = JSON.stringify(v, replacer, indent);
    if (s === undefined) return undefined;
    return depth === 0 || !s.includes('\n') ? s : s.replace(/\n/g, `\n${pad(depth)}`);
  };
  const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

  /** Items of an array or a streamed array, each written by `emit` at `depth + 1`. */
  const items = (iterable: Iterable<unknown>, depth: number) => {
    let first = true;
    for (const x of iterable) {
      out.push(first ? `[\n${pad(depth + 1)}` : `,\n${pad(depth + 1)}`);
      first = false;
      if (!emit(x, depth + 1)) out.push('null');
    }
    out.push(first ? '[]' : `\n${pad(depth)}]`);
  };
  /** Write `key: value` after `first ? '{' : ','`; false (nothing written) when JSON leaves the value out. */
  const field = (key: string, raw: unknown, depth: number, first: boolean): boolean => {
    const value = isLater(raw) ? raw[LATER]() : raw;
    if (skipped(value)) return false;
    const head = `${first ? '{\n' : ',\n'}${pad(depth + 1)}${JSON.stringify(key)}: `;
    if (!isStreamed(value) && !Array.isArray(value) && !isPlainObject(replacer(key, value))) {
      const s = plain(value, depth + 1);
      if (s === undefined) return false;
      out.push(head + s);
      return true;
    }
    out.push(head);
    emit(value, depth + 1);
    return true;
  };
  /** Write one value (never an async stream); false when JSON leaves it out. */
  const emit = (raw: unknown, depth: number): boolean => {
    const v0 = isLater(raw) ? raw[LATER]() : raw;
    if (isStreamed(v0)) {
      const source = v0[STREAMED];
      if (!(Symbol.iterator in source)) throw new TypeError('an async iterable can be streamed only as a field of the top-level object');
      items(source as Iterable<unknown>, depth);
      return true;
    }
    const v = replacer('', v0);
    if (depth < DESCEND && Array.isArray(v)) {
      items(v, depth);
      return true;
    }
    if (depth < DESCEND && isPlainObject(v)) {
      let first = true;
      for (const key of Object.keys(v)) if (field(key, v[key], depth, first)) first = false;
      out.push(first ? '{}' : `\n${pad(depth)}}`);
      return true;
    }
    const s = plain(v, depth);
    if (s === undefined) return false;
    out.push(s);
    return true;
  };

  const top = isLater(value) ? value[LATER]() : value;
  const isAsyncStream = (f: unknown) => isStreamed(f) && !(Symbol.iterator in f[STREAMED]);
  if (isPlainObject(top) && Object.values(top).some(isAsyncStream)) {
    // The top-level object member by member here, so that a field may be an async stream.
    let first = true;
    for (const key of Object.keys(top)) {
      const f = top[key];
      if (!isAsyncStream(f)) {
        if (field(key, f, 0, first)) first = false;
        continue;
      }
      out.push(`${first ? '{\n' : ',\n'}${pad(1)}${JSON.stringify(key)}: `);
      first = false;
      let n = 0;
      for await (const x of (f as StreamedArray<unknown>)[STREAMED] as AsyncIterable<unknown>) {
        out.push(n++ === 0 ? `[\n${pad(2)}` : `,\n${pad(2)}`);
        if (!emit(x, 2)) out.push('null');
      }
      out.push(n === 0 ? '[]' : `\n${pad(1)}]`);
    }
    out.push(first ? '{}' : '\n}');
  } else if (!emit(top, 0)) out.push('undefined');
  out.push('\n');
  out.flush();
}
