/**
 * Editing YAML the way a person would: change only the bytes that must change, so a workspace edited
 * through the API keeps its comments, blank lines, key order, quoting and flow/block layout, and its
 * git diff shows exactly the edit.
 *
 * The `yaml` library's Document API gives every node's source range; the edits here are text splices
 * at those ranges (a scalar replaced in place, a key added after the last key of its map, a list entry
 * appended after the last entry in the same style). Re-printing a whole document with `toString()`
 * would normalise the file (flow-collection padding, line folding, comment spacing), so it is used
 * only for new values. Every edit is checked by parsing the result: it must mean exactly the intended
 * data, or the next, coarser strategy is tried (the whole entry re-rendered), and failing that the
 * edit is refused — never written wrong.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { canonicalJson } from '../ledger/canonical.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Splice {
  start: number;
  end: number;
  text: string;
}

const isPlainValue = (v: unknown): v is null | boolean | number | string => v === null || typeof v !== 'object';

/** Strings that would read as something else unquoted (YAML 1.2 core, and 1.1 booleans for other tools). */
const AMBIGUOUS = /^(?:true|false|null|~|yes|no|on|off|y|n|[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|[-+]?\.inf|\.nan)$/i;
// The first character must not be a YAML indicator (@ and ` are reserved, & * ! | > ' " % # - ? : , [ ] { } mean something).
const PLAIN_BLOCK = /^[\p{L}\p{N}_./()+\u3000-\u303f\uff00-\uffef][\p{L}\p{N}\p{M} _./()@+:,'&;\-\u3000-\u303f\uff00-\uffef]*$/u;

/** A scalar as YAML text: plain when unambiguous, else double-quoted (JSON strings are YAML). */
export function renderScalar(v: null | boolean | number | string, flow = false): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError('a number in a workspace must be finite');
    return Object.is(v, -0) ? '-0' : String(v);
  }
  const plain = PLAIN_BLOCK.test(v) && !v.endsWith(' ') && !v.endsWith(':') && !v.includes(': ') && !v.includes(' #') && !AMBIGUOUS.test(v) && !(flow && /[,[\]{}]/.test(v));
  return plain ? v : JSON.stringify(v);
}

function renderKey(k: string): string {
  return renderScalar(k);
}

/** A value on one line, in flow style (`[a, b]`, `{ a: 1 }`). */
export function renderFlow(v: Json, padMaps = true): string {
  if (isPlainValue(v)) return renderScalar(v, true);
  if (Array.isArray(v)) return `[${v.map((x) => renderFlow(x, padMaps)).join(', ')}]`;
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  const inner = entries.map(([k, x]) => `${renderScalar(k, true)}: ${renderFlow(x, padMaps)}`).join(', ');
  return padMaps ? `{ ${inner} }` : `{${inner}}`;
}

const flowFriendly = (v: Json[]) => v.every(isPlainValue);

/** The lines of a block mapping at `indent` spaces. */
function mapLines(obj: { [k: string]: Json }, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = renderKey(k);
    if (isPlainValue(v)) lines.push(`${pad}${key}: ${renderScalar(v)}`);
    else if (Array.isArray(v)) {
      if (v.length === 0 || flowFriendly(v)) lines.push(`${pad}${key}: ${renderFlow(v)}`);
      else {
        lines.push(`${pad}${key}:`);
        for (const item of v) lines.push(...seqItemLines(item, indent + 2));
      }
    } else if (Object.keys(v).length === 0) lines.push(`${pad}${key}: {}`);
    else {
      lines.push(`${pad}${key}:`);
      lines.push(...mapLines(v, indent + 2));
    }
  }
  return lines;
}

function seqItemLines(item: Json, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (isPlainValue(item) || Array.isArray(item)) return [`${pad}- ${renderFlow(item)}`];
  if (Object.keys(item).length === 0) return [`${pad}- {}`];
  const inner = mapLines(item, indent + 2);
  return [`${pad}- ${inner[0]!.slice(indent + 2)}`, ...inner.slice(1)];
}

