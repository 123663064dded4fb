/** Messages of issue 19: a damaged database, a stale lock, secrets readable by others, the decision log's integrity. */
export const storage = {
  'storage.damaged': 'the ledger database {where} is damaged: chujing stopped rather than read or write it',
  'storage.damaged-detail': 'the database answered: {detail}',
  'storage.damaged-expected-pglite':
    'a database that is whole: stop every chujing process, move the folder of {where} aside (keep it for investigation), restore it from a backup, then run `chujing ledger verify` (with `--against` the last anchor); without a backup, re-record the transfers into a new database (ledger import / record)',
  'storage.damaged-expected-postgres':
    'a database that is whole: find who changed {where} (a table was dropped, truncated or corrupted outside chujing), restore it from a backup, then run `chujing ledger verify` (with `--against` the last anchor)',
  'storage.tables-missing': 'table(s) {tables} made by chujing\'s migrations no longer exist',
  'storage.lock-stale-empty': 'took over the lock {file}: it named no owner (left empty by a crash between creating and writing it), so no process can hold it',
  'storage.lock-stale-dead': 'took over the lock {file}: its owner, process {pid} on {host} since {since}, no longer exists',
  'storage.key-file-readable': 'the key file {file} can be read by other users (mode {mode}): anyone on this machine could take the key',
  'storage.key-file-readable-detail': 'mode {mode}: readable by group or others; whoever reads the organisation key can forge seals and checkpoints, whoever reads the anchor key can sign anchors',
  'storage.key-file-readable-expected': 'a key file only its owner can read: `chmod 600 {file}` (or, to accept the risk knowingly, {flag})',
  'help.option.--allow-readable-key-file': 'accept a key file that group or others can read (anyone on this machine could then take the key): refused otherwise, chmod 600 it',
} as const;
