/**
 * Export for auditors: every entry as JSON Lines (to re-check the chain offline: every hashed field,
 * exactly as stored) or CSV for Excel (UTF-8 with a byte-order mark so Excel reads Chinese, times in
 * China time, headers in the chosen language, formula injection neutralised). Person hashes themselves
 * are never exported (counts and digests are).
 */
import type { Lang } from '../i18n/index.js';
import { t, type MessageCode } from '../i18n/index.js';
import type { Queryable } from '../store/index.js';
import { LEDGER_CATEGORIES } from './categories.js';
import type { LedgerEntry } from './entry.js';
import { rowToEntry, type EntryRow } from './rows.js';
import { ENTRY_COLUMNS } from './sql.js';

export type ExportFormat = 'jsonl' | 'csv';
export const ENTRY_EXPORT_SCHEMA = 'chujing.ledger-entry/1';

const PAGE = 1000;

type ExportedEntry = LedgerEntry & { recordedAt: string; seal: string | null };

/** Entries in (organisation, seq) order, a page at a time (constant memory for any ledger size). */
export async function* ledgerEntries(q: Queryable, organizations?: string[]): AsyncGenerator<ExportedEntry> {
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
  'organization', 'seq', 'id', 'time', 'year', 'datasets', 'recipient', 'kind', 'mechanism', 'approvalReference', 'channel', 'operator', 'records', 'bytes', 'forced',
  ...LEDGER_CATEGORIES.map((c) => `distinct.${c}` as const),
  ...LEDGER_CATEGORIES.map((c) => `read.${c}` as const),
  ...LEDGER_CATEGORIES.map((c) => `added.${c}` as const),
  ...LEDGER_CATEGORIES.map((c) => `addedDigest.${c}` as const),
  'inputDigest', 'prevHash', 'entryHash', 'hashVersion', 'recordedAt',
] as const;

/** A header cell in a language (en: the stable column key; zh: its Chinese name). */
export function csvHeader(lang: Lang): string[] {
  return CSV_COLUMNS.map((c) => t(lang, `ledger.export.column.${c}` as MessageCode));
}

/** An instant as Excel reads it, in China time (UTC+8): `2026-06-01 10:00:00`. */
export function chinaTime(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A CSV cell. Text that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage
 * return that some strip first) is prefixed with an apostrophe, as OWASP advises; numbers stay numbers.
 */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function entryToCsvRow(e: ExportedEntry): string {
  const values: unknown[] = [
    e.organization, e.seq, e.id, chinaTime(e.time), e.year, e.datasets.join(';'), e.recipient, e.kind, e.mechanism, e.approvalReference, e.channel, e.operator, e.records, e.bytes, e.forced ?? '',
    ...LEDGER_CATEGORIES.map((c) => (e.distinct ? e.distinct[c] : '')),
    ...LEDGER_CATEGORIES.map((c) => e.identifiersRead[c]),
    ...LEDGER_CATEGORIES.map((c) => e.added[c].count),
    ...LEDGER_CATEGORIES.map((c) => e.added[c].digest),
    e.inputDigest, e.prevHash, e.entryHash, e.hashVersion, chinaTime(e.recordedAt),
  ];
  return values.map(csvCell).join(',');
}

/** The byte-order mark that makes Excel read a CSV as UTF-8. */
export const UTF8_BOM = '\uFEFF';

export async function exportLedger(q: Queryable, format: ExportFormat, write: (chunk: string) => void | Promise<void>, options: { organizations?: string[]; lang?: Lang } = {}): Promise<number> {
  let n = 0;
  if (format === 'csv') await write(`${UTF8_BOM}${csvHeader(options.lang ?? 'en').map(csvCell).join(',')}\r\n`);
  for await (const e of ledgerEntries(q, options.organizations)) {
    await write(format === 'csv' ? `${entryToCsvRow(e)}\r\n` : `${JSON.stringify({ schema: ENTRY_EXPORT_SCHEMA, ...e })}\n`);
    n++;
  }
  return n;
}

/** The CSV of an empty ledger (no database to read). */
export function emptyCsv(lang: Lang): string {
  return `${UTF8_BOM}${csvHeader(lang).map(csvCell).join(',')}\r\n`;
}
