/**
 * The one database seam: the embedded PGlite and a PostgreSQL server both speak PostgreSQL, so the
 * ledger writes one SQL dialect and receives the same shapes from both (rows as plain objects, bytea
 * as Buffer, int8 as number — see `normaliseRow`).
 */
import type { StoreHealth } from './failure.js';

export type StoreKind = 'pglite' | 'postgres';

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /**
   * `COPY … FROM` with the rows given as CSV text, where the back-end has a fast path for it (PGlite's
   * /dev/blob: about 5x faster than a parameterised multi-row INSERT there). Absent elsewhere.
   */
  copyFromCsv?(sql: string, csv: string): Promise<void>;
}

export interface Store extends Queryable {
  readonly kind: StoreKind;
  /** Where the data lives, without secrets (for reports: `pglite:/ws/.chujing/db`, `postgres://host:5432/db`). */
  readonly location: string;
  /** Run `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Whether the database is failing for a reason outside its data (a full disk, a lost server): failure.ts. */
  readonly health?: StoreHealth;
  /**
   * PostgreSQL: run `fn` on one connection, for session state such as an advisory lock. If that
   * connection is lost inside `fn`, its statements fail rather than connect again (which would drop the
   * lock unseen). Absent: every statement already runs on the one session there is.
   */
  holdingSession?<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * PostgreSQL: run `fn` on one session holding the session-level advisory lock `key` (several
   * processes on one database take turns). A holder gone silent may be ended by the database
   * (postgres.ts, `silentHolderTimeoutMs`); `fn`'s remaining statements then fail.
   */
  withSessionLock?<T>(key: number, fn: () => Promise<T>): Promise<T>;
  /** Embedded back-end: the PGlite data folder (its files tell whether a summary is current). */
  readonly dataDir?: string;
  /** Embedded back-end: the workspace folder whose `.chujing/` holds the database. */
  readonly workspaceDir?: string;
  /**
   * Embedded back-end: close, then run `fn` while this process still holds the lock (used to write the
   * ledger summary stamped with the closed database's state, so no other process can slip in between).
   */
  closeThen?(fn: () => void): Promise<void>;
  /** Embedded back-end: whether it runs in a worker thread (the server's; see pglite-remote.ts). */
  readonly inThread?: boolean;
  /**
   * Embedded back-end: how many times its database has synced to disk, by kind (pglite-durable.ts):
   * `log` counts the write-ahead log's syncs, one per commit. Tests hold commits durable with it.
   */
  diskSyncs?(): Promise<{ log: number; files: number; folders: number }>;
  /** Embedded back-end: say who holds the database (a server gives its URL once it listens). */
  announce?(info: { role?: 'cli' | 'server'; url?: string }): void;
}

/** int8 and numeric arrive as string (pg) or bigint; bytea as Uint8Array (PGlite) — make them one shape. */
export function normaliseValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return v;
}

export function normaliseRow<T>(row: Record<string, unknown>): T {
  for (const k of Object.keys(row)) row[k] = normaliseValue(row[k]);
  return row as T;
}
