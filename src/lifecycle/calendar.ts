/**
 * The mainland China working-day calendar (工作日): Monday to Friday, minus the statutory holidays
 * (法定节假日, with their make-up days) and plus the adjusted working weekend days (调休上班) that the
 * General Office of the State Council publishes each year. Deadlines counted in working days (SA-6,
 * SC-2, SC-3) use it.
 *
 * The years come from data, never from code: `calendar/cn-workdays.json` ships with the package, and a
 * user adds or replaces years with `.chujing/calendar.yaml` in the workspace or `--calendar FILE`
 * (same shape). A date in a year the calendar does not know is an error that names the date, the years
 * known and how to add one — never a silent guess. A year marked `provisional` is used, but every
 * result that counted through it says so (`provisionalYears`).
 */
import { z } from 'zod';
import { ChujingError, badInput, type ErrorIssue } from '../errors.js';
import { limitsFromEnv } from '../model/limits.js';
import { newBudget, parseYaml, readYamlText, yamlPositions } from '../model/yaml.js';
import { msg, type Msg } from '../i18n/index.js';
import { addDays, isIsoDate, isoWeekday, parseIsoDate, yearOf, type IsoDate } from '../model/dates.js';
import builtInData from './calendar/cn-workdays.json' with { type: 'json' };
import { statutoryCalendarFile } from './statutory.js';

/** Origin of a year computed on the statutory holidays alone (src/lifecycle/statutory.ts). */
export const STATUTORY_ORIGIN = 'statutory';

/**
 * A deadline this many working days or fewer from a holiday of a provisional year is warned about: the
 * yearly notice's bridging days and adjusted working weekends, unknown, fall next to its holidays.
 */
export const NEAR_UNKNOWN_WORKING_DAYS = 3;

const date = z.string().refine(isIsoDate, { message: 'expected a calendar date YYYY-MM-DD' });

const yearSchema = z
  .object({
    provisional: z.boolean().default(false).describe('True when the State Council notice for the year is not yet confirmed; every result counted through it is flagged.'),
    source: z.string().min(1).describe('The notice the year comes from (title, number, date).'),
    holidays: z
      .array(z.object({ name: z.string().min(1), from: date, to: date }).strict())
      .describe('Days off: every day from `from` to `to` (inclusive), weekends included.'),
    workdays: z
      .array(z.object({ name: z.string().min(1), date }).strict())
      .default([])
      .describe('Adjusted working days (调休上班): Saturdays or Sundays that are working days.'),
  })
  .strict();

export const calendarFileSchema = z
  .object({
    calendar: z.string().optional(),
    description: z.string().optional(),
    years: z.record(z.string().regex(/^\d{4}$/, { message: 'a year key is four digits, e.g. 2028' }), yearSchema),
  })
  .strict();

export type CalendarFile = z.infer<typeof calendarFileSchema>;

export interface CalendarYearInfo {
  year: number;
  provisional: boolean;
  source: string;
  /** Where the year was read from: `built-in` or the user's file. */
  origin: string;
}

export interface WorkdayCalendar {
  years: ReadonlyMap<number, CalendarYearInfo>;
  /** Date -> holiday name, for days off that would otherwise be working days or weekends. */
  daysOff: ReadonlyMap<IsoDate, string>;
  /** Date -> reason, for weekend days that are working days. */
  adjustedWorkdays: ReadonlyMap<IsoDate, string>;
  /** The holiday ranges of each year (to warn near the holidays of a provisional year). */
  holidays: ReadonlyMap<number, readonly { name: string; from: IsoDate; to: IsoDate }[]>;
}

interface Layer {
  origin: string;
  file: CalendarFile;
}

/** Checks that are not expressible in the schema: dates inside their year, ranges in order, no day both off and on. */
function checkYears(file: CalendarFile): { field: string; message: string; expected: string }[] {
  const problems: { field: string; message: string; expected: string }[] = [];
  for (const [key, y] of Object.entries(file.years)) {
    const year = Number(key);
    const off = new Set<string>();
    y.holidays.forEach((h, i) => {
      const field = `years.${key}.holidays[${i}]`;
      if (yearOf(h.from) !== year || yearOf(h.to) !== year) problems.push({ field, message: `${h.from}..${h.to} is not inside ${year}`, expected: `dates in ${year}` });
      if (h.to < h.from) problems.push({ field, message: `'to' (${h.to}) is before 'from' (${h.from})`, expected: 'from <= to' });
      for (let d = h.from; d <= h.to && yearOf(d) === year; d = addDays(d, 1)) off.add(d);
    });
    y.workdays.forEach((w, i) => {
      const field = `years.${key}.workdays[${i}]`;
      if (yearOf(w.date) !== year) problems.push({ field, message: `${w.date} is not inside ${year}`, expected: `a date in ${year}` });
      if (off.has(w.date)) problems.push({ field, message: `${w.date} is both a holiday and an adjusted working day`, expected: 'each date in one list only' });
    });
  }
  return problems;
}

