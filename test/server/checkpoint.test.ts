/**
 * Through the real server: its embedded database is checkpointed while it runs (PGlite never does so on
 * its own), so the write-ahead log that a burst of decisions leaves is recycled instead of kept until
 * the server stops, and a crash would replay only what came after the last checkpoint. Each checkpoint
 * is preceded by a vacuum that freezes the rows written since (no autovacuum runs in PGlite).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/app.js';
import { HMAC_KEY, eventually, exampleCopy, removeDir, startInProcess, type InProcess } from './helpers.js';

const QUESTION = { datasets: ['driver-trajectories'], recipient: 'acme-gmbh', purpose: 'driving-behaviour study', time: '2026-10-01', persons: 10, sensitivePersons: 10 };

describe('the server checkpoints its embedded database', () => {
  let s: InProcess;
  let dir: string;
  const events: { event?: string; walBytes?: number; ms?: number; vacuumMs?: number }[] = [];
  beforeAll(async () => {
    dir = exampleCopy();
    s = await startInProcess(dir, {
      logLevel: 'info',
      logStream: { write: (line: string) => void events.push(JSON.parse(line)) },
      checkpoint: { maxWalBytes: 256 * 1024, everyMs: 50 },
    });
  });
  afterAll(async () => {
    await s?.close();
    removeDir(dir);
  });

  const redo = async () => {
    const [r] = await s.server.core.db.query<{ lsn: string; file: string }>('SELECT redo_lsn::text AS lsn, pg_walfile_name(redo_lsn) AS file FROM pg_control_checkpoint()');
    return r!;
  };

  it('after a burst of decisions, the log is checkpointed and no segment before the redo point is left', async () => {
    const start = await redo();
    const before = events.length; // a new database is checkpointed at start: its creation wrote more than the size
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: QUESTION, headers: { prefer: 'return=minimal' } })));
      expect(answers.every((a) => a.status === 200)).toBe(true);
    }
    const checkpoint = await eventually(() => events.slice(before).find((e) => e.event === 'database-checkpoint' && (e.walBytes ?? 0) >= 256 * 1024));
    expect(checkpoint.ms).toEqual(expect.any(Number));
    const after = await redo();
    expect(after.lsn).not.toBe(start.lsn);
    const dataDir = s.server.core.db.store.dataDir!;
    const files = readdirSync(join(dataDir, 'pg_wal')).filter((f) => /^[0-9A-F]{24}$/.test(f));
    expect(files.every((f) => f >= after.file)).toBe(true);
    expect(s.server.core.checkpointer!.current()).toMatchObject({ failed: null, vacuumFailed: null, lastAt: expect.any(String) });
    // Vacuumed before it: the rows are frozen (each batch of decisions was a transaction; the age counts those since).
    expect(checkpoint.vacuumMs).toEqual(expect.any(Number));
    const [frozen] = await s.server.core.db.query<{ age: number; batches: number }>(
      'SELECT (SELECT age(datfrozenxid) FROM pg_database WHERE datname = current_database()) AS age, (SELECT count(*)::int FROM server_decision_batches) AS batches',
    );
    expect(Number(frozen!.age)).toBeLessThan(Number(frozen!.batches));

    // The decisions are all there, and health has nothing to report.
    const health = await s.request('GET', '/v1/health', { token: s.tokens.viewer });
    expect(health.body).toMatchObject({ status: 'ok', problems: [] });
    const verify = await s.server.core.log!.verify();
    expect(verify).toMatchObject({ intact: true, entries: 1000 });
  });
});

describe('retention on the embedded database', () => {
  it('removes the decisions beyond the retention at start, then vacuums the log\'s tables with their indexes', async () => {
    const dir = exampleCopy();
    try {
      // Decided in 2021; the example keeps the log three years.
      const first = await startInProcess(dir, { now: () => new Date('2021-06-01T00:00:00.000Z') });
      for (let i = 0; i < 5; i++) expect((await first.request('POST', '/v1/decisions', { token: first.tokens.gateway, body: QUESTION })).status).toBe(200);
      await first.close();
      const events: { event?: string; removed?: number; vacuumMs?: number | null }[] = [];
      const later = await createServer({
        workspace: dir,
        watch: false,
        port: 0,
        env: { CHUJING_HMAC_KEY: HMAC_KEY },
        now: () => new Date('2026-11-01T00:00:00.000Z'),
        logLevel: 'info',
        logStream: { write: (line: string) => void events.push(JSON.parse(line)) },
      });
      try {
        const pruned = events.find((e) => e.event === 'decision-log-pruned');
        expect(pruned).toMatchObject({ removed: 5, vacuumMs: expect.any(Number) });
        expect(events.some((e) => e.event === 'decision-log-vacuum-failed')).toBe(false);
        expect(await later.core.log!.verify()).toMatchObject({ intact: true, entries: 0, baseSeq: 5 });
        expect(await later.core.log!.counts()).toEqual({ allow: 0, deny: 0 });
      } finally {
        await later.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});
