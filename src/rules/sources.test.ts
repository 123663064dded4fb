import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ALL_PACKS, BUILT_IN_NEGATIVE_LISTS } from './index.js';
import { SOURCES, citedSources, findSource } from './sources.js';

describe('sources', () => {
  it('every source a rule or list cites resolves to an instrument with its official titles', () => {
    const texts = [
      ...ALL_PACKS.flatMap((p) => [p.source, ...p.judgmentRules.map((r) => r.source), ...p.references.map((r) => r.source)]),
      ...BUILT_IN_NEGATIVE_LISTS.map((l) => l.source),
    ];
    for (const text of texts) for (const key of citedSources(text)) expect(findSource(key), `${key} in "${text}"`).toBeDefined();
    expect(citedSources('S-GD25/26; S-PROV Art. 7')).toEqual(['S-GD25', 'S-GD26', 'S-PROV']);
  });

  it('docs/sources.md lists every source', () => {
    const doc = readFileSync(new URL('../../docs/sources.md', import.meta.url), 'utf8');
    for (const s of SOURCES) {
      expect(doc, s.key).toContain(`| ${s.key} |`);
      expect(doc, s.key).toContain(s.title.zh);
    }
  });
});

describe('formatSource in Chinese: the law\'s title and article, no keys', () => {
  it('writes the instrument\'s title and the article as statutes do', async () => {
    const { formatSource, chineseArticleNumber } = await import('./sources.js');
    expect(formatSource('S-SAM Art. 5', 'zh')).toBe('《数据出境安全评估办法》第五条');
    expect(formatSource('S-PROV Art. 8', 'zh')).toBe('《促进和规范数据跨境流动规定》第八条');
    expect(formatSource('S-PROV Art. 5(1)', 'zh')).toBe('《促进和规范数据跨境流动规定》第五条第（一）项');
    expect(formatSource('S-AUTO21 Arts. 11, 13-14', 'zh')).toBe('《汽车数据安全管理若干规定（试行）》第十一条、第十三条至第十四条');
    expect(formatSource('UPD-2 (S-GD26, secondary)', 'zh')).toBe('《汽车数据出境安全指引（2026版）》，二手资料');
    expect(formatSource('s8fe.ai summary of S-GD25; S-GD26 summary', 'zh')).not.toMatch(/summary|S-GD/);
    expect(chineseArticleNumber(1259)).toBe('一千二百五十九');
    expect(chineseArticleNumber(20)).toBe('二十');
    expect(chineseArticleNumber(105)).toBe('一百零五');
    expect(formatSource('S-SAM Art. 5', 'en')).toBe('S-SAM Art. 5');
  });

  it('no source a rule cites keeps a key, an English word or "Art." in Chinese', async () => {
    const { formatSource } = await import('./sources.js');
    const texts = new Set([...ALL_PACKS.flatMap((p) => [p.source, ...p.judgmentRules.map((r) => r.source), ...p.references.map((r) => r.source)]), ...BUILT_IN_NEGATIVE_LISTS.map((l) => l.source)]);
    for (const text of texts) {
      const zh = formatSource(text, 'zh');
      expect(zh, text).not.toMatch(/\bS-[A-Z]|\bUPD\b|\bArts?\.|summary|secondary|remarks|\bvia\b|Q-\d/);
      // ASCII left only in standard numbers, web addresses and item numbers (GB/T 43697-2024, s8fe.ai, 1-1-5-21).
      expect(zh.replace(/GB\/T \d+-\d+|[a-z0-9.-]+\.(?:com|cn|org|ai)[^\s）；]*|[\d-]+/g, ''), text).not.toMatch(/[A-Za-z]{2,}/);
    }
  });
});
