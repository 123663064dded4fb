/**
 * The manifest counter: exact distinct counts of vehicles and persons in CSV / JSONL manifests, from
 * keyed hashes only.
 *
 * Definitions (docs/evidence.md repeats them for users):
 * - A **vehicle** is a VIN (DRAFT-J8 counts vehicles by VIN). ICCID / IMSI identify a SIM, which can move
 *   between vehicles, so they do not count as vehicles.
 * - A **person** (CNT-1: natural persons, not records) is keyed by the person ID when the record has one,
 *   else by the phone number. A record with both is keyed by the person ID, always, so the key never
 *   depends on record order. The same person appearing once with only an ID and once with only a phone
 *   counts twice: the count can err high, never low (the conservative side for CNT-1 / PATH-SA-2).
 * - **Sensitive persons** (PI-4) and **charging-consumption persons** (DRAFT-J12 / IMP-DA-C4): persons
 *   with at least one record whose `sensitive` / `charging` column is true. A record flagged so but with
 *   no person identifier is a bad record — it cannot be counted and must not be dropped silently.
 * - **Persons identifiable by vehicle identifiers** (DRAFT-J9): persons in records that also carry a VIN,
 *   ICCID or IMSI; a record with a vehicle identifier but no person identifier stands for one person
 *   (the vehicle's keeper, whom the VIN / SIM identifies), keyed by its VIN, else ICCID, else IMSI. Can
 *   err high when one vehicle appears both with and without a person ID — again the conservative side.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { ChujingError } from '../../errors.js';
import { keyFingerprint } from '../keyed-hash.js';
import { fieldSpecs, readTabular, RecordError, tabularFormatOf, type TabularFormat } from '../tabular.js';
import type { SkippedRecord } from '../types.js';
import { DigestSet } from './digest-set.js';
import { IdentifierHasher } from './identifier-hasher.js';

export const MANIFEST_COLUMNS = {
  vin: ['vin', 'vehicle_vin', 'vehicleVin'],
  iccid: ['iccid'],
  imsi: ['imsi'],
  personId: ['person_id', 'personId', 'person', 'id_number', 'idNumber'],
  phone: ['phone', 'phone_number', 'phoneNumber', 'mobile'],
  sensitive: ['sensitive', 'sensitive_pi', 'sensitivePi', 'has_sensitive_pi'],
  charging: ['charging', 'charging_consumption', 'chargingConsumption'],
} as const;
export type ManifestColumn = keyof typeof MANIFEST_COLUMNS;
const IDENTIFIER_COLUMNS: ManifestColumn[] = ['vin', 'iccid', 'imsi', 'personId', 'phone'];

const MESSAGES = {
  // The header is not echoed: a file without one would have its first record printed.
  noIdentifierColumns: (columns: number) => `no identifier column among the ${columns} column(s) of the header row`,
  expectedColumns: 'at least one of the columns vin, iccid, imsi, person_id, phone (or map yours with --column category=name)',
  noIdentifier: 'the record has no vehicle or person identifier',
  expectedIdentifier: 'a VIN, ICCID, IMSI, person ID or phone number',
  emptyIdentifier: (field: string) => `${field} holds no identifier characters`,
  flagWithoutPerson: (flag: string) => `the record is marked ${flag} but names no person (person ID or phone)`,
  expectedPerson: 'a person ID or phone number, so the person can be counted',
  // Cell values are never echoed: a mis-mapped column could hold identifiers.
  badFlag: (field: string) => `${field} is not a yes/no value`,
  expectedFlag: 'true/false, yes/no, y/n or 1/0 (empty = no)',
  noFiles: (path: string) => `no .csv or .jsonl manifest under ${path}`,
  notFound: (path: string) => `cannot read ${path}`,
} as const;

export interface ManifestScanOptions {
  key: KeyObject;
  format?: TabularFormat;
  columns?: Record<string, string>;
  keepGoing?: boolean;
  /** Path shown in messages and results (default: as given). */
  display?: string;
  /** Bytes read so far of all the files, for a progress bar. */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

