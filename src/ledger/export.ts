/**
 * Export for auditors: every entry as JSON Lines or CSV, in chain order, with its hashes so an auditor
 * can re-check the chain offline. Person hashes themselves are not exported (counts and digests are).
 */
import type { Queryable } from '../store/index.js';
import { LEDGER_CATEGORIES } from './categories.js';
import type { LedgerEntry } from './entry.js';
import { rowToEntry, type EntryRow } from './rows.js';
import { ENTRY_COLUMNS } from './sql.js';

export type ExportFormat = 'jsonl' | 'csv';

const PAGE = 1000;

/** Entries in (organisation, seq) order, a page at a time (constant memory for any ledger size). */
export async function* ledgerEntries(q: Queryable, organizations?: string[]): AsyncGenerator<LedgerEntry & { recordedAt: string }> {
  let after: [string, number] = ['', 0];
  for (;;) {
    const rows = await q.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_entries
       WHERE (organization, seq) > ($1, $2) AND ($3::text[] IS NULL OR organization = ANY($3::text[]))
       ORDER BY organization, seq LIMIT ${PAGE}`,
      [after[0], after[1], organizations ?? null],
    );
    for (const r of rows) yield rowToEntry(r);
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = [last.organization, Number(last.seq)];
  }
}

export const CSV_COLUMNS = [
  'organization', 'seq', 'id', 'time', 'year', 'datasets', 'recipient', 'kind', 'mechanism', 'approvalReference', 'channel', 'operator', 'records', 'bytes',
  ...LEDGER_CATEGORIES.map((c) => `read.${c}`),
  ...LEDGER_CATEGORIES.map((c) => `added.${c}`),
  ...LEDGER_CATEGORIES.map((c) => `addedDigest.${c}`),
  'inputDigest', 'prevHash', 'entryHash', 'recordedAt',
] as const;

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function entryToCsvRow(e: LedgerEntry & { recordedAt: string }): string {
  const values: unknown[] = [
    e.organization, e.seq, e.id, e.time, e.year, e.datasets.join(';'), e.recipient, e.kind, e.mechanism, e.approvalReference, e.channel, e.operator, e.records, e.bytes,
    ...LEDGER_CATEGORIES.map((c) => e.identifiersRead[c]),
    ...LEDGER_CATEGORIES.map((c) => e.added[c].count),
    ...LEDGER_CATEGORIES.map((c) => e.added[c].digest),
    e.inputDigest, e.prevHash, e.entryHash, e.recordedAt,
  ];
  return values.map(csvCell).join(',');
}

export async function exportLedger(q: Queryable, format: ExportFormat, write: (chunk: string) => void, organizations?: string[]): Promise<number> {
  let n = 0;
  if (format === 'csv') write(`${CSV_COLUMNS.join(',')}\n`);
  for await (const e of ledgerEntries(q, organizations)) {
    write(format === 'csv' ? `${entryToCsvRow(e)}\n` : `${JSON.stringify(e)}\n`);
    n++;
  }
  return n;
}
