/**
 * Manifest import: each row of a CSV/JSONL manifest is one person (and/or one vehicle) of the transfer.
 * Identifiers are hashed with the organisation's key the moment they are read (keyed-hash.ts); the raw
 * values go no further than this function.
 *
 * Columns (defaults are the same names; override with `category=column`):
 * - `personId`, `phone`: identify the person (personId preferred when both are filled);
 * - `vin`: identifies the vehicle;
 * - `sensitive`: yes/no — the person's sensitive PI is in the transfer (PI-4, CNT-3);
 * - `chargingConsumption`: yes/no — the person's charging consumption data is in it (DRAFT-J12).
 * A person flagged sensitive or charging is also counted in `persons` (persons counts everyone).
 */
import type { KeyObject } from 'node:crypto';
import { ChujingError } from '../errors.js';
import { msg } from '../i18n/index.js';
import { hashIdentifier, type IdentifierCategory } from '../evidence/keyed-hash.js';
import { CATEGORY_ALIASES, MANIFEST_COLUMNS as COLUMN_NAMES, NO_WORDS, YES_WORDS, normaliseHeader } from '../evidence/columns.js';
import type { DecodedFileInfo, TextEncodingName } from '../evidence/decode.js';
import { HashPacker } from './hash-batches.js';
import { LEDGER_MESSAGES as M } from './messages.js';
import { readTabular, type CellValue, type TabularFormat } from './tabular.js';

/** The categories `ledger import` reads (the evidence scanners' names: src/evidence/columns.ts). */
export const MANIFEST_COLUMNS = ['personId', 'phone', 'vin', 'sensitive', 'charging'] as const;
export type ManifestColumn = (typeof MANIFEST_COLUMNS)[number];

/** A category name (or its older spelling, e.g. chargingConsumption) -> the category, else null. */
function ledgerCategory(name: string): ManifestColumn | null {
  const c = (CATEGORY_ALIASES[name] ?? name) as ManifestColumn;
  return (MANIFEST_COLUMNS as readonly string[]).includes(c) ? c : null;
}

/** Parse `personId=id_number` style mappings. */
export function parseColumnMapping(specs: string[]): Partial<Record<ManifestColumn, string>> {
  const out: Partial<Record<ManifestColumn, string>> = {};
  for (const spec of specs) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(spec);
    const category = m ? ledgerCategory(m[1]!) : null;
    if (!m || category === null) {
      throw new ChujingError('bad-input', M.badColumnsOption, [{ field: '--column', message: msg('evidence.column.bad-option', { value: spec }), expected: msg('evidence.column.expected-ledger-option', { values: MANIFEST_COLUMNS.join(', ') }) }]);
    }
    out[category] = m[2]!;
  }
  return out;
}

function flag(v: CellValue | undefined, file: string, line: number, field: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (YES_WORDS.has(s)) return true;
  if (NO_WORDS.has(s)) return false;
  // The cell is not quoted: a mis-mapped column could hold an identifier.
  throw new ChujingError('bad-input', M.badFlag(file), [{ file, line, field, message: msg('evidence.manifest.bad-flag', { field }), expected: msg('evidence.manifest.expected-flag') }]);
}

