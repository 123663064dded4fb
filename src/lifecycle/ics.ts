/**
 * Deadlines as an RFC 5545 iCalendar file a person adds to a calendar: one all-day VEVENT per dated
 * deadline (DTSTART;VALUE=DATE, DTEND the next day), DTSTAMP from an explicit instant (never the clock
 * here), CRLF line endings, TEXT escaping (§3.3.11) and folding at 75 octets (§3.1) without splitting a
 * UTF-8 character.
 *
 * Re-importing a regenerated file updates the events instead of duplicating them: the UID names the
 * approval and the kind of deadline — never its date, so a date that moves (a corrected effective date,
 * a calendar year added) moves the event — and SEQUENCE grows with DTSTAMP (§3.8.7.4: a client keeps
 * the revision with the higher sequence), derived from it so that the same --as-of gives the same file.
 * Each event has a display reminder (VALARM) a week before.
 */
import { addDays, type IsoDate } from '../model/dates.js';
import type { Lang } from './messages.js';
import { deadlineDescription, deadlineSummary, tr } from './messages.js';
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

/** Days before each deadline that its reminder goes off. */
export const REMINDER_DAYS = 7;
const SEQUENCE_EPOCH = Date.UTC(2024, 0, 1);

/** The event's revision: minutes since 2024-01-01 of DTSTAMP, so a later regeneration has a higher one. */
export function sequenceOf(stamp: Date): number {
  return Math.max(0, Math.floor((stamp.getTime() - SEQUENCE_EPOCH) / 60_000));
}

/** Stable per deadline: the approval and the kind, not the date (a moved date updates the event). */
export function eventUid(d: { approval: string; kind: string }): string {
  return `${d.approval}.${d.kind}@chujing`;
}

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
  const sequence = sequenceOf(options.stamp);
  for (const d of report.deadlines) {
    if (!d.date) continue;
    const summary = deadlineSummary(options.lang, d);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${eventUid(d)}`,
      `DTSTAMP:${stamp}`,
      `SEQUENCE:${sequence}`,
      `DTSTART;VALUE=DATE:${basicDate(d.date)}`,
      `DTEND;VALUE=DATE:${basicDate(addDays(d.date, 1))}`,
      `SUMMARY:${escapeText(summary)}`,
      `DESCRIPTION:${escapeText(deadlineDescription(options.lang, d, report.asOf))}`,
      `CATEGORIES:${d.rules.map(escapeText).join(',')}`,
      'TRANSP:TRANSPARENT',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      `TRIGGER:-P${REMINDER_DAYS}D`,
      `DESCRIPTION:${escapeText(tr(options.lang, 'ics.reminder', { summary }))}`,
      'END:VALARM',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
