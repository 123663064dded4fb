/**
 * How the decision log's storage behaves as the log grows, on the embedded database (no autovacuum):
 * - the index that finds a decision by id (GIN on server_decision_batches.ids) keeps its pending list
 *   short (migration 23): with GIN's default limit of 4 MB, the insert that passed it merged some
 *   80,000 ids at once (half a second under load, every decision waiting), and every lookup scanned
 *   the whole list;
 * - retention's cleanup of judgements reads the batches once, whatever the number of judgements:
 *   written as a correlated `= ANY(...)`, it scanned the batches once per judgement, inside the
 *   transaction that holds the log's head (11 s at 100,000 batches and 1,000 judgements).
 * Held by what the database reports (pages queued, the plan's rows), never by a time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DELETE_UNREFERENCED_JUDGEMENTS } from '../../src/server/decision-log.js';
import { openStore, type Store } from '../../src/store/index.js';
import { removeDir } from './helpers.js';

interface PlanNode {
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Join Filter'?: number;
  Plans?: PlanNode[];
}

/** Rows every node of the plan produced or filtered away, over all its loops: the work done. */
function rowsTouched(node: PlanNode): number {
  const own = (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1) + (node['Rows Removed by Join Filter'] ?? 0);
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsTouched(child), 0);
}

describe('the decision log as it grows, on the embedded database', { timeout: 5 * 60_000 }, () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chujing-log-storage-'));
    store = (await openStore({ workspaceDir: dir, env: {} }))!;
  });
  beforeEach(async () => {
    await store.exec('TRUNCATE server_decision_batches, server_decision_judgements');
  });
  afterAll(async () => {
    await store.close();
    removeDir(dir);
  });

  /** Batch rows from a SELECT over `g` (one row per g): their seq, ids and judgements as SQL expressions. */
  const insertBatches = (rows: { from: string; seq: string; ids: string; judgements: string; count: number }) =>
    store.exec(`INSERT INTO server_decision_batches (first_seq, last_seq, earliest_at, latest_at, ids, callers, judgements, allowed, denied, prev_hash, last_hash, entries)
      SELECT ${rows.seq}, ${rows.seq} + ${rows.count - 1}, 'a', 'b', ${rows.ids}, ARRAY['token:t'], ${rows.judgements}, ${rows.count}, 0, '\\x00', '\\x00', '[]' ${rows.from}`);

  it('the id index merges its pending list at 64 kB: 4,800 ids leave at most 8 pages queued (31 with the default)', async () => {
    const index = await store.query<{ reloptions: string[] }>("SELECT reloptions FROM pg_class WHERE relname = 'server_decision_batches_ids'");
    expect(index[0]?.reloptions).toContain('gin_pending_list_limit=64');
    // 400 batches of 12 decisions, one insert each, as the decision log writes them.
    for (let b = 0; b < 400; b++) {
      await insertBatches({ from: '', seq: String(b * 12 + 1), ids: `ARRAY(SELECT 'dec-' || md5(${b} || '-' || k) FROM generate_series(1, 12) k)`, judgements: 'ARRAY[]::bytea[]', count: 12 });
    }
    const cleaned = await store.query<{ pages: number }>("SELECT gin_clean_pending_list('server_decision_batches_ids'::regclass) AS pages");
    expect(Number(cleaned[0]?.pages)).toBeLessThanOrEqual(8);
    // Each id is still found.
    const found = await store.query<{ first_seq: number }>("SELECT first_seq FROM server_decision_batches WHERE ids @> ARRAY['dec-' || md5('399-12')]");
    expect(found.map((r) => Number(r.first_seq))).toEqual([399 * 12 + 1]);
  });

  describe('retention: the judgements no decision refers to', () => {
    const BATCHES = 3000;
    const JUDGEMENTS = 300;
    beforeEach(async () => {
      // Each judgement is shared by a run of consecutive batches, as a gate's repeated question is.
      await store.exec(`INSERT INTO server_decision_judgements SELECT decode(md5('j' || g), 'hex'), '{}' FROM generate_series(1, ${JUDGEMENTS}) g`);
      await insertBatches({
        from: `FROM generate_series(1, ${BATCHES}) g`,
        seq: 'g',
        ids: "ARRAY['dec-' || md5(g::text)]",
        judgements: `ARRAY[decode(md5('j' || (1 + ((g - 1) * ${JUDGEMENTS}) / ${BATCHES})), 'hex')]`,
        count: 1,
      });
    });

    it('reads the batches once, not once per judgement', async () => {
      await store.exec('BEGIN');
      try {
        const [row] = await store.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${DELETE_UNREFERENCED_JUDGEMENTS}`);
        const touched = rowsTouched(row!['QUERY PLAN'][0].Plan);
        // One pass: a few rows per batch and per judgement. Once per judgement: about 150 per batch here.
        expect(touched).toBeLessThan(10 * (BATCHES + JUDGEMENTS));
      } finally {
        await store.exec('ROLLBACK');
      }
    });

    it('still removes exactly the judgements no batch refers to', async () => {
      await store.exec(`INSERT INTO server_decision_judgements VALUES (decode(md5('orphan'), 'hex'), '{}')`);
      await store.exec('BEGIN');
      try {
        const removed = await store.query<{ digest: Buffer }>(`${DELETE_UNREFERENCED_JUDGEMENTS} RETURNING digest`);
        expect(removed.map((r) => Buffer.from(r.digest).toString('hex'))).toEqual([(await store.query<{ h: string }>("SELECT md5('orphan') AS h"))[0]!.h]);
      } finally {
        await store.exec('ROLLBACK');
      }
    });
  });
});
