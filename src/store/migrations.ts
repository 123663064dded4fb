/**
 * The one schema, as ordered SQL migrations run unchanged on PGlite and on PostgreSQL (docs/citus.md
 * explains how the same tables distribute on Citus: every ledger table leads with `organization`).
 * Never edit a released migration: add the next one.
 */
import { ChujingError } from '../errors.js';
import type { Queryable, Store } from './db.js';
import { damagedDatabase, tablesOf } from './damage.js';
import { msg } from '../i18n/index.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger',
    sql: `
-- One hash chain per organisation (the processor counts are per legal entity, CNT-5). The row is the
-- chain head: appenders lock it (SELECT ... FOR UPDATE), which serialises appends across processes.
CREATE TABLE ledger_chains (
  organization    text PRIMARY KEY,
  head_seq        bigint NOT NULL,
  head_hash       bytea  NOT NULL,
  key_fingerprint text   NOT NULL,
  -- HMAC of (organization, head_seq, head_hash) under the organisation key: rewriting the chain's
  -- tail AND this row is detected by anyone who verifies with the key.
  head_seal       bytea,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- SEC-LOG-1: one row per executed outbound transfer. Every column except recorded_at is covered by
-- entry_hash, which also commits to prev_hash (the previous entry's entry_hash).
CREATE TABLE ledger_entries (
  organization       text    NOT NULL,
  seq                bigint  NOT NULL,
  id                 text    NOT NULL,
  occurred_at        text    NOT NULL,
  year               integer NOT NULL,
  datasets           text[]  NOT NULL,
  recipient          text    NOT NULL,
  kind               text    NOT NULL,
  mechanism          text,
  approval_reference text,
  channel            text,
  operator           text,
  records            bigint,
  bytes              bigint,
  identifiers_read   jsonb   NOT NULL,
  input_digest       bytea   NOT NULL,
  added              jsonb   NOT NULL,
  prev_hash          bytea   NOT NULL,
  entry_hash         bytea   NOT NULL,
  recorded_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization, seq),
  UNIQUE (organization, id)
);

-- CNT-1/CNT-2: keyed hashes (HMAC-SHA-256) of the persons and vehicles sent, distinct per organisation,
-- calendar year and category; never the identifiers themselves. first_seq = the entry that added it.
CREATE TABLE ledger_person_hashes (
  organization text     NOT NULL,
  year         integer  NOT NULL,
  category     smallint NOT NULL,
  hash         bytea    NOT NULL,
  first_seq    bigint   NOT NULL,
  PRIMARY KEY (organization, year, category, hash)
);

-- Running distinct counts, maintained in the same transaction as the hashes (stats without a scan;
-- verify checks them against the hashes).
CREATE TABLE ledger_counts (
  organization text     NOT NULL,
  year         integer  NOT NULL,
  category     smallint NOT NULL,
  distinct_count bigint NOT NULL,
  PRIMARY KEY (organization, year, category)
);

-- Signed checkpoints written by retention pruning: the chain resumes from the last pruned entry.
CREATE TABLE ledger_checkpoints (
  organization text   NOT NULL,
  last_seq     bigint NOT NULL,
  last_hash    bytea  NOT NULL,
  body         text   NOT NULL,
  signature    bytea  NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization, last_seq)
);
`,
  },
  {
    version: 2,
    name: 'ledger-first-sent-days-force-seals',
    sql: `
-- Issue 8: year-to-date means persons sent BEFORE a transfer. Each hash keeps the earliest time (and its
-- China date) at which any entry of its organisation and year sent it; an entry recorded later but
-- dated earlier moves it back (src/ledger/record.ts). first_seq stays the entry that inserted it (the
-- chain's 'added' digests are about insertion).
ALTER TABLE ledger_person_hashes ADD COLUMN first_at text;
ALTER TABLE ledger_person_hashes ADD COLUMN first_date text;
UPDATE ledger_person_hashes h
   SET first_at = e.occurred_at,
       first_date = to_char((e.occurred_at::timestamptz AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')
  FROM ledger_entries e
 WHERE e.organization = h.organization AND e.seq = h.first_seq;
-- Hashes whose entry was pruned before this migration: their day is unknown; count them from 1 January
-- of their year (the conservative reading: sent before everything else that year).
UPDATE ledger_person_hashes
   SET first_at = to_char(make_timestamp(year, 1, 1, 0, 0, 0) - interval '8 hours', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       first_date = to_char(make_date(year, 1, 1), 'YYYY-MM-DD')
 WHERE first_at IS NULL;
ALTER TABLE ledger_person_hashes ALTER COLUMN first_at SET NOT NULL;
ALTER TABLE ledger_person_hashes ALTER COLUMN first_date SET NOT NULL;

-- New distinct persons per organisation, year, category and China date of first sending: the
-- year-to-date baseline of assess, kept in the same transaction as the hashes (verify checks it).
CREATE TABLE ledger_days (
  organization text     NOT NULL,
  year         integer  NOT NULL,
  category     smallint NOT NULL,
  date         text     NOT NULL,
  new_count    bigint   NOT NULL,
  PRIMARY KEY (organization, year, category, date)
);
INSERT INTO ledger_days (organization, year, category, date, new_count)
  SELECT organization, year, category, first_date, count(*) FROM ledger_person_hashes GROUP BY 1, 2, 3, 4;

-- Entries from now on hash in format 2: also their distinct counts per category (distinct within the
-- entry) and whether they were recorded with --force (and why). Each entry is sealed with the
-- organisation key (HMAC of its hash) so verify can name where a re-chained tail starts.
ALTER TABLE ledger_entries ADD COLUMN hash_version smallint NOT NULL DEFAULT 1;
ALTER TABLE ledger_entries ADD COLUMN forced text;
ALTER TABLE ledger_entries ADD COLUMN distinct_counts jsonb;
ALTER TABLE ledger_entries ADD COLUMN seal bytea;
`,
  },
  {
    version: 20,
    name: 'server',
    sql: `
-- chujing serve: API tokens. Only the SHA-256 of a token's secret is kept; the token itself is printed
-- once when it is created. id is the token's public part (chj_<id>_<secret>), used to find the row.
CREATE TABLE server_tokens (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  role        text NOT NULL,
  secret_hash bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE UNIQUE INDEX server_tokens_active_name ON server_tokens (name) WHERE revoked_at IS NULL;

-- The decision log (every answer of POST /v1/decisions and of the egress gate): one hash chain, whose
-- head row appenders lock (SELECT ... FOR UPDATE) so that several servers sharing one PostgreSQL append
-- in one line. base_seq/base_hash: where the chain resumes after retention pruning. head_seal: HMAC of
-- the head under the organisation key, when the server has it.
CREATE TABLE server_decision_chain (
  chain      text   PRIMARY KEY,
  head_seq   bigint NOT NULL,
  head_hash  bytea  NOT NULL,
  base_seq   bigint NOT NULL DEFAULT 0,
  base_hash  bytea  NOT NULL,
  head_seal  bytea
);

-- One row per decision. body is the canonical JSON of the decision as answered (never an identifier or
-- a person hash: only their count and digest); entry_hash commits to every column but recorded_at, and
-- to prev_hash.
CREATE TABLE server_decisions (
  seq                bigint PRIMARY KEY,
  id                 text   NOT NULL UNIQUE,
  decided_at         text   NOT NULL,
  caller             text   NOT NULL,
  input_digest       bytea  NOT NULL,
  result             text   NOT NULL,
  workspace_revision text   NOT NULL,
  packs              text   NOT NULL,
  body               text   NOT NULL,
  prev_hash          bytea  NOT NULL,
  entry_hash         bytea  NOT NULL,
  recorded_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX server_decisions_decided_at ON server_decisions (decided_at);
`,
  },
  {
    version: 21,
    name: 'server-decision-judgements',
    sql: `
-- A gate asks the same question over and over and gets the same judgement: the engine's result, the
-- reasons, the packs and settings (~3.5 KB of the ~4 KB a decision's body was). It is kept once, by the
-- SHA-256 of its text, and each decision row holds the rest of its answer and that digest; the entry
-- hash commits to the digest, and verify checks each kept judgement against it. Rows written before
-- (judgement NULL) keep the whole answer in body and are verified as they were.
CREATE TABLE server_decision_judgements (
  digest bytea PRIMARY KEY,
  body   text  NOT NULL
);
ALTER TABLE server_decisions ADD COLUMN judgement bytea;
`,
  },
  {
    version: 22,
    name: 'server-decision-batches',
    sql: `
-- The decision log's rows, a batch of decisions a row. The embedded database charges ~50 µs for each
-- row an INSERT writes whatever its width (measured: 1 or 3 indexes, 4 or 12 columns, 200 or 850
-- bytes), so a gate at thousands of decisions a second spent most of its database thread on rows. The
-- chain is unchanged: each decision keeps its seq, its fields and its entry hash (the same hash as a
-- server_decisions row), so verify recomputes each decision as before. Decisions written before stay
-- in server_decisions; new ones are written here.
--
-- entries: a JSON array, one array per decision in seq order:
--   [seq, id, decided_at, caller, input_digest (hex), result, workspace_revision, packs, body,
--    judgement (hex or null), entry_hash (hex)] and, when the answer's id, time, caller, result,
--    revision and input digest were left out of body (they are the entry's), a last element 1.
-- body is the answer as JSON (nested, not a string), hashed as JSON.stringify writes it.
-- The other columns index the entries (lookups by id, a caller's listing, counts, retention and the
-- head check); verify checks they agree with the entries. prev_hash is the entry hash before the
-- batch's first decision; last_hash its last decision's entry hash.
CREATE TABLE server_decision_batches (
  first_seq  bigint  PRIMARY KEY,
  last_seq   bigint  NOT NULL,
  earliest_at text   NOT NULL,
  latest_at  text    NOT NULL,
  ids        text[]  NOT NULL,
  callers    text[]  NOT NULL,
  judgements bytea[] NOT NULL,
  allowed    integer NOT NULL,
  denied     integer NOT NULL,
  prev_hash  bytea   NOT NULL,
  last_hash  bytea   NOT NULL,
  entries    text    NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX server_decision_batches_ids ON server_decision_batches USING gin (ids);
`,
  },
  {
    version: 23,
    name: 'decision-ids-small-pending-list',
    sql: `
-- Finding a decision by id goes through the GIN index on server_decision_batches.ids. GIN queues new
-- keys in a pending list and merges it into the index once it passes gin_pending_list_limit (4 MB by
-- default, some 80,000 decision ids), inside the insert that passes it; no autovacuum runs in the
-- embedded database to merge it sooner. Measured on the embedded database under 32 connections: that
-- insert took 500-520 ms every ~15 s, and every decision in flight waited for it; a lookup by id
-- scanned the whole list (2.5-3.2 ms at 72,000 ids; 0.7 ms with the limit below). With the smallest
-- limit (64 kB, about 1,100 ids) the merges are small: the longest answer under the same load fell to
-- that of a checkpoint (below 200 ms), with the same req/s and database CPU (alternating runs, 8 pairs:
-- 0.99x). Keeping the queue (fastupdate) but short cost less than inserting each key directly
-- (fastupdate off: 7-10% more database CPU a decision).
ALTER INDEX server_decision_batches_ids SET (gin_pending_list_limit = 64);
SELECT gin_clean_pending_list('server_decision_batches_ids'::regclass);
`,
  },
  {
    version: 24,
    name: 'decision-log-totals',
    sql: `
-- The log's allow and deny totals, kept in the chain's head row: each batch adds its own as it moves
-- the head, retention takes away what it removes. The officer's decision list showed them by reading
-- every batch (168-214 ms of the embedded database at 300,000 batches, while decisions waited behind
-- it, and growing with the log). verify recounts them from the decisions and reports a difference.
ALTER TABLE server_decision_chain ADD COLUMN allowed bigint NOT NULL DEFAULT 0;
ALTER TABLE server_decision_chain ADD COLUMN denied bigint NOT NULL DEFAULT 0;
UPDATE server_decision_chain SET
  allowed = (SELECT count(*) FROM server_decisions WHERE result = 'allow') + (SELECT coalesce(sum(allowed), 0) FROM server_decision_batches),
  denied = (SELECT count(*) FROM server_decisions WHERE result = 'deny') + (SELECT coalesce(sum(denied), 0) FROM server_decision_batches)
  WHERE chain = 'decisions';
`,
  },
  {
    version: 25,
    name: 'server-instances',
    sql: `
-- Several servers on one PostgreSQL must decide on the same workspace (src/server/fleet.ts): each
-- says here, every second, which revision it serves and since when (the database's clock); health
-- compares them. A stopped server's row is removed; one gone without a word is ignored once stale.
CREATE TABLE server_instances (
  instance text PRIMARY KEY,
  label    text NOT NULL,
  revision text NOT NULL,
  since    timestamptz NOT NULL DEFAULT now(),
  seen_at  timestamptz NOT NULL DEFAULT now()
);
`,
  },
];

