/**
 * The drive-log summary: from manifests of raw image / video clips, the scale facts of DRAFT-J7
 * (rawImageryHours, rawImageryKm), IMP-DA-R5 (rawPictures) and DRAFT-J8 (distinctVehicles).
 *
 * Conventions (docs/evidence.md repeats them):
 * - Hours: the sum of every clip's duration (`duration_s`, else `end - start`), video and image alike,
 *   as listed: two cameras recording the same hour count two hours (camera-hours, the conservative
 *   reading of "collected ... more than 2,000 hours").
 * - Km: the sum of `distance_km` over clips; an empty cell counts 0 km and is counted in
 *   `clipsWithoutDistance`. When the file has no distance column at all, km is null (not measured).
 * - Pictures: raw still pictures — the `frames` of `image` clips (an image record without frames is one
 *   picture). Frames of video are video, not pictures.
 * - Kind: the `kind` column (video | image); without one, a clip with a duration is video, else image.
 * - Vehicles: distinct VINs, hashed like the manifest counter's (never kept raw). VINs need the HMAC key;
 *   without one the scan stops with a clear error, unless vehicles are explicitly not counted
 *   (`--no-vehicles`), in which case distinctVehicles is null.
 */
import { statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { badInput } from '../../errors.js';
import { msg } from '../../i18n/index.js';
import { DRIVELOG_COLUMNS, type DrivelogCategory } from '../columns.js';
import type { DecodedFileInfo, TextEncodingName } from '../decode.js';
import { keyFingerprint } from '../keyed-hash.js';
import { fieldSpecs, readTabular, RecordError, tabularFormatOf, type TabularFormat } from '../tabular.js';
import type { SkippedRecord } from '../types.js';
import { DigestSet } from '../manifest/digest-set.js';
import { IdentifierHasher } from '../manifest/identifier-hasher.js';
import { listTabularFiles } from '../manifest/count.js';

export { DRIVELOG_COLUMNS };
type DrivelogColumn = DrivelogCategory;
const ORDER: DrivelogColumn[] = ['clipId', 'vin', 'duration', 'start', 'end', 'distance', 'frames', 'kind'];

export interface DrivelogScanOptions {
  /** Called at the first VIN (not before: a drive log without VINs needs no key). */
  key?: () => KeyObject;
  /** Count distinct VINs (default true); false: ignore the vin column, distinctVehicles = null. */
  countVehicles?: boolean;
  format?: TabularFormat;
  columns?: Record<string, string>;
  encoding?: TextEncodingName;
  keepGoing?: boolean;
  display?: string;
  /** The workspace folder every file must stay inside (evidence of a workspace). */
  root?: string;
  /** Bytes read so far of all the files, for a progress bar. */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/** The `scan drivelog --json` contract. */
export interface DrivelogScanResult {
  kind: 'drivelog';
  path: string;
  files: number;
  bytes: number;
  clips: number;
  videoClips: number;
  imageClips: number;
  rawImageryHours: number;
  /** null when no file has a distance column. */
  rawImageryKm: number | null;
  rawPictures: number;
  /** null when VINs are not counted (no vin column, or --no-vehicles). */
  distinctVehicles: number | null;
  clipsWithoutDistance: number;
  keyFingerprint: string | null;
  columns: Record<string, Record<string, string | null>>;
  encodings: Record<string, DecodedFileInfo>;
  skippedCount: number;
  skipped: SkippedRecord[];
}

/** Plain decimal numbers only: `Number()` would also take hex, binary, "Infinity" and a blank cell. */
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function nonNegative(field: string, v: string): number {
  const s = v.trim();
  const n = DECIMAL.test(s) ? Number(s) : Number.NaN;
  if (!Number.isFinite(n)) throw new RecordError(msg('evidence.drivelog.not-number', { field }), msg('evidence.drivelog.expected-non-negative'), field);
  if (n < 0) throw new RecordError(msg('evidence.drivelog.negative', { field }), msg('evidence.drivelog.expected-non-negative'), field);
  return n + 0; // -0 -> 0
}

/** Seconds since the epoch, from a number (seconds) or an ISO 8601 date-time. */
function timestamp(field: string, v: string): number {
  const s = v.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    if (Number.isFinite(n)) return n;
  }
  const ms = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s) ? Date.parse(s.replace(' ', 'T')) : Number.NaN;
  if (!Number.isFinite(ms)) throw new RecordError(msg('evidence.drivelog.bad-time', { field }), msg('evidence.drivelog.expected-time'), field);
  return ms / 1000;
}

/** Sums of floating-point values printed without binary noise (1e-9 of an hour or km is noise). */
const tidy = (x: number) => Math.round(x * 1e9) / 1e9;

