/**
 * Messages are data: code + parameters. The engine, the loaders and the scanners return `Msg` values;
 * only the surfaces (CLI, server, documents, web UI) turn them into Chinese or English text, through
 * one message table per language (`en/`, `zh/`).
 */

/** Text that data carries in both languages (rule titles and notes of the rule packs). */
export interface Bilingual {
  en: string;
  zh: string;
}

/** A parameter: plain values, a list (joined per language), another message rendered in place, or data's own two-language text. */
export type Param = string | number | boolean | null | Msg | Bilingual | readonly Param[];
export type Params = Record<string, Param>;

export interface Msg {
  code: string;
  params: Params;
}

export function msg(code: string, params: Params = {}): Msg {
  return { code, params };
}

/** A value that is exactly a message: `{code, params}` and nothing else (how JSON output finds them). */
export function isMsg(value: unknown): value is Msg {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.code !== 'string' || v.params === null || typeof v.params !== 'object' || Array.isArray(v.params)) return false;
  for (const k in v) if (k !== 'code' && k !== 'params') return false;
  return true;
}

/** Text or a message: errors and legacy strings pass through; messages are rendered. */
export type Text = string | Msg;
