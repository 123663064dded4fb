/**
 * Human lines shared by the scan commands: the list of skipped records, in the reader's language.
 * (Messages only: the surfaces decide where the lines go.)
 */
import { formatIssue } from '../errors.js';
import { t, type Lang } from '../i18n/index.js';
import type { SkippedRecord } from './types.js';

/** How many skipped records are printed one by one (JSON lists more). */
export const SKIPPED_SHOWN = 20;

export function skippedLines(lang: Lang, skipped: readonly SkippedRecord[], total: number): string {
  if (total === 0) return '';
  let out = `${t(lang, 'scan.skipped', { count: total })}\n`;
  for (const s of skipped.slice(0, SKIPPED_SHOWN)) {
    out += `  ${formatIssue({ file: s.file, ...(s.line !== undefined ? { line: s.line } : {}), ...(s.offset !== undefined ? { offset: s.offset } : {}), message: s.reason, ...(s.expected ? { expected: s.expected } : {}) }, lang)}\n`;
  }
  if (total > SKIPPED_SHOWN) out += `  ${t(lang, 'scan.skipped-more', { count: total - SKIPPED_SHOWN })}\n`;
  return out;
}
