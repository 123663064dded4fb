/**
 * Rendering a message in one language. Placeholders: `{name}` inserts a parameter as it is (a nested
 * message is rendered, a list joined); `{name:count}` formats a number of persons, vehicles… the way
 * each language writes it (zh: 10万 for whole multiples of ten thousand, else 39,200; en: 100,000).
 */
import type { Lang } from './lang.js';
import { isMsg, type Msg, type Param, type Params, type Text } from './msg.js';
import { MESSAGES, type MessageCode } from './catalog.js';

const LIST_SEPARATOR: Record<Lang, string> = { zh: '、', en: ', ' };

// One formatter, made once: toLocaleString builds a new one per call (a quarter of a decision's CPU).
const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/**
 * How counts are written. `prose` (the CLI, the UI): zh 10万 for whole multiples of ten thousand.
 * `digits` (the regulator's documents): always digits with thousands separators, one format per
 * document, as the CAC's forms write them (1,050,000).
 */
export interface RenderStyle {
  counts: 'prose' | 'digits';
}
const PROSE: RenderStyle = { counts: 'prose' };

export function formatCount(lang: Lang, n: number, style: RenderStyle = PROSE): string {
  if (!Number.isFinite(n)) return String(n);
  if (lang === 'zh' && style.counts === 'prose' && Number.isInteger(n) && n >= 10_000 && n % 10_000 === 0) {
    if (n >= 100_000_000 && n % 100_000_000 === 0) return `${n / 100_000_000}亿`;
    return `${n / 10_000}万`;
  }
  return COUNT_FORMAT.format(n);
}

function renderParam(lang: Lang, value: Param | undefined, format: string | undefined, style: RenderStyle): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => renderParam(lang, v as Param, format, style)).join(LIST_SEPARATOR[lang]);
  if (isMsg(value)) return render(lang, value, style);
  if (typeof value === 'object' && 'en' in value && 'zh' in value) return value[lang];
  if (typeof value === 'number') return format === 'count' ? formatCount(lang, value, style) : String(value);
  if (typeof value === 'boolean') return render(lang, { code: value ? 'common.yes' : 'common.no', params: {} }, style);
  return String(value);
}

/** The template of a code in a language; an unknown code is a programming error shown as the code. */
export function template(lang: Lang, code: string): string | undefined {
  return (MESSAGES[lang] as Record<string, string>)[code];
}

export function hasMessage(code: string): code is MessageCode {
  return template('en', code) !== undefined;
}

export function render(lang: Lang, message: Msg, style: RenderStyle = PROSE): string {
  const tpl = template(lang, message.code);
  if (tpl === undefined) return `[${message.code}]`;
  return fill(lang, tpl, message.params, style);
}

function fill(lang: Lang, tpl: string, params: Params, style: RenderStyle): string {
  return tpl.replace(/\{(\w+)(?::(\w+))?\}/g, (_, name: string, format: string | undefined) => renderParam(lang, params[name], format, style));
}

/** Text (a legacy string or a message) in a language. */
export function text(lang: Lang, value: Text, style: RenderStyle = PROSE): string {
  return typeof value === 'string' ? value : render(lang, value, style);
}

/** Shorthand: render a code with parameters. */
export function t(lang: Lang, code: MessageCode, params: Params = {}): string {
  return render(lang, { code, params });
}
