/**
 * SQL shared by recording, verification and pruning, so the digest the chain commits to at import is
 * computed by exactly the same expression that `verify` recomputes.
 *
 * Digest of a set of person hashes (per category): hashes are grouped into 256 buckets by their first
 * byte; each bucket's digest is SHA-256 of its hashes in byte order; the set's digest is SHA-256 of the
 * bucket digests in bucket order. Order-independent and exact, and no single aggregate value grows
 * beyond 1/256 of the set (PGlite's memory stays bounded at millions of hashes).
 */

/** `source` must yield columns (…group, hash); returns (…group, n, digest). */
export function setDigestSql(source: string, group: string[]): string {
  const g = group.join(', ');
  const gi = group.map((_, i) => String(i + 1)).join(', ');
  return `WITH src AS (${source}),
  buckets AS (
    SELECT ${g}, get_byte(hash, 0) AS bucket, count(*) AS n, sha256(string_agg(hash, ''::bytea ORDER BY hash)) AS d
    FROM src GROUP BY ${gi}, get_byte(hash, 0)
  )
  SELECT ${g}, sum(n)::int8 AS n, sha256(string_agg(d, ''::bytea ORDER BY bucket)) AS digest
  FROM buckets GROUP BY ${gi}`;
}

export const STAGING_CREATE = `CREATE TEMP TABLE IF NOT EXISTS ledger_staging (category smallint NOT NULL, hash bytea NOT NULL) ON COMMIT DROP`;

/** One packed batch (33-byte records) becomes rows in one statement: $1 the batch, $2 its record count. */
export const STAGING_INSERT = `INSERT INTO ledger_staging (category, hash)
  SELECT get_byte($1::bytea, i * 33), substring($1::bytea FROM i * 33 + 2 FOR 32)
  FROM generate_series(0, $2::int - 1) AS i`;

/** The same rows through COPY where the back-end has a fast path (PGlite); see stagingCsv(). */
export const STAGING_COPY = `COPY ledger_staging (category, hash) FROM '/dev/blob' WITH (FORMAT csv)`;

/** One packed batch as CSV rows `category,\\x<hex>` for STAGING_COPY. */
export function stagingCsv(batch: Buffer, recordBytes: number): string {
  const lines: string[] = new Array(batch.length / recordBytes);
  for (let i = 0, j = 0; i < batch.length; i += recordBytes, j++) lines[j] = `${batch[i]},\\x${batch.toString('hex', i + 1, i + recordBytes)}`;
  return `${lines.join('\n')}\n`;
}

/** Distinct hashes of the staged entry, per category: the entry's own volume. */
export const STAGED_DISTINCT = `SELECT category, count(DISTINCT hash)::int8 AS n FROM ledger_staging GROUP BY category`;

/**
 * An entry dated earlier than the first sending already known of some of its hashes moves their first
 * sending back to its own time (recorded out of time order). Returns, per category, how many moved from
 * which China date. $1 org, $2 year, $3 the entry's time (ISO, UTC), $4 its China date.
 *
 * The plan is fixed by the query's shape, not left to statistics: each staged hash is looked up through
 * the primary key (a LATERAL subquery kept apart by OFFSET 0), and the rows found are updated by their
 * ctid (a TID scan). Left to the planner right after a large import — no statistics yet, the table
 * "1 row" — the join became a nested loop over the whole set: 60,000 out-of-order hashes took 300 s
 * instead of a fraction of one (measured on PostgreSQL 15).
 * (A data-modifying CTE runs once whether or not the outer query reads it; `old` sees the rows before.)
 */
export const ADVANCE_STAGED = `WITH s AS (SELECT DISTINCT category, hash FROM ledger_staging),
  old AS (
    SELECT s.category, h.first_date AS old_date, h.row_id
    FROM s CROSS JOIN LATERAL (
      SELECT ctid AS row_id, first_date, first_at FROM ledger_person_hashes
      WHERE organization = $1 AND year = $2 AND category = s.category AND hash = s.hash
      OFFSET 0
    ) h
    WHERE h.first_at > $3
  ),
  upd AS (
    UPDATE ledger_person_hashes SET first_at = $3, first_date = $4
    WHERE ctid = ANY (ARRAY(SELECT row_id FROM old))
    RETURNING 1
  )
  SELECT category, old_date AS date, count(*)::int8 AS n FROM old GROUP BY 1, 2`;

/** Whether an entry at $3 could be earlier than something already recorded for $1/$2 (else ADVANCE_STAGED is skipped). */
export const MAYBE_OUT_OF_ORDER = `SELECT (EXISTS (SELECT 1 FROM ledger_entries WHERE organization = $1 AND year = $2 AND occurred_at > $3)
  OR EXISTS (SELECT 1 FROM ledger_checkpoints WHERE organization = $1)) AS maybe`;

/** Move the staged hashes into the distinct set; report what was new, per category. $1 org, $2 year, $3 seq, $4 time, $5 China date. */
export const ADD_STAGED = `WITH ins AS (
    INSERT INTO ledger_person_hashes (organization, year, category, hash, first_seq, first_at, first_date)
    SELECT $1, $2, category, hash, $3, $4, $5 FROM ledger_staging ORDER BY category, hash
    ON CONFLICT DO NOTHING
    RETURNING category, hash
  ),
  buckets AS (
    SELECT category, get_byte(hash, 0) AS bucket, count(*) AS n, sha256(string_agg(hash, ''::bytea ORDER BY hash)) AS d
    FROM ins GROUP BY 1, 2
  )
  SELECT category, sum(n)::int8 AS n, sha256(string_agg(d, ''::bytea ORDER BY bucket)) AS digest
  FROM buckets GROUP BY category`;

export const ENTRY_COLUMNS = `organization, seq, id, occurred_at, year, datasets, recipient, kind, mechanism, approval_reference,
  channel, operator, records, bytes, identifiers_read, input_digest, added, prev_hash, entry_hash, recorded_at,
  hash_version, forced, distinct_counts, seal`;
