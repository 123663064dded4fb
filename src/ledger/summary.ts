/**
 * The ledger summary: what `assess` and `ledger stats` need (year-to-date new persons by China date,
 * every entry's summary, the running counts), kept in `.chujing/ledger-summary.json` beside the
 * embedded database so that they answer WITHOUT starting PGlite (3-4 s of CPU and 300 MB each time,
 * whatever the ledger's size; issue 9).
 *
 * Never trusted when stale. PostgreSQL rewrites `global/pg_control` when it starts and when it shuts
 * down, so the summary is stamped with a digest of that file taken after the database was CLOSED, while
 * the writer still holds the lock (store.closeThen). Any later opening of the database — a write, a
 * crash (kill -9) before the summary was rewritten, an SQL session by someone else, a restored backup —
 * changes pg_control, and a reader then finds the stamp different and opens the database instead (and
 * rewrites the summary when it closes). Writes also delete the summary first (belt and braces). The
 * summary names the chain heads it summarises, and `ledger verify` compares all of it with the database.
 *
 * With DATABASE_URL there is no file: the same figures are read from the summary tables (ledger_days,
 * ledger_counts) by SQL, which is cheap on a server that is already running.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerDay, LedgerEntrySummary } from '../engine/types.js';
import { CHUJING_DIR, writeFileAtomic, type Queryable, type Store } from '../store/index.js';
import { categoryOfCode } from './categories.js';
import { chinaDate } from './entry.js';
import { rowToEntry, type EntryRow } from './rows.js';
import { ENTRY_COLUMNS } from './sql.js';
import { yearToDateCounts, type YearToDate } from './stats.js';

export const SUMMARY_SCHEMA = 'chujing.ledger-summary/1';
export const SUMMARY_FILE = 'ledger-summary.json';

export interface ChainHead {
  organization: string;
  seq: number;
  hash: string;
}

/** Everything the summary holds, read from the database (also what verify compares). */
export interface LedgerFigures {
  heads: ChainHead[];
  counts: YearToDate[];
  /** Sorted by organisation, year, date. */
  days: LedgerDay[];
  /** In (organisation, seq) order. */
  entries: LedgerEntrySummary[];
}

export interface LedgerSummary extends LedgerFigures {
  schema: typeof SUMMARY_SCHEMA;
  /** Digest of the closed database's pg_control when the summary was written. */
  database: string;
}

export function summaryPath(workspaceDir: string): string {
  return join(workspaceDir, CHUJING_DIR, SUMMARY_FILE);
}

/** The state stamp of a closed PGlite database (null when there is none). */
export function databaseStamp(dataDir: string): string | null {
  const file = join(dataDir, 'global', 'pg_control');
  try {
    const st = statSync(file);
    return createHash('sha256').update(readFileSync(file)).update(`\n${st.size}\n${st.mtimeMs}\n${st.ino}`).digest('hex');
  } catch {
    return null;
  }
}

/** Forget the summary (before a write): absent means "open the database". */
export function invalidateSummary(store: Pick<Store, 'workspaceDir'>): void {
  if (store.workspaceDir) rmSync(summaryPath(store.workspaceDir), { force: true });
}

/** The summary file as it is, current or not (null when absent or unreadable). */
export function readSummaryFile(workspaceDir: string): LedgerSummary | null {
  try {
    const s = JSON.parse(readFileSync(summaryPath(workspaceDir), 'utf8')) as LedgerSummary;
    return s && s.schema === SUMMARY_SCHEMA ? s : null;
  } catch {
    return null;
  }
}

/** The summary when it describes the database as it is now; null when absent, unreadable or stale. */
export function readCurrentSummary(workspaceDir: string, dataDir: string): LedgerSummary | null {
  const s = readSummaryFile(workspaceDir);
  if (!s) return null;
  const stamp = databaseStamp(dataDir);
  return stamp !== null && s.database === stamp ? s : null;
}

