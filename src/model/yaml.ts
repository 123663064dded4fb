/**
 * Reading the YAML of a workspace (and of any other user file: a calendar): bounded, and every problem a
 * bad-input error naming the file, line and column.
 *
 * Parser chosen by measurement (bench/assess.bench.mjs; 100,000 transfers, 9 MB): js-yaml 4 parses in
 * 0.7 s and 150 MB where the `yaml` package took 8.9 s and 1 GB (its Document keeps a node per value
 * with positions; js-yaml 5 builds a flat event array first and took 2.7 GB at a million transfers).
 * js-yaml gives no positions for values, so they are found only when an error needs them, by a second
 * pass of the same parser that follows just the paths asked for (`yamlPositions`): the error path costs
 * one more parse, never a tree of the whole file.
 *
 * The core schema (YAML 1.2) is used, as before: dates stay strings, no merge keys, no custom tags.
 */
import { readFileSync, statSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { badInput, type ErrorIssue } from '../errors.js';
import { msg, type Msg } from '../i18n/index.js';
import { toMiB, type LoadLimits } from './limits.js';

export type YamlPath = readonly (string | number)[];

export interface Position {
  line: number;
  column: number;
}

/** The bytes budget shared by the files of one load (the root, its includes). */
export interface ReadBudget {
  limits: LoadLimits;
  used: number;
}

export function newBudget(limits: LoadLimits): ReadBudget {
  return { limits, used: 0 };
}

/**
 * Read a user's YAML file as text: a regular file, within the size budget, valid UTF-8. The size is
 * checked before reading, so a huge file costs nothing.
 */
export function readYamlText(file: string, display: string, budget: ReadBudget, where: Partial<ErrorIssue> = {}): string {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) {
      throw badInput(msg('loader.not-a-file', { file: display }), [{ file: display, ...where, message: msg('loader.not-a-file', { file: display }), expected: msg('loader.file-expected') }]);
    }
    size = st.size;
  } catch (e) {
    if (!(e as NodeJS.ErrnoException).code) throw e;
    throw cannotRead(display, e as NodeJS.ErrnoException, where);
  }
  const { limits } = budget;
  if (budget.used + size > limits.totalBytes) {
    const single = size > limits.totalBytes;
    throw badInput(single ? msg('loader.limit.file-size', { file: display, size: toMiB(size), limit: toMiB(limits.totalBytes) }) : msg('loader.limit.total-size', { size: toMiB(budget.used + size), limit: toMiB(limits.totalBytes) }), [
      {
        file: display,
        ...where,
        message: single ? msg('loader.limit.file-size', { file: display, size: toMiB(size), limit: toMiB(limits.totalBytes) }) : msg('loader.limit.total-size', { size: toMiB(budget.used + size), limit: toMiB(limits.totalBytes) }),
        expected: single ? msg('loader.limit.file-size-expected', { total: toMiB(limits.totalBytes) }) : msg('loader.limit.total-size-expected'),
      },
    ]);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw cannotRead(display, e as NodeJS.ErrnoException, where);
  }
  // The file may have grown between stat and read.
  if (budget.used + bytes.length > limits.totalBytes) return readYamlText(file, display, budget, where);
  budget.used += bytes.length;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badInput(msg('loader.yaml.not-utf8', { file: display }), [{ file: display, ...where, message: msg('loader.yaml.not-utf8', { file: display }), expected: msg('loader.yaml.utf8-expected') }]);
  }
}

function cannotRead(display: string, e: NodeJS.ErrnoException, where: Partial<ErrorIssue>) {
  const reason = e.code ?? e.message;
  return badInput(msg('loader.cannot-read', { file: display, reason }), [{ file: display, ...where, message: msg('loader.not-readable') }]);
}

// js-yaml's reasons, by the start of their text, to the loader's messages (the rest keep the parser's words).
const REASONS: [string, (reason: string) => Msg][] = [
  ['duplicated mapping key', () => msg('loader.yaml.duplicate-key')],
  ['bad indentation', () => msg('loader.yaml.indentation')],
  ['deficient indentation', () => msg('loader.yaml.indentation')],
  ['missing indentation', () => msg('loader.yaml.indentation')],
  ['tab characters must not be used', () => msg('loader.yaml.tab-indent')],
  ['unexpected end of the stream within a flow collection', () => msg('loader.yaml.unclosed-flow')],
  ['unexpected end of the stream within a single', () => msg('loader.yaml.unclosed-quote')],
  ['unexpected end of the stream within a double', () => msg('loader.yaml.unclosed-quote')],
  ['unexpected end of the document within a', () => msg('loader.yaml.unclosed-quote')],
  ['missed comma between flow collection entries', () => msg('loader.yaml.missing-comma')],
  ['can not read an implicit mapping pair', () => msg('loader.yaml.missing-colon')],
  ['can not read a block mapping entry; a multiline key', () => msg('loader.yaml.multiline-key')],
  ['unidentified alias', (r) => msg('loader.yaml.unknown-alias', { name: /"(.*)"/.exec(r)?.[1] ?? '' })],
  ['unknown tag', (r) => msg('loader.yaml.unknown-tag', { tag: /!<(.*)>/.exec(r)?.[1] ?? '' })],
  ['expected a single document', () => msg('loader.yaml.several-documents')],
  ['end of the stream or a document separator is expected', () => msg('loader.yaml.trailing-content')],
  ['null byte is not allowed', () => msg('loader.yaml.null-byte')],
];

