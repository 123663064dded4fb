/**
 * `scan images` / `scan video` and the `images` / `video` evidence kinds: every file decoded, both
 * detectors run, and per file and in total the largest face and plate box (shorter and longer side),
 * how many boxes, images or frames scanned, video duration. Only numbers and file hashes come out —
 * no pixel, crop or thumbnail is kept anywhere.
 *
 * A file that cannot be measured (corrupt, truncated, not an image, too many pixels, a link out of the
 * workspace) is a per-file error in the result; the caller decides (the CLI reports it and exits 2 only
 * when nothing was measured; `assess` refuses the whole evidence entry, as it does for any bad record).
 */
import { digestFile } from '../cache.js';
import { readFileSync, statSync } from 'node:fs';
import { msg, type Msg } from '../../i18n/index.js';
import { isInside } from '../../model/paths.js';
import { listEvidenceFiles } from '../files.js';
import type { BoxThresholds } from '../types.js';
import { boxSide, px, type Box } from './boxes.js';
import { thresholdCall, type ThresholdCall } from './call.js';
import { DecodeError, decodeImage, MAX_INPUT_PIXELS } from './decode.js';
import type { Detector, Frame } from './detect.js';
import { acceptsName, type ImageryKind } from './names.js';
import { probeVideo, sampleFrames, VideoError } from './video.js';

/** Largest box of a kind: its shorter side and, separately, the largest longer side (null: none seen). */
export interface LargestBox {
  minSidePx: number;
  maxSidePx: number;
}

export interface ImageryFileResult {
  file: string;
  sha256: string;
  bytes: number;
  /** Images: 1; video: frames decoded and measured. */
  frames: number;
  /** Video only: duration in whole microseconds. */
  durationUs?: number;
  faces: number;
  plates: number;
  largestFace: LargestBox | null;
  largestPlate: LargestBox | null;
  /** The file's decoding stopped early because both thresholds were reached (video, not --exhaustive). */
  stoppedEarly?: boolean;
}

export interface ImageryFileError {
  file: string;
  reason: Msg;
}

export type { ImageryKind } from './names.js';

