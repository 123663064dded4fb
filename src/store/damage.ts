/**
 * A damaged database is the user's problem to act on, not a bug of chujing (issue 19): random bytes over
 * a table file of the embedded database, a table dropped or truncated by someone with SQL access. Every
 * statement of both back-ends passes its error through `asDamage`, which turns PostgreSQL's "this data
 * is broken" answers into `database-unavailable` (exit 3, HTTP 503) naming the database and what to do.
 * Any other error (a constraint, a lock timeout) passes unchanged: callers handle those by code.
 */
import { ChujingError } from '../errors.js';
import { msg, type Msg } from '../i18n/index.js';
import type { StoreKind } from './db.js';

/**
 * SQLSTATEs that mean the stored data or schema is broken, not the statement:
 * XX*** internal errors (XX001 data corrupted — "invalid page in block 0 of relation base/1/16440",
 * XX002 index corrupted, XX000 "could not read block", "cache lookup failed"), 58*** files missing or
 * unreadable, 42P01 / 42703 a table or column the migrated schema has but the database no longer does
 * (dropped behind chujing's back), 42P07 a table that exists although the migration record says it
 * was never made (the record was removed), 22021 / 22P05 bytes that are not text where text is stored.
 */
const DAMAGE_STATES = /^(?:XX...|58...|42P01|42703|42P07|22021|22P05)$/;

/** PGlite's WebAssembly PostgreSQL aborts (instead of answering an error) on some damage. */
const WASM_ABORT = /^(?:Aborted\(|RuntimeError\b)|\bunreachable\b|memory access out of bounds/;

function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Whether an error of the database driver says the database itself is damaged. */
export function isDamage(e: unknown, kind: StoreKind): boolean {
  if (e instanceof ChujingError) return false;
  const state = sqlState(e);
  if (state) return DAMAGE_STATES.test(state);
  if (kind !== 'pglite') return false;
  const name = (e as Error | null)?.constructor?.name ?? '';
  const message = (e as Error | null)?.message ?? String(e);
  return name === 'RuntimeError' || WASM_ABORT.test(message);
}

/** The error a user sees for a damaged database: where it is, what broke, what to do (exit 3). */
export function damagedDatabase(kind: StoreKind, location: string, detail: string | Msg): ChujingError {
  const where = location;
  return new ChujingError('database-unavailable', msg('storage.damaged', { where }), [
    {
      file: location,
      message: msg('storage.damaged-detail', { detail }),
      expected: msg(kind === 'pglite' ? 'storage.damaged-expected-pglite' : 'storage.damaged-expected-postgres', { where }),
    },
  ]);
}

/** `e` as the damaged-database error when it is one, else `e` unchanged. */
export function asDamage(e: unknown, kind: StoreKind, location: string): unknown {
  if (!isDamage(e, kind)) return e;
  return damagedDatabase(kind, location, (e as Error)?.message ?? String(e));
}

/**
 * Every table the migrations create, from their SQL: checked to exist after migrating, so a table
 * dropped behind chujing's back is named at once rather than failing some later statement.
 */
export function tablesOf(sqls: readonly string[]): string[] {
  const names = new Set<string>();
  for (const sql of sqls) for (const m of sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)/gi)) names.add(m[1]!.toLowerCase());
  return [...names].sort();
}
