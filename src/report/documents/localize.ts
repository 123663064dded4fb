/**
 * One document tree, one language: every message is rendered, headings get their numbers the way each
 * language writes them (zh 一、 （一） 1.; en 1. 1.1 1.1.1), placeholders get their visible mark, and
 * every string passes through `redactIdentifiers` — no raw identifier reaches a document, even one a
 * user typed into a free-text field of the workspace.
 */
import { text as textOf, type Lang, type RenderStyle, type Text } from '../../i18n/index.js';
import { formatSource } from '../../rules/sources.js';
import { citedRule, isResearchId } from './references.js';
import { redactIdentifiers } from './redact.js';
import type { Block, Content, DocText, DocumentTree, Inline } from './model.js';

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings never reach 100). */
export function chineseNumeral(n: number): string {
  if (n < 10) return CN_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CN_DIGITS[tens]}十${ones ? CN_DIGITS[ones] : ''}`;
}

export function headingNumber(lang: Lang, number: number[]): string {
  const last = number[number.length - 1]!;
  if (lang === 'zh') {
    if (number.length === 1) return `${chineseNumeral(last)}、`;
    if (number.length === 2) return `（${chineseNumeral(last)}）`;
    return `${last}. `;
  }
  return number.length === 1 ? `${last}. ` : `${number.join('.')} `;
}

/** One number format per document: digits with thousands separators, as the regulator's forms write them. */
const DOCUMENT_STYLE: RenderStyle = { counts: 'digits' };

export function localize(doc: DocumentTree, lang: Lang): DocumentTree<string> {
  const s = (t: DocText) => redactIdentifiers(typeof t === 'object' && 'en' in t && 'zh' in t ? t[lang] : textOf(lang, t as Text, DOCUMENT_STYLE));
  const mark = (n: number, prompt: DocText) => s({ code: 'doc.placeholder.mark', params: { n, prompt: typeof prompt === 'object' && 'en' in prompt ? prompt[lang] : prompt } });
  const inline = (i: Inline): Inline<string> => {
    switch (i.kind) {
      case 'text':
        return i.strong ? { kind: 'text', text: s(i.text), strong: true } : { kind: 'text', text: s(i.text) };
      case 'placeholder':
        return { kind: 'placeholder', prompt: mark(i.n ?? 0, i.prompt), n: i.n ?? 0 };
      case 'code':
        return { kind: 'code', text: redactIdentifiers(i.text) };
      case 'rule': {
        // A research item cites the document it summarises (《…》), not its ID.
        const cited = isResearchId(i.id) ? citedRule(i.id) : null;
        return cited ? { kind: 'text', text: redactIdentifiers(formatSource(cited.source, lang)) } : i;
      }
    }
  };
  const content = (c: Content): Content<string> => c.map(inline);
  const block = (b: Block): Block<string> => {
    switch (b.kind) {
      case 'heading': {
        const prefix = b.number ? headingNumber(lang, b.number) : '';
        return { kind: 'heading', level: b.level, text: `${prefix}${s(b.text)}`, numbered: b.numbered ?? true, ...(b.number ? { number: b.number } : {}) };
      }
      case 'paragraph':
        return { kind: 'paragraph', content: content(b.content), tone: b.tone ?? 'normal' };
      case 'list':
        return { kind: 'list', ordered: b.ordered, items: b.items.map(content) };
      case 'table':
        return { kind: 'table', head: b.head.map(s), rows: b.rows.map((r) => r.map(content)), ...(b.widths ? { widths: b.widths } : {}) };
      case 'fields':
        return { kind: 'fields', rows: b.rows.map((r) => ({ label: s(r.label), value: content(r.value) })) };
      case 'checklist':
        return {
          kind: 'checklist',
          items: b.items.map((i) => ({ state: i.state, stateText: s({ code: `doc.check.${i.state}`, params: {} }), label: content(i.label), ...(i.detail ? { detail: content(i.detail) } : {}) })),
        };
      case 'page-break':
        return b;
    }
  };
  return {
    kind: doc.kind,
    title: s(doc.title),
    subtitle: doc.subtitle.map(s),
    body: doc.body.map(block),
    placeholders: doc.placeholders.map((p) => ({ n: p.n, prompt: mark(p.n, p.prompt) })),
    rules: doc.rules,
  };
}

/** The plain text of some content (for tests, Markdown alt text and the DOCX reader). */
export function plain(content: Content<string>): string {
  return content.map((i) => (i.kind === 'rule' ? i.id : i.kind === 'placeholder' ? i.prompt : i.text)).join('');
}
