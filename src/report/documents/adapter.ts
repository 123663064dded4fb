/**
 * The one place that knows the engine's report: `assess`'s output (the same object `assess --json`
 * prints, schema chujing.assess/2), the workspace and the approvals' life cycle (`status`) become the
 * documents' view. Figures are copied, never recomputed; the workspace supplies only what the report
 * does not carry (purposes, PI categories, recipients' details, attestations).
 */
import { badInput, type ErrorIssue } from '../../errors.js';
import { msg } from '../../i18n/index.js';
import type { AssessReport, Finding } from '../../engine/types.js';
import type { Workspace } from '../../model/workspace.js';
import { ALL_PACKS } from '../../rules/index.js';
import type { LifecyclePeriods } from '../../rules/types.js';
import type { StatusReport } from '../../lifecycle/status.js';
import type { Counter, DatasetView, DocumentsView, EntityView, FindingView, LedgerView, TransferView } from './view.js';

type Counter_ = { persons: number; sensitivePersons: number; chargingConsumptionPersons: number };
type FindingIn = Finding;

export interface DocumentsViewInput {
  /** The engine's report: the same object `assess --json` prints (chujing.assess/2). */
  report: AssessReport;
  workspace: Workspace;
  /** The life cycle of the approvals as of the same date (`computeStatus`, as `chujing status`). */
  status: StatusReport;
  periods: LifecyclePeriods;
  /** `ledger verify`, when it was run (the security checklist asks for it). */
  verification?: LedgerView['verification'];
}

const counter = (c: Counter_): Counter => ({ persons: c.persons, sensitivePersons: c.sensitivePersons, chargingConsumptionPersons: c.chargingConsumptionPersons });

function finding(f: FindingIn): FindingView {
  return {
    rule: f.rule,
    aliases: f.aliases ?? [],
    pack: f.pack,
    fact: f.fact,
    value: f.value,
    comparator: f.comparator,
    threshold: f.threshold,
    unit: f.unit ?? null,
    source: f.source,
    confidence: f.confidence,
    provenance: f.provenance ?? null,
    binding: f.binding,
    basis: f.basis,
    overridden: f.overridden ?? false,
    title: f.title,
    notes: f.notes,
  };
}

/** Scenario and data-type titles from the pack the dataset was classified under. */
function titles(packId: string, scenario: string, dataType: string) {
  const pack = ALL_PACKS.find((p) => p.id === packId);
  const s = pack?.scenarios.find((x) => x.id === (pack.scenarioAliases?.[scenario] ?? scenario));
  return { scenarioTitle: s?.title ?? null, dataTypeTitle: s?.dataTypes.find((t) => t.id === dataType)?.title ?? null };
}

