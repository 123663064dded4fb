import { describe, expect, it } from 'vitest';
import { MESSAGES, formatCount, langFromEnv, msg, parseLang, render, toJson } from './index.js';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
/** zh entries that are legitimately not Chinese words (units and symbols read the same). */
const SAME_IN_BOTH = new Set(['unit.km', 'cli.text', 'webui.title']); // webui.title: '{page} · chujing', the tab title

describe('message tables', () => {
  it('every English code has a Chinese text, and every Chinese text is Chinese', () => {
    const en = Object.keys(MESSAGES.en);
    expect(Object.keys(MESSAGES.zh).sort()).toEqual([...en].sort());
    for (const code of en) {
      const zh = MESSAGES.zh[code as keyof typeof MESSAGES.zh];
      expect(zh, code).toBeTruthy();
      if (!SAME_IN_BOTH.has(code)) expect(CJK.test(zh), `${code}: ${zh}`).toBe(true);
    }
  });

  it('both languages use the same placeholders', () => {
    // A Chinese text may name a pack or a setting by its Chinese title where the English one gives its id:
    // the engine passes both (`pack` and `title`, `auto` and `autoTitle`, `setting` and `settingText`).
    const HUMAN_FORM: Record<string, string> = { title: 'pack', autoTitle: 'auto', nationalTitle: 'national', settingText: 'setting' };
    const names = (s: string) => [...new Set([...s.matchAll(/\{(\w+)(?::\w+)?\}/g)].map((m) => HUMAN_FORM[m[1]!] ?? m[1]!))].sort();
    for (const code of Object.keys(MESSAGES.en) as (keyof typeof MESSAGES.en)[]) {
      expect(names(MESSAGES.zh[code]), code).toEqual(names(MESSAGES.en[code]));
    }
  });
});

describe('render', () => {
  it('fills parameters, nested messages, lists and counts', () => {
    const m = msg('error.expected', { what: msg('path.exempt') });
    expect(render('en', m)).toBe(' (expected exempt)');
    expect(render('zh', m)).toBe('（应为：免予申报）');
    expect(render('zh', msg('error.expected', { what: ['a', 'b'] }))).toBe('（应为：a、b）');
    expect(render('en', msg('no.such.code'))).toBe('[no.such.code]');
  });

  it('writes counts the way each language does', () => {
    expect(formatCount('zh', 100_000)).toBe('10万');
    expect(formatCount('zh', 1_000_000)).toBe('100万');
    expect(formatCount('zh', 39_200)).toBe('39,200');
    expect(formatCount('en', 1_000_000)).toBe('1,000,000');
  });

  it('JSON output gives every message its text, and leaves other objects alone', () => {
    const out = JSON.parse(toJson({ a: msg('path.exempt'), b: { code: 'x', params: {}, other: 1 } }, 'zh'));
    expect(out.a).toEqual({ code: 'path.exempt', params: {}, text: '免予申报' });
    expect(out.b).toEqual({ code: 'x', params: {}, other: 1 });
  });
});

describe('language', () => {
  it('accepts the usual spellings and refuses others', () => {
    for (const v of ['zh', 'zh-CN', 'zh_CN', 'zh_CN.UTF-8', 'ZH-hans']) expect(parseLang(v, {})).toBe('zh');
    for (const v of ['en', 'en-US', 'en_GB.UTF-8']) expect(parseLang(v, {})).toBe('en');
    expect(() => parseLang('fr', {})).toThrow(/not supported/);
    expect(langFromEnv({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(langFromEnv({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(langFromEnv({})).toBe('en');
  });
});