export interface ManifestCounts {
  distinctVehicles: number;
  distinctPersons: number;
  distinctSensitivePersons: number;
  chargingConsumptionPersons: number;
  distinctPersonsIdentifiableByVehicleIds: number;
}

/** The `scan manifest --json` contract. */
export interface ManifestScanResult extends ManifestCounts {
  kind: 'manifest';
  path: string;
  files: number;
  bytes: number;
  records: number;
  /** Identifier values hashed (for throughput figures). */
  identifiers: number;
  /** Column used for each category per file (null: not present). */
  columns: Record<string, Record<string, string | null>>;
  keyFingerprint: string;
  skippedCount: number;
  skipped: SkippedRecord[];
}

/** The digest sets behind the counts, for exact unions across evidence files. */
export interface ManifestSets {
  vehicles: DigestSet;
  persons: DigestSet;
  sensitivePersons: DigestSet;
  chargingPersons: DigestSet;
  personsByVehicleIds: DigestSet;
}

export function newManifestSets(): ManifestSets {
  return { vehicles: new DigestSet(), persons: new DigestSet(), sensitivePersons: new DigestSet(), chargingPersons: new DigestSet(), personsByVehicleIds: new DigestSet() };
}

export function manifestCounts(sets: ManifestSets): ManifestCounts {
  return {
    distinctVehicles: sets.vehicles.size,
    distinctPersons: sets.persons.size,
    distinctSensitivePersons: sets.sensitivePersons.size,
    chargingConsumptionPersons: sets.chargingPersons.size,
    distinctPersonsIdentifiableByVehicleIds: sets.personsByVehicleIds.size,
  };
}

const TRUE = new Set(['true', '1', 'yes', 'y', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', 'f']);

/** A yes/no cell; undefined (empty) is no. */
export function parseFlag(field: string, v: string | undefined): boolean {
  if (v === undefined) return false;
  // The spellings nearly every file uses, without trimming and lower-casing each cell.
  if (v === '1' || v === 'true' || v === 'yes') return true;
  if (v === '0' || v === 'false' || v === 'no') return false;
  const s = v.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s) || s === '') return false;
  throw new RecordError(MESSAGES.badFlag(field), MESSAGES.expectedFlag, field);
}

/**
 * Files of a manifest path: the file itself, or every .csv / .jsonl / .ndjson file under a folder
 * (recursive, sorted, hidden entries skipped) — the same list the evidence cache hashes.
 */
export function listTabularFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new ChujingError('bad-input', MESSAGES.notFound(path), [{ file: path, message: 'no such file or folder', expected: 'a manifest file or a folder of them' }]);
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(csv|jsonl|ndjson)$/i.test(e.name)) out.push(full);
    }
  };
  walk(path);
  if (out.length === 0) throw new ChujingError('bad-input', MESSAGES.noFiles(path), [{ file: path, message: MESSAGES.noFiles(path), expected: 'files ending in .csv or .jsonl' }]);
  return out;
}

