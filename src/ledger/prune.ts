/**
 * Retention (SEC-LOG-1): entries must be kept at least `settings.logRetentionYears` (default 3) years.
 * Pruning removes the oldest part of each chain — never an entry younger than the retention — and
 * writes a signed checkpoint (checkpoint.ts) so the remaining chain still verifies and the counts of
 * years still in retention stay exact (their person hashes are kept even if the entry that added them
 * is pruned; only hashes of whole years before the cut-off year are dropped).
 */
import type { KeyObject } from 'node:crypto';
import { ChujingError } from '../errors.js';
import { addYears, isIsoDate } from '../model/dates.js';
import type { Store } from '../store/index.js';
import { categoryOfCode } from './categories.js';
import { serialiseCheckpoint, signCheckpoint, type CheckpointBody } from './checkpoint.js';
import { chinaDate } from './entry.js';
import { keyFingerprint } from '../evidence/keyed-hash.js';
import { msg } from '../i18n/index.js';
import { invalidateSummary } from './summary.js';
import { setDigestSql } from './sql.js';
import { verifyOrganization } from './verify.js';

export interface PruneOptions {
  /** Remove entries dated (in China) before this day. */
  before: string;
  /** Today's date in China (passed in: no hidden clock). */
  today: string;
  retentionYears: number;
  key: KeyObject;
  organizations?: string[];
}

export interface PruneOutcome {
  organization: string;
  prunedEntries: number;
  lastSeq: number | null;
  droppedYears: number[];
}

/** The latest `before` that keeps every entry within the retention. */
export function earliestRetainedDate(today: string, retentionYears: number): string {
  return addYears(today, -retentionYears);
}

export async function pruneLedger(store: Store, options: PruneOptions): Promise<PruneOutcome[]> {
  if (!isIsoDate(options.before)) throw new ChujingError('bad-input', msg('ledger.bad-date', { what: '--before', value: options.before }), [{ field: '--before', message: options.before, expected: msg('ledger.expected-date') }]);
  const earliest = earliestRetainedDate(options.today, options.retentionYears);
  if (options.before > earliest) {
    throw new ChujingError('bad-input', msg('ledger.prune-retention', { before: options.before, earliest, years: options.retentionYears }), [
      { field: '--before', message: msg('ledger.prune-within', { before: options.before }), expected: msg('ledger.prune-expected', { earliest }) },
    ]);
  }
  const orgs = options.organizations ?? (await store.query<{ organization: string }>('SELECT organization FROM ledger_chains ORDER BY 1')).map((r) => r.organization);
  const cutYear = Number(options.before.slice(0, 4));
  invalidateSummary(store);
  const out: PruneOutcome[] = [];
  for (const organization of orgs) {
    out.push(
      await store.transaction(async (tx) => {
        await tx.query('SELECT 1 FROM ledger_chains WHERE organization = $1 FOR UPDATE', [organization]);
        const check = await verifyOrganization(tx, organization, options.key);
        if (check.break) throw new ChujingError('integrity', msg('ledger.prune-broken', { organization }), [{ field: organization, message: check.break.detail }]);
        const entries = await tx.query<{ seq: number; occurred_at: string; entry_hash: Buffer }>(
          'SELECT seq, occurred_at, entry_hash FROM ledger_entries WHERE organization = $1 ORDER BY seq',
          [organization],
        );
        // Only a prefix of the chain can go: the chain must stay one unbroken line after the checkpoint.
        let n = 0;
        while (n < entries.length && chinaDate(entries[n]!.occurred_at) < options.before) n++;
        if (n === 0) return { organization, prunedEntries: 0, lastSeq: null, droppedYears: [] };
        const last = entries[n - 1]!;
        const lastSeq = Number(last.seq);
        const dropped = await tx.query<{ year: number; category: number; distinct_count: number }>(
          'SELECT year, category, distinct_count FROM ledger_counts WHERE organization = $1 AND year < $2 ORDER BY year, category',
          [organization, cutYear],
        );
        await tx.query('DELETE FROM ledger_person_hashes WHERE organization = $1 AND first_seq <= $2 AND year < $3', [organization, lastSeq, cutYear]);
        await tx.query(
          `UPDATE ledger_counts c SET distinct_count = (SELECT count(*) FROM ledger_person_hashes h
             WHERE h.organization = c.organization AND h.year = c.year AND h.category = c.category)
           WHERE c.organization = $1 AND c.year < $2`,
          [organization, cutYear],
        );
        await tx.query('DELETE FROM ledger_counts WHERE organization = $1 AND distinct_count = 0', [organization]);
        await tx.query('DELETE FROM ledger_days WHERE organization = $1 AND year < $2', [organization, cutYear]);
        await tx.query(
          `INSERT INTO ledger_days (organization, year, category, date, new_count)
           SELECT organization, year, category, first_date, count(*) FROM ledger_person_hashes WHERE organization = $1 AND year < $2 GROUP BY 1, 2, 3, 4`,
          [organization, cutYear],
        );
        const retained = await tx.query<{ year: number; category: number; n: number; digest: Buffer }>(
          setDigestSql('SELECT year, category, hash FROM ledger_person_hashes WHERE organization = $1 AND first_seq <= $2', ['year', 'category']),
          [organization, lastSeq],
        );
        const [prev] = await tx.query<{ signature: Buffer }>('SELECT signature FROM ledger_checkpoints WHERE organization = $1 ORDER BY last_seq DESC LIMIT 1', [organization]);
        const body: CheckpointBody = {
          v: 1,
          organization,
          lastSeq,
          lastHash: Buffer.from(last.entry_hash).toString('hex'),
          before: options.before,
          prunedAt: options.today,
          prunedEntries: n,
          previous: prev ? Buffer.from(prev.signature).toString('hex') : null,
          keyFingerprint: keyFingerprint(options.key),
          droppedCounts: dropped.map((r) => ({ year: Number(r.year), category: categoryOfCode(Number(r.category))!, count: Number(r.distinct_count) })),
          retained: retained
            .map((r) => ({ year: Number(r.year), category: categoryOfCode(Number(r.category))!, count: Number(r.n), digest: Buffer.from(r.digest).toString('hex') }))
            .sort((a, b) => a.year - b.year || a.category.localeCompare(b.category)),
        };
        const text = serialiseCheckpoint(body);
        await tx.query('INSERT INTO ledger_checkpoints (organization, last_seq, last_hash, body, signature) VALUES ($1, $2, $3, $4, $5)', [
          organization,
          lastSeq,
          Buffer.from(last.entry_hash),
          text,
          signCheckpoint(options.key, text),
        ]);
        await tx.query('DELETE FROM ledger_entries WHERE organization = $1 AND seq <= $2', [organization, lastSeq]);
        return { organization, prunedEntries: n, lastSeq, droppedYears: [...new Set(body.droppedCounts.map((d) => d.year))] };
      }),
    );
  }
  return out;
}
