/**
 * Exact year-to-date distinct counts (CNT-1, CNT-2, CNT-3): per organisation, calendar year and
 * category, from the running counts kept in the same transaction as the person hashes.
 */
import type { Queryable } from '../store/index.js';
import { categoryOfCode, perCategory, type PerCategory } from './categories.js';

export interface YearToDate extends PerCategory<number> {
  organization: string;
  year: number;
  entries: number;
  records: number;
  bytes: number;
}

export async function yearToDateCounts(q: Queryable, filter: { organizations?: string[]; years?: number[] } = {}): Promise<YearToDate[]> {
  const orgs = filter.organizations ?? null;
  const years = filter.years ?? null;
  const counts = await q.query<{ organization: string; year: number; category: number; distinct_count: number }>(
    `SELECT organization, year, category, distinct_count FROM ledger_counts
     WHERE ($1::text[] IS NULL OR organization = ANY($1::text[])) AND ($2::int[] IS NULL OR year = ANY($2::int[]))`,
    [orgs, years],
  );
  const entries = await q.query<{ organization: string; year: number; n: number; records: number | null; bytes: number | null }>(
    `SELECT organization, year, count(*)::int8 AS n, sum(records)::int8 AS records, sum(bytes)::int8 AS bytes FROM ledger_entries
     WHERE ($1::text[] IS NULL OR organization = ANY($1::text[])) AND ($2::int[] IS NULL OR year = ANY($2::int[]))
     GROUP BY organization, year`,
    [orgs, years],
  );
  const out = new Map<string, YearToDate>();
  const get = (organization: string, year: number) => {
    const k = `${organization}\u0000${year}`;
    let v = out.get(k);
    if (!v) {
      v = { organization, year: Number(year), entries: 0, records: 0, bytes: 0, ...perCategory(() => 0) };
      out.set(k, v);
    }
    return v;
  };
  for (const r of counts) {
    const c = categoryOfCode(Number(r.category));
    if (c) get(r.organization, r.year)[c] = Number(r.distinct_count);
  }
  for (const r of entries) {
    const v = get(r.organization, r.year);
    v.entries = Number(r.n);
    v.records = Number(r.records ?? 0);
    v.bytes = Number(r.bytes ?? 0);
  }
  return [...out.values()].sort((a, b) => a.organization.localeCompare(b.organization) || a.year - b.year);
}

