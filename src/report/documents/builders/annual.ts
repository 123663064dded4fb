/**
 * The outbound section of the annual automobile data security report (年度汽车数据安全管理情况, AUTO-5):
 * processors of important data report each year by 15 December, including their outbound transfers —
 * to whom, which data (characteristics), how many persons, under which mechanism — and the incidents.
 * The year is that of the as-of date; the figures are the engine's.
 *
 * It speaks of what was sent: the ledger's recorded transfers, or else the transfers marked executed
 * up to the as-of date (and says which). Planned transfers are listed apart; core data is never
 * "important data provided"; a transfer sent without the mechanism it needed is stated plainly.
 */
import { badInput } from '../../../errors.js';
import { msg } from '../../../i18n/index.js';
import { daysBetween, formatIsoDate } from '../../../model/dates.js';
import { blank, bullets, code, h1, note, para, rule, rules, table, txt, warning, type Block, type Content } from '../model.js';
import { ANNUAL_REPORT_DUE } from '../references.js';
import { characteristics, complete, counterText, entityName, label, pathName, recipientName, subtitle } from '../parts.js';
import { annualFigures, type AnnualFigures } from '../figures.js';
import { approvalDeadlineNotes, approvalsFor, approvalsTable, yearToDateTable } from '../sections.js';
import type { TransferView } from '../view.js';
import type { BuildContext } from './context.js';

