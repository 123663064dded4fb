/**
 * Embedded back-end: PGlite (PostgreSQL compiled to WebAssembly) with its data in the workspace's
 * `.chujing/db/` folder. Single-process by nature, so it is opened only under the lock file.
 *
 * Creation is atomic (issue 14): PGlite's initdb writes dozens of files, and a process killed in the
 * middle left a folder that never opened again ("Aborted()"). The database is created in a temporary
 * folder beside the real one and renamed into place when complete, so `.chujing/db` either does not
 * exist or is a whole database. A database that still cannot be opened gives a clear message saying
 * what to do, never an internal error.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { ChujingError } from '../errors.js';
import { resolveInside } from '../model/paths.js';
import { msg, type Msg } from '../i18n/index.js';
import { normaliseRow, type Queryable, type Store } from './db.js';
import { asStoreError, StoreHealth } from './failure.js';
import { acquireLock, type LockRole } from './lock.js';
import { keepChujingParsers } from './pglite-parsers.js';
import { ensurePrivateDir, fsyncDir, privatiseTree, syncTree } from './private-fs.js';
import { durability, pgliteSyncs } from './pglite-durable.js';
import { pgliteThreadEntry, ThreadPglite } from './pglite-remote.js';

export const CHUJING_DIR = '.chujing';
const CREATING_PREFIX = 'db.creating-';

export function pgliteDataDir(workspaceDir: string): string {
  return join(workspaceDir, CHUJING_DIR, 'db');
}

export function pgliteLockFile(workspaceDir: string): string {
  return join(workspaceDir, CHUJING_DIR, 'db.lock');
}

export function pgliteExists(workspaceDir: string): boolean {
  return existsSync(join(pgliteDataDir(workspaceDir), 'PG_VERSION'));
}

interface PgliteLike {
  query<T>(sql: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
}

/**
 * `health`: where a failing database (a full disk) is recorded; statements report their success to it
 * too, except inside a transaction (`inTransaction`), where only the commit says the write reached the disk.
 */
function wrap(db: PgliteLike, location: string, health: StoreHealth, inTransaction = false): Queryable {
  // A damaged table file or a full disk answers exit 3 / HTTP 503 naming the database (damage.ts,
  // failure.ts), never an internal error.
  const fail = (e: unknown) => Promise.reject(asStoreError(e, 'pglite', location, health));
  const ok = inTransaction ? () => {} : (sql: string) => health.succeeded(sql);
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const r = await db.query<Record<string, unknown>>(sql, params).catch(fail);
      ok(sql);
      return r.rows.map((row) => normaliseRow<T>(row));
    },
    async exec(sql: string) {
      await db.exec(sql).catch(fail);
      ok(sql);
    },
    async copyFromCsv(sql: string, csv: string) {
      // `sql` must read FROM '/dev/blob': PGlite hands the blob to COPY as its input file.
      await db.query(sql, [], { blob: new Blob([csv]) }).catch(fail);
      ok(sql);
    },
  };
}

function unopenable(dir: string, e: unknown): ChujingError {
  const detail = (e as Error)?.message ?? String(e);
  return new ChujingError('database-unavailable', msg('store.cannot-open', { dir }), [
    { file: dir, message: msg('store.cannot-open-detail', { detail }), expected: msg('store.cannot-open-expected', { dir }) },
  ]);
}

/**
 * PGlite compiles its WebAssembly and unpacks its file bundle at every start. A process that opens the
 * database more than once (the server, the in-process test suite) compiles once and reuses the module:
 * measured about a third less CPU per later open. Falls back to PGlite's own loading if the files are
 * not where this version keeps them.
 */
type Assets = { options: Required<Pick<PGliteOptions, 'wasmModule' | 'fsBundle'>>; wasmModule: unknown; fsBundlePath: string };
// (node's WebAssembly global; the project's TypeScript lib has no DOM types for it)
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<Assets['options']['wasmModule']> } }).WebAssembly;
let assets: Promise<Assets | null> | null = null;
function pgliteAssets() {
  assets ??= (async () => {
    try {
      const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
      if (!resolve) return null;
      const dist = dirname(fileURLToPath(resolve('@electric-sql/pglite')));
      const wasmModule = await wasm.compile(readFileSync(join(dist, 'pglite.wasm')));
      const fsBundlePath = join(dist, 'pglite.data');
      return { options: { wasmModule, fsBundle: new Blob([readFileSync(fsBundlePath)]) }, wasmModule, fsBundlePath };
    } catch {
      return null;
    }
  })();
  return assets;
}

