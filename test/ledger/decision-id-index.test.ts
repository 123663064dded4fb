/**
 * The index that finds a decision by id (GIN on server_decision_batches.ids) keeps its pending list
 * short (migration 23): with GIN's default limit of 4 MB, the insert that passed it merged some 80,000
 * ids at once (half a second under load on the embedded database, where no autovacuum merges it
 * sooner), and every lookup scanned the whole list.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { removeDir } from '../server/helpers.js';

describe('the decision-id index on the embedded database', { timeout: 5 * 60_000 }, () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chujing-id-index-'));
    store = (await openStore({ workspaceDir: dir, env: {} }))!;
  });
  afterAll(async () => {
    await store.close();
    removeDir(dir);
  });

  it('merges its pending list at 64 kB: 4,800 ids leave at most 8 pages queued (31 with the default)', async () => {
    const index = await store.query<{ reloptions: string[] }>("SELECT reloptions FROM pg_class WHERE relname = 'server_decision_batches_ids'");
    expect(index[0]?.reloptions).toContain('gin_pending_list_limit=64');
    // 400 batches of 12 decisions, one insert each, as the decision log writes them.
    for (let b = 0; b < 400; b++) {
      await store.exec(`INSERT INTO server_decision_batches (first_seq, last_seq, earliest_at, latest_at, ids, callers, judgements, allowed, denied, prev_hash, last_hash, entries)
        SELECT ${b * 12 + 1}, ${b * 12 + 12}, 'a', 'b', ARRAY(SELECT 'dec-' || md5(${b} || '-' || k) FROM generate_series(1, 12) k), ARRAY['token:t'], ARRAY[]::bytea[], 12, 0, '\\x00', '\\x00', '[]'`);
    }
    const cleaned = await store.query<{ pages: number }>("SELECT gin_clean_pending_list('server_decision_batches_ids'::regclass) AS pages");
    expect(Number(cleaned[0]?.pages)).toBeLessThanOrEqual(8);
    // Each id is still found.
    const found = await store.query<{ first_seq: number }>("SELECT first_seq FROM server_decision_batches WHERE ids @> ARRAY['dec-' || md5('399-12')]");
    expect(found.map((r) => Number(r.first_seq))).toEqual([399 * 12 + 1]);
  });
});
