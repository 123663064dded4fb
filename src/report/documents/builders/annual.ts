/**
 * The outbound section of the annual automobile data security report (年度汽车数据安全管理情况, AUTO-5):
 * processors of important data report each year by 15 December, including their outbound transfers —
 * to whom, which data (characteristics), how many persons, under which mechanism — and the incidents.
 * The year is that of the as-of date; the figures are the engine's.
 */
import { badInput } from '../../../errors.js';
import { msg } from '../../../i18n/index.js';
import { daysBetween, formatIsoDate, yearOf } from '../../../model/dates.js';
import { blank, bullets, code, h1, note, para, rule, rules, table, txt, warning, type Block } from '../model.js';
import { ANNUAL_REPORT_DUE } from '../references.js';
import { characteristics, complete, counterText, datasetsOf, label, pathName, recipientName, subtitle } from '../parts.js';
import { approvalsFor, approvalsTable, yearToDateTable } from '../sections.js';
import type { BuildContext } from './context.js';

export function buildAnnual({ view, transfers: selected }: BuildContext) {
  const year = yearOf(view.asOf);
  const transfers = selected.filter((t) => yearOf(t.date) === year);
  const important = datasetsOf(view, transfers).filter((d) => d.important);
  if (!view.datasets.some((d) => d.important)) {
    const m = msg('doc.annual.no-important-data');
    throw badInput(m, [{ field: 'datasets', message: m, expected: msg('doc.annual.expected') }]);
  }
  const due = formatIsoDate(year, ANNUAL_REPORT_DUE.month, ANNUAL_REPORT_DUE.day);
  const left = daysBetween(view.asOf, due);
  const countries = [...new Set(transfers.map((t) => t.country))].sort();
  const body: Block[] = [
    note(txt(msg('doc.annual.intro')), txt(' '), rule(ANNUAL_REPORT_DUE.rule)),
    h1(msg('doc.annual.period')),
    para(txt(msg('doc.annual.period.text', { year, due, days: left }))),
    ...(left < 0 ? [warning(txt(msg('doc.annual.overdue', { due })))] : []),

    h1(msg('doc.annual.overview')),
    para(txt(msg('doc.annual.overview.text', { n: transfers.length, recipients: new Set(transfers.map((t) => t.recipient)).size, countries }))),
    transfers.length
      ? table(
          [msg('doc.col.transfer'), msg('doc.col.date'), msg('doc.col.recipient'), msg('doc.col.datasets'), msg('doc.col.persons'), msg('doc.col.path'), msg('doc.col.approval')],
          transfers.map((t) => [
            [code(t.id)],
            [txt(t.date), txt(' '), txt(msg(`doc.status.${t.status}`))],
            [txt(recipientName(view, t.recipient)), txt(` (${t.country})`)],
            t.datasets.flatMap((d, i) => (i ? [txt(', '), code(d)] : [code(d)])),
            [txt(counterText(t.volume))],
            [txt(pathName(t.path)), ...(t.exemption ? [txt(' '), rule(t.exemption)] : [])],
            [txt(t.coveredBy ?? (t.covered ? msg('doc.no-mechanism-needed') : msg('doc.not-covered')))],
          ]),
          [12, 12, 18, 16, 16, 14, 12],
        )
      : para(txt(msg('doc.annual.no-transfers', { year }))),
    ...yearToDateTable(view, transfers),

    h1(msg('doc.annual.important')),
    note(txt(msg('doc.characteristics-only')), txt(' '), rule('IMP-GEN-5')),
    important.length
      ? table(
          [msg('doc.col.dataset'), msg('doc.col.characteristics'), msg('doc.col.transfers')],
          important.map((d) => [[txt(d.name), txt(' '), code(d.id)], characteristics(d), [txt(transfers.filter((t) => t.datasets.includes(d.id)).map((t) => t.id).join(', '))]]),
          [30, 45, 25],
        )
      : para(txt(msg('doc.annual.no-important-sent', { year }))),
    para(txt(msg('doc.annual.important.rule')), txt(' '), ...rules(['PATH-SA-1', 'AUTO-5'])),

    h1(msg('doc.annual.mechanisms')),
    approvalsTable(view, approvalsFor(view, transfers)),

    h1(msg('doc.annual.incidents')),
    ...(view.security.incidents.filter((i) => yearOf(i.date) === year).length
      ? [bullets(view.security.incidents.filter((i) => yearOf(i.date) === year).map((i) => [code(i.id), txt(` ${i.date} `), txt(label('doc.incident-kind', i.kind)), txt(': '), txt(i.summary)]))]
      : [para(txt(msg('doc.annual.incidents.none', { year })))]),

    h1(msg('doc.annual.open')),
    ...(transfers.some((t) => !t.covered)
      ? [bullets(transfers.filter((t) => !t.covered).map((t) => [code(t.id), txt(': '), ...t.missing.flatMap((m, i) => [...(i ? [txt(msg('doc.sep'))] : []), txt(m)])]))]
      : [para(txt(msg('doc.annual.open.none')))]),
    para(blank(msg('doc.blank.annual-measures'))),
  ];
  return complete('annual', msg('doc.kind.annual'), subtitle(view, transfers, msg('doc.annual.scope', { year, due })), body, view);
}
