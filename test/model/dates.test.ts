/** Calendar arithmetic used by validity periods: properties checked against the JS Date oracle. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, addYears, daysBetween, formatIsoDate, isIsoDate, isoWeekday } from '../../src/model/dates.js';
import { endOfYears } from '../../src/engine/validity.js';

const date = fc.date({ min: new Date(Date.UTC(1990, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true }).map((d) => formatIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()));

describe('dates', () => {
  it('addDays and daysBetween are inverse', () => {
    fc.assert(fc.property(date, fc.integer({ min: -5000, max: 5000 }), (d, n) => daysBetween(d, addDays(d, n)) === n && isIsoDate(addDays(d, n))));
  });

  it('addMonths lands in the right month and never overflows into the next', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -60, max: 60 }), (d, n) => {
        const r = addMonths(d, n);
        const [y, m, day] = d.split('-').map(Number) as [number, number, number];
        const index = y * 12 + (m - 1) + n;
        const [ry, rm, rd] = r.split('-').map(Number) as [number, number, number];
        return ry === Math.floor(index / 12) && rm === (index % 12) + 1 && rd <= day && isIsoDate(r);
      }),
    );
  });

  it('month ends and leap days clamp to the last day of the month', () => {
    expect(addMonths('2028-08-31', -6)).toBe('2028-02-29');
    expect(addMonths('2027-08-31', -6)).toBe('2027-02-28');
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(endOfYears('2024-02-29', 3)).toBe('2027-02-27');
    expect(endOfYears('2026-03-02', 3)).toBe('2029-03-01');
  });

  it('rejects impossible dates', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-04-31', '26-01-01', '2026-1-1', '']) expect(isIsoDate(bad)).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
  });

  it('weekday of known dates', () => {
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-02-14')).toBe(6);
  });
});