function reasonMessage(reason: string, limits: LoadLimits): Msg {
  if (reason.startsWith('nesting exceeded maxDepth')) return msg('loader.limit.depth', { limit: limits.maxDepth });
  for (const [prefix, make] of REASONS) if (reason.startsWith(prefix)) return make(reason);
  return msg('loader.yaml.other', { detail: reason });
}

interface JsYamlError extends Error {
  reason?: string;
  mark?: { line: number; column: number; position: number };
}

const LOAD_OPTIONS = { schema: jsyaml.CORE_SCHEMA } as const;

/**
 * Parse one YAML document. An empty file (or only comments) is `null`. Syntax errors, nesting beyond the
 * limit and alias bombs are bad input naming the file, line and column.
 */
export function parseYaml(text: string, display: string, limits: LoadLimits): unknown {
  let data: unknown;
  try {
    data = jsyaml.load(text, { ...LOAD_OPTIONS, maxDepth: limits.maxDepth } as jsyaml.LoadOptions);
  } catch (e) {
    const err = e as JsYamlError;
    if (err instanceof jsyaml.YAMLException || typeof err.reason === 'string') {
      const message = reasonMessage(err.reason ?? err.message, limits);
      const pos = err.mark ? { line: err.mark.line + 1, column: err.mark.column + 1 } : {};
      throw badInput(msg('loader.yaml.invalid', { file: display }), [
        { file: display, ...pos, message, expected: message.code === 'loader.limit.depth' ? msg('loader.limit.depth-expected', { limit: limits.maxDepth }) : msg('loader.yaml.expected') },
      ]);
    }
    // Deep recursion inside the parser (nesting is limited, but a long key can still recurse): bad input.
    if (err instanceof RangeError) {
      throw badInput(msg('loader.yaml.invalid', { file: display }), [{ file: display, message: msg('loader.limit.depth', { limit: limits.maxDepth }), expected: msg('loader.limit.depth-expected', { limit: limits.maxDepth }) }]);
    }
    throw e;
  }
  if (data === undefined) return null;
  if (mayHaveAnchors(text)) checkAliasExpansion(data, display, limits);
  return data;
}

