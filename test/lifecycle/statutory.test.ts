/**
 * The statutory holiday table (src/lifecycle/statutory.ts) recomputed independently: lunar dates from
 * the new moons in Beijing time, Qingming from the Sun's longitude (test/lifecycle/astronomy.ts), and the
 * years it builds checked against the measures' rules and the provisional 2027 year shipped before.
 */
import { describe, expect, it } from 'vitest';
import { addDays, isoWeekday } from '../../src/model/dates.js';
import { builtInCalendar, builtInCalendarFile, isWorkingDay } from '../../src/lifecycle/calendar.js';
import { LUNAR_HOLIDAY_DATES, statutoryYear } from '../../src/lifecycle/statutory.js';
import { newMoons, qingming } from './astronomy.js';

const years = Object.keys(LUNAR_HOLIDAY_DATES).map(Number);
const moons = new Set(newMoons(2026, 2036).map((m) => m.date));

describe('lunar and solar-term dates, 2027-2035', () => {
  it.each(years)('%i: 正月初一, 五月初一 and 八月初一 are new-moon days in Beijing time; 清明 is the day the Sun reaches 15°', (year) => {
    const d = LUNAR_HOLIDAY_DATES[year]!;
    expect(moons.has(addDays(d.springFestivalEve, 1)), 'Spring Festival').toBe(true);
    expect(moons.has(addDays(d.dragonBoat, -4)), 'Dragon Boat').toBe(true);
    expect(moons.has(addDays(d.midAutumn, -14)), 'Mid-Autumn').toBe(true);
    expect(d.qingming).toBe(qingming(year).date);
    // Spring Festival falls between 21 January and 20 February; the others in their seasons.
    expect(addDays(d.springFestivalEve, 1) >= `${year}-01-21` && addDays(d.springFestivalEve, 1) <= `${year}-02-20`).toBe(true);
    expect(d.dragonBoat >= `${year}-05-28` && d.dragonBoat <= `${year}-06-25`).toBe(true);
    expect(d.midAutumn >= `${year}-09-07` && d.midAutumn <= `${year}-10-06`).toBe(true);
  });

  it('agrees with the ICU Chinese calendar except where a new moon is within minutes of Beijing midnight', () => {
    const f = new Intl.DateTimeFormat('en-u-ca-chinese', { month: 'numeric', day: 'numeric', timeZone: 'UTC' });
    const lunar = (iso: string) => f.format(new Date(`${iso}T00:00:00Z`));
    const close = new Set(newMoons(2026, 2036).filter((m) => m.hour < 0.5 || m.hour > 23.5).map((m) => m.date.slice(0, 4)));
    for (const y of years) {
      const d = LUNAR_HOLIDAY_DATES[y]!;
      if (!close.has(String(y))) expect(lunar(addDays(d.springFestivalEve, 1)), `${y}`).toBe('1/1');
      expect(lunar(d.dragonBoat), `${y}`).toBe('5/5');
    }
  });
});

describe('years computed on the statutory holidays (全国年节及纪念日放假办法 Art. 2, Art. 6)', () => {
  it('2027 is the provisional year shipped in the built-in file, day for day', () => {
    const shipped = builtInCalendarFile().years['2027']!;
    expect(statutoryYear(2027)!.holidays.map((h) => [h.from, h.to])).toEqual(shipped.holidays.map((h) => [h.from, h.to]));
  });

  it.each(years)('%i: 13 statutory days, each weekend one made up on a following working day; provisional', (year) => {
    const y = statutoryYear(year)!;
    expect(y.provisional).toBe(true);
    expect(y.workdays).toEqual([]);
    const off: string[] = [];
    for (const h of y.holidays) for (let d = h.from; d <= h.to; d = addDays(d, 1)) off.push(d);
    const weekdaysOff = off.filter((d) => isoWeekday(d) <= 5).length;
    // 13 statutory days; a weekend one is made up on a weekday; Mid-Autumn on 1 October (2031) overlaps.
    const overlap = LUNAR_HOLIDAY_DATES[year]!.midAutumn >= `${year}-10-01` && LUNAR_HOLIDAY_DATES[year]!.midAutumn <= `${year}-10-03` ? 1 : 0;
    expect(weekdaysOff).toBe(13 - overlap);
  });

  it('the built-in calendar knows 2028-2035 through them; 2029-02-12 (除夕, a Monday) is a day off', () => {
    const cal = builtInCalendar();
    expect(cal.years.get(2029)).toMatchObject({ provisional: true, origin: 'statutory' });
    expect(isWorkingDay(cal, '2029-02-12')).toBe(false);
    expect(isWorkingDay(cal, '2029-02-16')).toBe(true);
    // 2028: Labour Day Mon 1 - Tue 2 May; Qingming Tue 4 Apr; National Day Sun 1 Oct -> made up Wed 4 Oct.
    expect(isWorkingDay(cal, '2028-10-04')).toBe(false);
    expect(isWorkingDay(cal, '2028-10-05')).toBe(true);
  });
});
