/** `chujing explain RULE-ID`: the rule, its pack(s), source (with the instrument's title) and confidence. */
import type { Command } from 'commander';
import { t, toJson, type Lang } from '../../i18n/index.js';
import { type JudgmentRule, type RuleLookup } from '../../rules/index.js';
import { citedSources, findSource, formatSource } from '../../rules/sources.js';
import { COMPARATOR_SYMBOL } from '../../engine/decide.js';
import type { CliContext } from '../context.js';
import { explainJson, findRule } from '../../produce/rules.js';

function condition(lang: Lang, c: JudgmentRule['conditions'][number]): string {
  const fact = t(lang, `fact.${c.fact}` as never);
  const unit = c.unit ? ` ${t(lang, `unit.${c.unit}` as never)}` : '';
  if (typeof c.threshold === 'boolean') return `${fact} (${c.fact})`;
  return `${fact} (${c.fact}) ${COMPARATOR_SYMBOL[c.comparator] ?? c.comparator} ${c.threshold}${unit}`;
}

export function explainText(lang: Lang, found: RuleLookup[]): string {
  const L = (code: string, params = {}) => t(lang, code as never, params);
  const out: string[] = [];
  for (const { rule, pack, kind } of found) {
    const row = (label: string, value: string) => out.push(`  ${L(`explain.${label}`).padEnd(lang === 'zh' ? 8 : 12)}${value}`);
    out.push(`${rule.id} — ${rule.title[lang]}`);
    row('pack', `${pack.id} (${pack.title[lang]}, ${L('explain.effective', { date: pack.effective })}, ${L(`pack-status.${pack.status}`)})`);
    row('other-language', rule.title[lang === 'zh' ? 'en' : 'zh']);
    if (kind === 'judgment') {
      const j = rule as JudgmentRule;
      row('test', j.conditions.map((c) => condition(lang, c)).join(L('explain.or')));
      if (j.aliases) row('also', j.aliases.join(', '));
      if (j.dataTypes) row('data-types', j.dataTypes.join(', '));
      if (j.scope === 'year-to-date') row('scope', L('explain.scope-ytd'));
      if (j.advisory) row('advisory', j.advisory[lang]);
      if (j.bindingSetting) row('setting', `settings.${j.bindingSetting.setting}: ${j.bindingSetting.value}`);
    }
    row('source', formatSource(rule.source, lang));
    for (const key of citedSources(rule.source)) {
      const s = findSource(key);
      if (s) out.push(`  ${''.padEnd(lang === 'zh' ? 8 : 12)}${key}: ${s.title[lang]}（${s.issued[lang]}；${s.status[lang]}）`.replace(/（(.*)；(.*)）$/, lang === 'zh' ? '（$1；$2）' : ' ($1; $2)'));
    }
    const confidence = L(`confidence.${rule.confidence}`);
    const shown = rule.provenance ? L('confidence.with-provenance', { confidence, provenance: L(`provenance.${rule.provenance}`) }) : confidence;
    row('confidence', `${shown}${rule.confidence === 'UNCONFIRMED' ? L('explain.advisory-unless') : rule.confidence === 'recalled' ? L('explain.needs-check') : ''}`);
    if (rule.note) row('note', rule.note[lang]);
    out.push('');
  }
  return out.join('\n') + '\n';
}

export function registerExplain(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description('show one rule: what it says, its source and its confidence, in every pack that has it')
    .argument('<rule>', 'rule ID, e.g. DRAFT-J6, PATH-SA-2, EXEMPT-6')
    .option('--json', 'print as JSON')
    .action((id: string, opts: { json?: boolean }) => {
      const found = findRule(id);
      const lang = ctx.lang();
      if (opts.json) {
        ctx.stdout.write(toJson(explainJson(found), lang));
        return;
      }
      ctx.stdout.write(explainText(lang, found));
    });
}
