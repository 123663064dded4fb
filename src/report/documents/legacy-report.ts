/**
 * TEMPORARY: the engine's chujing.assess/1 report shaped as the documents' input until the
 * chujing.assess/2 engine lands on main; then this file is deleted and the adapter reads the report.
 */
import type { AssessReport } from '../../engine/types.js';
import { findPack } from '../../rules/index.js';
import { yearOf } from '../../model/dates.js';
import type { AssessReportInput } from './adapter.js';

const ZERO = { persons: 0, sensitivePersons: 0, chargingConsumptionPersons: 0 };

export function fromLegacyReport(r: AssessReport): AssessReportInput {
  const year = yearOf(r.asOf);
  const orgs = [...new Set(r.transfers.map((t) => t.organization))];
  return {
    asOf: r.asOf,
    packs: r.packs.map((p) => ({ id: p.id, title: findPack(p.id)?.title ?? { en: p.title, zh: p.title }, effective: p.effective, status: p.status as 'in-force' | 'draft', usedBy: p.usedBy, reason: p.reason })),
    settings: r.settings,
    overrides: r.overrides,
    datasets: r.datasets.map((d) => ({
      ...d,
      findings: d.findings.map((f) => ({ ...f, notes: f.note ? [f.note] : [] })),
      advisories: d.advisories.map((f) => ({ ...f, notes: f.note ? [f.note] : [] })),
      negativeListHits: d.negativeListHits.map((h) => ({ ...h, title: { en: h.title, zh: h.title } })),
    })),
    transfers: r.transfers.map((t) => ({
      ...t,
      counted: t.yearToDate.counted ? { ...t.volume, method: 'transfer-declared' as const } : { ...ZERO, method: 'not-counted' as const },
      yearToDate: { persons: t.yearToDate.persons, sensitivePersons: t.yearToDate.sensitivePersons, chargingConsumptionPersons: t.yearToDate.chargingConsumptionPersons },
      splitting: t.splitting ? { group: t.splitting.group, entities: t.splitting.entities, transfers: [], yearTotal: t.splitting.yearToDate, path: t.path } : null,
      exemptedDatasets: [],
      explanation: t.explanation.en,
    })),
    organizations: orgs.flatMap((o) => {
      const last = r.transfers.filter((t) => t.organization === o && yearOf(t.date) === year).at(-1);
      if (!last) return [];
      const c = r.settings.countExemptTransfers ? last.yearToDate.includingExempt : last.yearToDate.excludingExempt;
      const ytd = { persons: c.persons, sensitivePersons: c.sensitivePersons, chargingConsumptionPersons: c.chargingConsumptionPersons };
      return [{ organization: o, year, yearToDate: ytd, sources: { ledger: ZERO, workspace: ytd }, thresholds: { scPersons: 100_000, saPersons: 1_000_000, saSensitivePersons: 10_000 } }];
    }),
    ledger: r.ledger ? { ...r.ledger, findings: [] } : null,
    warnings: [],
  };
}
