/**
 * The rule packs as documents: what `chujing rules --json` and `chujing explain --json` print and what
 * GET /v1/rules and GET /v1/rules/{id} answer (both surfaces call these).
 */
import { ChujingError } from '../errors.js';
import { msg } from '../i18n/index.js';
import { suggest } from '../model/suggest.js';
import { ALL_PACKS, BUILT_IN_NEGATIVE_LISTS, lookupRule, type RuleLookup, type RulePack } from '../rules/index.js';
import { citedSources, findSource } from '../rules/sources.js';

export const RULES_SCHEMA = 'chujing.rules/1';
export const EXPLAIN_SCHEMA = 'chujing.explain/1';

/** Every pack, or the one named; an unknown pack is not-found (`field` names the flag or parameter). */
export function selectPacks(pack: string | undefined, field = '--pack'): RulePack[] {
  const packs = pack ? ALL_PACKS.filter((p) => p.id === pack) : [...ALL_PACKS];
  if (packs.length === 0) {
    throw new ChujingError('not-found', msg('rules.unknown-pack', { id: pack! }), [{ field, message: msg('rules.unknown-pack', { id: pack! }), expected: msg('ref.one-of', { names: ALL_PACKS.map((p) => p.id) }) }]);
  }
  return packs;
}

/** What `rules --json` prints (the CLI and GET /v1/rules both call this). */
export function rulesJson(packs: RulePack[]) {
  return { schema: RULES_SCHEMA, packs, negativeLists: BUILT_IN_NEGATIVE_LISTS };
}

/** The rule in every pack that has it; an unknown id is not-found, with the nearest ids (`field` names where it was given). */
export function findRule(id: string, field?: string): RuleLookup[] {
  const found = lookupRule(id);
  if (found.length === 0) {
    const all = [...new Set(ALL_PACKS.flatMap((p) => [...p.judgmentRules.flatMap((r) => [r.id, ...(r.aliases ?? [])]), ...p.references.map((r) => r.id)]))];
    const near = suggest(id.toUpperCase(), all, 5);
    const prefix = id.toUpperCase().split('-')[0] ?? '';
    const same = all.filter((r) => r.startsWith(prefix)).slice(0, 12);
    throw new ChujingError('not-found', msg('explain.unknown', { id }), [
      { ...(field ? { field } : {}), message: msg('explain.unknown', { id }), expected: near.length ? msg('ref.did-you-mean', { names: near }) : same.length ? msg('explain.e-g', { ids: same }) : msg('explain.see-rules') },
    ]);
  }
  return found;
}

/** What `explain --json` prints (the CLI and GET /v1/rules/{id} both call this). */
export function explainJson(found: RuleLookup[]) {
  return { schema: EXPLAIN_SCHEMA, rules: found.map((f) => ({ pack: f.pack.id, kind: f.kind, ...f.rule, sources: citedSources(f.rule.source).map(findSource).filter(Boolean) })) };
}
