/** Option parsing shared by commands: every bad flag value is a bad-input error naming the flag. */
import { existsSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import { badInput } from '../errors.js';
import { msg } from '../i18n/index.js';
import { isIsoDate, todayInChina } from '../model/dates.js';

/** A path as the user reads it: relative to where they stand, unless that means climbing out of it. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** A date flag (default: today in China). */
export function parseAsOf(value: string | undefined, flag = '--as-of'): string {
  if (value === undefined) return todayInChina();
  if (!isIsoDate(value)) throw badInput(msg('cli.bad-date', { flag, value }), [{ field: flag, message: msg('cli.bad-date-issue', { value }), expected: msg('cli.date-expected') }]);
  return value;
}

/** A whole number of a flag. */
export function parseWholeNumber(value: string, flag: string, example: string): number {
  if (!/^\d+$/.test(value)) throw badInput(msg('cli.bad-number', { flag, value }), [{ field: flag, message: msg('cli.bad-number', { flag, value }), expected: msg('cli.number-expected', { example }) }]);
  return Number(value);
}

/** commander collector for repeatable options (`--transfer a --transfer b`, also `--transfer a,b`). */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

export function writeJson(out: { write(s: string): void }, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Write a whole file or nothing: the content goes to a temporary file beside the target, which is then
 * renamed over it (atomic on one file system), so a reader never sees half a file. `flag` names the
 * option the path came from, for the error.
 */
export function writeFileAtomically(path: string, display: string, content: string | Uint8Array, flag: string): void {
  if (!existsSync(dirname(path))) throw badInput(msg('cli.no-folder', { file: display }), [{ file: display, field: flag, message: msg('cli.no-folder', { file: display }), expected: msg('cli.folder-expected') }]);
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw badInput(msg('cli.cannot-write', { file: display, reason }), [{ file: display, field: flag, message: msg('cli.not-writable'), expected: msg('cli.writable-expected') }]);
  }
}