/** A block mapping whose first line starts at the current column and the rest at `indent`. */
function renderBlockMap(obj: { [k: string]: Json }, indent: number): string {
  const lines = mapLines(obj, indent);
  return [lines[0]!.slice(indent), ...lines.slice(1)].join('\n');
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function columnOf(text: string, pos: number): number {
  return pos - lineStart(text, pos);
}

/** The position just after the end of the line holding `pos - 1` (or `pos` itself if it ends a line). */
function endOfLine(text: string, pos: number): number {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
}

function nodeEnd(text: string, node: Node): number {
  return endOfLine(text, node.range![1]);
}

function pairEnd(text: string, pair: Pair): number {
  const v = pair.value as Node | null;
  return v && v.range ? nodeEnd(text, v) : endOfLine(text, (pair.key as Node).range![1]);
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Edits that turn `node` (parsed from `text`) into `value`, keeping everything unchanged in place. */
function patch(text: string, node: Node | null, value: Json, out: Splice[]): void {
  if (node && sameJson(node.toJSON(), value)) return;
  if (!node || !node.range) throw new Error('no source range');
  const [start, end] = node.range;
  if (isScalar(node) && isPlainValue(value)) {
    out.push({ start, end, text: scalarLike(node, value) });
    return;
  }
  if (isMap(node) && !node.flow && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    patchBlockMap(text, node, value, out);
    return;
  }
  if (isSeq(node) && !node.flow && Array.isArray(value) && node.items.length === value.length) {
    node.items.forEach((item, i) => patch(text, item as Node, value[i]!, out));
    return;
  }
  if (isSeq(node) && !node.flow && Array.isArray(value) && value.length > node.items.length) {
    node.items.forEach((item, i) => patch(text, item as Node, value[i]!, out));
    const indent = columnOf(text, start);
    const at = nodeEnd(text, node);
    const lines = value.slice(node.items.length).flatMap((item) => seqItemLines(item, indent));
    out.push({ start: at, end: at, text: `${text[at - 1] === '\n' ? '' : '\n'}${lines.join('\n')}\n` });
    return;
  }
  if ((isMap(node) || isSeq(node)) && node.flow) {
    // Keep flow collections in flow style, with the padding the file uses.
    const padMaps = text.slice(start, end).startsWith('{ ') || !text.slice(start, end).startsWith('{');
    out.push({ start, end, text: renderFlow(value, padMaps) });
    return;
  }
  if (isPlainValue(value) || (Array.isArray(value) && flowFriendly(value))) {
    out.push({ start, end: isScalar(node) ? end : trimEnd(text, start, end), text: isPlainValue(value) ? renderScalar(value) : renderFlow(value) });
    return;
  }
  // A block collection replaced by another shape: re-render it in block style at its indentation.
  const indent = columnOf(text, start);
  const rendered = Array.isArray(value)
    ? seqItemLines(value[0] ?? null, indent)
        .concat(value.slice(1).flatMap((x) => seqItemLines(x, indent)))
        .map((l, i) => (i === 0 ? l.slice(indent) : l))
        .join('\n')
    : renderBlockMap(value, indent);
  const stop = nodeEnd(text, node);
  out.push({ start, end: stop, text: `${rendered}\n` });
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1]!)) e--;
  return e;
}

/** Keep the scalar's quoting style when the new value is a string that style can hold. */
function scalarLike(node: Scalar, v: null | boolean | number | string): string {
  if (typeof v === 'string') {
    if (node.type === 'QUOTE_DOUBLE') return JSON.stringify(v);
    if (node.type === 'QUOTE_SINGLE' && !v.includes('\n')) return `'${v.replace(/'/g, "''")}'`;
  }
  return renderScalar(v);
}

