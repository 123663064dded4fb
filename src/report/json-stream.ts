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

/**
 * Write `value` as JSON to `sink`, as `toJson(value, lang)` would print it. Fields that are
 * `streamedArray(...)` or `later(...)` are written as they come (at any depth of plain objects).
 */
export async function writeJsonStream(sink: Sink, value: unknown, lang: Lang, indent = 2): Promise<void> {
  const replacer = jsonReplacer(lang);
  const out = new BufferedSink(sink);
  const pad = (depth: number) => ' '.repeat(indent * depth);
  /** A value without wrappers, by JSON.stringify, indented to `depth`. */
  const plain = (v: unknown, depth: number): string | undefined => {
    const s = JSON.stringify(v, replacer, indent);
    if (s === undefined) return undefined;
    return depth === 0 || !s.includes('\n') ? s : s.replace(/\n/g, `\n${pad(depth)}`);
  };
  /** True when something was written; false for a value JSON leaves out (undefined, a function). */
  const write = async (raw: unknown, depth: number, inArray: boolean): Promise<boolean> => {
    let v = isLater(raw) ? raw[LATER]() : raw;
    if (!isStreamed(v)) v = replacer('', v);
    if (isStreamed(v)) {
      const items = v[STREAMED];
      let first = true;
      // Items are written by JSON.stringify (they hold no wrappers); a sync iterable costs no await per item.
      const item = (x: unknown) => {
        out.push(first ? `[\n${pad(depth + 1)}` : `,\n${pad(depth + 1)}`);
        first = false;
        out.push(plain(x, depth + 1) ?? 'null');
      };
      if (Symbol.asyncIterator in items) for await (const x of items) item(x);
      else for (const x of items) item(x);
      out.push(first ? '[]' : `\n${pad(depth)}]`);
      return true;
    }
    if (isPlainObject(v) && hasWrappers(v)) {
      let first = true;
      for (const key of Object.keys(v)) {
        const field = v[key];
        if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
        // A field that JSON leaves out must not leave a dangling comma: compute plain ones first.
        if (!isStreamed(field) && !isLater(field)) {
          const s = plain(field, depth + 1);
          if (s === undefined) continue;
          out.push(`${first ? '{\n' : ',\n'}${pad(depth + 1)}${JSON.stringify(key)}: ${s}`);
          first = false;
          continue;
        }
        const resolved = isLater(field) ? field[LATER]() : field;
        if (!isStreamed(resolved) && (resolved === undefined || typeof resolved === 'function')) continue;
        out.push(`${first ? '{\n' : ',\n'}${pad(depth + 1)}${JSON.stringify(key)}: `);
        first = false;
        await write(resolved, depth + 1, false);
      }
      out.push(first ? '{}' : `\n${pad(depth)}}`);
      return true;
    }
    const s = plain(v, depth);
    if (s === undefined) {
      if (inArray) out.push('null');
      return inArray;
    }
    out.push(s);
    return true;
  };
  if (!(await write(value, 0, false))) out.push('undefined');
  out.push('\n');
  out.flush();
}

/** Whether an object holds a wrapper among its fields (or in nested plain objects). */
function hasWrappers(v: Record<string, unknown>, depth = 0): boolean {
  for (const key of Object.keys(v)) {
    const f = v[key];
    if (isStreamed(f) || isLater(f)) return true;
    if (depth < 4 && isPlainObject(f) && hasWrappers(f, depth + 1)) return true;
  }
  return false;
}
