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
