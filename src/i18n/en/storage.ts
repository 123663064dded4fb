/** Messages of issue 19: a damaged database, a stale lock, secrets readable by others, the decision log's integrity. */
export const storage = {
  'storage.damaged': 'the ledger database {where} is damaged: chujing stopped rather than read or write it',
  'storage.damaged-detail': 'the database answered: {detail}',
  'storage.damaged-expected-pglite':
    'a database that is whole: stop every chujing process, move the folder of {where} aside (keep it for investigation), restore it from a backup, then run `chujing ledger verify` (with `--against` the last anchor); without a backup, re-record the transfers into a new database (ledger import / record)',
  'storage.damaged-expected-postgres':
    'a database that is whole: find who changed {where} (a table was dropped, truncated or corrupted outside chujing), restore it from a backup, then run `chujing ledger verify` (with `--against` the last anchor)',
  'storage.tables-missing': 'table(s) {tables} made by chujing\'s migrations no longer exist',
} as const;
