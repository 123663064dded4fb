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
import { statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { badInput } from '../../errors.js';
import { msg } from '../../i18n/index.js';
import { MANIFEST_COLUMNS, NO_WORDS, YES_WORDS, type ManifestCategory } from '../columns.js';
import type { DecodedFileInfo, TextEncodingName } from '../decode.js';
import { listEvidenceFiles } from '../files.js';
import { keyFingerprint } from '../keyed-hash.js';
import { fieldSpecs, readTabular, RecordError, tabularFormatOf, type TabularFormat } from '../tabular.js';
import type { SkippedRecord } from '../types.js';
import { IdentifierHasher } from './identifier-hasher.js';
import { BY_VEHICLE, CHARGING, PERSON, PersonTable, SENSITIVE, VEHICLE } from './person-table.js';

export { MANIFEST_COLUMNS };
export type ManifestColumn = ManifestCategory;
const IDENTIFIER_COLUMNS: ManifestColumn[] = ['vin', 'iccid', 'imsi', 'personId', 'phone'];

export interface ManifestScanOptions {
  key: KeyObject;
  format?: TabularFormat;
  columns?: Record<string, string>;
  /** Chosen encoding (default: BOM, else UTF-8, else GB18030 detected from the header row). */
  encoding?: TextEncodingName;
  keepGoing?: boolean;
  /** Path shown in messages and results (default: as given). */
  display?: string;
  /** The workspace folder every file must stay inside (evidence of a workspace). */
  root?: string;
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
  /** Encoding each file was read in, and how it was decided (bom, option, default, header). */
  encodings: Record<string, DecodedFileInfo>;
  keyFingerprint: string;
  skippedCount: number;
  skipped: SkippedRecord[];
}

export function manifestCounts(table: PersonTable): ManifestCounts {
  return {
    distinctVehicles: table.count(VEHICLE),
    distinctPersons: table.count(PERSON),
    distinctSensitivePersons: table.count(SENSITIVE),
    chargingConsumptionPersons: table.count(CHARGING),
    distinctPersonsIdentifiableByVehicleIds: table.count(BY_VEHICLE),
  };
}

/** A yes/no cell; undefined (empty) is no. */
export function parseFlag(field: string, v: string | undefined): boolean {
  if (v === undefined) return false;
  // The spellings nearly every file uses, without trimming and lower-casing each cell.
  if (v === '1' || v === 'true' || v === 'yes') return true;
  if (v === '0' || v === 'false' || v === 'no') return false;
  const s = v.trim().toLowerCase();
  if (YES_WORDS.has(s)) return true;
  if (NO_WORDS.has(s)) return false;
  // Cell values are never echoed: a mis-mapped column could hold identifiers.
  throw new RecordError(msg('evidence.manifest.bad-flag', { field }), msg('evidence.manifest.expected-flag'), field);
}

const TABULAR_NAME = /\.(csv|jsonl|ndjson)$/i;

/**
 * Files of a manifest path: the file itself, or every .csv / .jsonl / .ndjson file under a folder
 * (recursive, sorted, hidden entries skipped) — the same list the evidence cache hashes.
 */
export function listTabularFiles(path: string, root?: string, display = path): string[] {
  const { files } = listEvidenceFiles(path, { accept: (n) => TABULAR_NAME.test(n), display, ...(root !== undefined ? { root } : {}) });
  if (files.length === 0) {
    const m = msg('evidence.manifest.no-files', { path: display });
    throw badInput(m, [{ file: display, message: m, expected: msg('evidence.manifest.expected-files') }]);
  }
  return files.map((f) => f.file);
}

/** Average bytes per distinct identifier assumed when sizing the person table from the file size. */
const BYTES_PER_DISTINCT = 64;

/** Count one manifest file or folder into `table` (which may already hold other files' digests). */
export async function scanManifest(path: string, options: ManifestScanOptions, table?: PersonTable): Promise<{ result: ManifestScanResult; table: PersonTable }> {
  const display = options.display ?? path;
  const spec = fieldSpecs(MANIFEST_COLUMNS, options.columns, 'manifest');
  const order: ManifestColumn[] = ['vin', 'iccid', 'imsi', 'personId', 'phone', 'sensitive', 'charging'];
  const fields = order.map((f) => spec[f]);
  const hasher = new IdentifierHasher(options.key);
  const files = listTabularFiles(path, options.root, display);
  const totalBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  // Sized from the file, so the table rarely grows (a partition that overflows grows on its own).
  const people = table ?? new PersonTable(totalBytes / BYTES_PER_DISTINCT);
  const personWords = new Int32Array(4);
  let identifiers = 0;
  let records = 0;
  let bytes = 0;
  let skippedCount = 0;
  const skipped: SkippedRecord[] = [];
  const columns: Record<string, Record<string, string | null>> = {};
  const encodings: Record<string, DecodedFileInfo> = {};

  for (const file of files) {
    const shown = files.length === 1 && file === path ? display : join(display, relative(path, file)).split(sep).join('/');
    const format = tabularFormatOf(file, options.format);
    const summary = await readTabular(file, {
      format,
      fields,
      keepGoing: options.keepGoing ?? false,
      display: shown,
      ...(options.encoding ? { encoding: options.encoding } : {}),
      onBytes: (done) => options.onProgress?.(bytes + done, totalBytes),
      onColumns: ({ columns: cols, header, nameColumns }) => {
        const used: Record<string, string | null> = {};
        order.forEach((f, i) => (used[f] = cols[i] ?? null));
        columns[shown] = used;
        if (header && IDENTIFIER_COLUMNS.every((c) => used[c] === null)) {
          // The header is not echoed: a file without one would have its first record printed.
          const m = msg(nameColumns > 0 ? 'evidence.manifest.only-names' : 'evidence.manifest.no-identifier-columns', { columns: header.length });
          throw badInput(msg('evidence.manifest.no-identifier-columns-file', { file: shown }), [
            { file: shown, line: 1, message: m, expected: msg('evidence.manifest.expected-columns') },
          ]);
        }
      },
      onRecord: (v) => {
        const vin = v[0];
        const iccid = v[1];
        const imsi = v[2];
        const personId = v[3];
        const phone = v[4];
        // Validate everything before touching the table, so a rejected record leaves no trace.
        const sensitive = parseFlag('sensitive', v[5]);
        const charging = parseFlag('charging', v[6]);
        const personCategory = personId !== undefined ? 'personId' : phone !== undefined ? 'phone' : null;
        const hasVehicleId = vin !== undefined || iccid !== undefined || imsi !== undefined;
        if (personCategory === null && !hasVehicleId) throw new RecordError(msg('evidence.manifest.no-identifier'), msg('evidence.manifest.expected-identifier'));
        if (personCategory === null && (sensitive || charging)) {
          throw new RecordError(msg('evidence.manifest.flag-without-person', { flag: sensitive ? 'sensitive' : 'charging' }), msg('evidence.manifest.expected-person'));
        }
        // Hash everything first (the hasher's output is reused, so keep a copy of the person's), then
        // add: a record rejected half-way leaves no digest behind.
        let personFlags = 0;
        if (personCategory !== null) {
          const d = hasher.hash(personCategory, (personId ?? phone)!);
          if (d === null) throw new RecordError(msg('evidence.manifest.empty-identifier', { field: personCategory }), msg('evidence.manifest.expected-identifier'), personCategory);
          personWords[0] = d[0]!;
          personWords[1] = d[1]!;
          personWords[2] = d[2]!;
          personWords[3] = d[3]!;
          personFlags = PERSON | (sensitive ? SENSITIVE : 0) | (charging ? CHARGING : 0) | (hasVehicleId ? BY_VEHICLE : 0);
        }
        let vehicle: Int32Array | null = null;
        let vehicleFlags = 0;
        if (vin !== undefined || personFlags === 0) {
          const category = vin !== undefined ? 'vin' : iccid !== undefined ? 'iccid' : 'imsi';
          vehicle = hasher.hash(category, (vin ?? iccid ?? imsi)!);
          if (vehicle === null) throw new RecordError(msg('evidence.manifest.empty-identifier', { field: category }), msg('evidence.manifest.expected-identifier'), category);
          vehicleFlags = (vin !== undefined ? VEHICLE : 0) | (personFlags === 0 ? BY_VEHICLE : 0);
        }
        if (personFlags !== 0) {
          identifiers++;
          people.add(personWords, personFlags);
        }
        if (vehicle !== null) {
          identifiers++;
          people.add(vehicle, vehicleFlags);
        }
      },
    });
    records += summary.records;
    bytes += summary.bytes;
    skippedCount += summary.skippedCount;
    encodings[shown] = summary.encoding;
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
      ...manifestCounts(people),
      columns,
      encodings,
      keyFingerprint: keyFingerprint(options.key),
      skippedCount,
      skipped,
    },
    table: people,
  };
}
