/**
 * One-line summaries of the command groups whose modules are imported only when they run: `--help` lists
 * them from here without loading the scanners, the ledger and the database drivers (start-up, issue 9).
 */
export const GROUP_SUMMARIES = {
  scan: 'measure facts from data files: annotations, manifests, drive logs',
  ledger: 'tamper-evident record of executed outbound transfers and exact year-to-date counts (SEC-LOG-1, CNT-1..3)',
} as const;
