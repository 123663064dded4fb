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

/** Move the staged hashes into the distinct set; report what was new, per category. $1 org, $2 year, $3 seq. */
export const ADD_STAGED = `WITH ins AS (
    INSERT INTO ledger_person_hashes (organization, year, category, hash, first_seq)
    SELECT $1, $2, category, hash, $3 FROM ledger_staging ORDER BY category, hash
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
  channel, operator, records, bytes, identifiers_read, input_digest, added, prev_hash, entry_hash, recorded_at`;
