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
import { ChujingError } from '../../errors.js';
import { keyFingerprint } from '../keyed-hash.js';
import { fieldSpecs, readTabular, RecordError, tabularFormatOf, type TabularFormat } from '../tabular.js';
import type { SkippedRecord } from '../types.js';
import { DigestSet } from '../manifest/digest-set.js';
import { IdentifierHasher } from '../manifest/identifier-hasher.js';
import { listTabularFiles } from '../manifest/count.js';

export const DRIVELOG_COLUMNS = {
  clipId: ['clip_id', 'clipId', 'clip', 'id'],
  vin: ['vin', 'vehicle_vin', 'vehicleVin'],
  duration: ['duration_s', 'durationS', 'duration', 'duration_sec', 'seconds'],
  start: ['start', 'start_time', 'startTime', 'started_at', 'start_ts'],
  end: ['end', 'end_time', 'endTime', 'ended_at', 'end_ts'],
  distance: ['distance_km', 'distanceKm', 'km', 'distance'],
  frames: ['frames', 'pictures', 'frame_count', 'frameCount', 'images'],
  kind: ['kind', 'type', 'media'],
} as const;
type DrivelogColumn = keyof typeof DRIVELOG_COLUMNS;
const ORDER: DrivelogColumn[] = ['clipId', 'vin', 'duration', 'start', 'end', 'distance', 'frames', 'kind'];

const MESSAGES = {
  // Cell values are never echoed: a mis-mapped column could hold a VIN.
  notNumber: (field: string) => `${field} is not a number`,
  negative: (field: string) => `${field} is negative`,
  expectedNonNegative: 'a number >= 0',
  badTime: (field: string) => `${field} is not a timestamp`,
  expectedTime: 'an ISO 8601 date-time (2026-03-01T08:00:00Z) or seconds since the epoch',
  endBeforeStart: 'the clip ends before it starts (negative duration)',
  noDuration: 'a video clip without duration_s or start and end',
  expectedDuration: 'duration_s, or start and end timestamps',
  halfInterval: 'only one of start and end is given',
  badKind: 'kind is neither video nor image',
  expectedKind: 'video or image',
  badFrames: 'frames must be a whole number',
  expectedFrames: 'a whole number of pictures >= 0',
  // The header is not echoed: a file without one would have its first record printed.
  noColumns: (columns: number) => `no duration, start/end, distance or frames column among the ${columns} column(s) of the header row`,
  expectedColumns: 'columns such as clip_id, vin, duration_s (or start, end), distance_km, frames, kind (or map yours with --column category=name)',
} as const;

export interface DrivelogScanOptions {
  /** Called at the first VIN (not before: a drive log without VINs needs no key). */
  key?: () => KeyObject;
  /** Count distinct VINs (default true); false: ignore the vin column, distinctVehicles = null. */
  countVehicles?: boolean;
  format?: TabularFormat;
  columns?: Record<string, string>;
  keepGoing?: boolean;
  display?: string;
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
  skippedCount: number;
  skipped: SkippedRecord[];
}

function nonNegative(field: string, v: string): number {
  const s = v.trim();
  const n = s === '' ? Number.NaN : Number(s);
  if (!Number.isFinite(n)) throw new RecordError(MESSAGES.notNumber(field), MESSAGES.expectedNonNegative, field);
  if (n < 0) throw new RecordError(MESSAGES.negative(field), MESSAGES.expectedNonNegative, field);
  return n;
}

/** Seconds since the epoch, from a number (seconds) or an ISO 8601 date-time. */
function timestamp(field: string, v: string): number {
  const s = v.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  const ms = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s) ? Date.parse(s.replace(' ', 'T')) : Number.NaN;
  if (!Number.isFinite(ms)) throw new RecordError(MESSAGES.badTime(field), MESSAGES.expectedTime, field);
  return ms / 1000;
}

/** Sums of floating-point values printed without binary noise (1e-9 of an hour or km is noise). */
const tidy = (x: number) => Math.round(x * 1e9) / 1e9;

export async function scanDrivelog(path: string, options: DrivelogScanOptions, vehicles: DigestSet = new DigestSet()): Promise<{ result: DrivelogScanResult; vehicles: DigestSet | null }> {
  const display = options.display ?? path;
  const spec = fieldSpecs(DRIVELOG_COLUMNS, options.columns, 'drive-log');
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
  const vinWords = new Int32Array(4);
  const files = listTabularFiles(path);
  const totalBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);

  for (const file of files) {
    const shown = files.length === 1 && file === path ? display : join(display, relative(path, file)).split(sep).join('/');
    const summary = await readTabular(file, {
      format: tabularFormatOf(file, options.format),
      fields,
      keepGoing: options.keepGoing ?? false,
      display: shown,
      onBytes: (done) => options.onProgress?.(bytes + done, totalBytes),
      onColumns: ({ columns: cols, header }) => {
        const used: Record<string, string | null> = {};
        ORDER.forEach((f, i) => (used[f] = cols[i] ?? null));
        columns[shown] = used;
        if (header) {
          if (used.duration === null && used.start === null && used.distance === null && used.frames === null) {
            throw new ChujingError('bad-input', `${shown}:1: ${MESSAGES.noColumns(header.length)}`, [
              { file: shown, line: 1, message: MESSAGES.noColumns(header.length), expected: MESSAGES.expectedColumns },
            ]);
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
          if (start === undefined || end === undefined) throw new RecordError(MESSAGES.halfInterval, MESSAGES.expectedDuration, start === undefined ? 'start' : 'end');
          secs = timestamp('end', end) - timestamp('start', start);
          if (secs < 0) throw new RecordError(MESSAGES.endBeforeStart, 'end at or after start', 'end');
        }
        let kind: 'video' | 'image';
        if (kindCell !== undefined) {
          const k = kindCell.trim().toLowerCase();
          if (k === 'video') kind = 'video';
          else if (k === 'image' || k === 'images' || k === 'picture') kind = 'image';
          else throw new RecordError(MESSAGES.badKind, MESSAGES.expectedKind, 'kind');
        } else kind = secs !== null ? 'video' : 'image';
        if (kind === 'video' && secs === null) throw new RecordError(MESSAGES.noDuration, MESSAGES.expectedDuration, 'duration_s');
        const dist = distance !== undefined ? nonNegative('distance_km', distance) : null;
        let pics = 0;
        if (kind === 'image') {
          pics = frames !== undefined ? nonNegative('frames', frames) : 1;
          if (!Number.isInteger(pics)) throw new RecordError(MESSAGES.badFrames, MESSAGES.expectedFrames, 'frames');
        } else if (frames !== undefined) nonNegative('frames', frames);
        let hasVin = false;
        if (vin !== undefined && countVehicles) {
          if (!hasher) {
            const key = options.key?.();
            if (!key) throw new ChujingError('bad-input', 'VINs need the HMAC key', [{ file: shown, message: 'the drive log has VINs but no key was given', expected: 'the HMAC key, or --no-vehicles' }]);
            hasher = new IdentifierHasher(key);
            fingerprint = keyFingerprint(key);
          }
          const d = hasher.hash('vin', vin);
          if (d === null) throw new RecordError('vin holds no identifier characters', 'a VIN', 'vin');
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
      skippedCount,
      skipped,
    },
    vehicles: counted ? vehicles : null,
  };
}
