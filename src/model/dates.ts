/**
 * Calendar dates as ISO strings (YYYY-MM-DD), with no time zone and no clock: the engine is pure, and a
 * date in a workspace is a date in China (UTC+8), not an instant.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type IsoDate = string;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [, y, mo, d] = m.map(Number) as [number, number, number, number];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseIsoDate(value: IsoDate): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(value);
  if (!m || !isIsoDate(value)) throw new RangeError(`not a date YYYY-MM-DD: ${value}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

export function formatIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function yearOf(date: IsoDate): number {
  return parseIsoDate(date).year;
}

/** Add days (may be negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  const t = new Date(Date.UTC(year, month - 1, day + days));
  return formatIsoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/**
 * Add calendar months; a day that does not exist in the target month is clamped to the month's last day
 * (31 August + 6 months = 28/29 February), as PRC Civil Code Art. 203 does for periods without a
 * corresponding day.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatIsoDate(y, m, Math.min(day, daysInMonth(y, m)));
}

export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  const pa = parseIsoDate(a);
  const pb = parseIsoDate(b);
  return Math.round((Date.UTC(pb.year, pb.month - 1, pb.day) - Date.UTC(pa.year, pa.month - 1, pa.day)) / 86_400_000);
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function isoWeekday(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Today's date in China (UTC+8), for the CLI's default --as-of. Never called by the engine. */
export function todayInChina(now: Date = new Date()): IsoDate {
  const t = new Date(now.getTime() + 8 * 3_600_000);
  return formatIsoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/**
 * `n` weekdays (Monday to Friday) before `date`, the day itself not counted: the working-day count
 * when no holiday calendar is known for the years involved (an approximation, always flagged).
 */
export function subtractWeekdays(date: IsoDate, n: number): IsoDate {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, -1);
    if (isoWeekday(d) <= 5) left--;
  }
  return d;
}