function patchBlockMap(text: string, node: YAMLMap, value: { [k: string]: Json }, out: Splice[]): void {
  const pairs = node.items as Pair[];
  const indent = columnOf(text, (pairs[0]?.key as Node | undefined)?.range?.[0] ?? node.range![0]);
  const present = new Set<string>();
  for (const pair of pairs) {
    const k = String((pair.key as Scalar).value);
    present.add(k);
    if (!(k in value)) {
      const keyNode = pair.key as Node;
      const from = lineStart(text, keyNode.range![0]);
      // The first key of a list entry shares its line with "- ": it cannot go by lines (the caller
      // then re-renders the entry).
      if (text.slice(from, keyNode.range![0]).trim() !== '') throw new Error('first key of a list entry');
      out.push({ start: from, end: pairEnd(text, pair), text: '' });
      continue;
    }
    const v = pair.value as Node | null;
    if (v === null || v === undefined) {
      // `key:` with nothing after it.
      const at = (pair.key as Node).range![1];
      const colon = text.indexOf(':', at);
      out.push({ start: colon + 1, end: colon + 1, text: ` ${renderFlow(value[k]!)}` });
      continue;
    }
    patch(text, v, value[k]!, out);
  }
  const added = Object.entries(value).filter(([k]) => !present.has(k));
  if (added.length) {
    const last = pairs[pairs.length - 1];
    const at = last ? pairEnd(text, last) : nodeEnd(text, node);
    const lines = mapLines(Object.fromEntries(added), indent);
    out.push({ start: at, end: at, text: `${text[at - 1] === '\n' || at === 0 ? '' : '\n'}${lines.join('\n')}\n` });
  }
}

function applySplices(text: string, splices: Splice[]): string {
  const sorted = [...splices].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let lastStart = Infinity;
  for (const s of sorted) {
    if (s.end > lastStart) throw new Error('overlapping edits');
    out = out.slice(0, s.start) + s.text + out.slice(s.end);
    lastStart = s.start;
  }
  return out;
}

function listNode(text: string, key: string): { doc: ReturnType<typeof parseDocument>; seq: YAMLSeq | null; keyPair: Pair | null } {
  const doc = parseDocument(text, { uniqueKeys: true, keepSourceTokens: false });
  if (doc.errors.length) throw new Error(`the file does not parse: ${doc.errors[0]!.message}`);
  const root = doc.contents;
  if (!isMap(root)) return { doc, seq: null, keyPair: null };
  const pair = (root.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === key) ?? null;
  const seq = pair && isSeq(pair.value) ? (pair.value as YAMLSeq) : null;
  return { doc, seq, keyPair: pair };
}

/** Parse `next` and check that it holds exactly `expected`. */
function verified(next: string, expected: unknown): string | null {
  const doc = parseDocument(next, { uniqueKeys: true });
  if (doc.errors.length) return null;
  return sameJson(doc.toJSON(), expected) ? next : null;
}

function expectedWith(text: string, key: string, change: (list: Json[]) => Json[]): Json {
  const data = (parseDocument(text, { uniqueKeys: true }).toJSON() ?? {}) as { [k: string]: Json };
  const list = Array.isArray(data[key]) ? (data[key] as Json[]) : [];
  return { ...data, [key]: change([...list]) };
}

export class YamlEditError extends Error {}

/** Replace entry `index` of the top-level list `key` with `value`. */
export function replaceEntry(text: string, key: string, index: number, value: Json): string {
  const { seq } = listNode(text, key);
  const item = seq?.items[index] as Node | undefined;
  if (!seq || !item) throw new YamlEditError(`no entry ${index} under ${key}`);
  const expected = expectedWith(text, key, (l) => l.map((x, i) => (i === index ? value : x)));
  // 1. Smallest edit: only what changed.
  try {
    const splices: Splice[] = [];
    patch(text, item, value, splices);
    const next = verified(applySplices(text, splices), expected);
    if (next !== null) return next;
  } catch {
    /* fall through to the coarser edit */
  }
  // 2. The whole entry re-rendered in place (its comments inside are lost, the rest of the file kept).
  const start = item.range![0];
  const indent = columnOf(text, start);
  const flowItem = (isMap(item) || isSeq(item)) && item.flow;
  const rendered = flowItem || isPlainValue(value) || Array.isArray(value) ? renderFlow(value) : renderBlockMap(value, indent);
  const end = flowItem || isPlainValue(value) ? item.range![1] : nodeEnd(text, item);
  const next = verified(text.slice(0, start) + rendered + (flowItem || isPlainValue(value) ? '' : '\n') + text.slice(end), expected);
  if (next !== null) return next;
  throw new YamlEditError('the edit could not be written without changing other data');
}

