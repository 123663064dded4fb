/**
 * What `assess` needs from the ledger: for the organisations and years it judges, the new distinct
 * persons by the China date they were FIRST sent (so the year-to-date count before any date is exact,
 * whatever order the entries were recorded in), and every recorded entry with its own distinct volume
 * and whether it was forced (to cross-check the workspace).
 *
 * Cheap by design (issue 9): no database is created when the workspace has none; the embedded database
 * is not even started when its summary file is current (summary.ts); with DATABASE_URL the summary
 * tables are read by SQL. Only a planned transfer whose persons' hashes are known (a manifest) needs the
 * database itself, to de-duplicate them exactly against the recorded hashes.
 */
import type { LedgerBaseline } from '../engine/types.js';
import { resolveInside } from '../model/paths.js';
import { CHUJING_DIR, openStore, pgliteDataDir, pgliteExists, type Store } from '../store/index.js';
import { newPersonsOf, type PlannedTransferHashes } from './planned.js';
import { closeLedgerStore, filterFigures, readCurrentSummary, readFigures, summaryPath } from './summary.js';

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
}

export { chinaDate } from './entry.js';

/** The ledger a current summary describes, and that it was read through the summary (without PGlite). */
export function summarySource(workspaceDir: string): string {
  return `pglite:${pgliteDataDir(workspaceDir)} (read from its summary ${summaryPath(workspaceDir)})`;
}

export async function loadLedgerBaseline(options: LoadLedgerBaselineOptions): Promise<LedgerBaseline | null> {
  const filter = { organizations: options.organizations, years: options.years };
  const embedded = !options.env.DATABASE_URL;
  if (embedded) {
    resolveInside(options.workspaceDir, options.workspaceDir, CHUJING_DIR, { field: CHUJING_DIR }); // never read through a symlink out
    if (!pgliteExists(options.workspaceDir)) return null; // nothing recorded: no database is created to say so
    if (!options.planned?.length) {
      const summary = readCurrentSummary(options.workspaceDir, pgliteDataDir(options.workspaceDir));
      if (summary) {
        const f = filterFigures(summary, filter);
        return { source: summarySource(options.workspaceDir), days: f.days, entries: f.entries };
      }
    }
  }
  const store = await openStore({ workspaceDir: options.workspaceDir, env: options.env, mustExist: true });
  if (!store) return null;
  try {
    return await baselineFromStore(store, options);
  } finally {
    await closeLedgerStore(store);
  }
}

/**
 * The same baseline from a store that is already open (the server, which holds the embedded database
 * for its whole life, reads it this way rather than through the summary file).
 */
export async function baselineFromStore(store: Store, options: Pick<LoadLedgerBaselineOptions, 'organizations' | 'years' | 'planned'>): Promise<LedgerBaseline> {
  const f = await readFigures(store, { organizations: options.organizations, years: options.years });
  const baseline: LedgerBaseline = { source: store.location, days: f.days, entries: f.entries };
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
}

/**
 * `ledger stats`: the running counts per organisation and year, from the summary when it is current
 * (no database started), else from the database (which then rewrites the summary).
 */
export async function loadLedgerCounts(options: { workspaceDir: string; env: Record<string, string | undefined>; organizations?: string[]; years?: number[] }) {
  const filter = { organizations: options.organizations, years: options.years };
  if (!options.env.DATABASE_URL) {
    resolveInside(options.workspaceDir, options.workspaceDir, CHUJING_DIR, { field: CHUJING_DIR });
    if (!pgliteExists(options.workspaceDir)) return { source: null, counts: [] };
    const summary = readCurrentSummary(options.workspaceDir, pgliteDataDir(options.workspaceDir));
    if (summary) return { source: summarySource(options.workspaceDir), counts: filterFigures(summary, filter).counts };
  }
  const store = await openStore({ workspaceDir: options.workspaceDir, env: options.env, mustExist: true });
  if (!store) return { source: null, counts: [] };
  try {
    return { source: store.location, counts: (await readFigures(store, filter)).counts };
  } finally {
    await closeLedgerStore(store);
  }
}
