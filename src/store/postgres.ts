/**
 * Server back-end: a PostgreSQL server named by DATABASE_URL (postgres://user:pass@host:port/db). One
 * connection per process; concurrency between processes is handled by the database (row locks on the
 * ledger chain head), not here.
 */
import pg from 'pg';
import { ChujingError } from '../errors.js';
import { asDamage } from './damage.js';
import { normaliseRow, type Queryable, type Store } from './db.js';
import { msg } from '../i18n/index.js';

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

function wrap(client: pg.Client | pg.PoolClient, location: string): Queryable {
  // A table dropped or damaged behind chujing's back answers exit 3 naming the database (damage.ts).
  const damage = (e: unknown) => asDamage(e, 'postgres', location);
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const r = await client.query(sql, params as unknown[]).catch((e: unknown) => Promise.reject(damage(e)));
      return (r.rows as Record<string, unknown>[]).map((row) => normaliseRow<T>(row));
    },
    async exec(sql: string) {
      await client.query(sql).catch((e: unknown) => Promise.reject(damage(e)));
    },
  };
}

export async function openPostgres(url: string): Promise<Store> {
  if (!isPostgresUrl(url)) {
    throw new ChujingError('bad-input', msg('store.bad-url', { url: redactUrl(url) }), [{ field: 'DATABASE_URL', message: msg('store.bad-url-detail'), expected: msg('store.bad-url-expected') }]);
  }
  const client = new pg.Client({ connectionString: url, types });
  // A dropped connection must surface as a failed query, not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    throw new ChujingError('bad-input', msg('store.cannot-connect', { where: redactUrl(url), why: (e as Error).message }), [
      { field: 'DATABASE_URL', message: (e as Error).message, expected: msg('store.cannot-connect-expected') },
    ]);
  }
  const location = redactUrl(url);
  const q = wrap(client, location);
  return {
    kind: 'postgres',
    location,
    query: q.query,
    exec: q.exec,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      await client.query('BEGIN');
      try {
        const result = await fn(q);
        await q.exec('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      }
    },
    async close() {
      await client.end();
    },
  };
}