function toSummary(e: ReturnType<typeof rowToEntry>): LedgerEntrySummary {
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
    forced: !!e.forced,
    // Format 2 entries know their own distinct persons; older ones only the identifiers read (with
    // repeats), which bound it from above (never lower a volume).
    volume: { ...(e.distinct ?? e.identifiersRead) },
  };
}

/** Read the figures from the database, optionally only some organisations and years. */
export async function readFigures(q: Queryable, filter: { organizations?: string[]; years?: number[] } = {}): Promise<LedgerFigures> {
  const orgs = filter.organizations ?? null;
  const years = filter.years ?? null;
  const dayRows = await q.query<{ organization: string; year: number; category: number; date: string; new_count: number }>(
    `SELECT organization, year, category, date, new_count FROM ledger_days
     WHERE ($1::text[] IS NULL OR organization = ANY($1::text[])) AND ($2::int[] IS NULL OR year = ANY($2::int[]))
     ORDER BY organization, year, date, category`,
    [orgs, years],
  );
  const days: LedgerDay[] = [];
  for (const r of dayRows) {
    let d = days[days.length - 1];
    if (!d || d.organization !== r.organization || d.year !== Number(r.year) || d.date !== r.date) {
      d = { organization: r.organization, year: Number(r.year), date: r.date, persons: 0, sensitivePersons: 0, chargingConsumptionPersons: 0, vehicles: 0 };
      days.push(d);
    }
    const c = categoryOfCode(Number(r.category));
    if (c) d[c] += Number(r.new_count);
  }
  const entryRows = await q.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM ledger_entries
     WHERE ($1::text[] IS NULL OR organization = ANY($1::text[])) AND ($2::int[] IS NULL OR year = ANY($2::int[]))
     ORDER BY organization, seq`,
    [orgs, years],
  );
  const heads = (
    await q.query<{ organization: string; head_seq: number; head_hash: Buffer }>(
      'SELECT organization, head_seq, head_hash FROM ledger_chains WHERE ($1::text[] IS NULL OR organization = ANY($1::text[])) ORDER BY organization',
      [orgs],
    )
  ).map((r) => ({ organization: r.organization, seq: Number(r.head_seq), hash: Buffer.from(r.head_hash).toString('hex') }));
  return { heads, counts: await yearToDateCounts(q, filter), days, entries: entryRows.map((r) => toSummary(rowToEntry(r))) };
}

/** Keep only some organisations and years of the figures (a summary holds them all). */
export function filterFigures(f: LedgerFigures, filter: { organizations?: string[]; years?: number[] }): LedgerFigures {
  const org = (o: string) => !filter.organizations || filter.organizations.includes(o);
  const year = (y: number) => !filter.years || filter.years.includes(y);
  return {
    heads: f.heads.filter((h) => org(h.organization)),
    counts: f.counts.filter((c) => org(c.organization) && year(c.year)),
    days: f.days.filter((d) => org(d.organization) && year(d.year)),
    entries: f.entries.filter((e) => org(e.organization) && year(e.year)),
  };
}

/**
 * Close a ledger store. For the embedded database, read the figures first, then close and stamp and
 * write the summary while this process still holds the lock. A failure to write the summary is not an
 * error of the command: the next reader simply opens the database.
 */
export async function closeLedgerStore(store: Store): Promise<void> {
  if (!store.closeThen || !store.dataDir || !store.workspaceDir) {
    await store.close();
    return;
  }
  let figures: LedgerFigures | null = null;
  try {
    figures = await readFigures(store);
  } catch {
    figures = null; // e.g. the transaction failed and the database is unusable: no summary
  }
  const { dataDir, workspaceDir } = store;
  await store.closeThen(() => {
    const stamp = databaseStamp(dataDir);
    if (!figures || !stamp) return;
    const summary: LedgerSummary = { schema: SUMMARY_SCHEMA, database: stamp, ...figures };
    try {
      writeFileAtomic(summaryPath(workspaceDir), JSON.stringify(summary));
    } catch {
      invalidateSummary({ workspaceDir });
    }
  });
}
