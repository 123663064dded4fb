/** `chujing explain RULE-ID`: the rule, its pack(s), source and confidence. */
import type { Command } from 'commander';
import { ChujingError } from '../../errors.js';
import { ALL_PACKS, lookupRule, type JudgmentRule, type RuleLookup } from '../../rules/index.js';
import type { CliContext } from '../context.js';
import { writeJson } from '../options.js';

export function registerExplain(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description('show one rule: what it says, its source and its confidence, in every pack that has it')
    .argument('<rule>', 'rule ID, e.g. DRAFT-J6, PATH-SA-2, EXEMPT-6')
    .option('--json', 'print as JSON')
    .action((id: string, opts: { json?: boolean }) => {
      const found = findRule(id);
      if (opts.json) {
        writeJson(ctx.stdout, explainJson(found));
        return;
      }
      const lang = ctx.lang();
      for (const { rule, pack, kind } of found) {
        const lines = [`${rule.id} — ${rule.title[lang]}`, `  pack:       ${pack.id} (${pack.title[lang]}, effective ${pack.effective}, ${pack.status})`];
        if (lang === 'zh') lines.push(`  English:    ${rule.title.en}`);
        else lines.push(`  中文:       ${rule.title.zh}`);
        if (kind === 'judgment') {
          const j = rule as JudgmentRule;
          lines.push(`  test:       ${j.conditions.map((c) => `${c.fact} ${c.comparator} ${c.threshold}${c.unit ? ` ${c.unit}` : ''}`).join('  OR  ')}`);
          if (j.aliases) lines.push(`  also:       ${j.aliases.join(', ')}`);
          if (j.dataTypes) lines.push(`  data types: ${j.dataTypes.join(', ')}`);
          if (j.scope === 'year-to-date') lines.push('  scope:      cumulative since 1 January, per transfer');
          if (j.advisory) lines.push(`  advisory:   ${j.advisory}`);
        }
        lines.push(`  source:     ${rule.source}`);
        lines.push(`  confidence: ${rule.confidence}${rule.confidence === 'UNCONFIRMED' ? ' (advisory unless promoted by the organisation)' : rule.confidence === 'recalled' ? ' (needs_legal_check)' : ''}`);
        if (rule.note) lines.push(`  note:       ${rule.note}`);
        ctx.stdout.write(lines.join('\n') + '\n\n');
      }
    });
}

/** The rule in every pack that has it; an unknown id is not-found with the nearest ids. */
export function findRule(id: string): RuleLookup[] {
  const found = lookupRule(id);
  if (found.length === 0) {
    const all = ALL_PACKS.flatMap((p) => [...p.judgmentRules.map((r) => r.id), ...p.references.map((r) => r.id)]);
    const prefix = id.toUpperCase().split('-')[0];
    const near = [...new Set(all.filter((r) => r.startsWith(prefix ?? '')))].slice(0, 12);
    throw new ChujingError('not-found', `no rule ${id}`, [{ field: 'rule', message: `unknown rule id '${id}'`, expected: near.length ? `e.g. ${near.join(', ')}` : 'an id listed by `chujing rules`' }]);
  }
  return found;
}

/** What `explain --json` prints (the CLI and GET /v1/rules/{id} both call this). */
export function explainJson(found: RuleLookup[]) {
  return found.map((f) => ({ pack: f.pack.id, kind: f.kind, ...f.rule }));
}
