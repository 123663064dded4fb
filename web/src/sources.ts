/** Citations as people read them, per language: src/rules/sources.ts (docs/sources.md). */
// TEMPORARY until main (src/rules/sources.ts) is merged: the citation as written.
export function formatSource(source: string, _lang: 'en' | 'zh'): string {
  return source;
}
