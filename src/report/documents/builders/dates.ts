/**
 * Dates on the mainland working-day calendar for the documents (SC-2, SC-3, SA-3), computed with the
 * same calendar as `status`. A date the calendar cannot count through (a year it does not know) is
 * reported as unknown with the reason, not thrown: one far-away date must not sink a whole document.
 */
import { msg, type Msg } from '../../../i18n/index.js';
import { addWorkingDays, knownYears, provisionalYearsBetween, subtractWorkingDays, type WorkdayCalendar } from '../../../lifecycle/calendar.js';
import { ChujingError } from '../../../errors.js';

export type CalendarDate = { date: string; provisionalYears: number[] } | { date: null; error: Msg };

function attempt(calendar: WorkdayCalendar, from: string, compute: () => string): CalendarDate {
  try {
    const date = compute();
    const [a, b] = date < from ? [date, from] : [from, date];
    return { date, provisionalYears: provisionalYearsBetween(calendar, a, b) };
  } catch (e) {
    if (e instanceof ChujingError) return { date: null, error: msg('doc.date.unknown', { years: knownYears(calendar).map(String) }) };
    throw e;
  }
}

/** The nth working day after `from` (`from` not counted, Civil Code Art. 201). */
export function workingDaysAfter(calendar: WorkdayCalendar, from: string, n: number): CalendarDate {
  return attempt(calendar, from, () => addWorkingDays(calendar, from, n));
}

/** The nth working day before `from`. */
export function workingDaysBefore(calendar: WorkdayCalendar, from: string, n: number): CalendarDate {
  return attempt(calendar, from, () => subtractWorkingDays(calendar, from, n));
}

/** A computed date as text: the date (marked when it went through a provisional year) or why it is unknown. */
export function dateText(d: CalendarDate): Msg | string {
  if (d.date === null) return d.error;
  return d.provisionalYears.length ? msg('doc.date.provisional', { date: d.date, years: d.provisionalYears.map(String) }) : d.date;
}

/** A life-cycle deadline's date as text, marked (暂定) when it was counted through a provisional calendar year. */
export function deadlineText(d: { date: string | null; provisionalYears: number[] }): Msg | string | null {
  if (d.date === null) return null;
  return d.provisionalYears.length ? msg('doc.date.provisional', { date: d.date, years: d.provisionalYears.map(String) }) : d.date;
}
