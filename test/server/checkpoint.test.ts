/**
 * Through the real server: its embedded database is checkpointed while it runs (PGlite never does so on
 * its own), so the write-ahead log that a burst of decisions leaves is recycled instead of kept until
 * the server stops, and a crash would replay only what came after the last checkpoint.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, exampleCopy, removeDir, startInProcess, type InProcess } from './helpers.js';

const QUESTION = { datasets: ['driver-trajectories'], recipient: 'acme-gmbh', purpose: 'driving-behaviour study', time: '2026-10-01', persons: 10, sensitivePersons: 10 };

describe('the server checkpoints its embedded database', () => {
  let s: InProcess;
  let dir: string;
  const events: { event?: string; walBytes?: number; ms?: number }[] = [];
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
    expect(s.server.core.checkpointer!.current()).toMatchObject({ failed: null, lastAt: expect.any(String) });

    // The decisions are all there, and health has nothing to report.
    const health = await s.request('GET', '/v1/health', { token: s.tokens.viewer });
    expect(health.body).toMatchObject({ status: 'ok', problems: [] });
    const verify = await s.server.core.log!.verify();
    expect(verify).toMatchObject({ intact: true, entries: 1000 });
  });
});
