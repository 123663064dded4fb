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
import { hashIdentifier, type IdentifierCategory } from '../evidence/keyed-hash.js';
import { MANIFEST_COLUMNS as EVIDENCE_COLUMNS } from '../evidence/manifest/count.js';
import { HashPacker } from './hash-batches.js';
import { LEDGER_MESSAGES as M } from './messages.js';
import { readTabular, type CellValue, type TabularFormat } from './tabular.js';

export const MANIFEST_COLUMNS = ['personId', 'phone', 'vin', 'sensitive', 'chargingConsumption'] as const;
export type ManifestColumn = (typeof MANIFEST_COLUMNS)[number];

/** Parse `personId=id_number` style mappings. */
export function parseColumnMapping(specs: string[]): Partial<Record<ManifestColumn, string>> {
  const out: Partial<Record<ManifestColumn, string>> = {};
  for (const spec of specs) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(spec);
    if (!m || !(MANIFEST_COLUMNS as readonly string[]).includes(m[1]!)) {
      throw new ChujingError('bad-input', M.badColumnsOption, [{ field: '--column', message: `cannot use '${spec}'`, expected: `ROLE=COLUMN with ROLE one of ${MANIFEST_COLUMNS.join(', ')}` }]);
    }
    out[m[1] as ManifestColumn] = m[2]!;
  }
  return out;
}

const YES = new Set(['1', 'true', 'yes', 'y', 't', '是']);
const NO = new Set(['', '0', 'false', 'no', 'n', 'f', '否']);

function flag(v: CellValue | undefined, file: string, line: number, field: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  throw new ChujingError('bad-input', M.badFlag(file), [{ file, line, field, message: `'${String(v)}' is not yes or no`, expected: 'true/false, yes/no or 1/0' }]);
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
  columns: Partial<Record<ManifestColumn, string>>;
  key: KeyObject;
  batch?: number;
  /** Rows read so far (for the entry's `records` volume). */
  onRow?: () => void;
}

/** Stream the manifest as packed hash batches (see hash-batches.ts). Throws bad-input on the first bad row. */
export async function* manifestHashes(options: ManifestOptions): AsyncGenerator<Buffer> {
  const display = options.display ?? options.file;
  // Default column names are the evidence scanner's (person_id, personId, charging, ...), so one manifest
  // serves both `scan manifest` and `ledger import`; an explicit --column mapping wins.
  let present: Record<string, unknown> = {};
  const col = (c: ManifestColumn) => {
    const explicit = options.columns[c];
    if (explicit) return explicit;
    const aliases: readonly string[] = EVIDENCE_COLUMNS[c === 'chargingConsumption' ? 'charging' : c];
    return aliases.find((a) => a in present) ?? c;
  };
  const packer = new HashPacker(options.batch);
  let checked = false;
  for await (const rec of readTabular(options.file, options.format)) {
    present = rec.values;
    if (!checked) {
      checked = true;
      if (options.format === 'csv') {
        // Explicit mappings must name real columns; defaults are used only when present.
        for (const [role, name] of Object.entries(options.columns)) {
          if (!(name in rec.values)) throw new ChujingError('bad-input', M.unknownColumn(display, name), [{ file: display, line: 1, field: name, message: `--column ${role}=${name}: no such column`, expected: `one of ${Object.keys(rec.values).join(', ')}` }]);
        }
        if (!['personId', 'phone', 'vin'].some((c) => col(c as ManifestColumn) in rec.values)) {
          throw new ChujingError('bad-input', M.unknownColumn(display, col('personId')), [{ file: display, line: 1, message: 'no identifier column', expected: `a column ${col('personId')}, ${col('phone')} or ${col('vin')} (or --column personId=NAME)` }]);
        }
      }
    }
    options.onRow?.();
    const personId = text(rec.values[col('personId')]);
    const phone = text(rec.values[col('phone')]);
    const vin = text(rec.values[col('vin')]);
    if (!personId && !phone && !vin) throw new ChujingError('bad-input', M.noIdentifier(display), [{ file: display, line: rec.line, message: 'no person or vehicle identifier in this row', expected: `${col('personId')}, ${col('phone')} or ${col('vin')}` }]);
    if (personId || phone) {
      const [cat, raw]: [IdentifierCategory, string] = personId ? ['personId', personId] : ['phone', phone!];
      const h = hashIdentifier(options.key, cat, raw);
      let full = packer.push('persons', h);
      if (full) yield full;
      if (flag(rec.values[col('sensitive')], display, rec.line, col('sensitive'))) {
        full = packer.push('sensitivePersons', h);
        if (full) yield full;
      }
      if (flag(rec.values[col('chargingConsumption')], display, rec.line, col('chargingConsumption'))) {
        full = packer.push('chargingConsumptionPersons', h);
        if (full) yield full;
      }
    }
    if (vin) {
      const full = packer.push('vehicles', hashIdentifier(options.key, 'vin', vin));
      if (full) yield full;
    }
  }
  const last = packer.flush();
  if (last) yield last;
}
