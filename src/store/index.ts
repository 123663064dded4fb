/**
 * Opening the ledger database: PostgreSQL when DATABASE_URL=postgres://… is set, else the embedded
 * PGlite in `<workspace>/.chujing/db/`. Both get the same migrations.
 */
import type { Msg } from '../i18n/index.js';
import type { Store } from './db.js';
import { migrate } from './migrations.js';
import { openPglite, pgliteExists } from './pglite.js';
import { openPostgres } from './postgres.js';

export type { Store, Queryable, StoreKind } from './db.js';
export { MIGRATIONS, SCHEMA_VERSION, migrate } from './migrations.js';
export { pgliteDataDir, pgliteLockFile, pgliteExists, CHUJING_DIR } from './pglite.js';
export { isPostgresUrl, redactUrl } from './postgres.js';
export { ensurePrivateDir, writeFileAtomic, privatiseTree } from './private-fs.js';
export type { LockOwner, LockRole } from './lock.js';

export interface OpenStoreOptions {
  workspaceDir: string;
  env: Record<string, string | undefined>;
  /** Return null instead of creating an embedded database that does not exist yet (read-only callers). */
  mustExist?: boolean;
  /**
   * Who opens it (embedded database only). A server says so, with its URL when known (or later with
   * `store.announce({ url })`): other processes are then told to go through the server.
   */
  owner?: { role: 'cli' | 'server'; url?: string };
  /** Told what the user should know but that does not stop the command (a stale lock taken over). */
  onNotice?: (notice: Msg) => void;
  /** Embedded database: run it in a worker thread (the server; see pglite-remote.ts). */
  inThread?: boolean;
  /**
   * PostgreSQL: the longest a statement waits for a lock another session holds (its lock_timeout), then
   * fails as `storage.busy`. Unset: wait as long as it takes (the CLI). The embedded database has no
   * other sessions.
   */
  lockTimeoutMs?: number;
  /** PostgreSQL: end a session gone silent this long while holding locks (postgres.ts). Unset: CLI_SILENT_HOLDER_TIMEOUT_MS. */
  silentHolderTimeoutMs?: number;
}

/**
 * A CLI command's transaction gone silent this long is ended by PostgreSQL (its chain-head locks
 * released): a `ledger record` suspended with Ctrl-Z or on a laptop that lost the network otherwise holds
 * every server's executions until it resumes, or for hours until TCP notices. Longer than the server's
 * 5 s: a large `ledger import` reads and hashes its manifest between statements (20,000 rows, about
 * 0.1 s, at a time), and a slow disk must not fail it.
 */
export const CLI_SILENT_HOLDER_TIMEOUT_MS = 30_000;

/** Default wait for another process holding the embedded database (CHUJING_DB_WAIT_MS overrides). */
const DEFAULT_WAIT_MS = 5_000;

export async function openStore(options: OpenStoreOptions): Promise<Store | null> {
  const url = options.env.DATABASE_URL;
  let store: Store;
  if (url) {
    store = await openPostgres(url, {
      ...(options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.lockTimeoutMs }),
      silentHolderTimeoutMs: options.silentHolderTimeoutMs ?? CLI_SILENT_HOLDER_TIMEOUT_MS,
      processRole: options.owner?.role === 'server' ? 'serve' : 'cli',
    });
  } else {
    if (options.mustExist && !pgliteExists(options.workspaceDir)) return null;
    const wait = Number(options.env.CHUJING_DB_WAIT_MS ?? DEFAULT_WAIT_MS);
    store = await openPglite(options.workspaceDir, {
      waitMs: Number.isFinite(wait) && wait >= 0 ? wait : DEFAULT_WAIT_MS,
      role: options.owner?.role,
      url: options.owner?.url,
      ...(options.onNotice ? { onNotice: options.onNotice } : {}),
      ...(options.inThread ? { inThread: true } : {}),
    });
  }
  try {
    await migrate(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
