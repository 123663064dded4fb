/**
 * The human `status` report: plain-text tables (no colours, so it reads the same in a terminal, a CI
 * log and a cron mail). Column widths count CJK characters as two cells.
 */
import { actionText, changeText, deadlineSummary, gapText, tr, type Lang } from './messages.js';
import type { StatusReport } from './status.js';
import { t as engineText } from '../i18n/messages.js';
import { renderTable, type TableOptions } from '../report/table.js';

const PATHS = ['security-assessment', 'standard-contract-or-certification', 'exempt', 'prohibited'] as const;
/** The path names of the engine's message table, so status and assess name paths alike. */
function pathName(lang: Lang, path: string): string {
  return (PATHS as readonly string[]).includes(path) ? engineText(lang, `path.${path as (typeof PATHS)[number]}`) : path;
}

export { displayWidth } from '../report/table.js';

/** The shared table writer (report/table.ts): lines up CJK text and fits the width given to renderStatus. */
export function table(head: string[], rows: string[][], options: TableOptions = {}): string {
  return renderTable(head, rows, options).replace(/\n$/, '');
}

const fmtList = (v: unknown) => (Array.isArray(v) ? v.join(', ') : v === null || v === undefined ? '-' : String(v));

export function renderStatus(report: StatusReport, lang: Lang, options: TableOptions = {}): string {
  const out: string[] = [tr(lang, 'title', { asOf: report.asOf }), ''];
  const none = tr(lang, 'none');

  out.push(`## ${tr(lang, 'section.approvals')}`);
  out.push(
    report.approvals.length === 0
      ? none
      : table(
          ['head.approval', 'head.mechanism', 'head.state', 'head.valid', 'head.left', 'head.organizations'].map((k) => tr(lang, k as 'head.approval')),
          report.approvals.map((a) => [
            a.id,
            tr(lang, `mechanism.${a.mechanism}`),
            a.expiringSoon ? `${tr(lang, 'astate.valid')}, ${tr(lang, 'astate.soon')}` : tr(lang, `astate.${a.state}`),
            a.validity.start ? `${a.validity.start} .. ${a.validity.end ?? tr(lang, 'open-ended')}` : '-',
            a.daysToExpiry === null ? '-' : String(a.daysToExpiry),
            a.organizations.join(', ') + (a.group ? ` [${a.group}]` : ''),
          ]),
          options,
        ),
  );
  out.push('');

  out.push(`## ${tr(lang, 'section.deadlines')}`);
  out.push(
    report.deadlines.length === 0
      ? none
      : table(
          ['head.date', 'head.state', 'head.deadline', 'head.rules'].map((k) => tr(lang, k as 'head.date')),
          report.deadlines.map((d) => [
            (d.date ?? '?') + (d.provisionalYears.length ? '*' : ''),
            tr(lang, `dstate.${d.state}`),
            deadlineSummary(lang, d) + (d.error ? ` — ${d.error}` : '') + (d.notes.length ? ` (${d.notes.join('; ')})` : ''),
            d.rules.join(', '),
          ]),
          options,
        ),
  );
  out.push('');

  out.push(`## ${tr(lang, 'section.uncovered')}`);
  out.push(
    report.uncoveredTransfers.length === 0
      ? none
      : table(
          ['head.transfer', 'head.date', 'head.path', 'head.why'].map((k) => tr(lang, k as 'head.date')),
          report.uncoveredTransfers.map((u) => [
            u.transfer,
            u.date,
            pathName(lang, u.path),
            u.path === 'prohibited'
              ? tr(lang, 'gap.prohibited')
              : u.nearest.length
                ? u.nearest.flatMap((f) => f.gaps.map((g) => gapText(lang, f.approval, g))).join('; ')
                : tr(lang, 'gap.none'),
          ]),
          options,
        ),
  );
  out.push('');

  out.push(`## ${tr(lang, 'section.changes')}`);
  out.push(
    report.changes.length === 0
      ? none
      : table(
          ['head.approval', 'head.change', 'head.now', 'head.approved', 'head.transfer', 'head.rules'].map((k) => tr(lang, k as 'head.date')),
          report.changes.map((c) => [c.approval, changeText(lang, c), fmtList(c.now), fmtList(c.approved), c.transfers.join(', '), c.rules.join(', ') + (c.confidence === 'UNCONFIRMED' ? ' (UNCONFIRMED)' : '')]),
          options,
        ),
  );
  out.push('');

  out.push(`## ${tr(lang, 'section.actions')}`);
  if (report.actions.length === 0) out.push(none);
  for (const a of report.actions) out.push(`- ${actionText(lang, a)}`);
  out.push('');

  const provisional = new Set(report.calendar.sources.filter((y) => y.provisional).map((y) => y.year));
  const st = report.settings;
  out.push(tr(lang, 'settings.line', { settings: `sensitiveOverlap=${st.sensitiveOverlap} (Q-1), countExemptTransfers=${st.countExemptTransfers} (Q-2), autoExemptionForImportantData=${st.autoExemptionForImportantData} (Q-3), auto21PersonsAsImportant=${st.auto21PersonsAsImportant} (Q-4), boxMeasure=${st.boxMeasure} (Q-5), splittingCheck=${st.splittingCheck}` }));
  out.push(tr(lang, 'overrides.line', { overrides: report.overrides.length ? report.overrides.map((o) => `${o.kind} ${o.rule}: ${o.detail} (${o.reason})`).join('; ') : '-' }));
  out.push(tr(lang, 'calendar.years', { years: report.calendar.years.map((y) => (provisional.has(y) ? `${y} (${tr(lang, 'calendar.provisional-mark')})` : String(y))).join(', ') }));
  if (report.calendar.provisionalYearsUsed.length) out.push(tr(lang, 'calendar.provisional', { years: report.calendar.provisionalYearsUsed.join(', ') }));
  out.push(report.needsAction ? tr(lang, 'summary.action', { count: report.actions.length }) : tr(lang, 'summary.ok'));
  return out.join('\n') + '\n';
}
