/** Messages of the database layer (src/store): opening, locking, migrating. */
export const store = {
  'store.in-use': 'database in use: another chujing process (pid {pid}) holds the embedded ledger database ({file})',
  'store.in-use-expected': 'the other chujing process to finish (or set CHUJING_DB_WAIT_MS to wait longer), or a PostgreSQL server (DATABASE_URL) shared by every process',
  'store.in-use-server': 'database in use: the chujing server at {url} (pid {pid}) owns the embedded ledger database; go through the server at {url}, or use a PostgreSQL server (DATABASE_URL)',
  'store.in-use-server-expected': 'requests to the server at {url} while it runs, or DATABASE_URL=postgres://… for both the server and the command line',
  'store.server-url-unknown': '(address not announced yet)',
  'store.held-by': 'held by process {pid} on {host} since {since}',
  'store.held-by-unknown': 'held by another process',
  'store.cannot-open': 'the embedded ledger database in {dir} cannot be opened',
  'store.cannot-open-detail': 'PGlite could not start on it ({detail}); it is damaged, or was left half-created by an older chujing that was killed',
  'store.cannot-open-expected':
    'a database that opens: move {dir} aside (do not delete it: keep it for investigation), then restore it from a backup, or re-record the transfers (ledger import / record) into a new one; if the ledger was never written to, removing the folder is safe',
  'store.bad-url': 'DATABASE_URL is not a postgres:// URL: {url}',
  'store.bad-url-detail': 'not a PostgreSQL URL',
  'store.bad-url-expected': 'postgres://user@host:port/database',
  'store.cannot-connect': 'cannot connect to the PostgreSQL server {where}: {why}',
  'store.cannot-connect-expected': 'a reachable PostgreSQL server',
  'store.newer-schema': 'the ledger database has schema version(s) {have} that this chujing does not know (it knows up to {know}); a newer chujing wrote it: upgrade chujing',
} as const;
