/**
 * The human-readable assessment report (tables), in Chinese or English. The JSON report is the
 * AssessReport itself; this is only a view of it: every word comes from the message tables.
 */
import { render, t, type Lang, type Msg } from '../i18n/index.js';
import type { AssessReport, Finding } from '../engine/types.js';
import { COMPARATOR_SYMBOL, pathLabel } from '../engine/decide.js';
import { renderTable } from './table.js';
import { overrideText, settingsLines } from './settings.js';

export function formatFinding(lang: Lang, f: Finding): string {
  const mark = f.basis === 'measured' ? '*' : '';
  if (f.value === null) return f.rule;
  const fact = t(lang, `fact.${f.fact}` as never);
  if (typeof f.value === 'boolean') return `${f.rule} ${fact}${mark}`;
  const unit = f.unit ? ` ${t(lang, `unit.${f.unit}` as never)}` : '';
  return `${f.rule} ${fact} ${f.value}${unit}${mark} ${COMPARATOR_SYMBOL[f.comparator] ?? f.comparator} ${f.threshold}${unit}`;
}

const list = (lang: Lang, items: Msg[]) => items.map((m) => render(lang, m));

export function renderAssessHuman(report: AssessReport, lang: Lang): string {
  const L = (code: string, params = {}) => t(lang, code as never, params);
  const out: string[] = [];
  out.push(`${L('report.title', { name: report.organization.name, id: report.organization.id, asOf: report.asOf })}\n`);
  out.push(
    `${L('report.packs')}: ${report.packs
      .map((p) => `${p.id} [${L(`pack-status.${p.status}`)}]${p.reason !== 'in-force' ? ` (${L(`pack-reason.${p.reason}`)})` : ''}`)
      .join(', ')}`,
  );
  out.push(`${L('report.settings')}:`);
  for (const line of settingsLines(lang, report.settings)) out.push(`  ${line}`);
  out.push(`${L('report.overrides')}: ${report.overrides.length ? '' : L('common.none')}`);
  for (const o of report.overrides) out.push(`  - ${overrideText(lang, o)}${o.pack ? ` [${o.pack}]` : ''}`);
  for (const w of report.warnings) out.push(`  ! ${render(lang, w)}`);
  out.push('');
  out.push(L('report.datasets'));
  const datasetRows: string[][] = [];
  for (const d of report.datasets) {
    datasetRows.push([d.id, L(`level.${d.level}`), d.findings.map((f) => formatFinding(lang, f)).join('; ') || '-', [...new Set(d.advisories.map((f) => f.rule))].join(', ') || '-']);
  }
  out.push(renderTable([L('report.h.id'), L('report.h.level'), L('report.h.findings'), L('report.h.advisories')], datasetRows));
  out.push(L('report.transfers'));
  const transferRows: string[][] = [];
  for (const tr of report.transfers) {
    transferRows.push([
      tr.id,
      tr.date,
      render(lang, pathLabel(tr.path, tr.exemption)) + (tr.exemption && tr.exemption !== 'FREE-1' ? ` (${tr.exemption})` : ''),
      `${tr.yearToDate.persons} (${tr.yearToDate.sensitivePersons})`,
      tr.covered ? (tr.coveredBy ?? L('common.yes')) : L('report.not-covered'),
    ]);
  }
  out.push(renderTable([L('report.h.id'), L('report.h.date'), L('report.h.path'), L('report.h.ytd'), L('report.h.covered')], transferRows));
  for (const tr of report.transfers) out.push(`  ${tr.id}: ${render(lang, tr.explanation)} [${tr.rules.join(' ')}]`);
  out.push('');
  const sum = report.summary;
  out.push(
    L('report.summary', {
      datasets: sum.datasets,
      important: sum.important,
      core: sum.core,
      transfers: sum.transfers,
      sa: sum.byPath['security-assessment'],
      sc: sum.byPath['standard-contract-or-certification'],
      exempt: sum.byPath.exempt,
      prohibited: sum.byPath.prohibited,
      uncovered: sum.uncovered,
    }),
  );
  if (report.actions.length) {
    out.push(`\n${L('report.actions')}:`);
    for (const a of list(lang, report.actions)) out.push(`  - ${a}`);
  }
  const reviews = report.transfers.flatMap((tr) => tr.legalReview.map((r) => `${tr.id}: ${render(lang, r)}`));
  if (reviews.length) {
    out.push(`\n${L('report.review')}:`);
    for (const r of reviews) out.push(`  - ${r}`);
  }
  out.push(`\n${L('report.measured-mark')}`);
  return out.join('\n') + '\n';
}

export { SETTINGS } from './settings.js';
