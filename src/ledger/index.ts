/**
 * The ledger: the tamper-evident record of every executed outbound transfer (SEC-LOG-1) and the exact
 * year-to-date distinct counts of persons and vehicles sent (CNT-1..3), on PGlite or PostgreSQL.
 */
export { LEDGER_CATEGORIES, CATEGORY_CODE, type LedgerCategory, type PerCategory } from './categories.js';
export { canonicalJson } from './canonical.js';
export { computeEntryHash, genesisHash, normaliseTime, chinaYear, chinaDate, type LedgerEntry, type LedgerEntryContent } from './entry.js';
export { HashPacker, RECORD_BYTES, type HashSource } from './hash-batches.js';
export { manifestHashes, parseColumnMapping, MANIFEST_COLUMNS, type ManifestColumn } from './manifest.js';
export { readTabular, formatFromPath, type TabularFormat } from './tabular.js';
export { recordEntries, type RecordItem, type RecordOutcome, type RecordProgress } from './record.js';
export { verifyLedger, verifyOrganization, BREAK_KINDS, type VerifyReport, type ChainBreak, type BreakKind } from './verify.js';
export { yearToDateCounts, type YearToDate } from './stats.js';
export { pruneLedger, earliestRetainedDate, type PruneOutcome } from './prune.js';
export { exportLedger, ledgerEntries, type ExportFormat } from './export.js';
export { admit, admissionReasons, type ForcedReason } from './admit.js';
export { makeAnchor, readAnchor, checkAgainstAnchor, currentHeads, generateAnchorKeys, type Anchor } from './anchor.js';
export { closeLedgerStore, readCurrentSummary, readFigures, type LedgerSummary, type LedgerFigures } from './summary.js';
export { entriesFromJson, contentFromTransfer, ledgerEntryInputSchema } from './input.js';
export { loadLedgerBaseline, loadLedgerCounts, baselineFromStore, type LoadLedgerBaselineOptions } from './baseline.js';
export { newPersonsOf, type PlannedTransferHashes } from './planned.js';