/** The highest version this build knows (the server's migrations, versions 20 and up, share the array). */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** Arbitrary constant for pg_advisory_xact_lock: one migrator at a time across processes. */
const MIGRATION_LOCK = 7_310_482_001;

/**
 * Apply every migration not yet recorded, in version order. By version SET, not by the highest version:
 * the ledger's (2-19) and the server's (20 and up) are appended independently, so a database may hold
 * 20 before 2. A recorded version this build does not know means a newer chujing wrote the schema.
 */
export async function migrate(store: Store, migrations: readonly Migration[] = MIGRATIONS): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS chujing_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM chujing_migrations')).map((r) => Number(r.version)));
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...done].filter((v) => !known.has(v)).sort((a, b) => a - b);
    if (unknown.length) throw new ChujingError('database-unavailable', msg('store.newer-schema', { have: unknown.join(', '), know: Math.max(0, ...known) }));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO chujing_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await checkTables(tx, store, migrations);
  });
}

/**
 * Every table the applied migrations made must still be there: one dropped behind chujing's back (an
 * attacker or a mistake with SQL access) is named now, as a damaged database (exit 3), instead of
 * failing a later statement or — worse — being recreated empty.
 */
async function checkTables(tx: Queryable, store: Store, migrations: readonly Migration[]): Promise<void> {
  const expected = tablesOf(migrations.map((m) => m.sql));
  const rows = await tx.query<{ name: string }>(
    "SELECT c.relname AS name FROM pg_class c WHERE c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[]) AND pg_table_is_visible(c.oid)",
    [expected],
  );
  const present = new Set(rows.map((r) => r.name));
  const missing = expected.filter((t) => !present.has(t));
  if (missing.length) throw damagedDatabase(store.kind, store.location, msg('storage.tables-missing', { tables: missing }));
}
