/** Human messages of the ledger, in one place so a zh table can sit beside this one. */
export const LEDGER_MESSAGES = {
  malformedManifest: (file: string) => `${file} is not a well-formed manifest; nothing was recorded`,
  cannotRead: (file: string, why: string) => `cannot read ${file}: ${why}`,
  unknownColumn: (file: string, column: string) => `${file} has no column '${column}'; nothing was recorded`,
  badColumnsOption: 'bad --column mapping; nothing was recorded',
  noIdentifierColumn: (file: string) => `${file} has no identifier column; nothing was recorded`,
  noIdentifier: (file: string) => `${file}: a row has no person or vehicle identifier; nothing was recorded`,
  badFlag: (file: string) => `${file}: a yes/no column holds something else; nothing was recorded`,
  badEntries: (file: string) => `${file}: the ledger entries do not match the format; nothing was recorded`,
  unknownTransfer: (id: string) => `no transfer '${id}' in the workspace; nothing was recorded`,
  unknownApproval: (id: string) => `no approval '${id}' in the workspace; nothing was recorded`,
  unknownReference: (what: string, id: string) => `unknown ${what} '${id}'; nothing was recorded`,
  conflict: (org: string, id: string) => `ledger entry '${id}' of ${org} was already recorded with different content; nothing was recorded`,
  keyMismatch: (org: string) => `the HMAC key differs from the one the ledger of ${org} was started with: its hashes would not match, so counts would be wrong; nothing was recorded`,
  retention: (before: string, earliest: string, years: number) => `refusing to prune: entries dated on or after ${earliest} are within the ${years}-year retention (SEC-LOG-1); --before ${before} is too late`,
  pruneBroken: (org: string) => `refusing to prune: the ledger of ${org} does not verify (run \`chujing ledger verify\`)`,
  checkpointNeedsKey: 'the ledger has signed checkpoints from pruning; the HMAC key is needed to check them',
  badDate: (what: string, value: string) => `${what} is not a date: ${value}`,
  noDatabase: (dir: string) => `no ledger database for the workspace in ${dir} (record a transfer first, or set DATABASE_URL)`,
};

export const VERIFY_KIND_TEXT = {
  changed: 'an entry was changed after it was recorded',
  deleted: 'an entry was deleted',
  inserted: 'an entry was inserted that is not part of the chain',
  reordered: 'entries were reordered',
} as const;
