/** `chujing rules [--pack ID]`: the rule packs and their rules, the built-in FTZ lists. */
import type { Command } from 'commander';
import { hasMessage, t, toJson } from '../../i18n/index.js';
import { COMPARATOR_SYMBOL } from '../../engine/decide.js';
import { BUILT_IN_NEGATIVE_LISTS } from '../../rules/index.js';
import { renderTable } from '../../report/table.js';
import { formatSource } from '../../rules/sources.js';
import type { CliContext } from '../context.js';
import { rulesJson, selectPacks } from '../../produce/rules.js';

export function registerRules(program: Command, ctx: CliContext): void {
  program
    .command('rules')
    .description('list the rule packs and their rules (thresholds, sources, confidence)')
    .option('--pack <id>', 'only this pack')
    .option('--json', 'print the packs as JSON')
    .action((opts: { pack?: string; json?: boolean }) => {
      const packs = selectPacks(opts.pack);
      const lang = ctx.lang();
      if (opts.json) {
        ctx.stdout.write(toJson(rulesJson(packs), lang));
        return;
      }
      const L = (code: string, params = {}) => t(lang, code as never, params);
      for (const p of packs) {
        ctx.stdout.write(`${p.id} — ${p.title[lang]} (${L('explain.effective', { date: p.effective })}, ${L(`pack-status.${p.status}`)}; ${L('explain.source')} ${formatSource(p.source, lang)})\n`);
        if (p.note) ctx.stdout.write(`  ${p.note[lang]}\n`);
        const confidence = (c: string, advisory: boolean) => L(`confidence.${c}`) + (advisory ? ` (${L('rules.advisory')})` : '');
        const rows = [
          // A yes/no fact is its name alone; a number is compared with its threshold.
          ...p.judgmentRules.map((r) => [r.id, r.conditions.map((c) => (typeof c.threshold === 'boolean' ? (c.threshold ? c.fact : `${c.comparator === '==' ? '¬' : ''}${c.fact}`) : `${c.fact} ${COMPARATOR_SYMBOL[c.comparator] ?? c.comparator} ${c.threshold}`)).join(' | '), confidence(r.confidence, r.advisory !== undefined), r.title[lang]]),
          ...p.references.map((r) => [r.id, '', confidence(r.confidence, false), r.title[lang]]),
        ];
        ctx.stdout.write(renderTable([L('rules.h.rule'), L('rules.h.test'), L('rules.h.confidence'), L('rules.h.title')], rows) + '\n');
      }
      if (!opts.pack) {
        for (const l of BUILT_IN_NEGATIVE_LISTS) {
          const name = hasMessage(`rules.list-name.${l.id}`) ? L(`rules.list-name.${l.id}`) : l.name;
          ctx.stdout.write(`${L(`rules.list-${l.kind}`)} ${l.id} — ${name} (${formatSource(l.source, lang)}, ${L(`confidence.${l.confidence}`)})\n`);
          if (l.items.length === 0) ctx.stdout.write(`  ${L('rules.list-user-filled')}\n`);
          else ctx.stdout.write(renderTable([L('rules.h.item'), L('rules.h.title')], l.items.map((i) => [i.id, (lang === 'zh' ? i.title.zh : undefined) ?? i.title.en])) + '\n');
        }
      }
    });
}