export async function scanDrivelog(path: string, options: DrivelogScanOptions, vehicles: DigestSet = new DigestSet()): Promise<{ result: DrivelogScanResult; vehicles: DigestSet | null }> {
  const display = options.display ?? path;
  const spec = fieldSpecs(DRIVELOG_COLUMNS, options.columns, 'drivelog');
  const fields = ORDER.map((f) => spec[f]);
  const countVehicles = options.countVehicles ?? true;
  let hasher: IdentifierHasher | null = null;
  let fingerprint: string | null = null;
  let sawVin = false;
  let sawDistance = false;
  let seconds = 0;
  let km = 0;
  let pictures = 0;
  let clips = 0;
  let videoClips = 0;
  let imageClips = 0;
  let clipsWithoutDistance = 0;
  let bytes = 0;
  let skippedCount = 0;
  const skipped: SkippedRecord[] = [];
  const columns: Record<string, Record<string, string | null>> = {};
  const encodings: Record<string, DecodedFileInfo> = {};
  const vinWords = new Int32Array(4);
  const files = listTabularFiles(path, options.root, display);
  const totalBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);

  for (const file of files) {
    const shown = files.length === 1 && file === path ? display : join(display, relative(path, file)).split(sep).join('/');
    const summary = await readTabular(file, {
      format: tabularFormatOf(file, options.format),
      fields,
      ...(options.encoding ? { encoding: options.encoding } : {}),
      keepGoing: options.keepGoing ?? false,
      display: shown,
      onBytes: (done) => options.onProgress?.(bytes + done, totalBytes),
      onColumns: ({ columns: cols, header }) => {
        const used: Record<string, string | null> = {};
        ORDER.forEach((f, i) => (used[f] = cols[i] ?? null));
        columns[shown] = used;
        if (header) {
          if (used.duration === null && used.start === null && used.distance === null && used.frames === null) {
            const m = msg('evidence.drivelog.no-columns', { columns: header.length });
            throw badInput(msg('evidence.drivelog.no-columns-file', { file: shown }), [{ file: shown, line: 1, message: m, expected: msg('evidence.drivelog.expected-columns') }]);
          }
          if (used.distance !== null) sawDistance = true;
        }
      },
      onRecord: (v) => {
        const [, vin, duration, start, end, distance, frames, kindCell] = v;
        // Validate and compute the whole record before adding anything.
        let secs: number | null = null;
        if (duration !== undefined) secs = nonNegative('duration_s', duration);
        else if (start !== undefined || end !== undefined) {
          if (start === undefined || end === undefined) throw new RecordError(msg('evidence.drivelog.half-interval'), msg('evidence.drivelog.expected-duration'), start === undefined ? 'start' : 'end');
          secs = timestamp('end', end) - timestamp('start', start);
          if (secs < 0) throw new RecordError(msg('evidence.drivelog.end-before-start'), msg('evidence.drivelog.expected-end-after-start'), 'end');
        }
        let kind: 'video' | 'image';
        if (kindCell !== undefined) {
          const k = kindCell.trim().toLowerCase();
          if (k === 'video' || k === '视频') kind = 'video';
          else if (k === 'image' || k === 'images' || k === 'picture' || k === '图片' || k === '图像') kind = 'image';
          else throw new RecordError(msg('evidence.drivelog.bad-kind'), msg('evidence.drivelog.expected-kind'), 'kind');
        } else kind = secs !== null ? 'video' : 'image';
        if (kind === 'video' && secs === null) throw new RecordError(msg('evidence.drivelog.no-duration'), msg('evidence.drivelog.expected-duration'), 'duration_s');
        const dist = distance !== undefined ? nonNegative('distance_km', distance) : null;
        let pics = 0;
        if (kind === 'image') {
          pics = frames !== undefined ? nonNegative('frames', frames) : 1;
          if (!Number.isInteger(pics)) throw new RecordError(msg('evidence.drivelog.bad-frames'), msg('evidence.drivelog.expected-frames'), 'frames');
        } else if (frames !== undefined) nonNegative('frames', frames);
        let hasVin = false;
        if (vin !== undefined && countVehicles) {
          if (!hasher) {
            const key = options.key?.();
            if (!key) throw badInput(msg('evidence.drivelog.vins-need-key'), [{ file: shown, message: msg('evidence.drivelog.vins-need-key'), expected: msg('evidence.drivelog.expected-key') }]);
            hasher = new IdentifierHasher(key);
            fingerprint = keyFingerprint(key);
          }
          const d = hasher.hash('vin', vin);
          if (d === null) throw new RecordError(msg('evidence.manifest.empty-identifier', { field: 'vin' }), msg('evidence.manifest.expected-identifier'), 'vin');
          vinWords.set(d.subarray(0, 4));
          hasVin = true;
        }
        clips++;
        if (kind === 'video') videoClips++;
        else imageClips++;
        seconds += secs ?? 0;
        if (dist !== null) {
          km += dist;
          sawDistance = true;
        } else clipsWithoutDistance++;
        pictures += pics;
        if (hasVin) {
          sawVin = true;
          vehicles.add(vinWords);
        }
      },
    });
    bytes += summary.bytes;
    skippedCount += summary.skippedCount;
    encodings[shown] = summary.encoding;
    for (const s of summary.skipped) if (skipped.length < 1000) skipped.push(s);
  }

  const counted = countVehicles && (sawVin || Object.values(columns).some((c) => c.vin !== null));
  return {
    result: {
      kind: 'drivelog',
      path: display,
      files: files.length,
      bytes,
      clips,
      videoClips,
      imageClips,
      rawImageryHours: tidy(seconds / 3600),
      rawImageryKm: sawDistance ? tidy(km) : null,
      rawPictures: pictures,
      distinctVehicles: counted ? vehicles.size : null,
      clipsWithoutDistance: sawDistance ? clipsWithoutDistance : 0,
      keyFingerprint: fingerprint,
      columns,
      encodings,
      skippedCount,
      skipped,
    },
    vehicles: counted ? vehicles : null,
  };
}
