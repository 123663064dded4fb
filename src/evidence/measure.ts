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
import { resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { ChujingError, type ErrorIssue } from '../errors.js';
import type { LoadedWorkspace } from '../model/load.js';
import type { EvidenceEntry } from '../model/workspace.js';
import type { Fact, MeasuredDataset } from '../engine/types.js';
import type { RulePack } from '../rules/types.js';
import { AUTO_PACKS, selectPack } from '../rules/index.js';
import { keyFingerprint, resolveHmacKey } from './keyed-hash.js';
import { EvidenceCache, cacheKey, contentHash } from './cache.js';
import { DigestSet } from './manifest/digest-set.js';
import { newManifestSets, scanManifest, type ManifestScanResult, type ManifestSets } from './manifest/count.js';
import { scanDrivelog, type DrivelogScanResult } from './drivelog/summarise.js';
import { scanAnnotations } from './annotations/index.js';
import { boxThresholds } from './thresholds.js';
import type { AnnotationScanResult } from './types.js';

const MESSAGES = {
  missing: (path: string) => `evidence file ${path} does not exist`,
  expectedPath: 'a file or folder, relative to the workspace file',
  noPack: 'no automobile rule pack applies to this dataset',
  inEvidence: (field: string, id: string) => `while measuring ${field} of dataset ${id}`,
  progress: (id: string, kind: string, path: string, cached: boolean) => `${id}: ${kind} ${path}${cached ? ' (cached)' : ''}`,
} as const;

export interface MeasureOptions {
  env: Record<string, string | undefined>;
  /** The automobile rule pack that judges a dataset (assess knows it from the transfers' dates). */
  packForDataset?: (datasetId: string) => RulePack;
  onProgress?: (msg: string) => void;
}

/** Per dataset, what the evidence of every kind adds up to. */
class DatasetTally {
  readonly vehicles = new DigestSet();
  readonly manifest: ManifestSets = newManifestSets();
  hasManifest = false;
  vehiclesCounted = false;
  maxFace: number | null = null;
  maxPlate: number | null = null;
  hours: number | null = null;
  km: number | null = null;
  pictures: number | null = null;

  facts(): Record<string, Fact> {
    const f: Record<string, Fact> = {};
    if (this.maxFace !== null) f.maxFaceBoxMinSidePx = this.maxFace;
    if (this.maxPlate !== null) f.maxPlateBoxMinSidePx = this.maxPlate;
    if (this.hours !== null) f.rawImageryHours = Math.round(this.hours * 1e9) / 1e9;
    if (this.km !== null) f.rawImageryKm = Math.round(this.km * 1e9) / 1e9;
    if (this.pictures !== null) f.rawPictures = this.pictures;
    if (this.vehiclesCounted) f.distinctVehicles = this.vehicles.size;
    if (this.hasManifest) f.distinctPersonsIdentifiableByVehicleIds = this.manifest.personsByVehicleIds.size;
    return f;
  }
}

type ManifestEntry = Extract<EvidenceEntry, { kind: 'manifest' }>;
type DrivelogEntry = Extract<EvidenceEntry, { kind: 'drivelog' }>;
type AnnotationsEntry = Extract<EvidenceEntry, { kind: 'annotations' }>;

/** Attach the workspace field (and its file/line) to an error raised while scanning an evidence file. */
function withField(err: unknown, loaded: LoadedWorkspace, field: string, datasetId: string): unknown {
  if (!(err instanceof ChujingError)) return err;
  const issue: ErrorIssue = { field, ...loaded.sources.locate(field), message: MESSAGES.inEvidence(field, datasetId) };
  return new ChujingError(err.code, err.message, [...err.issues, issue]);
}

export async function measureWorkspaceEvidence(loaded: LoadedWorkspace, options: MeasureOptions): Promise<Record<string, MeasuredDataset>> {
  const ws = loaded.workspace;
  const cache = new EvidenceCache(loaded.dir);
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
    if (!choice) throw new ChujingError('bad-input', MESSAGES.noPack, [{ field: 'rulePack', ...loaded.sources.locate('rulePack'), message: MESSAGES.noPack }]);
    return choice.pack;
  };

  const out: Record<string, MeasuredDataset> = {};
  for (const [i, dataset] of ws.datasets.entries()) {
    if (dataset.evidence.length === 0) continue;
    const tally = new DatasetTally();
    const sources: MeasuredDataset['sources'] = [];
    for (const [j, entry] of dataset.evidence.entries()) {
      const field = `datasets[${i}].evidence[${j}]`;
      const abs = resolve(loaded.dir, entry.path);
      if (!existsSync(abs)) {
        throw new ChujingError('bad-input', MESSAGES.missing(entry.path), [
          { field: `${field}.path`, ...loaded.sources.locate(`${field}.path`), message: MESSAGES.missing(entry.path), expected: MESSAGES.expectedPath },
        ]);
      }
      try {
        const hash = await contentHash(abs);
        let cached: boolean;
        if (entry.kind === 'manifest') cached = await measureManifest(entry, abs, hash, getKey(), cache, tally);
        else if (entry.kind === 'drivelog') cached = await measureDrivelog(entry, abs, hash, tryKey(), getKey, cache, tally);
        else cached = await measureAnnotations(entry, abs, hash, packFor(dataset.id), ws, cache, tally);
        sources.push({ kind: entry.kind, path: entry.path, ...(entry.format ? { format: entry.format } : {}), contentHash: hash, cached });
        options.onProgress?.(MESSAGES.progress(dataset.id, entry.kind, entry.path, cached));
      } catch (err) {
        throw withField(err, loaded, field, dataset.id);
      }
    }
    const measured: MeasuredDataset = { facts: tally.facts(), sources };
    if (tally.hasManifest) {
      measured.personalInfo = {
        persons: tally.manifest.persons.size,
        sensitivePersons: tally.manifest.sensitivePersons.size,
        chargingConsumptionPersons: tally.manifest.chargingPersons.size,
      };
    }
    out[dataset.id] = measured;
  }
  return out;
}

