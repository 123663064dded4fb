/**
 * Retention's cleanup of judgements reads the decision log's batches once, whatever the number of
 * judgements: written as a correlated `= ANY(...)`, it scanned the batches once per judgement, inside
 * the transaction that holds the log's head (11 s at 100,000 batches and 1,000 judgements, every
 * decision waiting). Held by the work the plan reports (EXPLAIN ANALYZE), not by a time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('retention: the judgements no decision refers to', { timeout: 5 * 60_000 }, () => {
  const BATCHES = 3000;
  const JUDGEMENTS = 300;
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chujing-prune-scale-'));
    store = (await openStore({ workspaceDir: dir, env: {} }))!;
    // Each judgement is shared by a run of consecutive batches, as a gate's repeated question is.
    await store.exec(`INSERT INTO server_decision_judgements SELECT decode(md5('j' || g), 'hex'), '{}' FROM generate_series(1, ${JUDGEMENTS}) g`);
    await store.exec(`INSERT INTO server_decision_batches (first_seq, last_seq, earliest_at, latest_at, ids, callers, judgements, allowed, denied, prev_hash, last_hash, entries)
      SELECT g, g, 'a', 'b', ARRAY['dec-' || md5(g::text)], ARRAY['token:t'], ARRAY[decode(md5('j' || (1 + ((g - 1) * ${JUDGEMENTS}) / ${BATCHES})), 'hex')], 1, 0, '\\x00', '\\x00', '[]'
      FROM generate_series(1, ${BATCHES}) g`);
  });
  afterAll(async () => {
    await store.close();
    removeDir(dir);
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
