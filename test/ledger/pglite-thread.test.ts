/**
 * The embedded database in a worker thread (the server's way; src/store/pglite-remote.ts) behaves as
 * it does on the caller's own thread: statements, transactions that commit or roll back, COPY from CSV,
 * errors with their SQLSTATE (so callers and damage detection still tell them apart), and the lock and
 * summary on close. The worker is the compiled dist/store/pglite-thread.js (`npm run build`).
 */
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pgliteThreadEntry } from '../../src/store/pglite-remote.js';
import { openStore, pgliteExists } from '../../src/store/index.js';
import { isDamage } from '../../src/store/damage.js';
import { removeDir } from '../server/helpers.js';

const entry = pgliteThreadEntry();
if (!entry) {
  const line = 'pglite-thread.test.ts: skipped — dist/store/pglite-thread.js is not built (run `npm run build`)';
  if (process.env.CI === 'true') throw new Error(line);
  console.warn(line);
}

describe.skipIf(!entry)('PGlite in a worker thread', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => removeDir(d)));
  const open = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-thread-'));
    dirs.push(dir);
    return { dir, store: (await openStore({ workspaceDir: dir, env: {}, inThread: true }))! };
  };

  it('answers statements, commits and rolls back transactions, copies CSV, and keeps the driver\'s error codes', async () => {
    const { dir, store } = await open();
    expect(store.inThread).toBe(true);
    await store.exec('CREATE TABLE t (id int PRIMARY KEY, note text, b bytea)');
    await store.query("INSERT INTO t VALUES ($1, $2, decode($3, 'hex'))", [1, "it's", 'cafe']);
    expect(await store.query('SELECT id, note, b FROM t')).toEqual([{ id: 1, note: "it's", b: Buffer.from('cafe', 'hex') }]);
    // Without parameters the statement takes the simple protocol: RETURNING rows still come back.
    expect(await store.query("INSERT INTO t VALUES (2, 'two', NULL) RETURNING id")).toEqual([{ id: 2 }]);

    await store.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES (3, 'three', NULL)");
      expect((await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM t'))[0]!.n).toBe(3);
    });
    await expect(
      store.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (4, 'four', NULL)");
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await store.query<{ id: number }>('SELECT id FROM t ORDER BY id')).map((r) => r.id)).toEqual([1, 2, 3]);

    await store.transaction(async (tx) => tx.copyFromCsv!("COPY t (id, note) FROM '/dev/blob' WITH (FORMAT csv)", '5,"five, with a comma"\n6,six\n'));
    expect((await store.query<{ note: string }>('SELECT note FROM t WHERE id = 5'))[0]!.note).toBe('five, with a comma');

    // A constraint violation keeps its SQLSTATE across the thread, and is not taken for damage.
    const duplicate = await store.query('INSERT INTO t VALUES (1, NULL, NULL)').catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ code: '23505' });
    expect(isDamage(duplicate, 'pglite')).toBe(false);
    // A statement inside a failed transaction fails the transaction, as on the caller's thread.
    await expect(store.transaction((tx) => tx.query('SELEKT 1'))).rejects.toMatchObject({ code: '42601' });
    expect((await store.query<{ n: number }>('SELECT count(*)::int AS n FROM t'))[0]!.n).toBe(5);

    await store.close();
    // Closed: the lock is released and the database opens again (here on the caller's thread).
    expect(pgliteExists(dir)).toBe(true);
    const again = (await openStore({ workspaceDir: dir, env: {} }))!;
    expect(again.inThread).toBe(false);
    expect((await again.query<{ n: number }>('SELECT count(*)::int AS n FROM t'))[0]!.n).toBe(5);
    await again.close();
  });

  it('finds the compiled worker from the compiled, the bundled and the TypeScript modules', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    for (const from of ['dist/store/pglite.js', 'dist/bundle/chujing.js', 'dist/bundle/chunks/serve-ABC123.js', 'src/store/pglite-remote.ts']) {
      expect(pgliteThreadEntry(join(root, from))).toBe(join(root, 'dist', 'store', 'pglite-thread.js'));
    }
    // Outside the package: none (the caller then keeps PGlite on its own thread).
    const elsewhere = mkdtempSync(join(tmpdir(), 'chujing-nopkg-'));
    dirs.push(elsewhere);
    mkdirSync(join(elsewhere, 'a', 'b'), { recursive: true });
    expect(pgliteThreadEntry(join(elsewhere, 'a', 'b', 'x.js'))).toBeNull();
  });
});