async function measureManifest(entry: ManifestEntry, abs: string, hash: string, key: KeyObject, cache: EvidenceCache, tally: DatasetTally): Promise<boolean> {
  const fingerprint = keyFingerprint(key);
  const ck = cacheKey({ kind: 'manifest', contentHash: hash, options: { format: entry.format, columns: entry.columns }, keyFingerprint: fingerprint });
  const hit = cache.get<ManifestScanResult>(ck);
  let sets: ManifestSets;
  let cached = false;
  const s = hit?.sets;
  if (s?.persons && s.vehicles && s.sensitivePersons && s.chargingPersons && s.personsByVehicleIds) {
    sets = { persons: s.persons, vehicles: s.vehicles, sensitivePersons: s.sensitivePersons, chargingPersons: s.chargingPersons, personsByVehicleIds: s.personsByVehicleIds };
    cached = true;
  } else {
    const scanned = await scanManifest(abs, { key, ...(entry.format ? { format: entry.format } : {}), ...(entry.columns ? { columns: entry.columns } : {}), display: entry.path });
    sets = scanned.sets;
    cache.put(ck, { kind: 'manifest', contentHash: hash, keyFingerprint: fingerprint, result: scanned.result }, { ...sets });
  }
  tally.hasManifest = true;
  tally.vehiclesCounted = true;
  tally.vehicles.addAll(sets.vehicles);
  for (const name of ['persons', 'sensitivePersons', 'chargingPersons', 'personsByVehicleIds'] as const) tally.manifest[name].addAll(sets[name]);
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
): Promise<boolean> {
  // The key takes part in the cache key only when there is one; a drive log without VINs needs none.
  const fingerprint = key ? keyFingerprint(key) : null;
  const ck = cacheKey({ kind: 'drivelog', contentHash: hash, options: { format: entry.format, columns: entry.columns }, keyFingerprint: fingerprint });
  const hit = cache.get<DrivelogScanResult>(ck);
  let result: DrivelogScanResult;
  let vehicles: DigestSet | null;
  let cached = false;
  if (hit && (hit.entry.result.distinctVehicles === null || hit.sets.vehicles)) {
    result = hit.entry.result;
    vehicles = hit.sets.vehicles ?? null;
    cached = true;
  } else {
    const scanned = await scanDrivelog(abs, { key: getKey, ...(entry.format ? { format: entry.format } : {}), ...(entry.columns ? { columns: entry.columns } : {}), display: entry.path });
    result = scanned.result;
    vehicles = scanned.vehicles;
    cache.put(ck, { kind: 'drivelog', contentHash: hash, keyFingerprint: fingerprint, result }, vehicles ? { vehicles } : {});
  }
  tally.hours = (tally.hours ?? 0) + result.rawImageryHours;
  if (result.rawImageryKm !== null) tally.km = (tally.km ?? 0) + result.rawImageryKm;
  tally.pictures = (tally.pictures ?? 0) + result.rawPictures;
  if (vehicles) {
    tally.vehiclesCounted = true;
    tally.vehicles.addAll(vehicles);
  }
  return cached;
}

async function measureAnnotations(
  entry: AnnotationsEntry,
  abs: string,
  hash: string,
  pack: RulePack,
  ws: LoadedWorkspace['workspace'],
  cache: EvidenceCache,
  tally: DatasetTally,
): Promise<boolean> {
  const thresholds = boxThresholds(pack, ws.overrides);
  const boxMeasure = ws.settings.boxMeasure;
  const scanOptions = { format: entry.format, classes: entry.classes, thresholds, boxMeasure, options: entry.options };
  const ck = cacheKey({ kind: 'annotations', contentHash: hash, options: scanOptions, keyFingerprint: null });
  const hit = cache.get<AnnotationScanResult>(ck);
  let result: AnnotationScanResult;
  if (hit) result = hit.entry.result;
  else {
    result = await scanAnnotations(abs, { ...scanOptions, keepGoing: false });
    cache.put(ck, { kind: 'annotations', contentHash: hash, keyFingerprint: null, result });
  }
  tally.maxFace = Math.max(tally.maxFace ?? 0, result.maxFaceBoxMinSidePx ?? 0);
  tally.maxPlate = Math.max(tally.maxPlate ?? 0, result.maxPlateBoxMinSidePx ?? 0);
  return hit !== undefined;
}
