/**
 * The annotation scanner: measures the DRAFT-J6 facts (maxFaceBoxMinSidePx, maxPlateBoxMinSidePx — alias
 * IMP-DA-R1 for faces) from annotation files, and counts the boxes and images at or above the pack's
 * thresholds. One parser per format (./<format>.ts), all behind the same interface.
 *
 * @example
 *   const thresholds = boxThresholds(selectPack(AUTO_PACKS, '2026-03-01')!.pack);
 *   const r = await scanAnnotations('labels/', { format: 'voc', thresholds });
 *   r.qualifyingFaceBoxes; // boxes with min(width, height) >= 32 px
 */
import { join, resolve } from 'node:path';
import { badInput } from '../../errors.js';
import { msg } from '../../i18n/index.js';
import { listEvidenceFiles } from '../files.js';
import type { AnnotationFormat, AnnotationScanResult, BoxThresholds } from '../types.js';
import { classMap } from './classes.js';
import { FormatOptions, type FormatParser, type OptionValue } from './format.js';
import { Tally, type BoxMeasure, type QualifyingImageListener } from './tally.js';
import { coco } from './coco.js';
import { kitti } from './kitti.js';
import { yolo } from './yolo.js';
import { voc } from './voc.js';
import { wider } from './wider.js';
import { ccpd } from './ccpd.js';
import { openalpr } from './openalpr.js';
import { csv } from './csv.js';

export type { BoxMeasure, QualifyingBox, QualifyingImageListener } from './tally.js';
export { DEFAULT_FACE_CLASSES, DEFAULT_PLATE_CLASSES, FIXED_KIND } from './classes.js';

export const PARSERS: Readonly<Record<AnnotationFormat, FormatParser>> = { coco, kitti, yolo, voc, wider, ccpd, openalpr, csv };
export const ANNOTATION_FORMATS = Object.keys(PARSERS) as AnnotationFormat[];

export function isAnnotationFormat(value: string): value is AnnotationFormat {
  return (ANNOTATION_FORMATS as string[]).includes(value);
}

export interface ScanAnnotationsOptions {
  format: AnnotationFormat;
  /** Class names counted as faces / plates; each list replaces that kind's defaults. */
  classes?: { face?: string[]; plate?: string[] };
  thresholds: BoxThresholds;
  /** Q-5 (settings.boxMeasure): min-side follows the DRAFT-J6 text; max-side is stricter. */
  boxMeasure?: BoxMeasure;
  /** Skip, count and list bad records instead of stopping at the first. */
  keepGoing?: boolean;
  /** Format options (`--option k=v`), see docs/annotation-formats.md. */
  options?: Record<string, OptionValue>;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Called once for each image with at least one qualifying box, with those boxes. */
  onQualifyingImage?: QualifyingImageListener;
  /** The workspace folder every file must stay inside (evidence of a workspace). */
  root?: string;
  /** The path as shown in messages (default: as given). */
  display?: string;
}

export interface AnnotationScanDetails extends AnnotationScanResult {
  /** Boxes read but left out of the face/plate counts by an option (WIDER invalid=skip, COCO crowd=skip). */
  excludedBoxes: number;
  /** Exact number of skipped records (`skipped` lists at most the first 10,000). */
  skippedCount: number;
}

export async function scanAnnotations(path: string, options: ScanAnnotationsOptions): Promise<AnnotationScanDetails> {
  const parser = PARSERS[options.format];
  if (!parser) {
    const m = msg('evidence.annotations.unknown-format', { format: String(options.format) });
    throw badInput(m, [{ field: '--format', message: m, expected: msg('evidence.expected.one-of', { values: ANNOTATION_FORMATS.join(', ') }) }]);
  }
  const formatOptions = new FormatOptions(options.options ?? {});
  formatOptions.check(parser.format, parser.options);
  const shown = options.display ?? path;
  const { files, isDirectory } = listEvidenceFiles(resolve(path), { accept: (n) => parser.accepts(n), display: shown, ...(options.root !== undefined ? { root: options.root } : {}) });
  if (files.length === 0) {
    const m = msg('evidence.annotations.no-files', { path: shown, format: parser.format });
    throw badInput(m, [{ file: shown, message: m, expected: msg('evidence.annotations.expected-files', { format: parser.format }) }]);
  }
  const boxMeasure = options.boxMeasure ?? 'min-side';
  const tallyOptions = { thresholds: options.thresholds, boxMeasure, keepGoing: options.keepGoing ?? false, ...(options.onQualifyingImage ? { onQualifyingImage: options.onQualifyingImage } : {}) };
  const tally = new Tally(tallyOptions);
  const classes = classMap(options.classes);
  const total = files.reduce((n, f) => n + f.size, 0);
  let done = 0;
  for (const f of files) {
    let read = 0;
    const display = isDirectory ? join(shown, f.relative) : shown;
    await parser.scan({
      format: parser.format,
      file: f.file,
      display,
      relative: f.relative,
      tally,
      classes,
      options: formatOptions,
      ...(options.root !== undefined ? { root: options.root } : {}),
      onBytes: (n) => {
        read += n;
        options.onProgress?.(done + Math.min(read, f.size), total);
      },
    });
    done += f.size;
    options.onProgress?.(done, total);
  }
  tally.finish();
  return {
    format: parser.format,
    images: tally.images,
    boxes: tally.boxes,
    faceBoxes: tally.faceBoxes,
    plateBoxes: tally.plateBoxes,
    qualifyingFaceBoxes: tally.qualifyingFaceBoxes,
    qualifyingPlateBoxes: tally.qualifyingPlateBoxes,
    imagesWithQualifyingBox: tally.imagesWithQualifyingBox,
    maxFaceBoxMinSidePx: tally.maxFace,
    maxPlateBoxMinSidePx: tally.maxPlate,
    thresholds: { face: options.thresholds.face, plate: options.thresholds.plate },
    thresholdSource: { pack: options.thresholds.pack, rule: options.thresholds.rule },
    boxMeasure,
    files: files.length,
    bytes: total,
    skipped: tally.skipped,
    skippedCount: tally.skippedCount,
    excludedBoxes: tally.excludedBoxes,
  };
}
