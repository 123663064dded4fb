/**
 * De-duplication of a planned transfer against the ledger: how many of its persons are NOT yet in the
 * organisation's distinct set for the year (what it would add, CNT-1/CNT-2). Read-only: the hashes go
 * to a temporary table that is dropped at the end of the transaction; nothing permanent is written.
 */
import type { Queryable } from '../store/index.js';
import { categoryOfCode, perCategory, type PerCategory } from './categories.js';
import { RECORD_BYTES, type HashSource } from './hash-batches.js';
import { STAGING_COPY, STAGING_CREATE, STAGING_INSERT, stagingCsv } from './sql.js';

export interface PlannedTransferHashes {
  transferId: string;
  organization: string;
  year: number;
  hashes: HashSource;
}

export async function newPersonsOf(tx: Queryable, planned: Omit<PlannedTransferHashes, 'transferId'>): Promise<PerCategory<number>> {
  await tx.exec(STAGING_CREATE);
  await tx.exec('TRUNCATE ledger_staging');
  for await (const batch of planned.hashes) {
    if (tx.copyFromCsv) await tx.copyFromCsv(STAGING_COPY, stagingCsv(batch, RECORD_BYTES));
    else await tx.query(STAGING_INSERT, [batch, batch.length / RECORD_BYTES]);
  }
  const rows = await tx.query<{ category: number; n: number }>(
    `SELECT s.category, count(DISTINCT s.hash)::int8 AS n FROM ledger_staging s
     WHERE NOT EXISTS (SELECT 1 FROM ledger_person_hashes h
       WHERE h.organization = $1 AND h.year = $2 AND h.category = s.category AND h.hash = s.hash)
     GROUP BY s.category`,
    [planned.organization, planned.year],
  );
  const out = perCategory(() => 0);
  for (const r of rows) {
    const c = categoryOfCode(Number(r.category));
    if (c) out[c] = Number(r.n);
  }
  await tx.exec('TRUNCATE ledger_staging');
  return out;
}