/** Count one manifest file or folder into `sets` (which may already hold other files' digests). */
export async function scanManifest(path: string, options: ManifestScanOptions, sets: ManifestSets = newManifestSets()): Promise<{ result: ManifestScanResult; sets: ManifestSets }> {
  const display = options.display ?? path;
  const spec = fieldSpecs(MANIFEST_COLUMNS, options.columns, 'manifest');
  const order: ManifestColumn[] = ['vin', 'iccid', 'imsi', 'personId', 'phone', 'sensitive', 'charging'];
  const fields = order.map((f) => spec[f]);
  const hasher = new IdentifierHasher(options.key);
  const { vehicles, persons, sensitivePersons, chargingPersons, personsByVehicleIds } = sets;
  const personWords = new Int32Array(4);
  const vehicleWords = new Int32Array(4);
  let identifiers = 0;
  let records = 0;
  let bytes = 0;
  let skippedCount = 0;
  const skipped: SkippedRecord[] = [];
  const columns: Record<string, Record<string, string | null>> = {};
  const files = listTabularFiles(path);
  const totalBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);

  for (const file of files) {
    const shown = files.length === 1 && file === path ? display : join(display, relative(path, file)).split(sep).join('/');
    const format = tabularFormatOf(file, options.format);
    const summary = await readTabular(file, {
      format,
      fields,
      keepGoing: options.keepGoing ?? false,
      display: shown,
      onBytes: (done) => options.onProgress?.(bytes + done, totalBytes),
      onColumns: ({ columns: cols, header }) => {
        const used: Record<string, string | null> = {};
        order.forEach((f, i) => (used[f] = cols[i] ?? null));
        columns[shown] = used;
        if (header && IDENTIFIER_COLUMNS.every((c) => used[c] === null)) {
          throw new ChujingError('bad-input', `${shown}:1: ${MESSAGES.noIdentifierColumns(header.length)}`, [
            { file: shown, line: 1, message: MESSAGES.noIdentifierColumns(header.length), expected: MESSAGES.expectedColumns },
          ]);
        }
      },
      onRecord: (v) => {
        const [vin, iccid, imsi, personId, phone] = v;
        // Validate everything before touching the sets, so a rejected record leaves no trace.
        const sensitive = parseFlag('sensitive', v[5]);
        const charging = parseFlag('charging', v[6]);
        const personCategory = personId !== undefined ? 'personId' : phone !== undefined ? 'phone' : null;
        const hasVehicleId = vin !== undefined || iccid !== undefined || imsi !== undefined;
        if (personCategory === null && !hasVehicleId) throw new RecordError(MESSAGES.noIdentifier, MESSAGES.expectedIdentifier);
        if (personCategory === null && (sensitive || charging)) throw new RecordError(MESSAGES.flagWithoutPerson(sensitive ? 'sensitive' : 'charging'), MESSAGES.expectedPerson);
        // Hash everything first (the hasher's output is reused, so keep copies), then add: a record
        // rejected half-way leaves no digest behind.
        let hasPerson = false;
        if (personCategory !== null) {
          const d = hasher.hash(personCategory, (personId ?? phone)!);
          if (d === null) throw new RecordError(MESSAGES.emptyIdentifier(personCategory), MESSAGES.expectedIdentifier, personCategory);
          personWords.set(d.subarray(0, 4));
          hasPerson = true;
        }
        let hasVehicle = false;
        if (vin !== undefined || !hasPerson) {
          const category = vin !== undefined ? 'vin' : iccid !== undefined ? 'iccid' : 'imsi';
          const d = hasher.hash(category, (vin ?? iccid ?? imsi)!);
          if (d === null) throw new RecordError(MESSAGES.emptyIdentifier(category), MESSAGES.expectedIdentifier, category);
          vehicleWords.set(d.subarray(0, 4));
          hasVehicle = true;
        }
        if (hasPerson) {
          identifiers++;
          persons.add(personWords);
          if (sensitive) sensitivePersons.add(personWords);
          if (charging) chargingPersons.add(personWords);
          if (hasVehicleId) personsByVehicleIds.add(personWords);
        }
        if (hasVehicle) {
          identifiers++;
          if (vin !== undefined) vehicles.add(vehicleWords);
          if (!hasPerson) personsByVehicleIds.add(vehicleWords);
        }
      },
    });
    records += summary.records;
    bytes += summary.bytes;
    skippedCount += summary.skippedCount;
    for (const s of summary.skipped) if (skipped.length < 1000) skipped.push(s);
  }

  return {
    result: {
      kind: 'manifest',
      path: display,
      files: files.length,
      bytes,
      records,
      identifiers,
      ...manifestCounts(sets),
      columns,
      keyFingerprint: keyFingerprint(options.key),
      skippedCount,
      skipped,
    },
    sets,
  };
}
