/** Option parsing shared by commands: every bad flag value is a bad-input error naming the flag. */
import { badInput } from '../errors.js';
import { isIsoDate, todayInChina } from '../model/dates.js';

export function parseAsOf(value: string | undefined, flag = '--as-of'): string {
  if (value === undefined) return todayInChina();
  if (!isIsoDate(value)) throw badInput(`${flag} ${value} is not a date`, [{ field: flag, message: `'${value}' is not a calendar date`, expected: 'YYYY-MM-DD, e.g. 2026-11-23' }]);
  return value;
}

export function writeJson(out: { write(s: string): void }, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}
