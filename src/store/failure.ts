/**
 * A database failing for a reason outside its data: the disk that holds it is full, the machine ran out
 * of memory, or the PostgreSQL server cannot be reached (restarted, failed over, its connection cut).
 * Unlike damage (damage.ts) this passes: free the space or bring the server back and the next statement
 * succeeds. Every statement of both back-ends passes its error through `asStoreError`, which turns such
 * an error into `database-unavailable` (exit 3, HTTP 503) naming the database and what to do — before,
 * a full disk or a lost connection answered every decision "internal error (please report)" and logged
 * the whole statement text each time, while health said `ok`.
 *
 * `StoreHealth` keeps the failure until a statement succeeds again (a write, for a full disk: reads go on
 * working on one), so the server's health can say `degraded` and its log can say once when the failing
 * began and once when it ended, however many requests failed in between.
 */
import { ChujingError } from '../errors.js';
import { msg, type Msg } from '../i18n/index.js';
import { asDamage } from './damage.js';
import type { StoreKind } from './db.js';

export type FailureKind = 'disk-full' | 'resources' | 'unreachable' | 'busy';

/** Node's socket errors that mean the server cannot be reached or the connection broke. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** node-postgres's own errors for a connection that broke or never came (they carry no code). */
const CONNECTION_MESSAGES = /Connection terminated|is not queryable|timeout expired|Connection lost/i;

/**
 * The kind of a failure outside the data, or null (anything else: a constraint, damage, a bug).
 * SQLSTATE class 53 is "insufficient resources" (53100 disk full), class 08 a connection exception,
 * 57P01–57P03 an administrator's or a crash's shutdown, 53300 too many connections; 55P03 a lock not
 * granted within the session's lock_timeout (another session holds it), 57014 a statement canceled (by
 * an administrator's pg_cancel_backend, or a timeout).
 */
export function failureKind(e: unknown): FailureKind | null {
  if (e instanceof ChujingError) return null;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code === '53100' || code === 'ENOSPC' || code === 'EDQUOT') return 'disk-full';
    if (code === '53300' || /^08...$/.test(code) || /^57P0[1-3]$/.test(code) || CONNECTION_ERRNOS.has(code)) return 'unreachable';
    if (/^53...$/.test(code)) return 'resources';
    if (code === '55P03' || code === '57014') return 'busy';
  }
  return CONNECTION_MESSAGES.test((e as Error | null)?.message ?? '') ? 'unreachable' : null;
}

const SUMMARY: Record<FailureKind, (where: string) => Msg> = {
  'disk-full': (where) => msg('storage.disk-full', { where }),
  resources: (where) => msg('storage.resources', { where }),
  unreachable: (where) => msg('storage.unreachable', { where }),
  busy: (where) => msg('storage.busy', { where }),
};
const EXPECTED: Record<FailureKind, (where: string) => Msg> = {
  'disk-full': (where) => msg('storage.disk-full-expected', { where }),
  resources: (where) => msg('storage.resources-expected', { where }),
  unreachable: (where) => msg('storage.unreachable-expected', { where }),
  busy: (where) => msg('storage.busy-expected', { where }),
};

export function failureSummary(kind: FailureKind, where: string): Msg {
  return SUMMARY[kind](where);
}

/** The error a user sees: which database, what it answered, what to do (exit 3, HTTP 503). */
export function storeFailure(kind: FailureKind, location: string, detail: string): ChujingError {
  return new ChujingError('database-unavailable', SUMMARY[kind](location), [
    { file: location, message: msg('storage.damaged-detail', { detail }), expected: EXPECTED[kind](location) },
  ]);
}

/**
 * `e` as the damaged-database error or the failing-database error when it is one (recorded in
 * `health`), else `e` unchanged.
 */
export function asStoreError(e: unknown, kind: StoreKind, location: string, health?: StoreHealth): unknown {
  const damaged = asDamage(e, kind, location);
  if (damaged !== e) return damaged;
  const failure = failureKind(e);
  if (!failure) return e;
  const detail = (e as Error | null)?.message ?? String(e);
  health?.failed(failure, detail);
  return storeFailure(failure, location, detail);
}

export interface StoreFailure {
  kind: FailureKind;
  /** What the database (or the connection) last answered. */
  detail: string;
  /** When the first statement of this episode failed, and the last one (ISO instants). */
  since: string;
  lastAt: string;
  /** Statements failed since. */
  failures: number;
}

export type StoreHealthEvent = { type: 'failing'; failure: StoreFailure } | { type: 'recovered'; failure: StoreFailure; ms: number };

/**
 * Statements whose success says nothing about a full disk: reads, and upkeep that may need no new
 * space (a checkpoint rewrites pages that exist).
 */
const NOT_A_WRITE = /^\s*(?:SELECT|SHOW|EXPLAIN|CHECKPOINT|VACUUM|PREPARE|DEALLOCATE|SET|BEGIN|ROLLBACK)\b/i;

/**
 * Marks bookkeeping statements (a server's heartbeat, fleet.ts) whose success ends no episode but
 * `unreachable`: writing one small row of its own while the decision log's table is locked, or the
 * disk full, says nothing of whether decisions work again, and would end the episode every second.
 */
export const HEALTH_NEUTRAL = '/* chujing: bookkeeping */ ';

/** Whether the database is failing for a reason outside its data, since when, and how often. */
export class StoreHealth {
  private failure: StoreFailure | null = null;
  private startedAt = 0;
  private readonly listeners = new Set<(e: StoreHealthEvent) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  current(): StoreFailure | null {
    return this.failure ? { ...this.failure } : null;
  }

  failed(kind: FailureKind, detail: string): void {
    const at = new Date(this.now()).toISOString();
    if (this.failure) {
      this.failure = { ...this.failure, kind, detail, lastAt: at, failures: this.failure.failures + 1 };
      return;
    }
    this.startedAt = this.now();
    this.failure = { kind, detail, since: at, lastAt: at, failures: 1 };
    this.emit({ type: 'failing', failure: { ...this.failure } });
  }

  /**
   * A statement succeeded (`sql`: its text; a commit passes 'COMMIT'). It ends the episode, except a
   * read while the disk is full, memory short or a table locked: reads may go on working then, writes
   * do not.
   */
  succeeded(sql: string): void {
    const f = this.failure;
    if (!f) return;
    if (f.kind !== 'unreachable' && (NOT_A_WRITE.test(sql) || sql.startsWith(HEALTH_NEUTRAL))) return;
    this.failure = null;
    this.emit({ type: 'recovered', failure: f, ms: this.now() - this.startedAt });
  }

  /** Be told when failing begins and ends; returns the way to stop. */
  on(listener: (e: StoreHealthEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: StoreHealthEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A listener's failure (a log stream closed) must not fail the statement that told it.
      }
    }
  }
}
