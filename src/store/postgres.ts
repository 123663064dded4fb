/**
 * Server back-end: a PostgreSQL server named by DATABASE_URL (postgres://user:pass@host:port/db). One
 * connection per process; concurrency between processes is handled by the database (row locks on the
 * ledger chain head), not here.
 *
 * The connection is made again when it is lost (the server restarted or failed over, an administrator or
 * a proxy cut it): before, one lost connection made every later statement fail until chujing itself was
 * restarted — a gate knocked out by routine maintenance. The statement that meets the loss fails (503,
 * failure.ts), except one the connection never sent, which runs again on the new connection, and the
 * first statement of a transaction or held session (nothing is held yet); the next statement connects.
 * Inside a transaction or a held session the loss fails every remaining statement
 * instead, so nothing meant to run on one session (a transaction, an advisory lock) runs on two.
 */
import pg from 'pg';
import { ChujingError } from '../errors.js';
import { asStoreError, failureKind, StoreHealth } from './failure.js';
import { normaliseRow, type Queryable, type Store } from './db.js';
import { msg } from '../i18n/index.js';

/** How long connecting may take before the statement waiting for it fails (pg waits forever by default). */
const CONNECT_TIMEOUT_MS = 10_000;

const INT8 = 20;
const NUMERIC = 1700;

// int8 and numeric as JS numbers, like PGlite (the ledger's counts stay far below 2^53).
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(?:ql)?:\/\//i.test(url);
}

/** The URL without its password, for reports and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/** node-postgres refused a statement without sending it: the client was already closed or broken. */
function notSent(e: unknown): boolean {
  return /is not queryable/.test((e as Error | null)?.message ?? '');
}

export interface PostgresOptions {
  /** lock_timeout of every connection, made again on each reconnect (0: wait forever). */
  lockTimeoutMs?: number;
  /**
   * A session that goes silent this long while holding locks others may wait for is ended by the
   * database, which releases them: inside a transaction (idle_in_transaction_session_timeout, every
   * connection) and while holding a session lock (idle_session_timeout, set only for the hold;
   * PostgreSQL 14 and later). A process paused, hung or cut off from the network while holding the
   * execution lock or the chain head (one of several servers on one database) otherwise stops every
   * other server's executions until it resumes, or for hours until TCP notices a dead host.
   */
  silentHolderTimeoutMs?: number;
  /** What the process is, for pg_stat_activity.application_name (with its pid, so a DBA can tell which process holds a lock). */
  processRole?: string;
}

