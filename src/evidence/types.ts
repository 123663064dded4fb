/**
 * Shared result shapes of the evidence scanners (the `scan ... --json` contract of product.md).
 */
import type { ANNOTATION_FORMATS } from '../model/workspace.js';
import type { Msg } from '../i18n/index.js';

/** The formats the workspace schema accepts; the parser table (annotations/index.ts) must cover each. */
export type AnnotationFormat = (typeof ANNOTATION_FORMATS)[number];

export interface SkippedRecord {
  file: string;
  line?: number;
  offset?: number;
  /** What is wrong with the record (a message: code, parameters; text in JSON output). */
  reason: Msg;
  expected?: Msg;
}

export interface AnnotationScanResult {
  format: AnnotationFormat;
  /** Images seen (with or without boxes). */
  images: number;
  boxes: number;
  faceBoxes: number;
  plateBoxes: number;
  qualifyingFaceBoxes: number;
  qualifyingPlateBoxes: number;
  imagesWithQualifyingBox: number;
  /** Largest min(width, height) over face boxes (or max side, per settings.boxMeasure); null if none. */
  maxFaceBoxMinSidePx: number | null;
  maxPlateBoxMinSidePx: number | null;
  thresholds: { face: number; plate: number };
  /** Which pack/rule the thresholds came from. */
  thresholdSource: { pack: string; rule: string };
  boxMeasure: 'min-side' | 'max-side';
  files: number;
  bytes: number;
  skipped: SkippedRecord[];
}

export interface BoxThresholds {
  face: number;
  plate: number;
  pack: string;
  rule: string;
}
