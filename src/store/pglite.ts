/**
 * Embedded back-end: PGlite (PostgreSQL compiled to WebAssembly) with its data in the workspace's
 * `.chujing/db/` folder. Single-process by nature, so it is opened only under the lock file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { normaliseRow, type Queryable, type Store } from './db.js';
import { acquireLock } from './lock.js';

export const CHUJING_DIR = '.chujing';

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

function wrap(db: PgliteLike): Queryable {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const r = await db.query<Record<string, unknown>>(sql, params);
      return r.rows.map((row) => normaliseRow<T>(row));
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    async copyFromCsv(sql: string, csv: string) {
      // `sql` must read FROM '/dev/blob': PGlite hands the blob to COPY as its input file.
      await db.query(sql, [], { blob: new Blob([csv]) });
    },
  };
}

export async function openPglite(workspaceDir: string, options: { waitMs: number }): Promise<Store> {
  const release = await acquireLock(pgliteLockFile(workspaceDir), { waitMs: options.waitMs });
  const onExit = () => release();
  process.once('exit', onExit);
  let db: PGlite;
  try {
    db = new PGlite(pgliteDataDir(workspaceDir));
    await db.waitReady;
  } catch (e) {
    release();
    process.off('exit', onExit);
    throw e;
  }
  const q = wrap(db);
  return {
    kind: 'pglite',
    location: `pglite:${pgliteDataDir(workspaceDir)}`,
    query: q.query,
    exec: q.exec,
    copyFromCsv: q.copyFromCsv,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async close() {
      try {
        await db.close();
      } finally {
        release();
        process.off('exit', onExit);
      }
    },
  };
}