function text(v: CellValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

export interface ManifestOptions {
  file: string;
  /** Name shown in messages (relative path). */
  display?: string;
  format: TabularFormat;
  /** Category -> column (older spellings such as chargingConsumption are accepted). */
  columns: Partial<Record<ManifestColumn | 'chargingConsumption', string>>;
  /** Chosen encoding; default: BOM, else UTF-8, else GB18030 detected from the header. */
  encoding?: TextEncodingName;
  key: KeyObject;
  batch?: number;
  /** Rows read so far (for the entry's `records` volume). */
  onRow?: () => void;
  /** Told the encoding the file was read in. */
  onEncoding?: (info: DecodedFileInfo) => void;
}

/** Stream the manifest as packed hash batches (see hash-batches.ts). Throws bad-input on the first bad row. */
export async function* manifestHashes(options: ManifestOptions): AsyncGenerator<Buffer> {
  const display = options.display ?? options.file;
  const explicit: Partial<Record<ManifestColumn, string>> = {};
  for (const [k, v] of Object.entries(options.columns)) {
    const c = ledgerCategory(k);
    if (c !== null && v) explicit[c] = v;
  }
  // One set of column names for `scan manifest` and `ledger import`: the evidence scanners' defaults
  // (person_id, 身份证号, charging, 充电…), matched case-insensitively; an explicit --column wins and must exist.
  const candidates = (c: ManifestColumn) => (explicit[c] ? [explicit[c]!] : COLUMN_NAMES[c]).map(normaliseHeader);
  let keys: string[] | null = null;
  const resolved = new Map<ManifestColumn, string | null>();
  const resolve = (values: Record<string, CellValue>) => {
    const ks = Object.keys(values);
    if (keys !== null && ks.length === keys.length && ks.every((k, i) => k === keys![i])) return;
    keys = ks;
    const lower = ks.map(normaliseHeader);
    for (const c of MANIFEST_COLUMNS) {
      let found: string | null = null;
      for (const cand of candidates(c)) {
        const at = lower.indexOf(cand);
        if (at !== -1) {
          found = ks[at]!;
          break;
        }
      }
      resolved.set(c, found);
    }
  };
  const seenExplicit = new Set<ManifestColumn>();
  const packer = new HashPacker(options.batch);
  let checked = false;
  for await (const rec of readTabular(options.file, options.format, { display, ...(options.encoding ? { encoding: options.encoding } : {}), ...(options.onEncoding ? { onEncoding: options.onEncoding } : {}) })) {
    resolve(rec.values);
    const col = (c: ManifestColumn) => resolved.get(c) ?? null;
    for (const c of Object.keys(explicit) as ManifestColumn[]) if (col(c) !== null) seenExplicit.add(c);
    if (!checked) {
      checked = true;
      if (options.format === 'csv') {
        // Explicit mappings must name real columns; the header is not listed (a file without one would
        // have its first record printed).
        for (const [role, name] of Object.entries(explicit)) {
          if (col(role as ManifestColumn) === null) {
            throw new ChujingError('bad-input', M.unknownColumn(display, name), [
              { file: display, line: 1, field: `--column ${role}=${name}`, message: msg('evidence.column.missing', { column: name, category: role }), expected: msg('evidence.column.expected', { columns: Object.keys(rec.values).length }) },
            ]);
          }
        }
        if (!['personId', 'phone', 'vin'].some((c) => col(c as ManifestColumn) !== null)) {
          throw new ChujingError('bad-input', M.noIdentifierColumn(display), [
            { file: display, line: 1, message: msg('evidence.manifest.no-identifier-columns', { columns: Object.keys(rec.values).length }), expected: msg('evidence.manifest.expected-columns') },
          ]);
        }
      }
    }
    options.onRow?.();
    const at = (c: ManifestColumn) => {
      const k = col(c);
      return k === null ? undefined : rec.values[k];
    };
    const personId = text(at('personId'));
    const phone = text(at('phone'));
    const vin = text(at('vin'));
    if (!personId && !phone && !vin) throw new ChujingError('bad-input', M.noIdentifier(display), [{ file: display, line: rec.line, message: msg('evidence.manifest.no-identifier'), expected: msg('evidence.manifest.expected-identifier') }]);
    const sensitive = flag(at('sensitive'), display, rec.line, col('sensitive') ?? 'sensitive');
    const charging = flag(at('charging'), display, rec.line, col('charging') ?? 'charging');
    if (personId || phone) {
      const [cat, raw]: [IdentifierCategory, string] = personId ? ['personId', personId] : ['phone', phone!];
      const h = hashIdentifier(options.key, cat, raw);
      let full = packer.push('persons', h);
      if (full) yield full;
      if (sensitive) {
        full = packer.push('sensitivePersons', h);
        if (full) yield full;
      }
      if (charging) {
        full = packer.push('chargingConsumptionPersons', h);
        if (full) yield full;
      }
    }
    if (vin) {
      const full = packer.push('vehicles', hashIdentifier(options.key, 'vin', vin));
      if (full) yield full;
    }
  }
  // JSONL: a key the user named that no record holds is a mapping mistake (before anything is written).
  for (const [role, name] of Object.entries(explicit)) {
    if (!seenExplicit.has(role as ManifestColumn)) {
      throw new ChujingError('bad-input', M.unknownColumn(display, name), [
        { file: display, field: `--column ${role}=${name}`, message: msg('evidence.column.missing', { column: name, category: role }), expected: msg('evidence.column.expected-key') },
      ]);
    }
  }
  const last = packer.flush();
  if (last) yield last;
}