/** Append `value` to the top-level list `key` (created at the end of the file when absent). */
export function appendEntry(text: string, key: string, value: Json): string {
  const { seq, keyPair } = listNode(text, key);
  const expected = expectedWith(text, key, (l) => [...l, value]);
  if (seq && !seq.flow && seq.items.length > 0) {
    const first = seq.items[0] as Node;
    const last = seq.items[seq.items.length - 1] as Node;
    const firstLine = lineStart(text, first.range![0]);
    const dashIndent = Math.max(0, text.slice(firstLine, first.range![0]).indexOf('-'));
    const at = nodeEnd(text, last);
    // Same style as the entries already there: flow maps stay flow maps; a blank line between entries stays.
    const flowStyle = isMap(last) && last.flow;
    const lastLine = lineStart(text, last.range![0]);
    const spaced = /\n[ \t]*\n[ \t]*(#[^\n]*\n[ \t]*)*$/.test(text.slice(0, lastLine));
    const body = flowStyle
      ? `${' '.repeat(dashIndent)}- ${renderFlow(value, text.slice(last.range![0], last.range![1]).startsWith('{ '))}`
      : isPlainValue(value) || Array.isArray(value)
        ? `${' '.repeat(dashIndent)}- ${renderFlow(value)}`
        : seqItemLines(value, dashIndent).join('\n');
    const next = verified(`${text.slice(0, at)}${text[at - 1] === '\n' || at === 0 ? '' : '\n'}${spaced ? '\n' : ''}${body}\n${text.slice(at)}`, expected);
    if (next !== null) return next;
    throw new YamlEditError('the new entry could not be appended');
  }
  if (keyPair) {
    // `key: []`, `key:` or a flow list: the list becomes a block list under the key.
    const keyNode = keyPair.key as Node;
    const col = columnOf(text, keyNode.range![0]);
    const valueNode = keyPair.value as Node | null;
    const from = text.indexOf(':', keyNode.range![1]) + 1;
    const to = valueNode?.range ? valueNode.range[1] : from;
    const list = [...((seq?.toJSON() as Json[] | undefined) ?? []), value];
    const lines = list.flatMap((x) => seqItemLines(x, col + 2));
    const next = verified(`${text.slice(0, from)}\n${lines.join('\n')}${text.slice(to)}`, expected);
    if (next !== null) return next;
    throw new YamlEditError('the new entry could not be added');
  }
  const lines = seqItemLines(value, 2);
  const sep = text.length === 0 || text.endsWith('\n') ? '' : '\n';
  const next = verified(`${text}${sep}${text.trim() ? '\n' : ''}${renderKey(key)}:\n${lines.join('\n')}\n`, expected);
  if (next !== null) return next;
  throw new YamlEditError('the new list could not be added');
}

/** Remove entry `index` of the top-level list `key`, with the comment lines directly above it. */
export function removeEntry(text: string, key: string, index: number): string {
  const { seq } = listNode(text, key);
  const item = seq?.items[index] as Node | undefined;
  if (!seq || !item) throw new YamlEditError(`no entry ${index} under ${key}`);
  const expected = expectedWith(text, key, (l) => l.filter((_, i) => i !== index));
  if (seq.flow || seq.items.length === 1) {
    // A flow list, or the last entry: the list is written again (`key: []` when empty).
    const remaining = (seq.toJSON() as Json[]).filter((_, i) => i !== index);
    const start = seq.range![0];
    const rendered = remaining.length === 0 ? '[]' : renderFlow(remaining);
    const keyEnd = text.lastIndexOf(':', start) + 1;
    const end = seq.flow ? seq.range![1] : trimEnd(text, start, nodeEnd(text, seq));
    const next = verified(`${text.slice(0, seq.flow ? start : keyEnd)}${seq.flow ? '' : ' '}${rendered}${text.slice(end)}`, expected);
    if (next !== null) return next;
    throw new YamlEditError('the entry could not be removed');
  }
  let start = lineStart(text, item.range![0]);
  // Comment lines directly above (no blank line between) describe this entry.
  for (;;) {
    const prev = lineStart(text, start - 1);
    if (start === 0 || !/^[ \t]*#/.test(text.slice(prev, start))) break;
    start = prev;
  }
  let end = nodeEnd(text, item);
  // Do not leave two blank lines where the entry was.
  if (/\n[ \t]*\n$/.test(text.slice(0, start)) && /^[ \t]*\n/.test(text.slice(end))) end = endOfLine(text, end + 1);
  const next = verified(text.slice(0, start) + text.slice(end), expected);
  if (next !== null) return next;
  throw new YamlEditError('the entry could not be removed');
}
