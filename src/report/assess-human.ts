/**
 * The human-readable assessment report (tables), in Chinese or English. The JSON report is the
 * AssessReport itself; this is only a view of it.
 */
import { t, type Lang } from '../i18n/messages.js';
import type { AssessReport } from '../engine/types.js';
import { BufferedSink, type Sink } from './json-stream.js';
import { writeTable, type TableOptions } from './table.js';

const L = {
  en: {
    title: 'chujing assessment',
    asOf: 'as of',
    packs: 'Rule packs',
    settings: 'Settings (open questions, regulation.md §12)',
    overrides: 'Organisation overrides',
    datasets: 'Datasets',
    transfers: 'Transfers',
    actions: 'Needs action',
    review: 'Legal review',
    noOverrides: '(none)',
    h: { id: 'id', level: 'level', findings: 'findings', advisories: 'advisory', date: 'date', path: 'path', rules: 'rules', covered: 'covered', ytd: 'persons YTD (sensitive)' },
    yes: 'yes',
    no: 'NO',
    summary: (r: AssessReport) =>
      `${r.summary.datasets} datasets (${r.summary.important} important, ${r.summary.core} core); ${r.summary.transfers} transfers: ` +
      `${r.summary.byPath['security-assessment']} security assessment, ${r.summary.byPath['standard-contract-or-certification']} standard contract/certification, ` +
      `${r.summary.byPath.exempt} exempt, ${r.summary.byPath.prohibited} prohibited; ${r.summary.uncovered} not covered.`,
  },
  zh: {
    title: 'chujing 数据出境评估',
    asOf: '评估日期',
    packs: '规则包',
    settings: '设置（待明确事项，regulation.md 第12节）',
    overrides: '组织自定义规则',
    datasets: '数据集',
    transfers: '出境活动',
    actions: '需处理事项',
    review: '需法律复核',
    noOverrides: '（无）',
    h: { id: '标识', level: '级别', findings: '命中规则', advisories: '提示', date: '日期', path: '路径', rules: '依据', covered: '已覆盖', ytd: '年度累计人数（敏感）' },
    yes: '是',
    no: '否',
    summary: (r: AssessReport) =>
      `数据集 ${r.summary.datasets} 个（重要数据 ${r.summary.important} 个，核心数据 ${r.summary.core} 个）；出境活动 ${r.summary.transfers} 项：` +
      `安全评估 ${r.summary.byPath['security-assessment']} 项，标准合同或认证 ${r.summary.byPath['standard-contract-or-certification']} 项，` +
      `免予申报 ${r.summary.byPath.exempt} 项，禁止 ${r.summary.byPath.prohibited} 项；未覆盖 ${r.summary.uncovered} 项。`,
  },
} as const;

function formatFinding(f: AssessReport['datasets'][number]['findings'][number]): string {
  const mark = f.basis === 'measured' ? '*' : '';
  if (f.value === null) return f.rule;
  if (typeof f.value === 'boolean') return `${f.rule} ${f.fact}${mark}`;
  return `${f.rule} ${f.fact}=${f.value}${mark} ${f.comparator} ${f.threshold}`;
}

/** The report as one string (small reports; `writeAssessHuman` writes large ones line by line). */
export function renderAssessHuman(report: AssessReport, lang: Lang, options: TableOptions = {}): string {
  let text = '';
  writeAssessHuman({ write: (s) => void (text += s) }, report, lang, options);
  return text;
}

/**
 * Write the report line by line (a million transfers make a table of a million rows: it is never held
 * as one string). Tables fit `options.width` (see `tableWidth`).
 */
export function writeAssessHuman(sink: Sink, report: AssessReport, lang: Lang, options: TableOptions = {}): void {
  const l = L[lang];
  const buffer = new BufferedSink(sink);
  const out = { push: (line: string) => buffer.push(`${line}\n`) };
  out.push(`${l.title} — ${report.organization.name} (${report.organization.id}) — ${l.asOf} ${report.asOf}\n`);
  out.push(`${l.packs}: ${report.packs.map((p) => `${p.id} [${p.status}]${p.reason !== 'in-force' ? ` (${p.reason})` : ''}`).join(', ')}`);
  const s = report.settings;
  out.push(`${l.settings}: sensitiveOverlap=${s.sensitiveOverlap} (Q-1), countExemptTransfers=${s.countExemptTransfers} (Q-2), autoExemptionForImportantData=${s.autoExemptionForImportantData} (Q-3), auto21PersonsAsImportant=${s.auto21PersonsAsImportant} (Q-4), boxMeasure=${s.boxMeasure} (Q-5), splittingCheck=${s.splittingCheck} (PATH-SC-3)`);
  out.push(`${l.overrides}: ${report.overrides.length ? '' : l.noOverrides}`);
  for (const o of report.overrides) out.push(`  - ${o.kind} ${o.rule}${o.pack ? ` [${o.pack}]` : ''}: ${o.detail} — ${o.reason}`);
  out.push('');
  out.push(`${l.datasets}`);
  writeTable(
    out.push,
    [l.h.id, l.h.level, l.h.findings, l.h.advisories],
    function* () {
      for (const d of report.datasets) {
        yield [d.id, t(lang, `level.${d.level}`), d.findings.map(formatFinding).join('; ') || '-', d.advisories.map((f) => f.rule).join(', ') || '-'];
      }
    },
    options,
  );
  out.push('');
  out.push(`${l.transfers}`);
  writeTable(
    out.push,
    [l.h.id, l.h.date, l.h.path, l.h.rules, l.h.ytd, l.h.covered],
    function* () {
      for (const tr of report.transfers) {
        yield [
          tr.id,
          tr.date,
          t(lang, `path.${tr.path}`) + (tr.exemption ? ` (${tr.exemption})` : ''),
          tr.rules.join(' '),
          `${tr.yearToDate.persons} (${tr.yearToDate.sensitivePersons})`,
          tr.covered ? (tr.coveredBy ?? l.yes) : l.no,
        ];
      }
    },
    options,
  );
  out.push('');
  for (const tr of report.transfers) out.push(`  ${tr.id}: ${tr.explanation[lang]}`);
  out.push('');
  out.push(l.summary(report));
  if (report.actions.length) {
    out.push(`\n${l.actions}:`);
    for (const a of report.actions) out.push(`  - ${a}`);
  }
  let reviewed = false;
  for (const tr of report.transfers) {
    for (const r of tr.legalReview) {
      if (!reviewed) out.push(`\n${l.review}:`);
      reviewed = true;
      out.push(`  - ${tr.id}: ${r}`);
    }
  }
  out.push(lang === 'zh' ? '\n* 为实测值。' : '\n* measured from evidence.');
  buffer.flush();
}
