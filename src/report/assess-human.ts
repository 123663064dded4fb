/**
 * The human-readable assessment report (tables), in Chinese or English. The JSON report is the
 * AssessReport itself; this is only a view of it: every word comes from the message tables.
 */
import { render, t, type Lang, type Msg } from '../i18n/index.js';
import type { AssessReport, Finding } from '../engine/types.js';
import { COMPARATOR_SYMBOL, pathLabel } from '../engine/decide.js';
import { BufferedSink, type Sink } from './json-stream.js';
import { writeTable, type TableOptions } from './table.js';
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

/** The report as one string (small reports; `writeAssessHuman` writes large ones line by line). */
export function renderAssessHuman(report: AssessReport, lang: Lang, options: TableOptions = {}): string {
  let text = '';
  writeAssessHuman({ write: (s) => void (text += s) }, report, lang, options);
  return text;
}

/**
 * Write the report line by line: a million transfers make a table of a million rows, which is never held
 * as one string (rows are produced while the table is written). Tables fit `options.width` (`tableWidth`).
 */
/**
 * What the human report reads: a report, or a streamed one whose transfers are judged again each time
 * they are read (tables need two passes) and whose counts are ready once they have been read.
 */
export type HumanReport = Omit<AssessReport, 'transfers'> & { transfers: Iterable<AssessReport['transfers'][number]> };

export function writeAssessHuman(sink: Sink, report: HumanReport, lang: Lang, options: TableOptions = {}): void {
  const L = (code: string, params = {}) => t(lang, code as never, params);
  const buffer = new BufferedSink(sink);
  const out = { push: (line: string) => buffer.push(`${line}\n`) };
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
  writeTable(
    out.push,
    [L('report.h.id'), L('report.h.level'), L('report.h.findings'), L('report.h.advisories')],
    function* () {
      for (const d of report.datasets) {
        const others = (d.levelsByPack ?? []).map((l) => L('law.level-by-pack', { pack: l.pack, level: L(`level.${l.level}`) }));
        yield [d.id, L(`level.${d.level}`) + (others.length ? ` (${others.join('; ')})` : ''), d.findings.map((f) => formatFinding(lang, f)).join('; ') || '-', [...new Set(d.advisories.map((f) => f.rule))].join(', ') || '-'];
      }
    },
    options,
  );
  out.push('');
  out.push(L('report.transfers'));
  writeTable(
    out.push,
    [L('report.h.id'), L('report.h.date'), L('report.h.path'), L('report.h.ytd'), L('report.h.covered')],
    function* () {
      for (const tr of report.transfers) {
        yield [
          tr.id,
          tr.date,
          render(lang, pathLabel(tr.path, tr.exemption)) + (tr.exemption && tr.exemption !== 'FREE-1' ? ` (${tr.exemption})` : ''),
          `${tr.yearToDate.persons} (${tr.yearToDate.sensitivePersons})`,
          tr.covered ? (tr.coveredBy ?? L('common.yes')) : L('report.not-covered'),
        ];
      }
    },
    options,
  );
  out.push('');
  for (const tr of report.transfers) {
    out.push(`  ${tr.id}: ${render(lang, tr.explanation)} [${tr.rules.join(' ')}]`);
    // Per dataset, which claim took it out and why another did not (UPD-2, EXEMPT-8).
    for (const c of tr.claims) for (const d of c.coverage ?? []) out.push(`    - ${render(lang, d.reason)} [${d.rule}]`);
  }
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
  let reviewed = false;
  for (const tr of report.transfers) {
    for (const r of tr.legalReview) {
      if (!reviewed) out.push(`\n${L('report.review')}:`);
      reviewed = true;
      out.push(`  - ${tr.id}: ${render(lang, r)}`);
    }
  }
  out.push(`\n${L('report.measured-mark')}`);
  buffer.flush();
}

export { SETTINGS } from './settings.js';
