/**
 * Working-day calendars for years whose State Council holiday notice is not encoded (UPD-11): the
 * statutory holidays of the national holiday measures (全国年节及纪念日放假办法, 2024 amendment, in force
 * 1 January 2025), Art. 2: New Year's Day 1 day (1 Jan); Spring Festival 4 days (除夕 to 正月初三);
 * Qingming 1 day (the 清明 solar term); Labour Day 2 days (1-2 May); Dragon Boat 1 day (五月初五);
 * Mid-Autumn 1 day (八月十五); National Day 3 days (1-3 Oct); and Art. 6: a holiday falling on a
 * Saturday or Sunday is made up on the following working day. What the yearly notice adds (bridging days
 * and the adjusted working weekends, 调休上班) is unknown, so such a year is provisional: every count
 * through it says so, with this reason, and a deadline near one of its holidays carries a warning.
 * The official year replaces it as soon as it is encoded (built-in file or the user's calendar file).
 *
 * The lunar and solar-term dates below are Beijing-time dates (GB/T 33661-2017). Source: computed for
 * this project from the new moons (Meeus, Astronomical Algorithms 2nd ed., ch. 49) and the Sun's
 * apparent longitude of 15° (ch. 25), the months numbered as the ICU Chinese calendar numbers them;
 * ICU's own day is one off where a new moon falls within minutes of Beijing midnight (2027-02-06
 * 23:56, 2030-02-03 00:07), which is why the table is hand-kept rather than read from Intl at run time.
 * test/lifecycle/statutory.test.ts recomputes every date independently.
 */
import { addDays, isoWeekday, type IsoDate } from '../model/dates.js';
import type { CalendarFile } from './calendar.js';

export interface LunarHolidayDates {
  /** 除夕, the last day of the twelfth lunar month (the day before 正月初一). */
  springFestivalEve: IsoDate;
  /** 清明, the day the Sun reaches 15° of apparent longitude. */
  qingming: IsoDate;
  /** 端午, 五月初五. */
  dragonBoat: IsoDate;
  /** 中秋, 八月十五. */
  midAutumn: IsoDate;
}

export const LUNAR_HOLIDAY_DATES: Readonly<Record<number, LunarHolidayDates>> = {
  2027: { springFestivalEve: '2027-02-05', qingming: '2027-04-05', dragonBoat: '2027-06-09', midAutumn: '2027-09-15' },
  2028: { springFestivalEve: '2028-01-25', qingming: '2028-04-04', dragonBoat: '2028-05-28', midAutumn: '2028-10-03' },
  2029: { springFestivalEve: '2029-02-12', qingming: '2029-04-04', dragonBoat: '2029-06-16', midAutumn: '2029-09-22' },
  2030: { springFestivalEve: '2030-02-02', qingming: '2030-04-05', dragonBoat: '2030-06-05', midAutumn: '2030-09-12' },
  2031: { springFestivalEve: '2031-01-22', qingming: '2031-04-05', dragonBoat: '2031-06-24', midAutumn: '2031-10-01' },
  2032: { springFestivalEve: '2032-02-10', qingming: '2032-04-04', dragonBoat: '2032-06-12', midAutumn: '2032-09-19' },
  2033: { springFestivalEve: '2033-01-30', qingming: '2033-04-04', dragonBoat: '2033-06-01', midAutumn: '2033-09-08' },
  2034: { springFestivalEve: '2034-02-18', qingming: '2034-04-05', dragonBoat: '2034-06-20', midAutumn: '2034-09-27' },
  2035: { springFestivalEve: '2035-02-07', qingming: '2035-04-05', dragonBoat: '2035-06-10', midAutumn: '2035-09-16' },
};

export const STATUTORY_SOURCE =
  'PROVISIONAL (computed): no State Council notice encoded for this year. Statutory holidays of 全国年节及纪念日放假办法 (2024 amendment) Art. 2 on the year\'s lunar and solar-term dates (src/lifecycle/statutory.ts), with Art. 6 make-up days for holidays on a Saturday or Sunday; bridging days and adjusted working weekends (调休上班) are unknown.';

const pad = (n: number) => String(n).padStart(2, '0');

/** The statutory days off of `year` as the calendar file's shape, or undefined beyond the table. */
export function statutoryYear(year: number): CalendarFile['years'][string] | undefined {
  const lunar = LUNAR_HOLIDAY_DATES[year];
  if (!lunar) return undefined;
  const day = (m: number, d: number) => `${year}-${pad(m)}-${pad(d)}`;
  const run = (from: IsoDate, n: number) => Array.from({ length: n }, (_, i) => addDays(from, i));
  const groups = [
    { name: '元旦 New Year\'s Day', days: [day(1, 1)] },
    { name: '春节 Spring Festival', days: run(lunar.springFestivalEve, 4) },
    { name: '清明节 Qingming', days: [lunar.qingming] },
    { name: '劳动节 Labour Day', days: [day(5, 1), day(5, 2)] },
    { name: '端午节 Dragon Boat Festival', days: [lunar.dragonBoat] },
    { name: '中秋节 Mid-Autumn Festival', days: [lunar.midAutumn] },
    { name: '国庆节 National Day', days: [day(10, 1), day(10, 2), day(10, 3)] },
  ];
  const off = new Set(groups.flatMap((g) => g.days));
  const isWeekend = (d: IsoDate) => isoWeekday(d) >= 6;
  // Art. 6: each statutory day on a weekend is made up on the next working day after its holiday.
  const holidays = groups.map((g) => {
    let last = g.days[g.days.length - 1]!;
    let owed = g.days.filter(isWeekend).length;
    let d = last;
    while (owed > 0) {
      d = addDays(d, 1);
      if (!isWeekend(d) && !off.has(d)) {
        off.add(d);
        last = d;
        owed--;
      }
    }
    const madeUp = last !== g.days[g.days.length - 1];
    return { name: madeUp ? `${g.name} + make-up days (Art. 6)` : g.name, from: g.days[0]!, to: last };
  });
  // Mid-Autumn can fall within National Day (2031): one range.
  holidays.sort((a, b) => (a.from < b.from ? -1 : 1));
  const merged: typeof holidays = [];
  for (const h of holidays) {
    const prev = merged[merged.length - 1];
    if (prev && h.from <= addDays(prev.to, 1)) {
      prev.name = `${prev.name}; ${h.name}`;
      if (h.to > prev.to) prev.to = h.to;
    } else merged.push({ ...h });
  }
  return { provisional: true, source: STATUTORY_SOURCE, holidays: merged, workdays: [] };
}

/** The years the table can compute, as a calendar layer (below the built-in file and the user's files). */
export function statutoryCalendarFile(): CalendarFile {
  const years: CalendarFile['years'] = {};
  for (const y of Object.keys(LUNAR_HOLIDAY_DATES)) years[y] = statutoryYear(Number(y))!;
  return { calendar: 'cn-statutory-holidays', years };
}
