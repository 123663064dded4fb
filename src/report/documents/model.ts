/**
 * A document is data: a tree of blocks (headings, paragraphs, tables, lists, form fields, checklists)
 * built by one builder per document kind from the engine's output, then rendered by one small writer
 * per format (Markdown, HTML, DOCX; PDF from the HTML). Builders never format; writers never decide.
 *
 * The tree is generic in its text type: builders write `Text` (a message or a data string, any
 * language), `localize()` turns it into `string` in one language, and writers only ever see strings.
 */
import { msg, type Text } from '../../i18n/index.js';

/** Data that comes in both languages (a pack's title, a rule's title): the document picks one. */
export interface Bilingual {
  en: string;
  zh: string;
}

/** What builders write: a message, a data string, or bilingual data. */
export type DocText = Text | Bilingual;

export const DOCUMENT_KINDS = ['self-assessment', 'declaration', 'pipia', 'sc-filing', 'plan', 'security-checklist', 'annual'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A run of text inside a paragraph, a list item or a table cell. */
export type Inline<T = DocText> =
  | { kind: 'text'; text: T; strong?: boolean }
  /** A rule ID of regulation.md, cited; every cited rule is listed with its source and confidence. */
  | { kind: 'rule'; id: string }
  /** An identifier of the workspace or a measured value: shown as it is, never translated. */
  | { kind: 'code'; text: string }
  /**
   * What only a person can write (a signature, an ID number, a judgement): visibly marked in every
   * format and listed, numbered, at the end of the document. `n` is assigned by `finish()`.
   */
  | { kind: 'placeholder'; prompt: T; n?: number };

export type Content<T = DocText> = Inline<T>[];

export type CheckState = 'ready' | 'draft' | 'missing' | 'attested' | 'not-applicable';

export type Block<T = DocText> =
  /** Numbered automatically (zh 一、/（一）/1.; en 1./1.1/1.1.1) unless `numbered` is false. */
  | { kind: 'heading'; level: 1 | 2 | 3; text: T; numbered?: boolean; number?: number[] }
  | { kind: 'paragraph'; content: Content<T>; tone?: 'normal' | 'note' | 'warning' }
  | { kind: 'list'; ordered: boolean; items: Content<T>[] }
  | { kind: 'table'; head: T[]; rows: Content<T>[][]; widths?: number[] }
  /** A form: label, value (the declaration's fields). */
  | { kind: 'fields'; rows: { label: T; value: Content<T> }[] }
  /** `stateText` (ready, missing…) is filled in by `localize()`. */
  | { kind: 'checklist'; items: { state: CheckState; label: Content<T>; detail?: Content<T>; stateText?: T }[] }
  | { kind: 'page-break' };

export interface DocumentTree<T = DocText> {
  kind: DocumentKind;
  title: T;
  /** Lines under the title: organisation, as-of date, what the draft covers. */
  subtitle: T[];
  body: Block<T>[];
  /** Filled by `finish()`: every placeholder in order, numbered from 1. */
  placeholders: { n: number; prompt: T }[];
  /** Filled by `finish()`: every rule cited, in first-citation order. */
  rules: string[];
}

// Small constructors keep the builders readable.
export const txt = (text: DocText, strong = false): Inline => (strong ? { kind: 'text', text, strong } : { kind: 'text', text });
export const rule = (id: string): Inline => ({ kind: 'rule', id });
export const code = (text: string): Inline => ({ kind: 'code', text });
export const blank = (prompt: Text): Inline => ({ kind: 'placeholder', prompt });
export const h1 = (text: DocText): Block => ({ kind: 'heading', level: 1, text });
export const h2 = (text: DocText): Block => ({ kind: 'heading', level: 2, text });
export const h3 = (text: DocText): Block => ({ kind: 'heading', level: 3, text });
export const para = (...content: Inline[]): Block => ({ kind: 'paragraph', content });
export const note = (...content: Inline[]): Block => ({ kind: 'paragraph', content, tone: 'note' });
export const warning = (...content: Inline[]): Block => ({ kind: 'paragraph', content, tone: 'warning' });
export const bullets = (items: Content[]): Block => ({ kind: 'list', ordered: false, items });
export const table = (head: DocText[], rows: Content[][], widths?: number[]): Block => (widths ? { kind: 'table', head, rows, widths } : { kind: 'table', head, rows });
export const fields = (rows: { label: DocText; value: Content }[]): Block => ({ kind: 'fields', rows });

/** Rules cited by a list of IDs, separated for reading. */
export function rules(ids: readonly string[]): Inline[] {
  const out: Inline[] = [];
  ids.forEach((id, i) => {
    if (i > 0) out.push({ kind: 'text', text: msg('doc.rule-sep') });
    out.push(rule(id));
  });
  return out;
}

function inlinesOf<T>(block: Block<T>): Content<T>[] {
  switch (block.kind) {
    case 'paragraph':
      return [block.content];
    case 'list':
      return block.items;
    case 'table':
      return block.rows.flat();
    case 'fields':
      return block.rows.map((r) => r.value);
    case 'checklist':
      return block.items.flatMap((i) => (i.detail ? [i.label, i.detail] : [i.label]));
    default:
      return [];
  }
}

/** Every run of a document, in reading order. */
export function* allInlines<T>(blocks: Block<T>[]): Generator<Inline<T>> {
  for (const b of blocks) for (const content of inlinesOf(b)) yield* content;
}

/**
 * Number the headings and the placeholders and collect the rules cited, in reading order. Called once
 * by each builder on its finished tree (the placeholder list at the end is built from it).
 */
export function finish(doc: Omit<DocumentTree, 'placeholders' | 'rules'>): DocumentTree {
  const counters = [0, 0, 0];
  for (const b of doc.body) {
    if (b.kind !== 'heading' || b.numbered === false) continue;
    counters[b.level - 1]! += 1;
    for (let l = b.level; l < 3; l++) counters[l] = 0;
    b.number = counters.slice(0, b.level);
  }
  const placeholders: DocumentTree['placeholders'] = [];
  const cited: string[] = [];
  for (const inline of allInlines(doc.body)) {
    if (inline.kind === 'placeholder') {
      inline.n = placeholders.length + 1;
      placeholders.push({ n: inline.n, prompt: inline.prompt });
    } else if (inline.kind === 'rule' && !cited.includes(inline.id)) cited.push(inline.id);
  }
  return { ...doc, placeholders, rules: cited };
}
