/**
 * Deadlines as an RFC 5545 iCalendar file a person adds to a calendar: one all-day VEVENT per dated
 * deadline (DTSTART;VALUE=DATE, DTEND the next day), a stable UID per approval and deadline kind (so a
 * re-import updates instead of duplicating), DTSTAMP from an explicit instant (never the clock here),
 * CRLF line endings, TEXT escaping (§3.3.11) and folding at 75 octets (§3.1) without splitting a UTF-8
 * character.
 */
import { addDays, type IsoDate } from '../model/dates.js';
import type { Lang } from './messages.js';
import { deadlineDescription, deadlineSummary } from './messages.js';
import type { StatusReport } from './status.js';

const CRLF = '\r\n';

/** §3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** §3.1: lines longer than 75 octets are folded with CRLF + one space, never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // continuation lines start with a space, which counts
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

const basicDate = (d: IsoDate) => d.replace(/-/g, '');

/** UTC instant in the basic format DTSTAMP requires (YYYYMMDDTHHMMSSZ). */
export function formatStamp(instant: Date): string {
  return instant.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export interface IcsOptions {
  lang: Lang;
  /** DTSTAMP of every event: when the file was produced. */
  stamp: Date;
  /** Calendar name shown by clients. */
  name?: string;
}

export function statusToIcs(report: StatusReport, options: IcsOptions): string {
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//chujing//lifecycle deadlines//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(options.name ?? 'chujing deadlines')}`,
  ];
  const stamp = formatStamp(options.stamp);
  for (const d of report.deadlines) {
    if (!d.date) continue;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${d.approval}.${d.kind}.${basicDate(d.date)}@chujing`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${basicDate(d.date)}`,
      `DTEND;VALUE=DATE:${basicDate(addDays(d.date, 1))}`,
      `SUMMARY:${escapeText(deadlineSummary(options.lang, d))}`,
      `DESCRIPTION:${escapeText(deadlineDescription(options.lang, d, report.asOf))}`,
      `CATEGORIES:${d.rules.map(escapeText).join(',')}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
