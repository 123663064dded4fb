/**
 * A small, strict XML reader for Pascal VOC annotation files: elements, attributes, text, comments,
 * processing instructions, CDATA, the five predefined entities and character references. Anything that
 * is not well-formed XML — a tag closed by the wrong name, a bare `&`, an entity that is not defined, a
 * second root, text after the root — is an error with its line, because a measurement read from a broken
 * file is worse than none.
 *
 * Hand-written rather than a dependency: VOC files are a few hundred bytes, we need line numbers in
 * every error, and we want to refuse DTDs outright (an internal subset can declare entities, the door to
 * entity-expansion attacks and to "undefined entity" files that other parsers accept silently). A
 * general XML library would have to be configured into exactly this subset.
 */
import { msg, type Msg } from '../../i18n/index.js';

export interface XmlElement {
  name: string;
  line: number;
  children: XmlElement[];
  /** Concatenated character data directly inside this element (entities decoded). */
  text: string;
}

export class XmlError extends Error {
  constructor(
    readonly line: number,
    readonly detail: Msg,
  ) {
    super(detail.code);
  }
}

const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const NAME_CHAR = /[-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parse a whole document; returns its root element or throws `XmlError`. */
export function parseXml(text: string): XmlElement {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  let lineAt = 0;
  /** Line of position `p` (positions are asked in increasing order). */
  const lineOf = (p: number): number => {
    for (let k = text.indexOf('\n', lineAt); k !== -1 && k < p; k = text.indexOf('\n', k + 1)) {
      line++;
      lineAt = k + 1;
    }
    return line;
  };
  const fail = (p: number, code: string, params: Record<string, string> = {}): never => {
    throw new XmlError(lineOf(p), msg(code, params));
  };

  const readName = (): string => {
    const start = i;
    if (i >= n || !NAME_START.test(text[i]!)) fail(i, 'evidence.xml.bad-name');
    i++;
    while (i < n && NAME_CHAR.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  const skipSpace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  /** Decode entity and character references in `s` (which starts at `at` in the text). */
  const decode = (s: string, at: number): string => {
    if (!s.includes('&')) return s;
    let out = '';
    let k = 0;
    for (;;) {
      const amp = s.indexOf('&', k);
      if (amp === -1) return out + s.slice(k);
      out += s.slice(k, amp);
      const semi = s.indexOf(';', amp);
      if (semi === -1) fail(at + amp, 'evidence.xml.bare-ampersand');
      const ref = s.slice(amp + 1, semi);
      if (ref.startsWith('#')) {
        const code = /^#x[0-9a-fA-F]+$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]+$/.test(ref) ? Number(ref.slice(1)) : NaN;
        if (!(code >= 1 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) fail(at + amp, 'evidence.xml.bad-char-ref');
        out += String.fromCodePoint(code);
      } else if (Object.hasOwn(PREDEFINED, ref)) {
        out += PREDEFINED[ref];
      } else if (/^[A-Za-z_:][-A-Za-z0-9_:.]*$/.test(ref)) {
        fail(at + amp, 'evidence.xml.undefined-entity', { entity: ref });
      } else {
        fail(at + amp, 'evidence.xml.bare-ampersand');
      }
      k = semi + 1;
    }
  };
  /** Comments, processing instructions and a DOCTYPE without an internal subset; returns false at anything else. */
  const misc = (allowDoctype: boolean): boolean => {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) fail(i, 'evidence.xml.unclosed-comment');
      i = end + 3;
      return true;
    }
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) fail(i, 'evidence.xml.unclosed-pi');
      i = end + 2;
      return true;
    }
    if (text.startsWith('<!DOCTYPE', i)) {
      if (!allowDoctype) fail(i, 'evidence.xml.misplaced-doctype');
      const end = text.indexOf('>', i);
      const bracket = text.indexOf('[', i);
      if (bracket !== -1 && (end === -1 || bracket < end)) fail(i, 'evidence.xml.dtd');
      if (end === -1) fail(i, 'evidence.xml.unclosed-doctype');
      i = end + 1;
      return true;
    }
    return false;
  };

  // Prolog.
  for (;;) {
    skipSpace();
    if (i >= n) fail(i, 'evidence.xml.no-root');
    if (!misc(true)) break;
  }
  if (text[i] !== '<') fail(i, 'evidence.xml.text-outside-root');

  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < n) {
    const c = text[i];
    if (c === '<') {
      if (text.startsWith('</', i)) {
        const at = i;
        i += 2;
        const name = readName();
        skipSpace();
        if (text[i] !== '>') fail(i, 'evidence.xml.expected-gt');
        i++;
        const open = stack.pop();
        if (!open) fail(at, 'evidence.xml.unexpected-close', { name });
        if (open!.name !== name) fail(at, 'evidence.xml.mismatched-close', { name, open: open!.name });
        if (stack.length === 0) break;
        continue;
      }
      if (text.startsWith('<![CDATA[', i)) {
        if (stack.length === 0) fail(i, 'evidence.xml.text-outside-root');
        const end = text.indexOf(']]>', i + 9);
        if (end === -1) fail(i, 'evidence.xml.unclosed-cdata');
        stack[stack.length - 1]!.text += text.slice(i + 9, end);
        i = end + 3;
        continue;
      }
      if (text.startsWith('<!--', i) || text.startsWith('<?', i) || text.startsWith('<!', i)) {
        if (!misc(false)) fail(i, 'evidence.xml.bad-markup');
        continue;
      }
      const at = i;
      i++;
      const name = readName();
      const el: XmlElement = { name, line: lineOf(at), children: [], text: '' };
      const seen = new Set<string>();
      for (;;) {
        const before = i;
        skipSpace();
        if (text[i] === '>' || text.startsWith('/>', i)) break;
        if (i === before) fail(i, 'evidence.xml.expected-attribute');
        const attr = readName();
        if (seen.has(attr)) fail(i, 'evidence.xml.duplicate-attribute', { name: attr });
        seen.add(attr);
        skipSpace();
        if (text[i] !== '=') fail(i, 'evidence.xml.expected-equals');
        i++;
        skipSpace();
        const q = text[i];
        if (q !== '"' && q !== "'") fail(i, 'evidence.xml.expected-quote');
        const end = text.indexOf(q!, i + 1);
        if (end === -1) fail(i, 'evidence.xml.unclosed-attribute');
        const value = text.slice(i + 1, end);
        if (value.includes('<')) fail(i, 'evidence.xml.lt-in-attribute');
        decode(value, i + 1);
        i = end + 1;
      }
      if (stack.length === 0 && root !== null) fail(at, 'evidence.xml.second-root');
      if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
      else root = el;
      if (text.startsWith('/>', i)) {
        i += 2;
        if (stack.length === 0) break;
      } else {
        i++;
        stack.push(el);
      }
      continue;
    }
    // Character data up to the next markup.
    const next = text.indexOf('<', i);
    const end = next === -1 ? n : next;
    const raw = text.slice(i, end);
    if (raw.includes(']]>')) fail(i + raw.indexOf(']]>'), 'evidence.xml.bad-markup');
    stack[stack.length - 1]!.text += decode(raw, i);
    i = end;
  }
  if (stack.length > 0) fail(n, 'evidence.xml.unclosed-element', { name: stack[stack.length - 1]!.name });
  // After the root: only whitespace, comments and processing instructions.
  for (;;) {
    skipSpace();
    if (i >= n) break;
    if (!misc(false)) fail(i, text[i] === '<' ? 'evidence.xml.second-root' : 'evidence.xml.text-outside-root');
  }
  return root!;
}

/** The first direct child named `name`. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}
