/**
 * PGlite never checkpoints while it is open (a single-user PostgreSQL has no checkpointer), so a
 * long-running owner's write-ahead log grew without bound. The checkpointer (src/store/pglite-checkpoint.ts)
 * checkpoints on PostgreSQL's own two triggers (log size, time with writes), and after a checkpoint no
 * log segment from before its redo point is left in pg_wal. Before each checkpoint it vacuums (PGlite
 * runs no autovacuum either): rows are frozen, so transaction ids cannot wrap around, and the space
 * retention frees is reused.
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

/** Statements on `store`; those `refused` names fail with `message` until `allow()`. */
function refusing(store: Store, refused: (sql: string) => boolean, message: string): { statement: RunStatement; allow: () => void } {
  let on = true;
  const statement: RunStatement = async (sql) => {
    if (on && refused(sql)) throw new Error(message);
    return store.query(sql);
  };
  return { statement, allow: () => void (on = false) };
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

  it('a vacuum before each checkpoint freezes the rows (transaction ids cannot wrap around) and makes the space retention frees reusable', async () => {
    const store = await open(true);
    try {
      const age = async () => Number((await store.query<{ a: number }>('SELECT age(datfrozenxid) AS a FROM pg_database WHERE datname = current_database()'))[0]!.a);
      const size = async () => Number((await store.query<{ b: number }>("SELECT pg_relation_size('wal_probe') AS b"))[0]!.b);
      // 200 transactions of rows (a batch of decisions is one), then removed, as retention removes them.
      const fill = async () => {
        for (let i = 0; i < 200; i++) await store.query("INSERT INTO wal_probe VALUES (repeat('r', 1500))");
      };
      await fill();
      await store.query('DELETE FROM wal_probe');
      expect(await age()).toBeGreaterThanOrEqual(200);
      // Without the vacuum (PGlite runs no autovacuum): the age only grows, and new rows take new space.
      const bare = new WalCheckpointer(run(store), { maxWalBytes: 1, vacuum: false });
      expect(await bare.tick()).toBe(true);
      expect(await age()).toBeGreaterThanOrEqual(200);
      const before = await size();
      await fill();
      const grown = await size();
      expect(grown).toBeGreaterThan(before);
      await store.query('DELETE FROM wal_probe');

      const done: { vacuumMs: number | null; xidAge: number; failed: string | null }[] = [];
      const checkpointer = new WalCheckpointer(run(store), { maxWalBytes: 1 }, Date.now, (d) => done.push(d));
      expect(await checkpointer.tick()).toBe(true);
      expect(done[0]).toMatchObject({ vacuumMs: expect.any(Number), failed: null });
      expect(await age()).toBeLessThan(5);
      expect(checkpointer.current()).toMatchObject({ failed: null, vacuumFailed: null });
      expect(checkpointer.current().xidAge).toBeLessThan(5);
      // The space the deleted rows held is used again (the rows of one fill, not of three).
      await fill();
      expect(await size()).toBeLessThanOrEqual(before);
    } finally {
      await store.close();
    }
  });

  it('checkpoints (and vacuums) a database whose oldest unfrozen transaction passes the age limit, whatever the log size and time', async () => {
    const store = await open(true);
    try {
      const look = new WalCheckpointer(run(store), { maxWalBytes: 1024 * MB, maxAgeMs: 3_600_000, maxXidAge: 1_000_000 });
      expect(await look.tick()).toBe(false);
      const limit = look.current().xidAge + 30;
      const checkpointer = new WalCheckpointer(run(store), { maxWalBytes: 1024 * MB, maxAgeMs: 3_600_000, maxXidAge: limit });
      for (let i = 0; i < 20; i++) await store.query("INSERT INTO wal_probe VALUES ('x')");
      expect(await checkpointer.tick()).toBe(false);
      for (let i = 0; i < 20; i++) await store.query("INSERT INTO wal_probe VALUES ('x')");
      expect(await checkpointer.tick()).toBe(true);
      expect(checkpointer.current().xidAge).toBeLessThan(5);

      // Past the limit again, without a vacuum that could lower the age: no checkpoint at every look.
      for (let i = 0; i < 40; i++) await store.query("INSERT INTO wal_probe VALUES ('x')");
      let clock = 1_000_000;
      expect(await new WalCheckpointer(run(store), { maxWalBytes: 1024 * MB, maxAgeMs: 60_000, maxXidAge: 30, vacuum: false }, () => clock).tick()).toBe(false);
      // With its vacuum failing: once, then only when the time limit has passed again.
      const { statement } = refusing(store, (sql) => sql.startsWith('VACUUM'), 'could not extend file: No space left on device');
      const failing = new WalCheckpointer(statement, { maxWalBytes: 1024 * MB, maxAgeMs: 60_000, maxXidAge: 30 }, () => clock);
      expect(await failing.tick()).toBe(true);
      expect(failing.current().vacuumFailed).toMatch(/No space/);
      expect(await failing.tick()).toBe(false);
      clock += 60_000;
      expect(await failing.tick()).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('a vacuum that fails is reported apart (the checkpoint still runs), and cleared by the next that succeeds', async () => {
    const store = await open(true);
    try {
      const done: { failed: string | null; error: Error | null }[] = [];
      const { statement, allow } = refusing(store, (sql) => sql.startsWith('VACUUM'), 'could not write block 7 of relation base/5/16384: No space left on device');
      const checkpointer = new WalCheckpointer(statement, { maxWalBytes: 1 }, Date.now, (d) => done.push(d));
      await store.query("INSERT INTO wal_probe VALUES ('x')");
      expect(await checkpointer.tick()).toBe(true);
      expect(checkpointer.current()).toMatchObject({ failed: null, vacuumFailed: expect.stringMatching(/No space left/) });
      expect(done[0]).toMatchObject({ failed: 'vacuum', error: expect.any(Error) });
      allow();
      await store.query("INSERT INTO wal_probe VALUES ('y')");
      expect(await checkpointer.tick()).toBe(true);
      expect(checkpointer.current()).toMatchObject({ failed: null, vacuumFailed: null });
    } finally {
      await store.close();
    }
  });

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
      const errors: (Error | null)[] = [];
      const { statement, allow } = refusing(store, (sql) => sql === 'CHECKPOINT', 'could not fsync file "base/5/16384": Input/output error');
      const checkpointer = new WalCheckpointer(statement, { maxWalBytes: 1, maxAgeMs: 3_600_000 }, Date.now, ({ error }) => errors.push(error));
      await store.query("INSERT INTO wal_probe VALUES ('x')");
      expect(await checkpointer.tick()).toBe(false);
      expect(checkpointer.current().failed).toMatch(/Input\/output error/);
      expect(errors[0]?.message).toMatch(/fsync/);
      allow();
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
      const errors: (Error | null)[] = [];
      const { statement, allow } = refusing(store, (sql) => sql !== 'CHECKPOINT', 'the database thread stopped');
      const checkpointer = new WalCheckpointer(statement, { maxWalBytes: 1, maxAgeMs: 3_600_000 }, Date.now, ({ error }) => errors.push(error));
      await store.query("INSERT INTO wal_probe VALUES ('x')");
      checkpointer.start(10);
      try {
        await eventually(() => checkpointer.current().failed ?? undefined);
        expect(checkpointer.current().failed).toMatch(/thread stopped/);
        expect(errors[0]?.message).toMatch(/thread stopped/);
        allow();
        await eventually(() => (checkpointer.current().failed === null && errors.includes(null) ? true : undefined));
      } finally {
        await checkpointer.stop();
      }
    } finally {
      await store.close();
    }
  });
});
