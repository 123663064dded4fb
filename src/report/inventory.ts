/**
 * The inventory of datasets and transfers for Excel (`chujing export inventory`): the assessment as flat
 * tables a compliance officer filters and sorts. Built from the engine's report and the workspace, in one
 * language (headers and words), so it says what `assess` says.
 *
 * - `inventory`: one row per transfer and dataset it carries, plus one row per dataset no transfer
 *   carries — every dataset and every transfer appears, in one table (the CSV export);
 * - `datasets` and `transfers`: one row each (further sheets of the XLSX export).
 */
import type { AssessReport, DatasetResult, TransferResult } from '../engine/types.js';
import { msg, render, t, type Lang, type Msg } from '../i18n/index.js';
import type { Workspace } from '../model/workspace.js';
import { pathLabel } from '../engine/decide.js';
import type { CellValue, } from './excel.js';
import type { Sheet } from './xlsx.js';

interface Column<T> {
  key: string;
  value: (row: T) => CellValue;
}

export interface Table {
  header: string[];
  rows: CellValue[][];
}

function table<T>(lang: Lang, columns: Column<T>[], rows: T[]): Table {
  return { header: columns.map((c) => t(lang, `export.col.${c.key}` as never)), rows: rows.map((r) => columns.map((c) => c.value(r))) };
}

export function buildInventory(report: AssessReport, ws: Workspace, lang: Lang): { inventory: Table; datasets: Table; transfers: Table } {
  const words = (m: Msg | Msg[]) => (Array.isArray(m) ? m.map((x) => render(lang, x)).join('; ') : render(lang, m));
  const yesNo = (b: boolean) => t(lang, b ? 'common.yes' : 'common.no');
  const recipients = new Map(ws.recipients.map((r) => [r.id, r]));
  const declared = new Map(ws.transfers.map((x) => [x.id, x]));
  const datasetsById = new Map(report.datasets.map((d) => [d.id, d]));

  const datasetColumns: Column<DatasetResult>[] = [
    { key: 'dataset', value: (d) => d.id },
    { key: 'dataset-name', value: (d) => d.name },
    { key: 'scenario', value: (d) => d.scenario },
    { key: 'data-type', value: (d) => d.dataType },
    { key: 'level', value: (d) => t(lang, `level.${d.level}` as never) },
    { key: 'findings', value: (d) => [...new Set(d.findings.map((f) => f.rule))].join(' ') },
    { key: 'advisories', value: (d) => [...new Set(d.advisories.map((f) => f.rule))].join(' ') },
    { key: 'persons', value: (d) => d.personalInfo.persons },
    { key: 'sensitive-persons', value: (d) => d.personalInfo.sensitivePersons },
    { key: 'evidence', value: (d) => d.evidence.map((e) => e.path).join('; ') },
  ];
  const transferColumns: Column<TransferResult>[] = [
    { key: 'transfer', value: (x) => x.id },
    { key: 'date', value: (x) => x.date },
    { key: 'status', value: (x) => t(lang, `export.status.${x.status}` as never) },
    { key: 'organization', value: (x) => x.organization },
    { key: 'kind', value: (x) => t(lang, `export.kind.${x.kind}` as never) },
    { key: 'recipient', value: (x) => x.recipient },
    { key: 'recipient-name', value: (x) => recipients.get(x.recipient)?.name ?? '' },
    { key: 'country', value: (x) => x.country },
    { key: 'purpose', value: (x) => declared.get(x.id)?.purpose ?? '' },
    { key: 'datasets', value: (x) => x.datasets.join('; ') },
    { key: 'path', value: (x) => render(lang, pathLabel(x.path, x.exemption)) },
    { key: 'exemption', value: (x) => x.exemption ?? '' },
    { key: 'covered', value: (x) => yesNo(x.covered && x.path !== 'prohibited') },
    { key: 'covered-by', value: (x) => x.coveredBy ?? '' },
    { key: 'missing', value: (x) => words(x.missing) },
    { key: 'persons-ytd', value: (x) => x.yearToDate.persons },
    { key: 'sensitive-ytd', value: (x) => x.yearToDate.sensitivePersons },
    { key: 'rules', value: (x) => x.rules.join(' ') },
    { key: 'explanation', value: (x) => words(x.explanation) },
  ];

  // The flat inventory: every transfer with each of its datasets, then the datasets no transfer carries.
  type Pair = { transfer: TransferResult | null; dataset: DatasetResult };
  const pairs: Pair[] = [];
  const carried = new Set<string>();
  for (const x of report.transfers) {
    for (const id of x.datasets) {
      const d = datasetsById.get(id);
      if (!d) continue;
      carried.add(id);
      pairs.push({ transfer: x, dataset: d });
    }
  }
  for (const d of report.datasets) if (!carried.has(d.id)) pairs.push({ transfer: null, dataset: d });
  const pairColumns: Column<Pair>[] = [
    ...transferColumns.filter((c) => c.key !== 'datasets' && c.key !== 'explanation' && c.key !== 'rules').map((c) => ({ key: c.key, value: (p: Pair) => (p.transfer ? c.value(p.transfer) : '') })),
    ...datasetColumns.map((c) => ({ key: c.key, value: (p: Pair) => c.value(p.dataset) })),
  ];
  return {
    inventory: table(lang, pairColumns, pairs),
    datasets: table(lang, datasetColumns, report.datasets),
    transfers: table(lang, transferColumns, report.transfers),
  };
}

/** The XLSX sheets: the flat inventory, datasets, transfers, and what the file is. */
export function inventorySheets(report: AssessReport, ws: Workspace, lang: Lang, exportedAt: string): Sheet[] {
  const { inventory, datasets, transfers } = buildInventory(report, ws, lang);
  const about: Table = {
    header: [t(lang, 'export.col.item'), t(lang, 'export.col.value')],
    rows: [
      [t(lang, 'export.about.organization'), `${report.organization.name} (${report.organization.id})`],
      [t(lang, 'export.about.as-of'), report.asOf],
      [t(lang, 'export.about.exported-at'), exportedAt],
      [t(lang, 'export.about.packs'), report.packs.map((p) => p.id).join(' ')],
      [t(lang, 'export.about.summary'), render(lang, msg('report.summary', {
        datasets: report.summary.datasets, important: report.summary.important, core: report.summary.core, transfers: report.summary.transfers,
        sa: report.summary.byPath['security-assessment'], sc: report.summary.byPath['standard-contract-or-certification'], exempt: report.summary.byPath.exempt,
        prohibited: report.summary.byPath.prohibited, uncovered: report.summary.uncovered,
      }))],
    ],
  };
  return [
    { name: t(lang, 'export.sheet.inventory'), ...inventory },
    { name: t(lang, 'export.sheet.datasets'), ...datasets },
    { name: t(lang, 'export.sheet.transfers'), ...transfers },
    { name: t(lang, 'export.sheet.about'), ...about },
  ];
}