/** The first PostgreSQL with idle_session_timeout (14.0). */
const IDLE_SESSION_TIMEOUT_SINCE = 140_000;

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Store> {
  if (!isPostgresUrl(url)) {
    throw new ChujingError('bad-input', msg('store.bad-url', { url: redactUrl(url) }), [{ field: 'DATABASE_URL', message: msg('store.bad-url-detail'), expected: msg('store.bad-url-expected') }]);
  }
  const location = redactUrl(url);
  const lockTimeout = options.lockTimeoutMs;
  if (lockTimeout !== undefined && !(Number.isInteger(lockTimeout) && lockTimeout >= 0)) throw new Error(`lock timeout must be a whole number of milliseconds, not ${lockTimeout}`);
  const silentHolder = options.silentHolderTimeoutMs;
  if (silentHolder !== undefined && !(Number.isInteger(silentHolder) && silentHolder > 0)) throw new Error(`silent holder timeout must be a positive whole number of milliseconds, not ${silentHolder}`);
  // PostgreSQL cuts application_name at 63 bytes; the role is chujing's own word (serve, cli).
  const applicationName = `chujing ${options.processRole ?? 'cli'} pid ${process.pid}`.slice(0, 63);
  /** Whether the server can end a silent session outside a transaction (read at each connect). */
  let idleSessionTimeout = false;
  const health = new StoreHealth();
  /** The live connection; null once it is lost (the next statement outside a session connects again). */
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  /** Transactions and held sessions open now: while any is, a lost connection is not replaced. */
  let pinned = 0;
  let closed = false;

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: url, types, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true, application_name: applicationName });
    // A dropped connection must surface as a failed statement, not crash the process, and be replaced.
    const lost = () => {
      if (client === c) client = null;
    };
    c.on('error', lost);
    c.on('end', lost);
    try {
      await c.connect();
      // A table locked by another session (a DBA's LOCK TABLE, a long VACUUM FULL) would otherwise hold
      // every decision until the proxy gives up, with health ok: past this, the statement fails (busy).
      if (lockTimeout !== undefined) await c.query(`SET lock_timeout = ${lockTimeout}`);
      if (silentHolder !== undefined) {
        await c.query(`SET idle_in_transaction_session_timeout = ${silentHolder}`);
        const { rows } = await c.query<{ v: number }>("SELECT current_setting('server_version_num')::int AS v");
        idleSessionTimeout = rows[0]!.v >= IDLE_SESSION_TIMEOUT_SINCE;
      }
    } catch (e) {
      c.end().catch(() => {});
      throw e;
    }
    return c;
  };
  try {
    client = await connect();
  } catch (e) {
    throw new ChujingError('bad-input', msg('store.cannot-connect', { where: location, why: (e as Error).message }), [
      { field: 'DATABASE_URL', message: (e as Error).message, expected: msg('store.cannot-connect-expected') },
    ]);
  }

  const live = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    if (closed) return Promise.reject(new Error('Client was closed and is not queryable'));
    // The session a transaction or held session began on is gone: its remaining statements fail.
    if (pinned > 0) return Promise.reject(Object.assign(new Error('Connection lost inside a transaction or held session'), { code: '08006' }));
    connecting ??= connect().then(
      (c) => {
        connecting = null;
        client = c;
        return c;
      },
      (e: unknown) => {
        connecting = null;
        throw e;
      },
    );
    return connecting;
  };

  const run = async (sql: string, params?: unknown[]) => {
    const c = await live();
    try {
      return await c.query(sql, params as unknown[]);
    } catch (e) {
      if (client === c && failureKind(e) === 'unreachable') client = null;
      // Never sent, so safe to send again once, on a new connection (outside a session only).
      if (notSent(e) && pinned === 0 && !closed) return (await live()).query(sql, params as unknown[]);
      throw e;
    }
  };

  // A table dropped or damaged behind chujing's back, or a server that cannot be reached, answers exit 3
  // / HTTP 503 naming the database (damage.ts, failure.ts).
  const fail = (e: unknown) => Promise.reject(asStoreError(e, 'postgres', location, health));
  const q: Queryable = {
    async query<T>(sql: string, params?: unknown[]) {
      const r = await run(sql, params).catch(fail);
      if (pinned === 0) health.succeeded(sql);
      return (r.rows as Record<string, unknown>[]).map((row) => normaliseRow<T>(row));
    },
    async exec(sql: string) {
      await run(sql).catch(fail);
      if (pinned === 0) health.succeeded(sql);
    },
  };
  /**
   * The first statement of a transaction or held session, sent before anything is held: on a connection
   * found lost (the server restarted, a proxy cut it, and the client had not heard yet), it runs once
   * more on a new connection, where the session begins instead. Whatever it did on the lost one ended
   * with that session.
   */
  const opening = async (sql: string, params?: unknown[]): Promise<void> => {
    try {
      await run(sql, params);
    } catch (e) {
      if (closed || failureKind(e) !== 'unreachable') throw e;
      await run(sql, params);
    }
  };
  const holdingSession = async <T>(fn: () => Promise<T>, first?: { sql: string; params?: unknown[] }): Promise<T> => {
    await (first ? opening(first.sql, first.params) : live()).catch(fail);
    pinned++;
    try {
      return await fn();
    } finally {
      pinned--;
    }
  };
  return {
    kind: 'postgres',
    location,
    query: q.query,
    exec: q.exec,
    health,
    holdingSession,
    withSessionLock<T>(key: number, fn: () => Promise<T>): Promise<T> {
      // In the lock's own statement (no round trip more): the session is ended if it goes silent while
      // holding the lock, and only then (an idle connection between requests is left alone).
      const silent = silentHolder !== undefined && idleSessionTimeout;
      return holdingSession(
        async () => {
          try {
            return await fn();
          } finally {
            await q.query(`SELECT pg_advisory_unlock($1)${silent ? ", set_config('idle_session_timeout', '0', false)" : ''}`, [key]).catch(() => {});
          }
        },
        { sql: `SELECT pg_advisory_lock($1)${silent ? `, set_config('idle_session_timeout', '${silentHolder}', false)` : ''}`, params: [key] },
      );
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return holdingSession(async () => {
        const c = client!;
        try {
          const result = await fn(q);
          await q.exec('COMMIT');
          health.succeeded('COMMIT');
          return result;
        } catch (e) {
          // On the session the transaction began on (a lost one has nothing to roll back).
          if (client === c) await c.query('ROLLBACK').catch(() => {});
          throw e;
        }
      }, { sql: 'BEGIN' });
    },
    async close() {
      closed = true;
      await connecting?.catch(() => {});
      await client?.end();
    },
  };
}
