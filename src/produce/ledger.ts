/** The ledger's documents: what `chujing ledger stats|verify --json` print and GET /v1/ledger/stats|verify answer. */
import type { VerifyReport, YearToDate } from '../ledger/index.js';

/** What `ledger stats --json` prints (the CLI reads the counts from the summary or the database; the server, GET /v1/ledger/stats, from its open database). */
export function ledgerStatsJson(counts: YearToDate[]) {
  return { schema: 'chujing.ledger-stats/1', counts };
}

/** What `ledger verify --json` prints (the CLI and GET /v1/ledger/verify). */
export function ledgerVerifyJson(report: VerifyReport) {
  return { schema: 'chujing.ledger-verify/1', ...report };
}
