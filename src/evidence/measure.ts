/**
 * Evidence wiring: each dataset's `evidence:` entries are scanned (or read back from the cache) and turned
 * into measured facts for the engine, which puts them beside the declared ones and flags a declaration
 * that understates the measurement.
 *
 * Facts per evidence kind (names of regulation.md §4.4):
 * - annotations -> maxFaceBoxMinSidePx, maxPlateBoxMinSidePx (DRAFT-J6; thresholds from the dataset's
 *   rule pack). Several files: the max. A scan with no face (plate) box at all measures 0.
 * - manifest -> distinctVehicles (DRAFT-J8), distinctPersonsIdentifiableByVehicleIds (DRAFT-J9) and
 *   personalInfo { persons, sensitivePersons, chargingConsumptionPersons } (CNT-1, PI-4, DRAFT-J12).
 * - drivelog -> rawImageryHours, rawImageryKm (DRAFT-J7), rawPictures (IMP-DA-R5), distinctVehicles.
 *
 * Several entries of one dataset: distinct counts are the exact union of the keyed-hash sets (the VINs of
 * a manifest and of a drive log are one set of vehicles; persons of two manifests are deduplicated).
 * The sets are always available, from the scan or from the cache's sidecar, so the "max" fallback is
 * never needed for counts. Box sizes take the max; hours, km and pictures add up (files of one dataset
 * list different clips; a clip listed twice counts twice — the conservative side).
 *
 * Scans here never skip bad records (no keep-going): a fact the engine relies on must be exact, so a
 * broken evidence file stops `assess` with its file and line, and the workspace field that names it.
 */
import { existsSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { ChujingError, badInput, type ErrorIssue } from '../errors.js';
import { msg } from '../i18n/index.js';
import type { LoadedWorkspace } from '../model/load.js';
import { resolveInside } from '../model/paths.js';
import type { EvidenceEntry } from '../model/workspace.js';
import type { Fact, MeasuredDataset } from '../engine/types.js';
import type { RulePack } from '../rules/types.js';
import { AUTO_PACKS, selectPack } from '../rules/index.js';
import { keyFingerprint, resolveHmacKey } from './keyed-hash.js';
import { EvidenceCache, cacheKey } from './cache.js';
import { DigestSet } from './manifest/digest-set.js';
import { BY_VEHICLE, CHARGING, PERSON, PersonTable, SENSITIVE, VEHICLE } from './manifest/person-table.js';
import { scanManifest, type ManifestScanResult } from './manifest/count.js';
import { scanDrivelog, type DrivelogScanResult } from './drivelog/summarise.js';
import { scanAnnotations } from './annotations/index.js';
import { boxThresholds } from './thresholds.js';
import type { AnnotationScanResult } from './types.js';
import { DetectedBoxes, measureImagery, type DetectorHolder } from './imagery/evidence.js';
import { acceptsName, type ImageryKind } from './imagery/names.js';

/** Format options that name a file: resolved against the workspace and kept inside it. */
export const FILE_OPTIONS = ['names', 'sizes'] as const;

export interface MeasureOptions {
  env: Record<string, string | undefined>;
  /** The automobile rule pack that judges a dataset (assess knows it from the transfers' dates). */
  packForDataset?: (datasetId: string) => RulePack;
  /** One message per evidence file measured (rendered by the surface). */
  onProgress?: (message: import('../i18n/index.js').Msg) => void;
  /** Clock for the cache's racy-clean check (tests). */
  now?: () => number;
}

/** Per dataset, what the evidence of every kind adds up to. */
class DatasetTally {
  /** Persons (with their flags) and vehicles of every manifest, and the VINs of every drive log. */
  readonly people = new PersonTable();
  hasManifest = false;
  vehiclesCounted = false;
  maxFace: number | null = null;
  maxPlate: number | null = null;
  /** Face and plate boxes of any size (IMP-A21-4 as the 2021 text reads: any face or plate). */
  faceOrPlateBoxes: number | null = null;
  hours: number | null = null;
  km: number | null = null;
  pictures: number | null = null;
  /** Faces and plates measured from pixels (images / video evidence), after the review band's treatment. */
  readonly detected = new DetectedBoxes();

  facts(): Record<string, Fact> {
    const f: Record<string, Fact> = {};
    // An annotation's measurement wins over a detector's (never lowered by it): imagery.ts.
    const face = this.maxFace ?? this.detected.faceFact();
    const plate = this.maxPlate ?? this.detected.plateFact();
    if (face !== null) f.maxFaceBoxMinSidePx = face;
    if (plate !== null) f.maxPlateBoxMinSidePx = plate;
    if (this.faceOrPlateBoxes !== null) f.outsideFaceOrPlateBoxes = this.faceOrPlateBoxes;
    if (this.hours !== null) f.rawImageryHours = Math.round(this.hours * 1e9) / 1e9;
    if (this.km !== null) f.rawImageryKm = Math.round(this.km * 1e9) / 1e9;
    if (this.pictures !== null) f.rawPictures = this.pictures;
    if (this.vehiclesCounted) f.distinctVehicles = this.people.count(VEHICLE);
    if (this.hasManifest) f.distinctPersonsIdentifiableByVehicleIds = this.people.count(BY_VEHICLE);
    return f;
  }
}

type ManifestEntry = Extract<EvidenceEntry, { kind: 'manifest' }>;
type DrivelogEntry = Extract<EvidenceEntry, { kind: 'drivelog' }>;
type AnnotationsEntry = Extract<EvidenceEntry, { kind: 'annotations' }>;

/** Attach the workspace field (and its file/line) to an error raised while scanning an evidence file. */
function withField(err: unknown, loaded: LoadedWorkspace, field: string, datasetId: string): unknown {
  if (!(err instanceof ChujingError)) return err;
  const issue: ErrorIssue = { field, ...loaded.sources.locate(field), message: msg('evidence.measure.in-evidence', { field, dataset: datasetId }) };
  return new ChujingError(err.code, err.summary, [...err.issues, issue]);
}

/** Absolute path of an evidence entry, refused when it leads outside the workspace. */
export function evidencePath(loaded: LoadedWorkspace, field: string, path: string): string {
  return resolveInside(loaded.dir, loaded.dir, path, { field: `${field}.path`, ...loaded.sources.locate(`${field}.path`) });
}

export async function measureWorkspaceEvidence(loaded: LoadedWorkspace, options: MeasureOptions): Promise<Record<string, MeasuredDataset>> {
  const ws = loaded.workspace;
  const cache = new EvidenceCache(loaded.dir, options.now ? { now: options.now } : {});
  let key: KeyObject | undefined;
  const getKey = (): KeyObject => (key ??= resolveHmacKey({ env: options.env, envVar: ws.settings.hmacKeyEnv }));
  const tryKey = (): KeyObject | null => {
    try {
      return getKey();
    } catch {
      return null;
    }
  };
  const packFor = (datasetId: string): RulePack => {
    if (options.packForDataset) return options.packForDataset(datasetId);
    // Without the caller's choice: the pinned pack, else the one in force today.
    const choice = selectPack(AUTO_PACKS, new Date().toISOString().slice(0, 10), ws.rulePack);
    if (!choice) throw badInput(msg('evidence.measure.no-pack'), [{ field: 'rulePack', ...loaded.sources.locate('rulePack'), message: msg('evidence.measure.no-pack') }]);
    return choice.pack;
  };

  const out: Record<string, MeasuredDataset> = {};
  let detectors: DetectorHolder | undefined;
  for (const [i, dataset] of ws.datasets.entries()) {
    if (dataset.evidence.length === 0) continue;
    const tally = new DatasetTally();
    const sources: MeasuredDataset['sources'] = [];
    for (const [j, entry] of dataset.evidence.entries()) {
      const field = `datasets[${i}].evidence[${j}]`;
      const abs = evidencePath(loaded, field, entry.path);
      if (!existsSync(abs)) {
        const m = msg('evidence.file.missing', { path: entry.path });
        throw badInput(m, [{ field: `${field}.path`, ...loaded.sources.locate(`${field}.path`), message: m, expected: msg('evidence.file.expected') }]);
      }
      try {
        // Files holding identifiers (manifests, drive logs' VINs) are digested under the organisation
        // key, and the per-file memo is kept only once the scan succeeded (issue 19); a drive log without
        // a key keeps no memo. Annotations, images and video hold no identifiers of their own: plain
        // SHA-256, so their cached result survives a key rotation.
        const imagery = entry.kind === 'images' || entry.kind === 'video';
        const fileKey = entry.kind === 'manifest' ? getKey() : entry.kind === 'drivelog' ? tryKey() : null;
        const evidence = cache.hashEvidence(abs, { root: loaded.dir, display: entry.path, key: fileKey, unkeyedMemo: entry.kind === 'annotations' || imagery, ...(imagery ? { accept: acceptsName(entry.kind as ImageryKind) } : {}) });
        const hash = evidence.hash;
        let cached: boolean;
        if (entry.kind === 'manifest') cached = await measureManifest(entry, abs, hash, getKey(), cache, tally, loaded.dir);
        else if (entry.kind === 'drivelog') cached = await measureDrivelog(entry, abs, hash, tryKey(), getKey, cache, tally, loaded.dir);
        else if (entry.kind === 'images' || entry.kind === 'video') {
          detectors ??= { env: options.env };
          cached = await measureImagery(entry, abs, hash, packFor(dataset.id), loaded, cache, tally.detected, detectors);
          if (entry.kind === 'video') tally.hours = (tally.hours ?? 0) + tally.detected.lastVideoHours;
          else tally.pictures = (tally.pictures ?? 0) + tally.detected.lastImages;
          tally.faceOrPlateBoxes = (tally.faceOrPlateBoxes ?? 0) + tally.detected.lastBoxes;
        } else cached = await measureAnnotations(entry, abs, hash, packFor(dataset.id), loaded, field, cache, tally);
        evidence.remember();
        sources.push({ kind: entry.kind, path: entry.path, ...('format' in entry && entry.format ? { format: entry.format } : {}), contentHash: hash, cached });
        options.onProgress?.(msg(cached ? 'evidence.measure.progress-cached' : 'evidence.measure.progress', { dataset: dataset.id, kind: msg(`evidence.kind.${entry.kind}`), path: entry.path }));
      } catch (err) {
        throw withField(err, loaded, field, dataset.id);
      }
    }
    const measured: MeasuredDataset = { facts: tally.facts(), sources };
    const notes = tally.detected.notes(dataset.id, { face: tally.maxFace, plate: tally.maxPlate });
    if (notes.review.length) measured.review = notes.review;
    if (notes.warnings.length) measured.warnings = notes.warnings;
    if (tally.hasManifest) {
      measured.personalInfo = {
        persons: tally.people.count(PERSON),
        sensitivePersons: tally.people.count(SENSITIVE),
        chargingConsumptionPersons: tally.people.count(CHARGING),
      };
    }
    out[dataset.id] = measured;
  }
  await detectors?.detector?.release();
  return out;
}

async function measureManifest(entry: ManifestEntry, abs: string, hash: string, key: KeyObject, cache: EvidenceCache, tally: DatasetTally, root: string): Promise<boolean> {
  const fingerprint = keyFingerprint(key);
  const ck = cacheKey({ kind: 'manifest', contentHash: hash, options: { format: entry.format, columns: entry.columns, encoding: entry.encoding }, keyFingerprint: fingerprint });
  const hit = cache.get<ManifestScanResult>(ck);
  let table: PersonTable;
  let cached = false;
  const t = hit?.sets.people;
  if (t instanceof PersonTable) {
    table = t;
    cached = true;
  } else {
    const scanned = await scanManifest(abs, { key, root, ...(entry.format ? { format: entry.format } : {}), ...(entry.columns ? { columns: entry.columns } : {}), ...(entry.encoding ? { encoding: entry.encoding } : {}), display: entry.path });
    table = scanned.table;
    cache.put(ck, { kind: 'manifest', contentHash: hash, keyFingerprint: fingerprint, result: scanned.result }, { people: table });
  }
  tally.hasManifest = true;
  tally.vehiclesCounted = true;
  tally.people.addAll(table);
  return cached;
}

async function measureDrivelog(
  entry: DrivelogEntry,
  abs: string,
  hash: string,
  key: KeyObject | null,
  getKey: () => KeyObject,
  cache: EvidenceCache,
  tally: DatasetTally,
  root: string,
): Promise<boolean> {
  // The key takes part in the cache key only when there is one; a drive log without VINs needs none.
  const fingerprint = key ? keyFingerprint(key) : null;
  const ck = cacheKey({ kind: 'drivelog', contentHash: hash, options: { format: entry.format, columns: entry.columns, encoding: entry.encoding }, keyFingerprint: fingerprint });
  const hit = cache.get<DrivelogScanResult>(ck);
  let result: DrivelogScanResult;
  let vehicles: DigestSet | null;
  let cached = false;
  const v = hit?.sets.vehicles;
  if (hit && (hit.entry.result.distinctVehicles === null || v instanceof DigestSet)) {
    result = hit.entry.result;
    vehicles = v instanceof DigestSet ? v : null;
    cached = true;
  } else {
    const scanned = await scanDrivelog(abs, { key: getKey, root, ...(entry.format ? { format: entry.format } : {}), ...(entry.columns ? { columns: entry.columns } : {}), ...(entry.encoding ? { encoding: entry.encoding } : {}), display: entry.path });
    result = scanned.result;
    vehicles = scanned.vehicles;
    cache.put(ck, { kind: 'drivelog', contentHash: hash, keyFingerprint: fingerprint, result }, vehicles ? { vehicles } : {});
  }
  tally.hours = (tally.hours ?? 0) + result.rawImageryHours;
  if (result.rawImageryKm !== null) tally.km = (tally.km ?? 0) + result.rawImageryKm;
  tally.pictures = (tally.pictures ?? 0) + result.rawPictures;
  if (vehicles) {
    tally.vehiclesCounted = true;
    tally.people.addSet(vehicles, VEHICLE);
  }
  return cached;
}

/** Format options with file names resolved inside the workspace. */
function annotationOptions(entry: AnnotationsEntry, loaded: LoadedWorkspace, field: string): AnnotationsEntry['options'] {
  if (!entry.options) return undefined;
  const out = { ...entry.options };
  for (const name of FILE_OPTIONS) {
    const v = out[name];
    if (typeof v === 'string') out[name] = resolveInside(loaded.dir, loaded.dir, v, { field: `${field}.options.${name}`, ...loaded.sources.locate(`${field}.options.${name}`) });
  }
  return out;
}

async function measureAnnotations(
  entry: AnnotationsEntry,
  abs: string,
  hash: string,
  pack: RulePack,
  loaded: LoadedWorkspace,
  field: string,
  cache: EvidenceCache,
  tally: DatasetTally,
): Promise<boolean> {
  const ws = loaded.workspace;
  const thresholds = boxThresholds(pack, ws.overrides);
  const boxMeasure = ws.settings.boxMeasure;
  const scanOptions = { format: entry.format, classes: entry.classes, thresholds, boxMeasure, options: entry.options };
  const ck = cacheKey({ kind: 'annotations', contentHash: hash, options: scanOptions, keyFingerprint: null });
  const hit = cache.get<AnnotationScanResult>(ck);
  let result: AnnotationScanResult;
  if (hit) result = hit.entry.result;
  else {
    const options = annotationOptions(entry, loaded, field);
    result = await scanAnnotations(abs, { ...scanOptions, ...(options ? { options } : {}), keepGoing: false, root: loaded.dir, display: entry.path });
    cache.put(ck, { kind: 'annotations', contentHash: hash, keyFingerprint: null, result });
  }
  tally.maxFace = Math.max(tally.maxFace ?? 0, result.maxFaceBoxMinSidePx ?? 0);
  tally.maxPlate = Math.max(tally.maxPlate ?? 0, result.maxPlateBoxMinSidePx ?? 0);
  tally.faceOrPlateBoxes = (tally.faceOrPlateBoxes ?? 0) + result.faceBoxes + result.plateBoxes;
  return hit !== undefined;
}
