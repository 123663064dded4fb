/** `chujing rules [--pack ID]`: the rule packs and their rules. */
import type { Command } from 'commander';
import { ChujingError } from '../../errors.js';
import { ALL_PACKS, BUILT_IN_NEGATIVE_LISTS, type RulePack } from '../../rules/index.js';
import { renderTable } from '../../report/table.js';
import type { CliContext } from '../context.js';
import { writeJson } from '../options.js';

export function registerRules(program: Command, ctx: CliContext): void {
  program
    .command('rules')
    .description('list the rule packs and their rules (thresholds, sources, confidence)')
    .option('--pack <id>', 'only this pack')
    .option('--json', 'print the packs as JSON')
    .action((opts: { pack?: string; json?: boolean }) => {
      const packs = selectPacks(opts.pack);
      if (opts.json) {
        writeJson(ctx.stdout, rulesJson(packs));
        return;
      }
      const lang = ctx.lang();
      for (const p of packs) {
        ctx.stdout.write(`${p.id} — ${p.title[lang]} (effective ${p.effective}, ${p.status}; source ${p.source})\n`);
        if (p.note) ctx.stdout.write(`  ${p.note}\n`);
        const rows = [
          ...p.judgmentRules.map((r) => [r.id, r.conditions.map((c) => `${c.fact} ${c.comparator} ${c.threshold}`).join(' | '), r.confidence + (r.advisory ? ' (advisory)' : ''), r.title[lang]]),
          ...p.references.map((r) => [r.id, '', r.confidence, r.title[lang]]),
        ];
        ctx.stdout.write(renderTable(['rule', 'test', 'confidence', 'title'], rows) + '\n');
      }
      if (!opts.pack) {
        for (const l of BUILT_IN_NEGATIVE_LISTS) {
          ctx.stdout.write(`negative list ${l.id} — ${l.name} (${l.source}, ${l.confidence})\n`);
          ctx.stdout.write(renderTable(['item', 'title'], l.items.map((i) => [i.id, i.title[lang] ?? i.title.en])) + '\n');
        }
      }
    });
}

/** Every pack, or the one named; an unknown pack is not-found (`field` names the flag or parameter). */
export function selectPacks(pack: string | undefined, field = '--pack'): RulePack[] {
  const packs = pack ? ALL_PACKS.filter((p) => p.id === pack) : [...ALL_PACKS];
  if (packs.length === 0) throw new ChujingError('not-found', `no rule pack ${pack}`, [{ field, message: `unknown pack '${pack}'`, expected: `one of ${ALL_PACKS.map((p) => p.id).join(', ')}` }]);
  return packs;
}

/** What `rules --json` prints (the CLI and GET /v1/rules both call this). */
export function rulesJson(packs: RulePack[]) {
  return { packs, negativeLists: BUILT_IN_NEGATIVE_LISTS };
}
