/**
 * Files that Excel opens as they are: the rules every CSV export of chujing follows (the inventory, the
 * ledger's audit export), in one place.
 *
 * - UTF-8 with a byte-order mark: without it, Excel on a Chinese Windows reads a CSV as GBK and shows
 *   mojibake.
 * - Instants in China time (UTC+8) as `YYYY-MM-DD HH:MM:SS`, which Excel recognises; calendar dates stay
 *   `YYYY-MM-DD`.
 * - Formula injection neutralised (OWASP "CSV Injection"): a text cell that a spreadsheet would run as a
 *   formula — starting with `=`, `+`, `-`, `@`, or a tab or carriage return that some strip first — gets a
 *   leading apostrophe, which Excel hides and which turns the cell into text. Numbers stay numbers.
 * - CRLF line ends, fields quoted when they hold a comma, quote or line break (RFC 4180).
 */

/** The byte-order mark that makes Excel read a CSV as UTF-8. */
export const UTF8_BOM = '\uFEFF';

/** Text a spreadsheet would take for a formula. */
export function looksLikeFormula(s: string): boolean {
  return /^[=+\-@\t\r]/.test(s);
}

/** A text value made safe to open in a spreadsheet (numbers are not text and are left alone). */
export function neutralizeFormula(s: string): string {
  return looksLikeFormula(s) ? `'${s}` : s;
}

export type CellValue = string | number | boolean | null | undefined;

/** One CSV cell: text neutralised, then quoted when needed. */
export function csvCell(v: CellValue): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (typeof v === 'string') s = neutralizeFormula(s);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly CellValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** A whole CSV file for Excel: BOM, header, rows. */
export function csvFile(header: readonly string[], rows: readonly (readonly CellValue[])[]): string {
  return UTF8_BOM + csvLine(header) + rows.map(csvLine).join('');
}

/** An instant as Excel reads it, in China time (UTC+8): `2026-06-01 10:00:00`. */
export function chinaTime(iso: string | Date): string {
  const ms = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  if (!Number.isFinite(ms)) return String(iso);
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