export function buildAnnual(ctx: BuildContext) {
  const { view, transfers: selected, selection } = ctx;
  // Per processor: the organisations the selection names (or all), each a processor of important data
  // when one of its transfers carries important data (the engine's containsImportantData).
  const organizations = selection.organization ? [selection.organization] : view.entities.map((e) => e.id);
  const processesImportant = view.transfers.some((t) => organizations.includes(t.organization) && t.containsImportantData);
  if (!processesImportant) {
    const m = msg('doc.annual.not-important-processor', { names: organizations.map((o) => entityName(view, o)) });
    throw badInput(m, [{ field: selection.organization ? '--organization' : 'datasets', message: m, expected: msg('doc.annual.expected') }]);
  }
  const figures: AnnualFigures = annualFigures(view, selected);
  const year = figures.year;
  const byId = new Map(view.transfers.map((t) => [t.id, t]));
  const sent = figures.sent.map((id) => byId.get(id)!);
  const planned = figures.planned.map((id) => byId.get(id)!);
  const important = figures.importantData.map((id) => view.datasets.find((d) => d.id === id)!);
  const due = formatIsoDate(year, ANNUAL_REPORT_DUE.month, ANNUAL_REPORT_DUE.day);
  const left = daysBetween(view.asOf, due);
  const countries = [...new Set(sent.map((t) => t.country))].sort();
  const transferRows = (ts: TransferView[]): Content[][] =>
    ts.map((t) => [
      [code(t.id)],
      [txt(t.date), txt(' '), txt(msg(`doc.status.${t.status}`))],
      [txt(recipientName(view, t.recipient)), txt(` (${t.country})`)],
      t.datasets.flatMap((d, i) => (i ? [txt(', '), code(d)] : [code(d)])),
      [txt(counterText(t.volume))],
      [txt(pathName(t.path, t.exemption)), ...(t.exemption ? [txt(' '), rule(t.exemption)] : [])],
      [txt(t.coveredBy ?? (t.covered ? msg('doc.no-mechanism-needed') : msg('doc.not-covered')))],
    ]);
  const head = [msg('doc.col.transfer'), msg('doc.col.date'), msg('doc.col.recipient'), msg('doc.col.datasets'), msg('doc.col.persons'), msg('doc.col.path'), msg('doc.col.approval')];
  const widths = [12, 12, 18, 16, 16, 14, 12];
  const plannedUpToAsOf = planned.filter((t) => t.date <= view.asOf);
  const withoutMechanism = figures.executedWithoutMechanism.map((id) => byId.get(id)!);

  const body: Block[] = [
    note(txt(msg('doc.annual.intro')), txt(' '), rule(ANNUAL_REPORT_DUE.rule)),
    h1(msg('doc.annual.period')),
    para(txt(msg('doc.annual.period.text', { year, due, days: left }))),
    ...(left < 0 ? [warning(txt(msg('doc.annual.overdue', { due })))] : []),

    h1(msg('doc.annual.overview')),
    note(txt(figures.source === 'ledger' ? msg('doc.annual.source.ledger', { source: view.ledger?.source ?? '' }) : msg('doc.annual.source.workspace-executed', { asOf: view.asOf }))),
    sent.length
      ? para(txt(msg('doc.annual.overview.sent', { n: sent.length, year, recipients: new Set(sent.map((t) => t.recipient)).size, countries })))
      : para(txt(msg('doc.annual.no-transfers', { year }))),
    ...(sent.length ? [table(head, transferRows(sent), widths)] : []),
    ...(plannedUpToAsOf.length ? [note(txt(msg('doc.annual.ytd-note', { ids: plannedUpToAsOf.map((t) => t.id) })))] : []),
    ...yearToDateTable(view, selected),

    h1(msg('doc.annual.important')),
    note(txt(msg('doc.characteristics-only')), txt(' '), rule('IMP-GEN-5')),
    important.length
      ? table(
          [msg('doc.col.dataset'), msg('doc.col.characteristics'), msg('doc.col.transfers')],
          important.map((d) => [[txt(d.name), txt(' '), code(d.id)], characteristics(d), [txt(sent.filter((t) => t.datasets.includes(d.id)).map((t) => t.id).join(', '))]]),
          [30, 45, 25],
        )
      : para(txt(msg('doc.annual.no-important-sent', { year }))),
    para(txt(msg('doc.annual.important.rule')), txt(' '), ...rules(['PATH-SA-1', 'AUTO-5'])),

    h1(msg('doc.annual.without-mechanism')),
    ...(withoutMechanism.length
      ? [
          bullets(
            withoutMechanism.map((t) => {
              const late = t.path === 'prohibited' ? null : approvalsFor(view, [t]).find((a) => (a.issued ?? a.effective) !== null && (a.issued ?? a.effective)! > t.date);
              const line = t.path === 'prohibited'
                ? msg('doc.annual.without-mechanism.prohibited', { date: t.date })
                : late
                  ? msg('doc.annual.without-mechanism.issued', { date: t.date, approval: late.id, issued: (late.issued ?? late.effective)! })
                  : msg('doc.annual.without-mechanism.item', { date: t.date, path: pathName(t.path, t.exemption) });
              return [code(t.id), txt(': '), txt(line, true), ...t.missing.flatMap((m, i) => [txt(i ? msg('doc.sep') : ' '), txt(m)])];
            }),
          ),
          warning(txt(msg('doc.annual.without-mechanism.decide'))),
        ]
      : [para(txt(msg('doc.annual.without-mechanism.none', { year })))]),

    h1(msg('doc.annual.planned')),
    ...(planned.length
      ? [para(txt(msg('doc.annual.planned.text', { year, asOf: view.asOf }))), table(head, transferRows(planned), widths)]
      : [para(txt(msg('doc.annual.planned.none', { year })))]),

    h1(msg('doc.annual.mechanisms')),
    approvalsTable(view, approvalsFor(view, sent)),
    ...approvalDeadlineNotes(approvalsFor(view, sent)),

    h1(msg('doc.annual.incidents')),
    ...(view.security.incidents.filter((i) => i.date.startsWith(`${year}-`)).length
      ? [bullets(view.security.incidents.filter((i) => i.date.startsWith(`${year}-`)).map((i) => [code(i.id), txt(` ${i.date} `), txt(label('doc.incident-kind', i.kind)), txt(': '), txt(i.summary)]))]
      : [para(txt(msg('doc.annual.incidents.none', { year })))]),

    h1(msg('doc.annual.open')),
    ...(planned.some((t) => !t.covered)
      ? [bullets(planned.filter((t) => !t.covered).map((t) => [code(t.id), txt(': '), ...t.missing.flatMap((m, i) => [...(i ? [txt(msg('doc.sep'))] : []), txt(m)])]))]
      : [para(txt(msg('doc.annual.open.none')))]),
    para(blank(msg('doc.blank.annual-measures'))),
  ];
  const all = [...sent, ...planned];
  return { doc: complete('annual', msg('doc.kind.annual'), subtitle(view, all, msg('doc.annual.scope', { year, due })), body, view), figures, transfers: all };
}
