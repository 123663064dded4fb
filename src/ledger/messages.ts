/**
 * Strings still used by the manifest reader (manifest.ts, tabular.ts), which the evidence work is
 * converting to message codes. Everything else in the ledger speaks through `src/i18n/{en,zh}/ledger.ts`.
 */
export const LEDGER_MESSAGES = {
  malformedManifest: (file: string) => `${file} is not a well-formed manifest; nothing was recorded`,
  cannotRead: (file: string, why: string) => `cannot read ${file}: ${why}`,
  unknownColumn: (file: string, column: string) => `${file} has no column '${column}'; nothing was recorded`,
  badColumnsOption: 'bad --column mapping; nothing was recorded',
  noIdentifierColumn: (file: string) => `${file} has no identifier column; nothing was recorded`,
  noIdentifier: (file: string) => `${file}: a row has no person or vehicle identifier; nothing was recorded`,
  badFlag: (file: string) => `${file}: a yes/no column holds something else; nothing was recorded`,
};