/** What pglite.ts uses of a PGlite instance: PGlite itself, or PGlite in a worker thread (pglite-remote.ts). */
type Database = Pick<PGlite, 'waitReady' | 'close'> & PgliteLike & { transaction<T>(fn: (tx: PgliteLike) => Promise<T>): Promise<T> };

async function start(dir: string, inThread = false, creating = false): Promise<Database> {
  let db: Database | undefined;
  try {
    const entry = inThread ? pgliteThreadEntry() : null;
    if (entry) {
      const assets = await pgliteAssets();
      db = new ThreadPglite(entry, { dataDir: dir, ...(assets ? { wasmModule: assets.wasmModule, fsBundlePath: assets.fsBundlePath } : {}) });
    } else {
      db = new PGlite(dir, { ...(await pgliteAssets())?.options, extensions: { durability: durability({ creating }) } });
    }
    await db.waitReady;
    if (db instanceof PGlite) keepChujingParsers(db);
    return db;
  } catch (e) {
    try {
      await db?.close();
    } catch {
      /* it never opened */
    }
    throw unopenable(dir, e);
  }
}

/** Create the database in a temporary folder and rename it into place when whole (we hold the lock). */
async function createAtomically(workspaceDir: string): Promise<void> {
  const parent = join(workspaceDir, CHUJING_DIR);
  // Left by a creator that was killed: never renamed, so never used; safe to remove under the lock.
  for (const name of readdirSync(parent)) if (name.startsWith(CREATING_PREFIX)) rmSync(join(parent, name), { recursive: true, force: true });
  const tmp = join(parent, `${CREATING_PREFIX}${process.pid}-${Date.now().toString(36)}`);
  ensurePrivateDir(tmp);
  const db = await start(tmp, false, true);
  await db.close();
  privatiseTree(tmp);
  syncTree(tmp);
  renameSync(tmp, pgliteDataDir(workspaceDir));
  fsyncDir(parent);
}

export interface OpenPgliteOptions {
  waitMs: number;
  role?: LockRole;
  url?: string;
  /** Told when a stale lock is taken over (the user is told so). */
  onNotice?: (notice: Msg) => void;
  /** Run the database in a worker thread (the server: its commits then run beside the HTTP work). */
  inThread?: boolean;
}

export async function openPglite(workspaceDir: string, options: OpenPgliteOptions): Promise<Store> {
  // A `.chujing` (or `.chujing/db`) that is a symlink leading out of the workspace is refused: the
  // ledger is never written through it somewhere else.
  for (const p of [CHUJING_DIR, join(CHUJING_DIR, 'db'), join(CHUJING_DIR, 'db.lock')]) resolveInside(workspaceDir, workspaceDir, p, { field: p });
  ensurePrivateDir(join(workspaceDir, CHUJING_DIR));
  const lock = await acquireLock(pgliteLockFile(workspaceDir), { waitMs: options.waitMs, role: options.role, url: options.url, ...(options.onNotice ? { onNotice: options.onNotice } : {}) });
  const onExit = () => lock.release();
  process.once('exit', onExit);
  const dataDir = pgliteDataDir(workspaceDir);
  let db: Database;
  try {
    if (!existsSync(dataDir)) await createAtomically(workspaceDir);
    db = await start(dataDir, options.inThread);
  } catch (e) {
    lock.release();
    process.off('exit', onExit);
    throw e;
  }
  const location = `pglite:${dataDir}`;
  const health = new StoreHealth();
  const q = wrap(db, location, health);
  let closed = false;
  const closeThen = async (fn: () => void) => {
    if (closed) return;
    closed = true;
    try {
      await db.close();
      // Files PGlite created since (WAL segments, relations) follow the umask: make them owner-only too.
      privatiseTree(dataDir);
      fn();
    } finally {
      lock.release();
      process.off('exit', onExit);
    }
  };
  return {
    kind: 'pglite',
    location,
    dataDir,
    workspaceDir,
    inThread: db instanceof ThreadPglite,
    query: q.query,
    exec: q.exec,
    copyFromCsv: q.copyFromCsv,
    transaction: async (fn) => {
      const result = await db.transaction((tx) => fn(wrap(tx, location, health, true))).catch((e: unknown) => Promise.reject(asStoreError(e, 'pglite', location, health)));
      health.succeeded('COMMIT');
      return result;
    },
    health,
    close: () => closeThen(() => {}),
    closeThen,
    // In process, the count is this process's (all its PGlite databases); in a thread, that thread's.
    diskSyncs: async () => (db instanceof ThreadPglite ? db.syncs() : { ...pgliteSyncs }),
    announce: (info) => lock.announce(info),
  };
}
