/**
 * The working-day calendar against the State Council's published schedules. Every expected date below
 * was counted by hand from the notices (counting shown), not produced by the code under test.
 *
 * 2025 (国办 2024-11-12): 春节 Jan 28 – Feb 4 off, Sun Jan 26 and Sat Feb 8 work;
 *   国庆+中秋 Oct 1 – 8 off, Sun Sep 28 and Sat Oct 11 work.
 * 2026 (国办 2025-11-04): 春节 Feb 15 – 23 off, Sat Feb 14 and Sat Feb 28 work; 中秋 Sep 25 – 27 off;
 *   国庆 Oct 1 – 7 off, Sun Sep 20 and Sat Oct 10 work.
 * 2027 (PROVISIONAL, from the statutory days): 春节 Feb 5 – 10 off; 国庆 Oct 1 – 5 off; no adjusted weekends.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { text } from '../i18n/index.js';
import { ChujingError } from '../errors.js';
import { addWorkingDays, builtInCalendar, isWorkingDay, knownYears, loadCalendar, provisionalYearsBetween, subtractWorkingDays, workingDaysBetween } from './calendar.js';
import { cnNational2024 } from '../rules/packs/cn-national-2024.js';

const cal = builtInCalendar();
const periods = cnNational2024.periods!;

describe('isWorkingDay', () => {
  it('knows holidays, adjusted working weekends and ordinary days', () => {
    expect(isWorkingDay(cal, '2025-01-28')).toBe(false); // 除夕, Tuesday, holiday
    expect(isWorkingDay(cal, '2025-01-26')).toBe(true); // Sunday, 调休 working day
    expect(isWorkingDay(cal, '2025-02-08')).toBe(true); // Saturday, 调休
    expect(isWorkingDay(cal, '2025-02-09')).toBe(false); // ordinary Sunday
    expect(isWorkingDay(cal, '2025-10-08')).toBe(false); // last day of National Day + Mid-Autumn
    expect(isWorkingDay(cal, '2026-02-14')).toBe(true); // Saturday, 调休
    expect(isWorkingDay(cal, '2026-02-23')).toBe(false); // Monday, last day of Spring Festival
    expect(isWorkingDay(cal, '2026-09-20')).toBe(true); // Sunday, 调休
    expect(isWorkingDay(cal, '2026-10-10')).toBe(true); // Saturday, 调休
    expect(isWorkingDay(cal, '2026-11-23')).toBe(true); // ordinary Monday
    expect(isWorkingDay(cal, '2027-02-09')).toBe(false); // provisional make-up day
  });

  it('refuses a date outside the known years, naming the date, the years known and how to add one', () => {
    let err: unknown;
    try {
      isWorkingDay(cal, '2036-05-06');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ChujingError);
    const e = err as ChujingError;
    expect(e.code).toBe('bad-input');
    // 2027-2035 are computed on the statutory holidays (src/lifecycle/statutory.ts); 2036 is beyond.
    expect(e.message).toContain('2036');
    expect(e.message).toContain('2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035');
    expect(text('en', e.issues[0]!.message)).toContain('2036-05-06');
    expect(text('en', e.issues[0]!.expected!)).toContain('.chujing/calendar.yaml');
    expect(text('zh', e.summary)).toBe('工作日历没有 2036 年的数据：无法计算到 2036-05-06 为止的工作日；已知年份：2024、2025、2026、2027、2028、2029、2030、2031、2032、2033、2034、2035');
  });
});

describe('SC-2: the 10-working-day filing deadline', () => {
  it('across the 2025 Spring Festival', () => {
    // Effective Fri 2025-01-24. Sat 25 rest; Sun 26 调休 = 1; Mon 27 = 2; Jan 28 – Feb 4 holiday;
    // Wed 5 = 3, Thu 6 = 4, Fri 7 = 5, Sat 8 调休 = 6; Mon 10 = 7, 11 = 8, 12 = 9, Thu 13 = 10.
    expect(addWorkingDays(cal, '2025-01-24', periods.scFilingWorkingDays)).toBe('2025-02-13');
  });
  it('across the 2025 National Day and Mid-Autumn holiday', () => {
    // Effective Fri 2025-09-26. Sun 28 调休 = 1; Mon 29 = 2; Tue 30 = 3; Oct 1 – 8 holiday;
    // Thu 9 = 4, Fri 10 = 5, Sat 11 调休 = 6; Mon 13 = 7, 14 = 8, 15 = 9, Thu 16 = 10.
    expect(addWorkingDays(cal, '2025-09-26', periods.scFilingWorkingDays)).toBe('2025-10-16');
  });
  it('across the 2026 Spring Festival', () => {
    // Effective Thu 2026-02-12. Fri 13 = 1; Sat 14 调休 = 2; Feb 15 – 23 holiday;
    // Tue 24 = 3, 25 = 4, 26 = 5, Fri 27 = 6, Sat 28 调休 = 7; Mon Mar 2 = 8, 3 = 9, Wed 4 = 10.
    expect(addWorkingDays(cal, '2026-02-12', periods.scFilingWorkingDays)).toBe('2026-03-04');
  });
  it('across the 2026 Mid-Autumn and National Day holidays', () => {
    // Effective Fri 2026-09-18. Sun 20 调休 = 1; Mon 21 = 2, 22 = 3, 23 = 4, Thu 24 = 5; Sep 25 – 27 中秋;
    // Mon 28 = 6, 29 = 7, Wed 30 = 8; Oct 1 – 7 国庆; Thu 8 = 9, Fri 9 = 10.
    expect(addWorkingDays(cal, '2026-09-18', periods.scFilingWorkingDays)).toBe('2026-10-09');
  });
  it('across the 2027 Spring Festival (provisional year, and says so)', () => {
    // Effective Wed 2027-02-03. Thu 4 = 1; Feb 5 – 10 off (provisional); Thu 11 = 2, Fri 12 = 3;
    // Feb 15 – 19 = 4..8; Mon 22 = 9, Tue 23 = 10.
    expect(addWorkingDays(cal, '2027-02-03', periods.scFilingWorkingDays)).toBe('2027-02-23');
    expect(provisionalYearsBetween(cal, '2027-02-03', '2027-02-23')).toEqual([2027]);
  });
  it('across the 2027 National Day (provisional year)', () => {
    // Effective Thu 2027-09-30. Oct 1 – 5 off (provisional); Wed 6 = 1, 7 = 2, Fri 8 = 3; Oct 11 – 15 = 4..8;
    // Mon 18 = 9, Tue 19 = 10.
    expect(addWorkingDays(cal, '2027-09-30', periods.scFilingWorkingDays)).toBe('2027-10-19');
  });
  it('SC-3: the 15-working-day review answer across the 2026 adjusted Saturday', () => {
    // Filed Thu 2026-02-26. Fri 27 = 1; Sat 28 调休 = 2; Mar 2 – 6 = 3..7; Mar 9 – 13 = 8..12; Mon 16 = 13, 17 = 14, Wed 18 = 15.
    expect(addWorkingDays(cal, '2026-02-26', periods.scReviewWorkingDays)).toBe('2026-03-18');
  });
});

describe('SA-6: the 60-working-day extension window', () => {
  it('before an expiry just after the 2025 Spring Festival', () => {
    // Last valid day Fri 2025-02-28 (not counted). Back: Feb 27..24 = 1..4; Feb 21..17 = 5..9; Feb 14..10 = 10..14;
    // Sat Feb 8 调休 = 15; Feb 7, 6, 5 = 16, 17, 18; Jan 28 – Feb 4 holiday; Mon Jan 27 = 19; Sun Jan 26 调休 = 20;
    // Jan 24..20 = 21..25; Jan 17..13 = 26..30; Jan 10..6 = 31..35; Jan 3 = 36, Jan 2 = 37 (Jan 1 holiday);
    // Dec 31 = 38, Dec 30 = 39; Dec 27..23 = 40..44; Dec 20..16 = 45..49; Dec 13..9 = 50..54; Dec 6..2 = 55..59;
    // Fri 2024-11-29 = 60.
    expect(subtractWorkingDays(cal, '2025-02-28', periods.saExtensionWindowWorkingDays)).toBe('2024-11-29');
  });
  it('before an expiry after the 2026 Mid-Autumn and National Day holidays', () => {
    // Last valid day Sat 2026-12-19. Back: Dec 18..14 = 1..5; Dec 11..7 = 6..10; Dec 4..1 = 11..14;
    // Nov 30 = 15; Nov 27..23 = 16..20; Nov 20..16 = 21..25; Nov 13..9 = 26..30; Nov 6..2 = 31..35;
    // Oct 30..26 = 36..40; Oct 23..19 = 41..45; Oct 16..12 = 46..50; Sat Oct 10 调休 = 51; Oct 9 = 52, Oct 8 = 53;
    // Oct 1 – 7 holiday; Sep 30 = 54, 29 = 55, 28 = 56; Sep 25 – 27 中秋; Sep 24 = 57, 23 = 58, 22 = 59, Mon Sep 21 = 60.
    expect(subtractWorkingDays(cal, '2026-12-19', periods.saExtensionWindowWorkingDays)).toBe('2026-09-21');
  });
  it('before an expiry after the 2027 Spring Festival (provisional)', () => {
    // Last valid day Sun 2027-02-28. Back: Feb 26..22 = 1..5; Feb 19..15 = 6..10; Feb 12 = 11, Feb 11 = 12;
    // Feb 5 – 10 off (provisional); Feb 4..1 = 13..16; Jan 29..25 = 17..21; Jan 22..18 = 22..26; Jan 15..11 = 27..31;
    // Jan 8..4 = 32..36 (Jan 1 holiday); Dec 31..28 = 37..40; Dec 25..21 = 41..45; Dec 18..14 = 46..50;
    // Dec 11..7 = 51..55; Dec 4..1 = 56..59; Mon 2026-11-30 = 60.
    expect(subtractWorkingDays(cal, '2027-02-28', periods.saExtensionWindowWorkingDays)).toBe('2026-11-30');
    expect(provisionalYearsBetween(cal, '2026-11-30', '2027-02-28')).toEqual([2027]);
  });
});

describe('workingDaysBetween', () => {
  it('counts (from, to]: from excluded, to included, and inverts addWorkingDays', () => {
    expect(workingDaysBetween(cal, '2026-02-12', '2026-03-04')).toBe(10);
    expect(workingDaysBetween(cal, '2026-03-04', '2026-02-12')).toBe(-10);
    expect(workingDaysBetween(cal, '2026-02-14', '2026-02-14')).toBe(0);
    // Sat 2026-02-14 调休 to Tue 2026-02-24: the whole Spring Festival off, so only Feb 24 counts.
    expect(workingDaysBetween(cal, '2026-02-14', '2026-02-24')).toBe(1);
    // The 60-day window before 2026-12-19 holds exactly 60 working days before the expiry.
    expect(workingDaysBetween(cal, '2026-09-20', '2026-12-18')).toBe(60);
  });
});

describe('user calendar files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-cal-'));

  it('add a year and replace a provisional one', () => {
    const file = join(dir, 'calendar.yaml');
    writeFileSync(
      file,
      [
        'years:',
        '  2027:',
        '    source: test replacement of the provisional year',
        '    holidays:',
        '      - { name: 春节, from: 2027-02-05, to: 2027-02-13 }',
        '    workdays:',
        '      - { name: 春节调休, date: 2027-02-20 }',
        '  2028:',
        '    source: test year',
        '    holidays: []',
      ].join('\n'),
    );
    const c = loadCalendar([{ path: file }]);
    expect(knownYears(c)).toEqual([2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035]);
    expect(c.years.get(2027)!.provisional).toBe(false);
    // The user's 2028 replaces the one computed on the statutory holidays.
    expect(c.years.get(2028)).toMatchObject({ provisional: false, origin: file });
    expect(isWorkingDay(c, '2027-02-12')).toBe(false);
    expect(isWorkingDay(c, '2027-02-20')).toBe(true);
    expect(isWorkingDay(c, '2028-03-01')).toBe(true);
    expect(provisionalYearsBetween(c, '2027-01-01', '2027-12-31')).toEqual([]);
  });

  it('report a malformed file with its line and field', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, ['years:', '  2028:', '    source: x', '    holidays:', '      - { name: x, from: 2028-02-30, to: 2028-03-01 }'].join('\n'));
    let err: ChujingError | undefined;
    try {
      loadCalendar([{ path: file, display: 'bad.yaml' }]);
    } catch (e) {
      err = e as ChujingError;
    }
    expect(err?.code).toBe('bad-input');
    expect(err?.issues[0]).toMatchObject({ file: 'bad.yaml', field: 'years.2028.holidays[0].from', line: 5 });
  });

  it('refuse a holiday range outside its year', () => {
    const file = join(dir, 'range.yaml');
    writeFileSync(file, ['years:', '  2028:', '    source: x', '    holidays:', '      - { name: x, from: 2027-12-31, to: 2028-01-01 }'].join('\n'));
    expect(() => loadCalendar([{ path: file }])).toThrow(/inconsistent/);
  });
});
