/**
 * The human `status` report: plain-text tables (no colours, so it reads the same in a terminal, a CI
 * log and a cron mail). Column widths count CJK characters as two cells.
 */
import { actionText, changeText, deadlineSummary, gapText, tr, type Lang } from './messages.js';
import type { StatusReport } from './status.js';
import { hasMessage, render, t, type Msg } from '../i18n/index.js';
import { overrideText, settingsLines } from '../report/settings.js';
import { renderTable, wrapCell, type TableOptions } from '../report/table.js';

/** The path names of the common message table, so status and assess name paths alike. */
function pathName(lang: Lang, path: string): string {
  return hasMessage(`path.${path}`) ? t(lang, `path.${path}` as never) : path;
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
            t(lang, `mechanism.${a.mechanism}` as never),
            a.expiringSoon ? tr(lang, 'astate.valid-soon') : tr(lang, `astate.${a.state}`),
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
            deadlineSummary(lang, d) + (d.error ? ` — ${render(lang, d.error)}` : '') + (cellNotes(d).length ? ` (${cellNotes(d).map((n) => render(lang, n)).join('; ')})` : ''),
            d.rules.join(', '),
          ]),
          options,
        ),
  );
  // SA-6-C1 (UPD-9): the extension conditions, under the table (they are long), wrapped to the width.
  const conditions = report.deadlines.flatMap((d) => (d.conditions ?? []).map((c) => ({ d, c })));
  if (conditions.length) out.push('');
  const wrapped = (indent: string, text: string) => (options.width ? wrapCell(text, Math.max(20, options.width - indent.length)) : [text]).map((l) => indent + l).join('\n');
  for (const { d, c } of conditions) {
    out.push(wrapped('  ', `${d.approval}: ${render(lang, c.message)}`));
    out.push(wrapped('    ', render(lang, c.comparisonMessage)));
  }
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
          report.changes.map((c) => [c.approval, changeText(lang, c), fmtList(c.now), fmtList(c.approved), c.transfers.join(', '), c.confidence === 'UNCONFIRMED' ? tr(lang, 'change.unconfirmed', { rules: c.rules.join(', ') }) : c.rules.join(', ')]),
          options,
        ),
  );
  out.push('');

  out.push(`## ${tr(lang, 'section.actions')}`);
  if (report.actions.length === 0) out.push(none);
  for (const a of report.actions) out.push(`- ${actionText(lang, a)}`);
  out.push('');

  const provisional = new Set(report.calendar.sources.filter((y) => y.provisional).map((y) => y.year));
  out.push(`${tr(lang, 'settings.line', { settings: '' })}`);
  for (const line of settingsLines(lang, report.settings)) out.push(`  ${line}`);
  out.push(tr(lang, 'overrides.line', { overrides: report.overrides.length ? report.overrides.map((o) => overrideText(lang, o)).join('; ') : '-' }));
  out.push(tr(lang, 'calendar.years', { years: report.calendar.years.map((y) => (provisional.has(y) ? tr(lang, 'calendar.provisional-mark', { year: y }) : String(y))) }));
  if (report.calendar.provisionalYearsUsed.length) out.push(tr(lang, 'calendar.provisional', { years: report.calendar.provisionalYearsUsed.join(', ') }));
  out.push(report.needsAction ? tr(lang, 'summary.action', { count: report.actions.length }) : tr(lang, 'summary.ok'));
  return out.join('\n') + '\n';
}

/** A deadline's notes for its table cell: the extension conditions are listed under the table. */
function cellNotes(d: StatusReport['deadlines'][number]): Msg[] {
  const shown = new Set((d.conditions ?? []).flatMap((c) => [c.message, c.comparisonMessage]));
  return d.notes.filter((n) => !shown.has(n));
}