/** Later layers replace whole years of earlier ones (a user's file corrects a provisional year). */
export function buildCalendar(layers: Layer[]): WorkdayCalendar {
  const chosen = new Map<number, { origin: string; year: CalendarFile['years'][string] }>();
  for (const layer of layers) for (const [key, year] of Object.entries(layer.file.years)) chosen.set(Number(key), { origin: layer.origin, year });
  const years = new Map<number, CalendarYearInfo>();
  const daysOff = new Map<IsoDate, string>();
  const adjustedWorkdays = new Map<IsoDate, string>();
  const holidays = new Map<number, { name: string; from: IsoDate; to: IsoDate }[]>();
  for (const [y, { origin, year }] of [...chosen].sort((a, b) => a[0] - b[0])) {
    years.set(y, { year: y, provisional: year.provisional, source: year.source, origin });
    holidays.set(y, year.holidays.map((h) => ({ ...h })));
    for (const h of year.holidays) for (let d = h.from; d <= h.to; d = addDays(d, 1)) daysOff.set(d, h.name);
    for (const w of year.workdays) adjustedWorkdays.set(w.date, w.name);
  }
  return { years, daysOff, adjustedWorkdays, holidays };
}

let builtIn: CalendarFile | undefined;

/** The calendar shipped with chujing (validated once; a broken shipped file is a bug, not user input). */
export function builtInCalendarFile(): CalendarFile {
  if (!builtIn) {
    const parsed = calendarFileSchema.safeParse(builtInData);
    if (!parsed.success || checkYears(parsed.data).length > 0) throw new ChujingError('internal', 'the built-in working-day calendar is malformed');
    builtIn = parsed.data;
  }
  return builtIn;
}

/**
 * The years computed on the statutory holidays (2027-2035) lie under every encoded year: the built-in
 * file and the user's files replace them year by year.
 */
const statutoryLayer = (): Layer => ({ origin: STATUTORY_ORIGIN, file: statutoryCalendarFile() });

export function builtInCalendar(): WorkdayCalendar {
  return buildCalendar([statutoryLayer(), { origin: 'built-in', file: builtInCalendarFile() }]);
}

/**
 * Read a user's calendar file (YAML or JSON, same shape as the built-in one). Problems are reported
 * with the file, line and field.
 */
export function readCalendarFile(path: string, display = path): CalendarFile {
  // The workspace loader's bounded reader: size limit, nesting and alias limits, errors with line and column.
  const limits = limitsFromEnv();
  const text = readYamlText(path, display, newBudget(limits));
  const data = parseYaml(text, display, limits);
  const at = (field: string): { line?: number; column?: number } => {
    const path = (field.match(/[^.[\]]+/g) ?? []).map((p, i) => (/^\d+$/.test(p) && i !== 1 ? Number(p) : p));
    return yamlPositions(text, [path])[0] ?? {};
  };
  const parsed = calendarFileSchema.safeParse(data);
  if (!parsed.success) {
    const issues: ErrorIssue[] = parsed.error.issues.map((i) => {
      const field = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
      return { file: display, field: field || undefined, ...at(field), message: i.message, expected: 'see docs/lifecycle.md, "Calendar file"' };
    });
    throw badInput(`${display}: the calendar file does not match the format`, issues);
  }
  const problems = checkYears(parsed.data);
  if (problems.length > 0) throw badInput(`${display}: the calendar file is inconsistent`, problems.map((p) => ({ file: display, ...at(p.field), ...p })));
  return parsed.data;
}

/** The built-in calendar with the user's files layered on top (later files win, year by year). */
export function loadCalendar(userFiles: { path: string; display?: string }[] = []): WorkdayCalendar {
  const layers: Layer[] = [statutoryLayer(), { origin: 'built-in', file: builtInCalendarFile() }];
  for (const f of userFiles) layers.push({ origin: f.display ?? f.path, file: readCalendarFile(f.path, f.display) });
  return buildCalendar(layers);
}

export function knownYears(cal: WorkdayCalendar): number[] {
  return [...cal.years.keys()].sort((a, b) => a - b);
}

/** The bad-input error for a date outside the calendar: names the date, the years known and the fix. */
export function outsideCalendar(cal: WorkdayCalendar, day: IsoDate): ChujingError {
  const years = knownYears(cal);
  const known = years.length ? years : '-';
  const year = yearOf(day);
  return new ChujingError('bad-input', msg('status.calendar.outside', { year, day, known }), [
    { field: 'calendar', message: msg('status.calendar.outside-issue', { day, known }), expected: msg('status.calendar.outside-expected', { year }) },
  ]);
}

