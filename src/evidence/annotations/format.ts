/**
 * What every format parser gets and provides. Parsers are interchangeable: one conformance suite runs
 * against all of them (test/evidence/annotations.conformance.test.ts).
 */
import { badInput } from '../../errors.js';
import { msg } from '../../i18n/index.js';
import type { AnnotationFormat } from '../types.js';
import type { ClassMap } from './classes.js';
import type { Tally } from './tally.js';

export type OptionValue = string | number | boolean;

export interface ScanContext {
  format: AnnotationFormat;
  /** Absolute path of the annotation file. */
  file: string;
  /** The file as the user named it (messages, skipped records). */
  display: string;
  /** Path relative to the scanned folder ('' base when a single file was given). */
  relative: string;
  tally: Tally;
  classes: ClassMap;
  options: FormatOptions;
  /** Report bytes read, for the progress bar. */
  onBytes(n: number): void;
  /** The workspace folder files found next to the labels must stay inside (evidence of a workspace). */
  root?: string;
}

export interface FormatParser {
  format: AnnotationFormat;
  /** Options this format understands (anything else is a user mistake). */
  options: readonly string[];
  /** Whether a file found in a scanned folder belongs to this format (by name). */
  accepts(name: string): boolean;
  scan(ctx: ScanContext): Promise<void>;
}

/** Typed access to `--option k=v` values, with errors that say what was expected. */
export class FormatOptions {
  constructor(private readonly values: Record<string, OptionValue>) {}

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  string(name: string): string | undefined {
    const v = this.values[name];
    return v === undefined ? undefined : String(v);
  }

  number(name: string): number | undefined {
    const v = this.values[name];
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    if (typeof v === 'boolean' || !Number.isFinite(n) || String(v).trim() === '') {
      throw badInput(msg('evidence.option.bad', { name }), [{ field: `--option ${name}`, message: msg('evidence.got', { value: String(v) }), expected: msg('evidence.expected.number') }]);
    }
    return n;
  }

  choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.values[name];
    if (v === undefined) return fallback;
    const s = String(v).toLowerCase();
    if (!(allowed as readonly string[]).includes(s)) {
      throw badInput(msg('evidence.option.bad', { name }), [{ field: `--option ${name}`, message: msg('evidence.got', { value: String(v) }), expected: msg('evidence.expected.one-of', { values: allowed.join(', ') }) }]);
    }
    return s as T;
  }

  check(format: string, known: readonly string[]): void {
    for (const key of Object.keys(this.values)) {
      if (!known.includes(key)) {
        throw badInput(msg('evidence.option.unknown', { name: key, format }), [
          { field: `--option ${key}`, message: msg('evidence.option.not-of-format'), expected: known.length ? msg('evidence.expected.one-of', { values: known.join(', ') }) : msg('evidence.option.none') },
        ]);
      }
    }
  }
}

/**
 * Corner convention shared by every corner-based format (VOC, KITTI, CCPD, csv corners): corners are
 * continuous pixel-edge coordinates, so width = xmax - xmin (what SOURCES.md states for the VOC and CCPD
 * sets). `corners=inclusive` adds one pixel (the original VOC devkit's 1-based inclusive reading).
 */
export const CORNER_OPTION = 'corners';
export function cornerExtra(options: FormatOptions): number {
  return options.choice(CORNER_OPTION, ['exclusive', 'inclusive'] as const, 'exclusive') === 'inclusive' ? 1 : 0;
}

/**
 * Pixel sizes computed from normalised coordinates (YOLO, normalised csv) are rounded to a millionth of
 * a pixel, so that 0.1 × 320 compares as 32 and not 31.999999999999996.
 */
export function roundPx(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/**
 * Strict decimal number (no hex, no empty string, no Infinity): null when the text is not one, or when
 * it is too large for a double (1e400 would become Infinity — garbage, never a measurement).
 */
const NUMBER_RE = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
export function parseNumber(text: string | undefined): number | null {
  if (text === undefined || !NUMBER_RE.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n + 0 : null; // + 0: -0 -> 0
}
