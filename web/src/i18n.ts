/**
 * Words in the browser come from the same message tables as the CLI's (src/i18n: one table per
 * language, bundled at build time) and are rendered by the same `render()`; the life-cycle labels are the
 * `status.*` domain (src/i18n/{en,zh}/lifecycle.ts). Nothing here translates: it picks the language and
 * renders.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { formatCount, hasMessage, render } from '../../src/i18n/format.js';
import type { Lang } from '../../src/i18n/lang.js';
import type { MessageCode } from '../../src/i18n/catalog.js';
import type { Params } from '../../src/i18n/msg.js';

export type { Lang };

const STORAGE_KEY = 'chujing.lang';

/** Chinese when the browser asks for it before English (navigator.languages), unless the user chose. */
export function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'zh' || stored === 'en') return stored;
  } catch {
    /* storage off: fall through */
  }
  const asked = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of asked) {
    const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
    if (base === 'zh') return 'zh';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage off: the choice lasts for this page */
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

/** A message as the server sends it: `{code, params, text}` (text in the server's language). */
export interface WireMsg {
  code: string;
  params: Record<string, unknown>;
  text?: string;
}

/** Anything the engine hands people: a message, a `{en, zh}` pair, or (older modules) a plain string. */
export type Wordy = WireMsg | { en: string; zh?: string } | string | null | undefined;

export function isWireMsg(v: unknown): v is WireMsg {
  return typeof v === 'object' && v !== null && typeof (v as WireMsg).code === 'string' && typeof (v as WireMsg).params === 'object';
}

/** Nested wire messages back to plain `{code, params}` so render() finds them. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (isWireMsg(value)) return { code: value.code, params: stripParams(value.params) };
  return value;
}
function stripParams(params: Record<string, unknown>): Params {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) out[k] = strip(v);
  return out as Params;
}

export class Words {
  constructor(readonly lang: Lang) {}

  /** A code of the message tables. */
  t(code: MessageCode, params: Record<string, unknown> = {}): string {
    return render(this.lang, { code, params: stripParams(params) });
  }

  /** A code that may or may not be in the tables (e.g. `fact.<name>`): the fallback when it is not. */
  maybe(code: string, fallback: string, params: Record<string, unknown> = {}): string {
    return hasMessage(code) ? render(this.lang, { code, params: stripParams(params) }) : fallback;
  }

  /** Whatever the engine sent, in this language. */
  of(value: Wordy): string {
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') return value;
    if (isWireMsg(value)) {
      if (hasMessage(value.code)) return render(this.lang, { code: value.code, params: stripParams(value.params) });
      return value.text ?? value.code;
    }
    return (this.lang === 'zh' ? value.zh : undefined) ?? value.en;
  }

  /** The life-cycle words of `chujing status` (deadline kinds, states, gaps): `status.<key>`. */
  life(key: string, params: Record<string, unknown> = {}): string {
    return this.maybe(`status.${key}`, key, params);
  }

  count(n: number | null | undefined): string {
    if (n === null || n === undefined) return '—';
    return formatCount(this.lang, n);
  }

  /** A number exactly, with grouping (counts against thresholds are read exactly, not as 10万). */
  exact(n: number | null | undefined): string {
    if (n === null || n === undefined) return '—';
    return n.toLocaleString(this.lang === 'zh' ? 'zh-CN' : 'en-US');
  }

  /** An ISO timestamp as a local date and time. */
  time(iso: string | null | undefined): string {
    if (!iso) return '—';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    return d.toLocaleString(this.lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  }

  list(items: string[]): string {
    return items.join(this.lang === 'zh' ? '、' : ', ');
  }
}

export const WordsContext = createContext(new Words('en'));

export function useWords(): Words {
  return useContext(WordsContext);
}

/**
 * The server names roles and permissions by their codes in its messages (`server.auth.*`, e.g. a 403):
 * shown to a person, they become the role's and the permission's titles from the message tables.
 */
export function titledCodes(w: Words, m: WireMsg | string): WireMsg | string {
  if (typeof m === 'string' || !m.code.startsWith('server.auth.')) return m;
  const p = { ...m.params };
  const role = (r: unknown) => (typeof r === 'string' ? w.maybe(`web.role.${r}`, r) : r);
  if ('role' in p) p.role = role(p.role);
  if (Array.isArray(p.roles)) p.roles = w.list(p.roles.map((r) => String(role(r))));
  if (typeof p.permission === 'string') p.permission = w.maybe(`webui.permission.${p.permission}`, p.permission);
  return { code: m.code, params: p };
}
