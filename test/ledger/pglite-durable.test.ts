/**
 * PGlite's commits reach the disk before they are acknowledged (src/store/pglite-durable.ts): its build
 * made `fdatasync` and `fsync` no-ops, so a commit lived in the operating system's cache only. Each
 * commit now syncs the write-ahead log once, on the caller's thread as in the server's database thread;
 * a read syncs nothing; a sync that fails refuses the commit instead of acknowledging it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { durability } from '../../src/store/pglite-durable.js';
import { pgliteThreadEntry } from '../../src/store/pglite-remote.js';
import { openStore } from '../../src/store/index.js';
import { removeDir } from '../server/helpers.js';

describe('PGlite commits are synced to disk', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => removeDir(d)));
  const modes = [{ inThread: false }, ...(pgliteThreadEntry() ? [{ inThread: true }] : [])];
  for (const { inThread } of modes) {
    it(`syncs the log once per commit, before the commit returns, and not for a read (${inThread ? 'worker thread' : 'own thread'})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'chujing-durable-'));
      dirs.push(dir);
      const store = (await openStore({ workspaceDir: dir, env: {}, inThread }))!;
      try {
        await store.exec('CREATE TABLE durable_probe (n int)');
        const before = await store.diskSyncs!();
        for (let i = 1; i <= 5; i++) {
          await store.query('INSERT INTO durable_probe VALUES ($1)', [i]);
          // Counted after fdatasync returned, on the database's thread, before the answer was sent.
          expect((await store.diskSyncs!()).log).toBe(before.log + i);
        }
        await store.transaction(async (tx) => {
          await tx.query('INSERT INTO durable_probe VALUES (6)');
          await tx.query('INSERT INTO durable_probe VALUES (7)');
        });
        expect((await store.diskSyncs!()).log).toBe(before.log + 6);
        await store.query('SELECT count(*) FROM durable_probe');
        expect((await store.diskSyncs!()).log).toBe(before.log + 6);
        // A checkpoint syncs the data files themselves (fsync, the other call PGlite left empty).
        await store.exec('CHECKPOINT');
        expect((await store.diskSyncs!()).files).toBeGreaterThan(before.files);
      } finally {
        await store.close();
      }
    });
  }

  /** Runs the extension's hooks on a stand-in for PGlite's Emscripten module, with one open stream. */
  async function hooked(stream: { nfd?: number; node: { mode: number } }) {
    const imports = { env: { __syscall_fdatasync: () => 0 } as Record<string, unknown> };
    const fakeFs = {
      getStream: (fd: number) => (fd === 3 ? stream : undefined),
      isDir: () => false,
      ErrnoError: class extends Error {},
      filesystems: { NODEFS: { realPath: () => '/', stream_ops: {} as { fsync?: (s: unknown) => number } } },
    };
    const { emscriptenOpts } = await durability().setup({} as never, { instantiateWasm: () => ({}) });
    emscriptenOpts.preRun.at(-1)({ FS: fakeFs });
    emscriptenOpts.instantiateWasm(imports, () => {});
    return { fdatasync: imports.env.__syscall_fdatasync as (fd: number) => number, fsync: fakeFs.filesystems.NODEFS.stream_ops.fsync! };
  }

  it('answers EIO when the disk refuses a sync, so PostgreSQL refuses the commit', async () => {
    // A descriptor the operating system does not know: fdatasync(2) fails as a failing disk would.
    const { fdatasync, fsync } = await hooked({ nfd: 2_000_000, node: { mode: 0o100600 } });
    expect(fdatasync(3)).toBe(-29);
    expect(fdatasync(4)).toBe(-8);
    expect(() => fsync({ nfd: 2_000_000, node: { mode: 0o100600 } })).toThrow();
  });

  it('refuses to start on a PGlite whose module it cannot hook, rather than run without syncs', async () => {
    const { emscriptenOpts } = await durability().setup({} as never, { instantiateWasm: () => ({}) });
    expect(() => emscriptenOpts.instantiateWasm({ env: {} }, () => {})).toThrow(/no fdatasync/);
    expect(() => emscriptenOpts.preRun.at(-1)({ FS: { filesystems: {} } })).toThrow(/NODEFS/);
    await expect(durability().setup({} as never, {})).rejects.toThrow(/instantiate/);
  });
});
