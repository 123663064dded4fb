/**
 * The running count of one scan: boxes by kind, boxes that reach the DRAFT-J6 thresholds, the largest
 * measure, images with at least one qualifying box, and records skipped under --keep-going.
 */
import { badInput, ChujingError, type ErrorIssue } from '../../errors.js';
import { msg, type Msg } from '../../i18n/index.js';
import type { BoxThresholds, SkippedRecord } from '../types.js';
import type { BoxKind } from './classes.js';

export type BoxMeasure = 'min-side' | 'max-side';

export interface QualifyingBox {
  kind: BoxKind;
  minSidePx: number;
  maxSidePx: number;
}

export type QualifyingImageListener = (image: string, boxes: QualifyingBox[]) => void;

/** At most this many skipped records are listed; `skippedCount` stays exact. */
export const SKIPPED_LIST_LIMIT = 10_000;

export interface TallyOptions {
  thresholds: BoxThresholds;
  boxMeasure: BoxMeasure;
  keepGoing: boolean;
  onQualifyingImage?: QualifyingImageListener;
}

export class Tally {
  images = 0;
  boxes = 0;
  faceBoxes = 0;
  plateBoxes = 0;
  qualifyingFaceBoxes = 0;
  qualifyingPlateBoxes = 0;
  imagesWithQualifyingBox = 0;
  maxFace: number | null = null;
  maxPlate: number | null = null;
  skipped: SkippedRecord[] = [];
  skippedCount = 0;
  /** Boxes read but left out of the face/plate counts by a format option (e.g. WIDER invalid=skip). */
  excludedBoxes = 0;

  readonly listing: boolean;
  private current: string | null = null;
  private currentBoxes: QualifyingBox[] = [];
  private currentQualifies = false;
  private seen: Set<string> | null = null;
  private qualified: Map<string, QualifyingBox[]> | null = null;

  constructor(readonly options: TallyOptions) {
    this.listing = options.onQualifyingImage !== undefined;
  }

  /**
   * Count one box; true when it reaches its kind's threshold. `null` kind: a box of another class
   * (counted in `boxes` only). Width and height are in pixels, already measured per the format's
   * coordinate convention.
   */
  count(kind: BoxKind | null, width: number, height: number): boolean {
    // Parsers reject non-finite and negative sizes with the file and line; reaching here with one is a bug.
    if (!(width >= 0 && height >= 0 && width <= Number.MAX_VALUE && height <= Number.MAX_VALUE)) throw new ChujingError('internal', msg('evidence.annotations.bad-size-reached'));
    this.boxes++;
    if (kind === null) return false;
    const m = this.options.boxMeasure === 'min-side' ? (width < height ? width : height) : width > height ? width : height;
    if (kind === 'face') {
      this.faceBoxes++;
      if (this.maxFace === null || m > this.maxFace) this.maxFace = m;
      if (m >= this.options.thresholds.face) {
        this.qualifyingFaceBoxes++;
        return true;
      }
    } else {
      this.plateBoxes++;
      if (this.maxPlate === null || m > this.maxPlate) this.maxPlate = m;
      if (m >= this.options.thresholds.plate) {
        this.qualifyingPlateBoxes++;
        return true;
      }
    }
    return false;
  }

  // --- Formats whose boxes come grouped by image (one file or one block per image).

  /** Start a new image (closes the previous one). */
  image(name: string): void {
    this.endImage();
    this.images++;
    this.current = name;
  }

  /** Start a new image unless `name` is the current one (rows of one image on consecutive lines). */
  imageIfNew(name: string): void {
    if (this.current !== name) this.image(name);
  }

  /** A box of the current image. */
  box(kind: BoxKind | null, width: number, height: number): void {
    if (this.count(kind, width, height)) {
      this.currentQualifies = true;
      if (this.listing) this.currentBoxes.push(qualifying(kind!, width, height));
    }
  }

  endImage(): void {
    if (this.current !== null && this.currentQualifies) {
      this.imagesWithQualifyingBox++;
      this.options.onQualifyingImage?.(this.current, this.currentBoxes);
    }
    this.current = null;
    this.currentQualifies = false;
    this.currentBoxes = [];
  }

  // --- Formats where an image's rows may be anywhere (csv): distinct image names are kept.

  keyedImage(name: string): void {
    this.seen ??= new Set();
    if (!this.seen.has(name)) {
      this.seen.add(name);
      this.images++;
    }
  }

  keyedBox(name: string, kind: BoxKind | null, width: number, height: number): void {
    this.keyedImage(name);
    if (this.count(kind, width, height)) {
      this.qualified ??= new Map();
      let list = this.qualified.get(name);
      if (!list) {
        list = [];
        this.qualified.set(name, list);
      }
      if (this.listing) list.push(qualifying(kind!, width, height));
    }
  }

  /** Close everything; report keyed qualifying images. */
  finish(): void {
    this.endImage();
    if (this.qualified) {
      this.imagesWithQualifyingBox += this.qualified.size;
      if (this.options.onQualifyingImage) for (const [name, boxes] of this.qualified) this.options.onQualifyingImage(name, boxes);
      this.qualified = null;
    }
    this.seen = null;
  }

  /**
   * A record that cannot be read: skipped and listed under keep-going, else the scan stops with a
   * bad-input error naming the file and line/offset.
   */
  reject(format: string, issue: ErrorIssue & { file: string; message: Msg; expected?: Msg }): void {
    if (!this.options.keepGoing) throw badInput(msg('evidence.annotations.malformed', { file: issue.file, format }), [issue]);
    this.skippedCount++;
    if (this.skipped.length < SKIPPED_LIST_LIMIT) {
      const rec: SkippedRecord = { file: issue.file, reason: issue.message, ...(issue.expected ? { expected: issue.expected } : {}) };
      if (issue.line !== undefined) rec.line = issue.line;
      if (issue.offset !== undefined) rec.offset = issue.offset;
      this.skipped.push(rec);
    }
  }
}

function qualifying(kind: BoxKind, w: number, h: number): QualifyingBox {
  return { kind, minSidePx: Math.min(w, h), maxSidePx: Math.max(w, h) };
}
