/**
 * What `assess` needs from the ledger: year-to-date distinct counts of the organisations and years it
 * judges, and which transfers are already in them (a workspace transfer with a recorded id is not
 * added twice). Read-only: when the workspace has no embedded ledger database and no DATABASE_URL is
 * set, there is nothing recorded and the answer is null — no database is created just to read.
 */
import type { LedgerBaseline, LedgerCounts } from '../engine/types.js';
import { openStore } from '../store/index.js';
import { newPersonsOf, type PlannedTransferHashes } from './planned.js';
import { yearToDateCounts } from './stats.js';

export interface LoadLedgerBaselineOptions {
  workspaceDir: string;
  env: Record<string, string | undefined>;
  organizations: string[];
  years: number[];
  /**
   * Planned transfers whose person hashes are known (e.g. from their manifest, hashed with
   * manifestHashes): the baseline then says exactly how many persons each would add
   * (`newPersonsByTransfer`); without it the engine adds their declared counts (a conservative sum).
   */
  planned?: PlannedTransferHashes[];
}

export async function loadLedgerBaseline(options: LoadLedgerBaselineOptions): Promise<LedgerBaseline | null> {
  const store = await openStore({ workspaceDir: options.workspaceDir, env: options.env, mustExist: true });
  if (!store) return null;
  try {
    const ytd = await yearToDateCounts(store, { organizations: options.organizations, years: options.years });
    const counts: LedgerCounts[] = [];
    for (const organization of options.organizations) {
      for (const year of options.years) {
        const v = ytd.find((r) => r.organization === organization && r.year === year);
        counts.push({
          organization,
          year,
          persons: v?.persons ?? 0,
          sensitivePersons: v?.sensitivePersons ?? 0,
          chargingConsumptionPersons: v?.chargingConsumptionPersons ?? 0,
          vehicles: v?.vehicles ?? 0,
        });
      }
    }
    const ids = await store.query<{ id: string }>(
      'SELECT DISTINCT id FROM ledger_entries WHERE organization = ANY($1::text[]) AND year = ANY($2::int[]) ORDER BY id',
      [options.organizations, options.years],
    );
    const baseline: LedgerBaseline = { counts, recordedTransferIds: ids.map((r) => r.id), source: store.location };
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
    await store.close();
  }
}
