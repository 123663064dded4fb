/** Messages of issue 19: a damaged database, a stale lock, secrets readable by others, the decision log's integrity. */
export const storage = {
  'storage.damaged': 'the ledger database {where} is damaged: chujing stopped rather than read or write it',
  'storage.damaged-detail': 'the database answered: {detail}',
  'storage.damaged-expected-pglite':
    'a database that is whole: stop every chujing process, move the folder of {where} aside (keep it for investigation), restore it from a backup, then run `chujing ledger verify` (with `--against` the last anchor); without a backup, re-record the transfers into a new database (`ledger import` / `record`)',
  'storage.damaged-expected-postgres':
    'a database that is whole: find who changed {where} (a table was dropped, truncated or corrupted outside chujing), restore it from a backup, then run `chujing ledger verify` (with `--against` the last anchor)',
  'storage.tables-missing': 'table(s) {tables} made by chujing\'s migrations no longer exist',
  'storage.lock-stale-empty': 'took over the lock {file}: it named no owner (left empty by a crash between creating and writing it), so no process can hold it',
  'storage.lock-stale-dead': 'took over the lock {file}: its owner, process {pid} on {host} since {since}, no longer exists',
  'storage.key-file-readable': 'the key file {file} can be read by other users (mode {mode}): anyone on this machine could take the key',
  'storage.key-file-readable-detail': 'mode {mode}: readable by group or others; whoever reads the organisation key can forge seals and checkpoints, whoever reads the anchor key can sign anchors',
  'storage.key-file-readable-expected': 'a key file only its owner can read: `chmod 600 {file}` (or, to accept the risk knowingly, `{flag}`)',
  'help.option.--allow-readable-key-file': 'accept a key file that group or others can read (anyone on this machine could then take the key): refused otherwise, `chmod 600` it',
  'storage.decision-log-missing': 'the decision log is broken: decisions {from} to {to} are missing (its table was emptied or truncated, or rows were deleted)',
  'storage.decision-log-gaps': 'the decision log is broken: {n} decision(s) between {from} and {to} are missing (`GET /v1/decision-log/verify` names the first)',
  'storage.decision-log-no-head': 'the decision log is broken: {n} decision(s) exist but the chain head was removed',
  'storage.decision-log-head-removed': 'the decision log is broken: its chain head was removed (this server saw it at decision {seq})',
  'storage.decision-log-rolled-back': 'the decision log is broken: its chain head went back to decision {head} (this server saw {seen})',
  'storage.decision-log-head-mismatch': 'the decision log is broken: the chain head does not match decision {seq}',
  'storage.decision-log-bad-seal': 'the decision log is broken: the chain head at decision {seq} is not sealed by the organisation key (rewritten outside chujing)',
  'storage.decision-log-unchecked': 'the decision log could not be checked: {why}',
  'storage.decision-log-refused': 'decisions are refused while the decision log is broken (fail closed): {problem}',
  'storage.decision-log-refused-expected': 'a repaired decision log (restore the database, then restart the server), or a server started with `--accept-broken-decision-log` to keep deciding on the broken record',
  'help.serve.--accept-broken-decision-log': 'keep deciding when the decision log is found broken (default: refuse with 503, fail closed)',
  'storage.decision-log-behind-anchor': 'the decision log is broken: its head is at decision {head}, behind the anchor of {createdAt} (decision {seq}): decisions were removed or the log rolled back',
  'storage.decision-log-diverged': 'the decision log is broken: decision {seq} is not the one the anchor of {createdAt} signed',
} as const;
