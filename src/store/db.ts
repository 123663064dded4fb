/**
 * The one database seam: the embedded PGlite and a PostgreSQL server both speak PostgreSQL, so the
 * ledger writes one SQL dialect and receives the same shapes from both (rows as plain objects, bytea
 * as Buffer, int8 as number — see `normaliseRow`).
 */
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
