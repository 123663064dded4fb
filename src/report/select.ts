/**
 * `assess --transfer ID` / `--dataset ID`: the whole workspace is judged as always (year-to-date counts,
 * anti-splitting and the ledger need every transfer), then the report is narrowed to the named transfers
 * — or to the transfers carrying the named datasets — so that a pipeline is gated on its own transfer and
 * not on unrelated history. Pure: a report in, a report out.
 */
import { badInput, type ErrorIssue } from '../errors.js';
import { summarize } from '../engine/assess.js';
import type { AssessReport } from '../engine/types.js';
import { msg } from '../i18n/index.js';
import { suggest } from '../model/suggest.js';

export interface Selection {
  transfers: string[];
  datasets: string[];
}

export type SelectedReport = AssessReport & {
  /** What was asked for, and the transfers it selected (absent when the whole report is shown). */
  selection?: Selection & { selectedTransfers: string[]; workspaceTransfers: number };
};

export function isSelection(s: Selection): boolean {
  return s.transfers.length > 0 || s.datasets.length > 0;
}

/** Every named id must exist: an unknown one is bad input (with the nearest ids), never an empty gate. */
export function checkSelection(report: AssessReport, s: Selection): void {
  const issues: ErrorIssue[] = [];
  const known = (ids: string[], all: string[], field: string, code: string) => {
    for (const id of ids) {
      if (all.includes(id)) continue;
      const near = suggest(id, all);
      issues.push({ field, message: msg(code, { id }), expected: near.length ? msg('ref.did-you-mean', { names: near }) : msg('ref.one-of', { names: all.length ? all : [msg('common.none')] }) });
    }
  };
  known(s.transfers, report.transfers.map((t) => t.id), '--transfer', 'select.unknown-transfer');
  known(s.datasets, report.datasets.map((d) => d.id), '--dataset', 'select.unknown-dataset');
  if (issues.length) throw badInput(msg('select.unknown', { count: issues.length }), issues);
}

/** The report of the selected transfers: their datasets, actions and ledger findings, recounted. */
export function selectAssessment(report: AssessReport, s: Selection): SelectedReport {
  if (!isSelection(s)) return report;
  checkSelection(report, s);
  const transfers = report.transfers.filter((t) => s.transfers.includes(t.id) || t.datasets.some((d) => s.datasets.includes(d)));
  const transferIds = new Set(transfers.map((t) => t.id));
  const datasetIds = new Set([...s.datasets, ...transfers.flatMap((t) => t.datasets)]);
  const datasets = report.datasets.filter((d) => datasetIds.has(d.id));
  const findings = (report.ledger?.findings ?? []).filter((f) => transferIds.has(f.entry));
  const actions = report.actions.filter((a) => {
    const p = a.params;
    return (typeof p.transfer === 'string' && transferIds.has(p.transfer)) || (typeof p.dataset === 'string' && datasetIds.has(p.dataset)) || (typeof p.entry === 'string' && transferIds.has(p.entry));
  });
  return {
    ...report,
    datasets,
    transfers,
    summary: summarize(datasets, transfers, findings),
    ledger: report.ledger ? { ...report.ledger, findings } : null,
    actions,
    selection: { ...s, selectedTransfers: [...transferIds], workspaceTransfers: report.transfers.length },
  };
}