export interface ImageryScanOptions {
  kind: ImageryKind;
  thresholds: BoxThresholds;
  boxMeasure: 'min-side' | 'max-side';
  /** settings.detectorReviewBand. */
  reviewBand: number;
  /** Video: frames per second of video to measure (default 1), or keyframes only. */
  fps?: number;
  keyframes?: boolean;
  /** Video: decode every sampled frame even after both thresholds are reached. */
  exhaustive?: boolean;
  /** Workspace folder the files must resolve inside (links out are per-file errors). */
  root?: string;
  maxPixels?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ImageryScanResult {
  kind: ImageryKind;
  files: number;
  measuredFiles: number;
  bytes: number;
  /** Images, or frames of video, run through the detectors. */
  frames: number;
  /** Total duration of the measured videos, in whole microseconds, and in hours. */
  videoDurationUs: number;
  videoHours: number;
  faceBoxes: number;
  plateBoxes: number;
  /** The measure settings.boxMeasure compares (shorter side by default), as the annotation scanner reports it. */
  maxFaceBoxMinSidePx: number | null;
  maxPlateBoxMinSidePx: number | null;
  largestFace: LargestBox | null;
  largestPlate: LargestBox | null;
  faceCall: ThresholdCall;
  plateCall: ThresholdCall;
  filesAtOrAboveReview: number;
  thresholds: { face: number; plate: number };
  thresholdSource: { pack: string; rule: string };
  boxMeasure: 'min-side' | 'max-side';
  reviewBand: number;
  detectors: { face: string; plate: string };
  perFile: ImageryFileResult[];
  errors: ImageryFileError[];
}

/** SHA-256 of a file's bytes (the cache's digest, unkeyed: images hold no identifiers of their own). */
export function sha256File(path: string): string {
  return digestFile(path, null);
}

function largest(current: LargestBox | null, boxes: Box[]): LargestBox | null {
  let out = current;
  for (const b of boxes) {
    const minSidePx = px(boxSide(b, 'min-side'));
    const maxSidePx = px(boxSide(b, 'max-side'));
    out = out ? { minSidePx: Math.max(out.minSidePx, minSidePx), maxSidePx: Math.max(out.maxSidePx, maxSidePx) } : { minSidePx, maxSidePx };
  }
  return out;
}

export function measureOf(b: LargestBox | null, measure: 'min-side' | 'max-side'): number | null {
  return b === null ? null : measure === 'max-side' ? b.maxSidePx : b.minSidePx;
}

/** Merge per-file results into the dataset's figures (maxima of sides, sums of counts and durations). */
export function summarise(perFile: ImageryFileResult[], errors: ImageryFileError[], files: number, options: Pick<ImageryScanOptions, 'kind' | 'thresholds' | 'boxMeasure' | 'reviewBand'>, detectors: { face: string; plate: string }): ImageryScanResult {
  let face: LargestBox | null = null;
  let plate: LargestBox | null = null;
  const merge = (a: LargestBox | null, b: LargestBox | null) => (a && b ? { minSidePx: Math.max(a.minSidePx, b.minSidePx), maxSidePx: Math.max(a.maxSidePx, b.maxSidePx) } : (a ?? b));
  let durationUs = 0;
  let atReview = 0;
  const t = options.thresholds;
  for (const f of perFile) {
    face = merge(face, f.largestFace);
    plate = merge(plate, f.largestPlate);
    durationUs += f.durationUs ?? 0;
    const fm = measureOf(f.largestFace, options.boxMeasure);
    const pm = measureOf(f.largestPlate, options.boxMeasure);
    if ((fm !== null && fm >= t.face * options.reviewBand) || (pm !== null && pm >= t.plate * options.reviewBand)) atReview++;
  }
  const maxFace = measureOf(face, options.boxMeasure);
  const maxPlate = measureOf(plate, options.boxMeasure);
  const band = { band: options.reviewBand };
  return {
    kind: options.kind,
    files,
    measuredFiles: perFile.length,
    bytes: perFile.reduce((s, f) => s + f.bytes, 0),
    frames: perFile.reduce((s, f) => s + f.frames, 0),
    videoDurationUs: durationUs,
    videoHours: durationUs / 3_600_000_000,
    faceBoxes: perFile.reduce((s, f) => s + f.faces, 0),
    plateBoxes: perFile.reduce((s, f) => s + f.plates, 0),
    maxFaceBoxMinSidePx: maxFace,
    maxPlateBoxMinSidePx: maxPlate,
    largestFace: face,
    largestPlate: plate,
    faceCall: thresholdCall(maxFace, t.face, band),
    plateCall: thresholdCall(maxPlate, t.plate, band),
    filesAtOrAboveReview: atReview,
    thresholds: { face: t.face, plate: t.plate },
    thresholdSource: { pack: t.pack, rule: t.rule },
    boxMeasure: options.boxMeasure,
    reviewBand: options.reviewBand,
    detectors,
    perFile,
    errors,
  };
}

export interface ScanTarget {
  /** Absolute (or process-relative) path. */
  path: string;
  /** As shown to the user. */
  display: string;
}

/** Every file of the targets (folders walked for the kind's extensions; a named file taken as given). */
export function listTargets(targets: ScanTarget[], kind: ImageryKind): { file: string; display: string; size: number }[] {
  const out: { file: string; display: string; size: number }[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    const { files, isDirectory } = listEvidenceFiles(t.path, { accept: acceptsName(kind), display: t.display });
    for (const f of files) {
      if (seen.has(f.file)) continue;
      seen.add(f.file);
      out.push({ file: f.file, display: isDirectory ? `${t.display.replace(/\/+$/, '')}/${f.relative}` : t.display, size: f.size });
    }
  }
  return out;
}

function fileError(display: string, e: unknown, kind: ImageryKind, maxPixels: number): ImageryFileError {
  if (e instanceof DecodeError) {
    if (e.reason === 'bomb') return { file: display, reason: msg('imagery.error.too-many-pixels', { max: maxPixels }) };
    return { file: display, reason: msg(kind === 'images' ? 'imagery.error.not-an-image' : 'imagery.error.not-a-video', { detail: e.message }) };
  }
  if (e instanceof VideoError) return { file: display, reason: msg('imagery.error.not-a-video', { detail: e.message }) };
  const code = (e as NodeJS.ErrnoException).code;
  return { file: display, reason: msg('imagery.error.unreadable', { detail: code ?? (e as Error).message }) };
}

/** Scan the files: each measured or recorded as an error, never both, never half. */
export async function scanImagery(files: { file: string; display: string; size: number }[], detector: Detector, options: ImageryScanOptions, detectors: { face: string; plate: string }): Promise<ImageryScanResult> {
  const perFile: ImageryFileResult[] = [];
  const errors: ImageryFileError[] = [];
  const maxPixels = options.maxPixels ?? MAX_INPUT_PIXELS;
  const t = options.thresholds;
  const totalUnits = files.reduce((s, f) => s + f.size, 0);
  let doneUnits = 0;
  options.onProgress?.(0, totalUnits);
  for (const f of files) {
    try {
      if (options.root !== undefined && !isInside(options.root, f.file)) {
        errors.push({ file: f.display, reason: msg('imagery.error.outside-workspace') });
        continue;
      }
      const sha256 = sha256File(f.file);
      const bytes = statSync(f.file).size;
      let faces = 0;
      let plates = 0;
      let largestFace: LargestBox | null = null;
      let largestPlate: LargestBox | null = null;
      const measureFrame = async (frame: Frame) => {
        const d = await detector.detect(frame, { plateThreshold: t.plate });
        faces += d.faces.length;
        plates += d.plates.length;
        largestFace = largest(largestFace, d.faces);
        largestPlate = largest(largestPlate, d.plates);
      };
      if (options.kind === 'images') {
        const frame = await decodeImage(readFileSync(f.file), maxPixels);
        await measureFrame(frame);
        perFile.push({ file: f.display, sha256, bytes, frames: 1, faces, plates, largestFace, largestPlate });
      } else {
        const info = probeVideo(f.file);
        if (info.width * info.height > maxPixels) throw new DecodeError('bomb', `${info.width}x${info.height}`);
        let stoppedEarly = false;
        const frames = await sampleFrames(f.file, info, { fps: options.fps ?? 1, keyframes: options.keyframes ?? false }, async (frame) => {
          await measureFrame(frame);
          const fm = measureOf(largestFace, options.boxMeasure);
          const pm = measureOf(largestPlate, options.boxMeasure);
          if (!options.exhaustive && fm !== null && fm >= t.face && pm !== null && pm >= t.plate) {
            stoppedEarly = true;
            return false;
          }
          return true;
        });
        perFile.push({ file: f.display, sha256, bytes, frames, durationUs: info.durationUs, faces, plates, largestFace, largestPlate, ...(stoppedEarly ? { stoppedEarly } : {}) });
      }
    } catch (e) {
      errors.push(fileError(f.display, e, options.kind, maxPixels));
    } finally {
      doneUnits += f.size;
      options.onProgress?.(doneUnits, totalUnits);
    }
  }
  return summarise(perFile, errors, files.length, options, detectors);
}