/** An anchor (`&name`) must be written before any alias can refer to it: without one, nothing to check. */
function mayHaveAnchors(text: string): boolean {
  return text.includes('&') && /(?:^|[\s[{,])&[^\s[\]{},]/m.test(text);
}

/**
 * Aliases are shared references in the parsed value, so parsing an alias bomb is cheap; everything
 * that walks the value afterwards (validation, the engine, JSON) would expand it. Count the values the
 * document expands to (memoised per shared value, so this walk is linear in what was written) and
 * refuse a document that expands far beyond its size, or an alias that contains itself (a cycle).
 */
function checkAliasExpansion(root: unknown, display: string, limits: LoadLimits): void {
  const done = new Map<object, number>();
  const active = new Set<object>();
  let unique = 0;
  const fail = (message: Msg, expected: Msg): never => {
    throw badInput(msg('loader.yaml.invalid', { file: display }), [{ file: display, message, expected }]);
  };
  interface Frame {
    node: object;
    children: unknown[];
    i: number;
    size: number;
  }
  const open = (node: object): Frame => {
    active.add(node);
    unique++;
    return { node, children: Array.isArray(node) ? node : Object.values(node), i: 0, size: 1 };
  };
  if (root === null || typeof root !== 'object') return;
  const stack: Frame[] = [open(root)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.i < top.children.length) {
      const child = top.children[top.i++];
      if (child === null || typeof child !== 'object') {
        top.size++;
        unique++;
        continue;
      }
      const known = done.get(child);
      if (known !== undefined) {
        top.size += known;
        continue;
      }
      if (active.has(child)) fail(msg('loader.limit.alias-cycle'), msg('loader.limit.alias-cycle-expected'));
      if (stack.length >= limits.maxDepth) fail(msg('loader.limit.depth', { limit: limits.maxDepth }), msg('loader.limit.depth-expected', { limit: limits.maxDepth }));
      stack.push(open(child));
      continue;
    }
    stack.pop();
    active.delete(top.node);
    done.set(top.node, top.size);
    const parent = stack[stack.length - 1];
    if (parent) parent.size += top.size;
    // Stop as soon as the expansion is certain to be too large (sizes only grow).
    if (top.size > limits.aliasFactor * unique + limits.aliasAllowance && top.size > limits.aliasAllowance) {
      return fail(msg('loader.limit.aliases', { limit: limits.aliasFactor * unique + limits.aliasAllowance, ratio: Math.round(top.size / Math.max(1, unique)) }), msg('loader.limit.aliases-expected'));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Positions, found on demand

interface PathFrame {
  /** The path of this node, or null when it is on no path asked for (then its children are not followed). */
  path: (string | number)[] | null;
  start: number;
  /** Whether the node's content starts a sequence (`- ` or `[`), known from its first character. */
  seq: boolean;
  count: number;
  /** A key just read in this mapping, waiting for its value. */
  pendingKey: string | null;
  pendingKeyStart: number;
  /** For a value: where its key starts. */
  keyStart: number;
  role: 'root' | 'value' | 'item' | 'same' | 'key' | 'off';
}

const isSpace = (c: number) => c === 0x20 || c === 0x09;
const isBreak = (c: number) => c === 0x0a || c === 0x0d;
const isWsOrEnd = (c: number) => isSpace(c) || isBreak(c) || Number.isNaN(c) || c === 0;

/** Where a node's content starts: past blanks, line breaks, comments and its properties (&anchor, !tag). */
function contentStart(text: string, from: number): number {
  let p = from;
  for (;;) {
    const c = text.charCodeAt(p);
    if (isSpace(c) || isBreak(c)) p++;
    else if (c === 0x23 /* # */ && (p === 0 || isWsOrEnd(text.charCodeAt(p - 1)))) {
      while (p < text.length && !isBreak(text.charCodeAt(p))) p++;
    } else if ((c === 0x26 /* & */ || c === 0x21) /* ! */ && p + 1 < text.length && !isWsOrEnd(text.charCodeAt(p + 1))) {
      while (p < text.length && !isWsOrEnd(text.charCodeAt(p))) p++;
    } else return p;
  }
}

/** After a scalar that ends at `end`: is it a key (`:` follows on the same line, or `?` stands before it)? */
function isKeyAt(text: string, start: number, end: number): boolean {
  let p = end;
  while (isSpace(text.charCodeAt(p))) p++;
  if (text.charCodeAt(p) === 0x3a /* : */) return true;
  let b = start - 1;
  while (b >= 0 && isSpace(text.charCodeAt(b))) b--;
  return text.charCodeAt(b) === 0x3f /* ? */ && (b === 0 || isWsOrEnd(text.charCodeAt(b - 1)));
}

const keyOf = (path: YamlPath): string => path.map(String).join('\u0000');

/**
 * The core of `yamlPositions`: one pass of the parser that follows the nodes whose path `follow` accepts
 * and records where each starts (`found`, keyed by `keyOf(path)`).
 */
function trackPaths(text: string, follow: (path: readonly (string | number)[], key: string) => boolean): Map<string, number> {
  const found = new Map<string, number>();
  const stack: PathFrame[] = [];
  const OFF: PathFrame = { path: null, start: 0, seq: false, count: 0, pendingKey: null, pendingKeyStart: 0, keyStart: 0, role: 'off' };

  const open = (input: string, position: number) => {
    const parent = stack[stack.length - 1];
    if (parent && parent.path === null) {
      stack.push(OFF);
      return;
    }
    const start = contentStart(input, position);
    let path: (string | number)[] | null = null;
    let role: PathFrame['role'] = 'key';
    let keyStart = start;
    if (!parent) {
      path = [];
      role = 'root';
    } else if (parent.pendingKey !== null) {
      path = [...parent.path!, parent.pendingKey];
      role = 'value';
      keyStart = parent.pendingKeyStart;
      parent.pendingKey = null;
    } else if (start === parent.start) {
      path = parent.path;
      role = 'same';
    } else if (parent.seq) {
      path = [...parent.path!, parent.count++];
      role = 'item';
    }
    if (path !== null && role !== 'same') {
      const key = keyOf(path);
      if (!follow(path, key)) path = null;
      else if (!found.has(key)) found.set(key, start);
    }
    const c = input.charCodeAt(start);
    const seq = c === 0x5b /* [ */ || (c === 0x2d /* - */ && isWsOrEnd(input.charCodeAt(start + 1)));
    // A key's own children (a complex key) are on no path; it still needs a frame to be recognised at close.
    stack.push({ path: role === 'key' ? null : path, start, seq, count: 0, pendingKey: null, pendingKeyStart: 0, keyStart, role: path === null && role !== 'key' ? 'off' : role });
  };

  const close = (input: string, position: number, result: unknown) => {
    const frame = stack.pop()!;
    if (frame.role === 'off') return;
    const parent = stack[stack.length - 1];
    if (!parent || parent.path === null) return;
    if ((frame.role === 'key' || frame.role === 'same') && (result === null || typeof result !== 'object') && isKeyAt(input, frame.start, position)) {
      parent.pendingKey = String(result);
      parent.pendingKeyStart = frame.start;
      return;
    }
    if (frame.role === 'value' && result === null && frame.path) {
      const key = keyOf(frame.path);
      if (found.get(key) === frame.start) found.set(key, frame.keyStart);
    }
  };

  try {
    jsyaml.load(text, {
      ...LOAD_OPTIONS,
      listener(this: jsyaml.State, event: jsyaml.EventType, state: jsyaml.State) {
        if (event === 'open') open(state.input, state.position);
        else close(state.input, state.position, state.result);
      },
    } as jsyaml.LoadOptions);
  } catch {
    // Only called for text that parsed before; if it no longer does, give what was found.
  }
  return found;
}

/**
 * Line and column (1-based) of the nodes at `paths` in `text`: for each path, the deepest node of it
 * that exists (a missing field is reported where its parent is; a key whose value is empty, at the key).
 *
 * One pass of the parser with a listener that follows only the nodes on the paths asked for, so memory
 * stays small whatever the file's size. js-yaml calls the listener when it starts and ends reading a
 * node (`open`/`close`), without saying what the node is to its parent; the role is deduced from the
 * text: a node after a key is its value, a node in a sequence (`- `, `[`) is the next item, a node that
 * starts where its parent starts is the parent itself (js-yaml reads a possible key first), and a scalar
 * followed by `:` is a key.
 */
export function yamlPositions(text: string, paths: readonly YamlPath[]): (Position | undefined)[] {
  return linesOf(text, yamlOffsets(text, paths));
}

/** As `yamlPositions`, as offsets into the text. */
export function yamlOffsets(text: string, paths: readonly YamlPath[]): (number | undefined)[] {
  if (paths.length === 0) return [];
  const wanted = new Set<string>();
  for (const p of paths) for (let n = 0; n <= p.length; n++) wanted.add(keyOf(p.slice(0, n)));
  const found = trackPaths(text, (_, key) => wanted.has(key));
  return paths.map((p) => {
    for (let n = p.length; n >= 0; n--) {
      const at = found.get(keyOf(p.slice(0, n)));
      if (at !== undefined) return at;
    }
    return undefined;
  });
}

/**
 * Where every entry of the top-level lists starts (`transfers[i]` → offset), in one pass: an index that
 * lets a later lookup read just one entry's text instead of the whole file (4 bytes per entry).
 */
export function topLevelEntries(text: string): Map<string, Int32Array> {
  const found = trackPaths(text, (path) => path.length <= 1 || (path.length === 2 && typeof path[1] === 'number'));
  const lists = new Map<string, number[]>();
  for (const [key, offset] of found) {
    const parts = key.split('\u0000');
    if (parts.length !== 2 || !/^\d+$/.test(parts[1]!)) continue;
    let list = lists.get(parts[0]!);
    if (!list) lists.set(parts[0]!, (list = []));
    list[Number(parts[1])] = offset;
  }
  return new Map([...lists].map(([k, v]) => [k, Int32Array.from(v)]));
}

/** Line and column of several offsets in one pass over the text. */
export function linesOf(text: string, offsets: readonly (number | undefined)[]): (Position | undefined)[] {
  const order = offsets.map((o, i) => [o, i] as const).filter((x): x is readonly [number, number] => x[0] !== undefined).sort((a, b) => a[0] - b[0]);
  const out: (Position | undefined)[] = offsets.map(() => undefined);
  let line = 1;
  let lineStart = 0;
  let p = 0;
  for (const [offset, i] of order) {
    for (;;) {
      const nl = text.indexOf('\n', p);
      if (nl === -1 || nl >= offset) break;
      line++;
      lineStart = nl + 1;
      p = nl + 1;
    }
    out[i] = { line, column: offset - lineStart + 1 };
  }
  return out;
}
