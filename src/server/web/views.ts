/**
 * What the web UI's pages read: slices of the same assessment (`assess --json`'s contract) and status
 * report the read API serves, cut on the server so that a page of 50 transfers does not ship the
 * 10,000 others (the full assessment of a 10,000-transfer workspace is tens of megabytes of JSON; a page
 * is a few dozen kilobytes — bench/web.bench.mjs measures both). Pure functions of the report: no I/O,
 * no legal logic — every value is the engine's, only selected and counted here.
 */
import type { AssessReport, DatasetResult, TransferResult, TransferPath, DataLevel } from '../../engine/types.js';
import type { StatusReport } from '../../lifecycle/status.js';
import { addDays } from '../../model/dates.js';
import type { Workspace } from '../../model/workspace.js';
import type { Bilingual, RulePack } from '../../rules/types.js';

export const PATHS: readonly TransferPath[] = ['security-assessment', 'standard-contract-or-certification', 'exempt', 'prohibited'];
export const LEVELS: readonly DataLevel[] = ['core', 'important', 'general'];

/** Deadlines within this many days of the as-of date are on the overview (issue 13). */
export const OVERVIEW_DEADLINE_DAYS = 90;
const OVERVIEW_LIST = 8;

export interface TransferFilter {
  offset: number;
  limit: number;
  path?: TransferPath;
  covered?: boolean;
  organization?: string;
  recipient?: string;
  dataset?: string;
  /** Only transfers with legal-review points. */
  review?: boolean;
  /** Substring of the id, purpose-free fields people search by: id, recipient, datasets, country. */
  q?: string;
  order?: 'asc' | 'desc';
}

export interface Page<T> {
  total: number;
  /** Of the total, how many match the filter. */
  matched: number;
  offset: number;
  limit: number;
  items: T[];
}

function matchesText(q: string, ...values: (string | undefined)[]): boolean {
  const needle = q.toLowerCase();
  return values.some((v) => v !== undefined && v.toLowerCase().includes(needle));
}

function slice<T>(all: readonly T[], keep: (x: T) => boolean, offset: number, limit: number, order: 'asc' | 'desc' = 'asc'): Page<T> {
  const matched: T[] = [];
  for (const x of all) if (keep(x)) matched.push(x);
  if (order === 'desc') matched.reverse();
  return { total: all.length, matched: matched.length, offset, limit, items: matched.slice(offset, offset + limit) };
}

export function transferPage(report: AssessReport, f: TransferFilter): Page<TransferResult> {
  const q = f.q?.trim();
  return slice(
    report.transfers,
    (t) =>
      (f.path === undefined || t.path === f.path) &&
      (f.covered === undefined || t.covered === f.covered) &&
      (f.organization === undefined || t.organization === f.organization) &&
      (f.recipient === undefined || t.recipient === f.recipient) &&
      (f.dataset === undefined || t.datasets.includes(f.dataset)) &&
      (f.review === undefined || t.legalReview.length > 0 === f.review) &&
      (!q || matchesText(q, t.id, t.recipient, t.country, t.organization, ...t.datasets)),
    f.offset,
    f.limit,
    f.order,
  );
}

export interface DatasetFilter {
  offset: number;
  limit: number;
  level?: DataLevel;
  /** Only datasets whose declaration understates a measurement. */
  understated?: boolean;
  q?: string;
}

/** A dataset as the UI lists it: how many transfers send it, and the titles of its scenario and data
 * type in the rule pack that classified it (so a person reads 研发设计, not rnd-design). */
export type DatasetView = DatasetResult & { transfers: number; titles: { scenario: Bilingual | null; dataType: Bilingual | null } };

/** The titles of a scenario and a data type in a pack (null when the pack or the id is not known). */
export function scenarioTitles(packs: readonly RulePack[], d: { pack: string; scenario: string; dataType: string }): DatasetView['titles'] {
  const scenario = packs.find((p) => p.id === d.pack)?.scenarios.find((s) => s.id === d.scenario);
  return { scenario: scenario?.title ?? null, dataType: scenario?.dataTypes.find((t) => t.id === d.dataType)?.title ?? null };
}