function requireYear(cal: WorkdayCalendar, day: IsoDate): void {
  if (!cal.years.has(yearOf(day))) throw outsideCalendar(cal, day);
}

/** Whether `day` is a working day in mainland China. Throws a bad-input ChujingError outside the known years. */
export function isWorkingDay(cal: WorkdayCalendar, day: IsoDate): boolean {
  parseIsoDate(day);
  requireYear(cal, day);
  if (cal.adjustedWorkdays.has(day)) return true;
  if (cal.daysOff.has(day)) return false;
  return isoWeekday(day) <= 5;
}

function step(cal: WorkdayCalendar, from: IsoDate, n: number, direction: 1 | -1): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number >= 0, got ${n}`);
  let day = from;
  let left = n;
  while (left > 0) {
    day = addDays(day, direction);
    if (isWorkingDay(cal, day)) left--;
  }
  return day;
}

/**
 * The Nth working day after `day` (`day` itself not counted, as PRC Civil Code Art. 201 starts a period
 * on the next day). `addWorkingDays(cal, d, 0)` is `d`.
 *
 * @example addWorkingDays(cal, '2026-02-12', 10) // '2026-03-05': 13 Feb, then 24-28 Feb (28th is 调休), then 2-5 Mar
 */
export function addWorkingDays(cal: WorkdayCalendar, day: IsoDate, n: number): IsoDate {
  return step(cal, day, n, 1);
}

/**
 * The Nth working day before `day` (`day` itself not counted). This opens a window "within the N
 * working days before" a date: the window [subtractWorkingDays(d, N), d] holds exactly N working days
 * before d, plus d itself.
 */
export function subtractWorkingDays(cal: WorkdayCalendar, day: IsoDate, n: number): IsoDate {
  return step(cal, day, n, -1);
}

/**
 * Working days in the half-open span (from, to]: `from` not counted, `to` counted. So
 * `workingDaysBetween(d, addWorkingDays(d, n)) === n`. Negative when `to` is before `from`.
 */
export function workingDaysBetween(cal: WorkdayCalendar, from: IsoDate, to: IsoDate): number {
  if (to < from) return -workingDaysBetween(cal, to, from);
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(cal, d)) count++;
  return count;
}

/** Provisional years that a count between two dates (either order) went through. */
export function provisionalYearsBetween(cal: WorkdayCalendar, a: IsoDate, b: IsoDate): number[] {
  const [lo, hi] = a <= b ? [yearOf(a), yearOf(b)] : [yearOf(b), yearOf(a)];
  const out: number[] = [];
  for (let y = lo; y <= hi; y++) if (cal.years.get(y)?.provisional) out.push(y);
  return out;
}

/** The calendar as the pure engine takes it (SA-6 windows): only what it needs, nothing to load. */
export function engineCalendar(cal: WorkdayCalendar): { subtractWorkingDays(date: IsoDate, n: number): IsoDate; provisionalYearsBetween(a: IsoDate, b: IsoDate): number[] } {
  return { subtractWorkingDays: (date, n) => subtractWorkingDays(cal, date, n), provisionalYearsBetween: (a, b) => provisionalYearsBetween(cal, a, b) };
}

/**
 * What a reader must know about a date counted through provisional years (UPD-11): per year, why it is
 * provisional (computed on the statutory holidays alone, or marked provisional in its file); and a
 * warning when `key` lies within NEAR_UNKNOWN_WORKING_DAYS working days of a holiday of a provisional
 * year, where the notice's unknown bridging days and adjusted weekends would move it.
 */
export function provisionalNotes(cal: WorkdayCalendar, from: IsoDate, to: IsoDate, key: IsoDate): Msg[] {
  const notes: Msg[] = [];
  for (const year of provisionalYearsBetween(cal, from, to)) {
    const info = cal.years.get(year)!;
    notes.push(info.origin === STATUTORY_ORIGIN ? msg('law.calendar.statutory', { year }) : msg('law.calendar.provisional', { year, origin: info.origin }));
  }
  const year = yearOf(key);
  if (!cal.years.get(year)?.provisional) return notes;
  for (const h of cal.holidays.get(year) ?? []) {
    let near: boolean;
    try {
      near = key >= subtractWorkingDays(cal, h.from, NEAR_UNKNOWN_WORKING_DAYS) && key <= addWorkingDays(cal, h.to, NEAR_UNKNOWN_WORKING_DAYS);
    } catch {
      near = true; // the count runs into a year the calendar does not know: nothing is certain there
    }
    if (near) notes.push(msg('law.calendar.near-unknown', { date: key, holiday: h.name, from: h.from, to: h.to, days: NEAR_UNKNOWN_WORKING_DAYS, year }));
  }
  return notes;
}