export function documentsView(input: DocumentsViewInput): DocumentsView {
  const { report, workspace: ws, status, periods } = input;
  const entity = (e: Workspace['organization'], main: boolean): EntityView => ({
    id: e.id,
    name: e.name,
    processorType: e.processorType,
    ciio: e.ciio,
    ftz: e.ftz ? { zone: e.ftz.zone, list: e.ftz.list } : null,
    group: e.group ?? null,
    main,
  });
  const wsDatasets = new Map(ws.datasets.map((d) => [d.id, d]));
  const wsTransfers = new Map(ws.transfers.map((t) => [t.id, t]));

  const datasets: DatasetView[] = report.datasets.map((d) => {
    const w = wsDatasets.get(d.id);
    return {
      id: d.id,
      name: w?.name ?? d.id,
      description: w?.description ?? null,
      scenario: w?.scenario ?? '',
      dataType: w?.dataType ?? '',
      ...titles(d.pack, w?.scenario ?? '', w?.dataType ?? ''),
      pack: d.pack,
      level: d.level,
      important: d.important,
      declaredLevel: d.declaredLevel,
      origin: w?.origin ?? 'domestic',
      anonymised: w?.anonymised ?? false,
      findings: d.findings.map(finding),
      advisories: d.advisories.map(finding),
      facts: d.facts,
      factComparison: d.factComparison,
      evidence: d.evidence.map((e) => ({ kind: e.kind, path: e.path, format: e.format ?? null, contentHash: e.contentHash })),
      personalInfo: { ...counter(d.personalInfo), basis: d.personalInfo.basis, categories: w?.personalInfo.categories ?? [], subjects: w?.personalInfo.subjects ?? [] },
      negativeListHits: d.negativeListHits.map((h) => ({ list: h.list, item: h.item, title: h.title })),
      warnings: d.warnings,
      levelsByPack: d.levelsByPack ?? [],
      measurementReview: d.measurementReview ?? [],
    };
  });

  const transfers: TransferView[] = report.transfers.map((t) => {
    const w = wsTransfers.get(t.id);
    return {
      id: t.id,
      date: t.date,
      organization: t.organization,
      recipient: t.recipient,
      country: t.country,
      datasets: t.datasets,
      kind: t.kind,
      status: t.status,
      purpose: w?.purpose ?? '',
      channel: w?.channel ?? null,
      retentionAbroadMonths: w?.retentionAbroadMonths ?? null,
      path: t.path,
      exemption: t.exemption,
      rules: t.rules,
      packs: t.packs,
      containsImportantData: t.containsImportantData,
      volume: counter(t.volume),
      counted: { ...counter(t.counted), method: t.counted.method },
      yearToDate: counter(t.yearToDate),
      thresholdsReached: [...t.yearToDate.thresholdsReached],
      recorded: t.ledger.recorded,
      splitting: t.splitting ? { group: t.splitting.group, entities: t.splitting.entities, transfers: t.splitting.transfers, yearTotal: counter(t.splitting.yearTotal), path: t.splitting.path } : null,
      exemptedDatasets: t.exemptedDatasets,
      levelsOnDate: t.levelsOnDate ?? [],
      claims: t.claims,
      covered: t.covered,
      coveredBy: t.coveredBy,
      missing: t.missing,
      legalReview: t.legalReview,
      duties: t.duties,
      explanation: t.explanation,
    };
  });

  const approvals = status.approvals.map((lc) => {
    const a = ws.approvals.find((x) => x.id === lc.id)!;
    return {
      id: lc.id,
      mechanism: lc.mechanism,
      status: lc.status,
      reference: lc.reference ?? null,
      group: lc.group ?? null,
      organizations: lc.organizations,
      applied: a.applied ?? null,
      issued: a.issued ?? null,
      effective: a.effective ?? null,
      filed: a.filed ?? null,
      answered: a.answered ?? null,
      validity: { start: lc.validity.start, end: lc.validity.end },
      state: lc.state,
      covers: { datasets: a.covers.datasets ?? null, recipients: a.covers.recipients ?? null, purposes: a.covers.purposes ?? null },
      deadlines: lc.deadlines.map((d) => ({
        kind: d.kind,
        date: d.date,
        until: d.until ?? null,
        state: d.state,
        rules: d.rules,
        provisionalYears: d.provisionalYears,
        doneOn: d.doneOn ?? null,
        notes: d.notes,
        conditions: (d.conditions ?? []).map((c) => ({ rule: c.rule, source: c.source, confidence: c.confidence, status: c.status, params: c.params, message: c.message, comparison: c.comparisonMessage, exceeds: c.comparison?.exceeds ?? null })),
      })),
    };
  });

  return {
    asOf: report.asOf,
    organization: entity(ws.organization, true),
    entities: [entity(ws.organization, true), ...ws.affiliates.map((a) => entity(a, false))],
    datasets,
    recipients: ws.recipients.map((r) => ({ id: r.id, name: r.name, country: r.country, storageCountry: r.storageCountry ?? null, affiliate: r.affiliate })),
    transfers,
    years: report.organizations.map((y) => ({ organization: y.organization, year: y.year, yearToDate: counter(y.yearToDate), sources: { ledger: counter(y.sources.ledger), workspace: counter(y.sources.workspace) }, thresholds: y.thresholds, thresholdsReached: [...y.thresholdsReached] })),
    approvals,
    packs: report.packs.map((p) => ({ id: p.id, title: p.title, effective: p.effective, status: p.status, reason: p.reason, usedBy: p.usedBy, notes: p.notes })),
    settings: report.settings,
    overrides: report.overrides.map((o) => ({ kind: o.kind, rule: o.rule, pack: o.pack ?? null, detail: o.detail, reason: o.reason })),
    periods,
    ledger: report.ledger ? { source: report.ledger.source, recordedTransfers: report.ledger.recordedTransfers, findings: report.ledger.findings, verification: input.verification ?? null } : null,
    security: {
      attestations: ws.security.attestations.map((a) => ({ requirement: a.requirement, statement: a.statement, by: a.by, date: a.date, reference: a.reference ?? null })),
      incidents: ws.security.incidents.map((i) => ({
        id: i.id,
        date: i.date,
        kind: i.kind,
        summary: i.summary,
        transfers: i.transfers,
        datasets: i.datasets,
        reportedTo: i.reportedTo ?? null,
        reportedOn: i.reportedOn ?? null,
        reference: i.reference ?? null,
        individualsNotified: i.individualsNotified ?? null,
        closed: i.closed ?? null,
      })),
    },
    warnings: report.warnings,
    provisionalYears: status.calendar.provisionalYearsUsed,
  };
}