/** How many transfers send each dataset (computed once per report). */
const transferCounts = new WeakMap<AssessReport, Map<string, number>>();
function countsOf(report: AssessReport): Map<string, number> {
  let m = transferCounts.get(report);
  if (!m) {
    m = new Map();
    for (const t of report.transfers) for (const d of t.datasets) m.set(d, (m.get(d) ?? 0) + 1);
    transferCounts.set(report, m);
  }
  return m;
}

export function datasetPage(report: AssessReport, f: DatasetFilter, packs: readonly RulePack[] = []): Page<DatasetView> {
  const q = f.q?.trim();
  const counts = countsOf(report);
  const page = slice(
    report.datasets,
    (d) =>
      (f.level === undefined || d.level === f.level) &&
      (f.understated === undefined || d.factComparison.some((c) => c.understated) === f.understated) &&
      (!q || matchesText(q, d.id, d.name, d.scenario, d.dataType)),
    f.offset,
    f.limit,
  );
  return { ...page, items: page.items.map((d) => ({ ...d, transfers: counts.get(d.id) ?? 0, titles: scenarioTitles(packs, d) })) };
}

export function datasetView(report: AssessReport, id: string, packs: readonly RulePack[] = []): DatasetView | undefined {
  const d = report.datasets.find((x) => x.id === id);
  return d && { ...d, transfers: countsOf(report).get(d.id) ?? 0, titles: scenarioTitles(packs, d) };
}

function brief(t: TransferResult) {
  return { id: t.id, date: t.date, organization: t.organization, recipient: t.recipient, datasets: t.datasets, path: t.path, missing: t.missing };
}

/**
 * The overview: counts by path, what is not covered or prohibited (the first few, and how many), the
 * deadlines of the next 90 days (and any overdue or open now), and each organisation's year-to-date
 * counts with their thresholds and sources.
 */
export function overview(report: AssessReport, status: StatusReport, workspace: Workspace) {
  const uncovered = report.transfers.filter((t) => !t.covered);
  const prohibited = report.transfers.filter((t) => t.path === 'prohibited');
  const horizon = addDays(report.asOf, OVERVIEW_DEADLINE_DAYS);
  const deadlines = status.deadlines.filter(
    (d) => d.state === 'overdue' || d.state === 'due' || d.state === 'open' || (d.date !== null && d.date >= report.asOf && d.date <= horizon),
  );
  const names = new Map([workspace.organization, ...workspace.affiliates].map((e) => [e.id, e.name]));
  return {
    schema: 'chujing.ui.overview/1',
    asOf: report.asOf,
    organization: report.organization,
    summary: report.summary,
    organizations: report.organizations.map((o) => ({ ...o, name: names.get(o.organization) ?? o.organization })),
    packs: report.packs.map(({ usedBy, ...p }) => ({ ...p, usedBy: usedBy.length })),
    settings: report.settings,
    overrides: report.overrides,
    warnings: report.warnings,
    uncovered: { total: uncovered.length, items: uncovered.slice(0, OVERVIEW_LIST).map(brief) },
    prohibited: { total: prohibited.length, items: prohibited.slice(0, OVERVIEW_LIST).map(brief) },
    deadlines: { horizonDays: OVERVIEW_DEADLINE_DAYS, until: horizon, items: deadlines },
    unknownDeadlines: status.deadlines.filter((d) => d.state === 'unknown').length,
    calendar: { provisionalYearsUsed: status.calendar.provisionalYearsUsed },
    actions: { total: report.actions.length, items: report.actions.slice(0, OVERVIEW_LIST * 2) },
    ledger: report.ledger ? { source: report.ledger.source, recordedTransfers: report.ledger.recordedTransfers, findings: report.ledger.findings.length } : null,
  };
}

/** The ids and names the edit forms offer (without the 10,000 transfers of /v1/workspace). */
export function choices(workspace: Workspace) {
  return {
    schema: 'chujing.ui.choices/1',
    organizations: [workspace.organization, ...workspace.affiliates].map((e) => ({ id: e.id, name: e.name })),
    datasets: workspace.datasets.map((d) => ({ id: d.id, name: d.name, scenario: d.scenario, dataType: d.dataType })),
    recipients: workspace.recipients.map((r) => ({ id: r.id, name: r.name, country: r.country })),
    approvals: workspace.approvals.map((a) => ({ id: a.id, mechanism: a.mechanism })),
    transfers: workspace.transfers.length,
    rulePack: workspace.rulePack ?? null,
    settings: workspace.settings,
    overrides: workspace.overrides,
  };
}
