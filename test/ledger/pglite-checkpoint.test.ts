/**
 * PGlite never checkpoints while it is open (a single-user PostgreSQL has no checkpointer), so a
 * long-running owner's write-ahead log grew without bound. The checkpointer (src/store/pglite-checkpoint.ts)
 * checkpoints on PostgreSQL's own two triggers (log size, time with writes), and after a checkpoint no
 * log segment from before its redo point is left in pg_wal.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { pgliteThreadEntry } from '../../src/store/pglite-remote.js';
import { WalCheckpointer, type RunStatement } from '../../src/store/pglite-checkpoint.js';
import { eventually, removeDir } from '../server/helpers.js';

const MB = 1024 * 1024;

/** The last checkpoint's redo point, and the log segment file it is in. */
async function redo(store: Store): Promise<{ lsn: string; file: string }> {
  const [r] = await store.query<{ lsn: string; file: string }>('SELECT redo_lsn::text AS lsn, pg_walfile_name(redo_lsn) AS file FROM pg_control_checkpoint()');
  return r!;
}

/** The log segment files in pg_wal (24 hex digits each; same timeline, so names sort by position). */
function segments(store: Store): string[] {
  return readdirSync(join(store.dataDir!, 'pg_wal')).filter((f) => /^[0-9A-F]{24}$/.test(f)).sort();
}

/** Write about `mb` MB of log: rows of incompressible text, stored without compression. */
async function writeLog(store: Store, mb: number): Promise<void> {
  for (let i = 0; i < mb * 4; i++) await store.query("INSERT INTO wal_probe SELECT string_agg(md5(random()::text), '') FROM generate_series(1, 8192)");
}

describe('checkpoints of the embedded database', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => removeDir(d)));
  const open = async (inThread: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-checkpoint-'));
    dirs.push(dir);
    const store = (await openStore({ workspaceDir: dir, env: {}, inThread }))!;
    await store.exec("CREATE TABLE wal_probe (b text); ALTER TABLE wal_probe ALTER COLUMN b SET STORAGE EXTERNAL");
    return store;
  };
  const run = (store: Store): RunStatement => (sql) => store.query(sql);

  const modes = [{ inThread: false }, ...(pgliteThreadEntry() ? [{ inThread: true }] : [])];
  for (const { inThread } of modes) {
    it(`PGlite alone never moves its redo point; past the size, the checkpointer does and pg_wal keeps nothing older (${inThread ? 'worker thread' : 'own thread'})`, async () => {
      const store = await open(inThread);
      try {
        const start = await redo(store);
        await writeLog(store, 3);
        // The defect: 3 MB later, still the checkpoint of the start (the log before it cannot be recycled).
        expect((await redo(store)).lsn).toBe(start.lsn);
        expect(segments(store)[0]! <= start.file).toBe(true);

        const done: number[] = [];
        const checkpointer = new WalCheckpointer(run(store), { maxWalBytes: 2 * MB, maxAgeMs: 3_600_000 }, Date.now, ({ walBytes, error }) => {
          expect(error).toBeNull();
          done.push(walBytes);
        });
        expect(await checkpointer.tick()).toBe(true);
        expect(done[0]).toBeGreaterThanOrEqual(2 * MB);
        const after = await redo(store);
        expect(after.lsn).not.toBe(start.lsn);
        // Every segment before the new redo point was recycled or removed.
        expect(segments(store).every((f) => f >= after.file)).toBe(true);
        expect(checkpointer.current()).toMatchObject({ failed: null, lastAt: expect.any(String) });
        expect(checkpointer.current().walSinceCheckpoint).toBeLessThan(MB);

        // Under the size, and not yet old: nothing to do.
        await writeLog(store, 0.5);
        expect(await checkpointer.tick()).toBe(false);
        expect((await redo(store)).lsn).toBe(after.lsn);
      } finally {
        await store.close();
      }
    });
  }

  it('checkpoints after the time limit only if something was written since the last one', async () => {
    const store = await open(true);
    try {
      let clock = 1_000_000;
      const checkpointer = new WalCheckpointer(run(store), { maxWalBytes: 1024 * MB, maxAgeMs: 60_000 }, () => clock);
      expect(await checkpointer.tick()).toBe(false); // learns where the log is
      clock += 120_000;
      // Old, but nothing written: a checkpoint would only cost a sync.
      expect(await checkpointer.tick()).toBe(false);
      await store.query("INSERT INTO wal_probe VALUES ('one row')");
      expect(await checkpointer.tick()).toBe(true);
      // Right after: not old any more.
      await store.query("INSERT INTO wal_probe VALUES ('another')");
      expect(await checkpointer.tick()).toBe(false);
      clock += 60_000;
      expect(await checkpointer.tick()).toBe(true);
      clock += 60_000;
      expect(await checkpointer.tick()).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('reports a checkpoint that fails, tries again at the next look, and clears the report once one succeeds', async () => {
    const store = await open(true);
    try {
      let refuse = true;
      const errors: (Error | null)[] = [];
      const statement: RunStatement = async (sql) => {
        if (sql === 'CHECKPOINT' && refuse) throw new Error('could not fsync file "base/5/16384": Input/output error');
        return store.query(sql);
      };
      const checkpointer = new WalCheckpointer(statement, { maxWalBytes: 1, maxAgeMs: 3_600_000 }, Date.now, ({ error }) => errors.push(error));
      await store.query("INSERT INTO wal_probe VALUES ('x')");
      expect(await checkpointer.tick()).toBe(false);
      expect(checkpointer.current().failed).toMatch(/Input\/output error/);
      expect(errors[0]?.message).toMatch(/fsync/);
      refuse = false;
      expect(await checkpointer.tick()).toBe(true);
      expect(checkpointer.current().failed).toBeNull();
      expect(errors[1]).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('on its timer, a look at the log that fails is reported as a failed attempt, and cleared by the next checkpoint', async () => {
    const store = await open(true);
    try {
      let refuse = true;
      const errors: (Error | null)[] = [];
      const statement: RunStatement = async (sql) => {
        if (sql !== 'CHECKPOINT' && refuse) throw new Error('the database thread stopped');
        return store.query(sql);
      };
      const checkpointer = new WalCheckpointer(statement, { maxWalBytes: 1, maxAgeMs: 3_600_000 }, Date.now, ({ error }) => errors.push(error));
      await store.query("INSERT INTO wal_probe VALUES ('x')");
      checkpointer.start(10);
      try {
        await eventually(() => checkpointer.current().failed ?? undefined);
        expect(checkpointer.current().failed).toMatch(/thread stopped/);
        expect(errors[0]?.message).toMatch(/thread stopped/);
        refuse = false;
        await eventually(() => (checkpointer.current().failed === null && errors.includes(null) ? true : undefined));
      } finally {
        await checkpointer.stop();
      }
    } finally {
      await store.close();
    }
  });
});
