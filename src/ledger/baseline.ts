/**
 * What `assess` needs from the ledger: for the organisations and years it judges, the new distinct
 * persons by the China date they were first sent (so the year-to-date count before any date is exact),
 * and every recorded entry (to cross-check the workspace). Read-only: when the workspace has no embedded
 * ledger database and no DATABASE_URL is set, there is nothing recorded and the answer is null — no
 * database is created just to read.
 */
import type { LedgerBaseline, LedgerDay, LedgerEntrySummary } from '../engine/types.js';
import { openStore, type Store } from '../store/index.js';
import { CATEGORY_CODE, LEDGER_CATEGORIES, categoryOfCode } from './categories.js';
import { newPersonsOf, type PlannedTransferHashes } from './planned.js';
import { rowToEntry, type EntryRow } from './rows.js';
import { ENTRY_COLUMNS } from './sql.js';

export interface LoadLedgerBaselineOptions {
  workspaceDir: string;
  env: Record<string, string | undefined>;
  organizations: string[];
  years: number[];
  /**
   * Planned transfers whose person hashes are known (e.g. from their manifest, hashed with
   * manifestHashes): the baseline then says exactly how many persons each would add
   * (`newPersonsByTransfer`); without it the engine estimates.
   */
  planned?: PlannedTransferHashes[];
  /** An open store to read from (the server's, which owns the database); left open. */
  store?: Store;
}

/** The date in China (UTC+8) of an ISO instant. */
export function chinaDate(instant: string): string {
  return new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(0, 10);
}

export async function loadLedgerBaseline(options: LoadLedgerBaselineOptions): Promise<LedgerBaseline | null> {
  const store = options.store ?? (await openStore({ workspaceDir: options.workspaceDir, env: options.env, mustExist: true }));
  if (!store) return null;
  try {
    // Each hash is attributed to the entry that first added it (first_seq); its date is that entry's.
    const rows = await store.query<{ organization: string; year: number; category: number; occurred_at: string; n: number }>(
      `SELECT h.organization, h.year, h.category, e.occurred_at, count(*) AS n
         FROM ledger_person_hashes h JOIN ledger_entries e ON e.organization = h.organization AND e.seq = h.first_seq
        WHERE h.organization = ANY($1::text[]) AND h.year = ANY($2::int[])
        GROUP BY h.organization, h.year, h.category, e.occurred_at`,
      [options.organizations, options.years],
    );
    const days = new Map<string, LedgerDay>();
    for (const r of rows) {
      const date = chinaDate(r.occurred_at);
      const key = `${r.organization}|${r.year}|${date}`;
      let d = days.get(key);
      if (!d) days.set(key, (d = { organization: r.organization, year: Number(r.year), date, persons: 0, sensitivePersons: 0, chargingConsumptionPersons: 0, vehicles: 0 }));
      const c = categoryOfCode(Number(r.category));
      if (c) d[c] += Number(r.n);
    }
    const entryRows = await store.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE organization = ANY($1::text[]) AND year = ANY($2::int[]) ORDER BY organization, seq`,
      [options.organizations, options.years],
    );
    const entries: LedgerEntrySummary[] = entryRows.map((row) => {
      const e = rowToEntry(row);
      return {
        id: e.id,
        organization: e.organization,
        time: e.time,
        date: chinaDate(e.time),
        year: e.year,
        datasets: e.datasets,
        recipient: e.recipient,
        kind: e.kind,
        mechanism: e.mechanism,
        approvalReference: e.approvalReference,
        forced: false,
        // Identifiers read (with repeats) bound the entry's distinct persons from above.
        volume: { ...e.identifiersRead },
      };
    });
    const baseline: LedgerBaseline = {
      source: store.location,
      days: [...days.values()].sort((a, b) => (a.organization + a.date < b.organization + b.date ? -1 : 1)),
      entries,
    };
    if (options.planned?.length) {
      const byTransfer: NonNullable<LedgerBaseline['newPersonsByTransfer']> = {};
      // One transaction that writes nothing permanent (the staging table is temporary).
      await store.transaction(async (tx) => {
        for (const p of options.planned!) {
          const n = await newPersonsOf(tx, p);
          byTransfer[p.transferId] = { persons: n.persons, sensitivePersons: n.sensitivePersons, chargingConsumptionPersons: n.chargingConsumptionPersons };
        }
      });
      baseline.newPersonsByTransfer = byTransfer;
    }
    return baseline;
  } finally {
    if (!options.store) await store.close();
  }
}

export { CATEGORY_CODE };
