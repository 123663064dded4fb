/**
 * JSON output for machines that also carries text for people: every message `{code, params}` in the
 * value gains `text`, rendered in the requested language. Codes stay the contract; text is a courtesy.
 */
import { render } from './format.js';
import type { Lang } from './lang.js';
import { isMsg } from './msg.js';

export function jsonReplacer(lang: Lang): (key: string, value: unknown) => unknown {
  // The engine shares message objects between transfers (duties, a group's splitting): render each once.
  const texts = new WeakMap<object, string>();
  return (_key, value) => {
    if (!isMsg(value)) return value;
    let text = texts.get(value);
    if (text === undefined) texts.set(value, (text = render(lang, value)));
    return { code: value.code, params: value.params, text };
  };
}

/** Pretty JSON with message texts, one trailing newline. */
export function toJson(value: unknown, lang: Lang, indent = 2): string {
  return `${JSON.stringify(value, jsonReplacer(lang), indent)}\n`;
}
