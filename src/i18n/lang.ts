/**
 * Which language people read: `--lang` on every command, else the locale (LC_ALL, LC_MESSAGES, LANG).
 * Accepts the spellings people type: zh, zh-CN, zh_CN, zh-Hans, zh_CN.UTF-8, en, en-US, en_GB.UTF-8.
 */
import { badInput } from '../errors.js';
import { msg } from './msg.js';

export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

/** The language a tag names, or null when it names neither Chinese nor English. */
export function langOf(tag: string): Lang | null {
  const base = tag.trim().split(/[-_.@]/)[0]!.toLowerCase();
  if (base === 'zh') return 'zh';
  if (base === 'en' || base === 'c' || base === 'posix') return 'en';
  return null;
}

/** Default language from the locale: Chinese for a zh* locale, else English. */
export function langFromEnv(env: Record<string, string | undefined>): Lang {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const value = env[name];
    if (value) return langOf(value) ?? 'en';
  }
  return 'en';
}

/** `--lang` (any accepted spelling) or the locale; an unknown language is bad input, never ignored. */
export function parseLang(value: string | undefined, env: Record<string, string | undefined>): Lang {
  if (value === undefined || value === '') return langFromEnv(env);
  const lang = langOf(value);
  if (!lang) {
    throw badInput(msg('cli.lang-unsupported', { value }), [{ field: '--lang', message: msg('cli.lang-unknown', { value }), expected: msg('cli.lang-expected') }]);
  }
  return lang;
}
