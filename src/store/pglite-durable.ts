/**
 * Makes PGlite's commits reach the disk before they are acknowledged.
 *
 * PostgreSQL flushes the write-ahead log at every commit (synchronous_commit = on) with `fdatasync`, its
 * default `wal_sync_method` on Linux, and flushes data files at a checkpoint with `fsync`. PGlite's
 * WebAssembly build keeps both settings, but neither call reaches the disk (measured with strace: 2,100
 * commits, 6,123 pwrite, no fsync):
 * - `fdatasync` is a stub in its Emscripten glue that returns 0;
 * - `fsync` asks the file system for `stream_ops.fsync`, which Emscripten's Node file system (NODEFS,
 *   where the data folder is mounted) does not define, so it also returns 0.
 * A committed transaction was then in the operating system's cache only: it survived kill -9, not a power
 * loss. PGlite's settings are not read from postgresql.conf (its single-user start ignores the file), so
 * the method cannot be changed either; the calls themselves are made real here.
 *
 * Hand-written because no library or PGlite option does it. It relies on two Emscripten names of the
 * PGlite build package-lock.json pins (0.3.16): the `__syscall_fdatasync` import and
 * `FS.filesystems.NODEFS`. The extension refuses to start a PGlite without either, so an upgrade cannot
 * silently drop durability, and test/ledger/pglite-durable.test.ts holds that each commit syncs the log.
 */
import { closeSync, fdatasyncSync, fsyncSync, openSync } from 'node:fs';
import type { Extension } from '@electric-sql/pglite';

/** The parts of Emscripten's FS used here (its module is untyped). */
interface EmStream {
  nfd?: number;
  node: { mode: number; mount?: { type?: unknown } };
}
interface EmFs {
  getStream(fd: number): EmStream | undefined;
  isDir(mode: number): boolean;
  ErrnoError: new (errno: number) => Error;
  filesystems: { NODEFS?: { realPath(node: EmStream['node']): string; stream_ops: { fsync?: (s: EmStream) => number } } };
}
interface EmModule {
  FS: EmFs;
  preRun?: Array<(m: EmModule) => void> | ((m: EmModule) => void);
  instantiateWasm?: (imports: { env: Record<string, unknown> }, done: unknown) => unknown;
}

/** Emscripten's errno numbers (its own numbering, not Linux's). */
const EM_EIO = 29;
const EM_EBADF = 8;

/** Syncs this process has made for PGlite, by kind: tests read them (each thread counts its own). */
export const pgliteSyncs = { log: 0, files: 0, folders: 0 };

function syncStream(fs: EmFs, stream: EmStream, dataOnly: boolean, skip: boolean): void {
  if (skip) return;
  if (typeof stream.nfd === 'number') {
    if (dataOnly) {
      fdatasyncSync(stream.nfd);
      pgliteSyncs.log++;
    } else {
      fsyncSync(stream.nfd);
      pgliteSyncs.files++;
    }
    return;
  }
  // A folder (PostgreSQL syncs pg_wal and the data folder after creating or renaming a file in it).
  // NODEFS opens no host descriptor for folders; open one. Other file systems (memory://) have nothing to sync.
  const nodefs = fs.filesystems.NODEFS!;
  if (stream.node.mount?.type === nodefs && fs.isDir(stream.node.mode)) {
    let fd: number;
    try {
      fd = openSync(nodefs.realPath(stream.node), 'r');
    } catch (e) {
      // As PostgreSQL's own fsync_fname: a platform that cannot open or sync a folder (Windows) is not an error.
      if (FOLDER_UNSUPPORTED.has((e as NodeJS.ErrnoException).code ?? '')) return;
      throw e;
    }
    try {
      fsyncSync(fd);
    } catch (e) {
      if (!FOLDER_UNSUPPORTED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    } finally {
      closeSync(fd);
    }
    pgliteSyncs.folders++;
  }
}

/** The errors PostgreSQL's fsync_fname ignores for a folder (fd.c), and Windows' for opening one. */
const FOLDER_UNSUPPORTED = new Set(['EBADF', 'EINVAL', 'EACCES', 'EISDIR', 'EPERM']);

/**
 * A PGlite extension (it loads no SQL) that makes `fdatasync` and `fsync` real. A failed sync answers
 * EIO, so PostgreSQL refuses the commit (and, for data files, stops: data_sync_retry = off), never
 * acknowledging what may be lost.
 *
 * `creating`: a new database in its temporary folder (pglite.ts) syncs nothing while PostgreSQL builds it
 * (2,400 syncs, about a second), because nothing there is used before it is whole; its creator syncs the
 * folder once (`syncTree`, about 0.3 s) before renaming it into place.
 */
export function durability(options: { creating?: boolean } = {}): Extension {
  const skip = options.creating === true;
  return {
    name: 'chujing-durability',
    setup: async (_pg, emscriptenOpts: EmModule) => {
      let fs: EmFs | undefined;
      const original = emscriptenOpts.preRun;
      const preRun = [...(Array.isArray(original) ? original : original ? [original] : [])];
      preRun.push((m) => {
        fs = m.FS;
        const nodefs = fs.filesystems.NODEFS;
        if (!nodefs?.stream_ops) throw new Error('PGlite durability: this PGlite has no NODEFS file system to sync');
        nodefs.stream_ops.fsync = (stream) => {
          try {
            syncStream(m.FS, stream, false, skip);
          } catch {
            throw new m.FS.ErrnoError(EM_EIO);
          }
          return 0;
        };
      });
      const instantiate = emscriptenOpts.instantiateWasm;
      if (!instantiate) throw new Error('PGlite durability: this PGlite does not instantiate its module itself');
      return {
        emscriptenOpts: {
          ...emscriptenOpts,
          preRun,
          instantiateWasm: (imports: { env: Record<string, unknown> }, done: unknown) => {
            if (typeof imports.env.__syscall_fdatasync !== 'function') throw new Error('PGlite durability: this PGlite has no fdatasync to replace');
            const fdatasync = (fd: number) => {
              const stream = fs!.getStream(fd);
              if (!stream) return -EM_EBADF;
              try {
                syncStream(fs!, stream, true, skip);
                return 0;
              } catch {
                return -EM_EIO;
              }
            };
            // Emscripten's dynamic linker reads an import's signature from `.sig`, as on the stub.
            imports.env.__syscall_fdatasync = Object.assign(fdatasync, { sig: 'ii' });
            return instantiate(imports, done);
          },
        },
      };
    },
  };
}
