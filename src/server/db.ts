/**
 * The server's one handle on the database. PGlite is one connection in this process, and the
 * PostgreSQL back-end is one client: statements of two concurrent requests must not interleave inside
 * each other's transactions. Every use therefore runs under one FIFO mutex — a transaction holds it
 * from BEGIN to COMMIT. The work the server does in the database is small and batched (decision-log
 * flushes, execution batches, token changes), so one line is enough.
 */
import type { Queryable, Store } from '../store/index.js';
import { closeLedgerStore } from '../ledger/summary.js';
import { Mutex } from './mutex.js';

export class ServerDb {
  private readonly mutex = new Mutex();

  constructor(readonly store: Store) {}

  get kind() {
    return this.store.kind;
  }

  get location() {
    return this.store.location;
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.mutex.run(() => this.store.query<T>(sql, params));
  }

  /**
   * One statement in a transaction of its own. The embedded database queues such a statement behind
   * any transaction open in it (PGlite runs every statement outside a transaction exclusively of
   * them), so it need not wait for this server's lock: the decision log sends its next batch while the
   * one before commits. PostgreSQL's one client would run it inside another request's transaction, so
   * there it takes the lock like any query.
   */
  autocommit<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    if (this.store.kind === 'pglite') return this.store.query<T>(sql, params);
    return this.query<T>(sql, params);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.mutex.run(() => this.store.transaction(fn));
  }

  /**
   * Hold the database for a sequence of steps (e.g. read the counters, judge, record in the ledger):
   * `store` is the raw store, usable only inside `fn`.
   */
  exclusive<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    return this.mutex.run(() => fn(this.store));
  }

  /**
   * A Store whose every statement and transaction takes the lock on its own: for read-only producers
   * shared with the CLI (they open no transaction spanning other work). Closing it does nothing.
   */
  asStore(): Store {
    return {
      kind: this.store.kind,
      location: this.store.location,
      query: (sql, params) => this.query(sql, params),
      exec: (sql) => this.mutex.run(() => this.store.exec(sql)),
      transaction: (fn) => this.transaction(fn),
      close: async () => {},
    };
  }

  /** Close; the embedded database leaves its summary file, so the CLI can read it without starting it. */
  close(): Promise<void> {
    return this.mutex.run(() => closeLedgerStore(this.store));
  }
}
