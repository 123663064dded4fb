/**
 * The two detectors, fed and read exactly as ../shared/models/SOURCES.md describes (checked there by
 * running them): YuNet for faces at the frame's native resolution, HyperLPR3's y5fu for licence plates
 * on the letterboxed frame and, when the frame is larger than the model's input and no plate at the
 * threshold was found yet, on tiles at native resolution (plates of ~16 px vanish when a large frame is
 * shrunk to 320 px). onnxruntime and sharp are loaded here only, on first use (start-up of the other
 * commands must not pay for them).
 *
 * The pre- and post-processing is written out here because it is model-specific glue (tensor layout,
 * anchor decoding) that no maintained Node library provides for these two models.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { nms, type Box } from './boxes.js';

/** A decoded frame: interleaved RGB bytes, row after row. */
export interface Frame {
  data: Uint8Array;
  width: number;
  height: number;
}

type Ort = typeof import('onnxruntime-node');

let ortModule: Promise<Ort> | undefined;
/** onnxruntime-node, imported on first use. */
export function loadOrt(): Promise<Ort> {
  return (ortModule ??= import('onnxruntime-node').then((m) => ((m as { default?: Ort }).default ?? m) as Ort));
}

export const FACE_SCORE = 0.6;
export const FACE_NMS = 0.3;
export const PLATE_OBJECTNESS = 0.25;
export const PLATE_NMS = 0.5;
/** y5fu_320x_sim's input side. */
export const PLATE_INPUT = 320;
/** Overlap of plate tiles: a plate at the threshold (~16 px high, ~50 px wide) lies whole in one tile. */
export const TILE_OVERLAP = 64;

export interface Detections {
  faces: Box[];
  plates: Box[];
}

export interface DetectOptions {
  /** Skip the plate tiles once a plate of this many pixels (shorter side) was found on the whole frame. */
  plateThreshold?: number;
  /** Tile large frames for small plates (default true). */
  tiles?: boolean;
}

/** Time spent inside onnxruntime's run() (for the bench: scanner overhead = total / inference). */
export const inferenceClock = { ms: 0, runs: 0 };

async function run(session: InferenceSession, feeds: Record<string, Tensor>): Promise<InferenceSession.OnnxValueMapType> {
  const t0 = performance.now();
  const out = await session.run(feeds);
  inferenceClock.ms += performance.now() - t0;
  inferenceClock.runs++;
  return out;
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** YuNet input: BGR planes, 0-255, padded bottom/right to multiples of 32. */
export function yunetInput(frame: Frame): { data: Float32Array; width: number; height: number } {
  const width = Math.ceil(frame.width / 32) * 32;
  const height = Math.ceil(frame.height / 32) * 32;
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  const src = frame.data;
  for (let y = 0; y < frame.height; y++) {
    let s = y * frame.width * 3;
    let d = y * width;
    for (let x = 0; x < frame.width; x++, s += 3, d++) {
      data[d] = src[s + 2]!;
      data[plane + d] = src[s + 1]!;
      data[2 * plane + d] = src[s]!;
    }
  }
  return { data, width, height };
}

/** Decode YuNet's per-stride outputs into boxes (SOURCES.md), before NMS. */
export function decodeYunet(outputs: Record<string, { data: unknown }>, width: number, height: number, scoreThreshold = FACE_SCORE): Box[] {
  const boxes: Box[] = [];
  for (const s of [8, 16, 32]) {
    const cls = outputs[`cls_${s}`]!.data as Float32Array;
    const obj = outputs[`obj_${s}`]!.data as Float32Array;
    const bbox = outputs[`bbox_${s}`]!.data as Float32Array;
    const cols = width / s;
    const rows = height / s;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const score = Math.sqrt(clamp01(cls[i]!) * clamp01(obj[i]!));
        if (score < scoreThreshold) continue;
        const cx = (c + bbox[4 * i]!) * s;
        const cy = (r + bbox[4 * i + 1]!) * s;
        const w = Math.exp(bbox[4 * i + 2]!) * s;
        const h = Math.exp(bbox[4 * i + 3]!) * s;
        boxes.push({ x: cx - w / 2, y: cy - h / 2, w, h, score });
      }
    }
  }
  return boxes;
}

/** A box clipped to the frame (a detector's box may run past the edge; the image has no pixels there). */
function clip(b: Box, width: number, height: number): Box | null {
  const x0 = Math.max(0, b.x);
  const y0 = Math.max(0, b.y);
  const x1 = Math.min(width, b.x + b.w);
  const y1 = Math.min(height, b.y + b.h);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0, score: b.score };
}

/** y5fu input: the S×S letterboxed RGB image (already resized to `scaled`, placed at left/top), /255, NCHW. */
export function letterboxTensor(scaled: Frame, side: number, left: number, top: number): Float32Array {
  const plane = side * side;
  const data = new Float32Array(3 * plane);
  const src = scaled.data;
  for (let y = 0; y < scaled.height; y++) {
    let s = y * scaled.width * 3;
    let d = (y + top) * side + left;
    for (let x = 0; x < scaled.width; x++, s += 3, d++) {
      data[d] = src[s]! / 255;
      data[plane + d] = src[s + 1]! / 255;
      data[2 * plane + d] = src[s + 2]! / 255;
    }
  }
  return data;
}

/** Decode y5fu's [1, N, 15] rows into boxes in the original frame (undoing the letterbox), before NMS. */
export function decodeY5fu(out: Float32Array, r: number, left: number, top: number, objThreshold = PLATE_OBJECTNESS): Box[] {
  const boxes: Box[] = [];
  for (let i = 0; i + 15 <= out.length; i += 15) {
    const obj = out[i + 4]!;
    if (obj <= objThreshold) continue;
    const score = obj * Math.max(out[i + 13]!, out[i + 14]!);
    const cx = out[i]!;
    const cy = out[i + 1]!;
    const w = out[i + 2]!;
    const h = out[i + 3]!;
    boxes.push({ x: (cx - w / 2 - left) / r, y: (cy - h / 2 - top) / r, w: w / r, h: h / r, score });
  }
  return boxes;
}

/**
 * The y5fu tensor of a tile at native resolution (scale 1), read straight from the frame: the same
 * tensor as cropping and letterboxing the tile, without the copy (tiles are most of a large frame's cost).
 */
export function tileTensor(frame: Frame, x: number, y: number, w: number, h: number, side: number): { data: Float32Array; left: number; top: number } {
  const plane = side * side;
  const data = new Float32Array(3 * plane);
  const left = Math.floor((side - w) / 2);
  const top = Math.floor((side - h) / 2);
  const src = frame.data;
  for (let row = 0; row < h; row++) {
    let s = ((y + row) * frame.width + x) * 3;
    let d = (row + top) * side + left;
    for (let col = 0; col < w; col++, s += 3, d++) {
      data[d] = src[s]! / 255;
      data[plane + d] = src[s + 1]! / 255;
      data[2 * plane + d] = src[s + 2]! / 255;
    }
  }
  return { data, left, top };
}

/** Copy a rectangle of a frame (tiles for the plate detector). */
export function crop(frame: Frame, x: number, y: number, w: number, h: number): Frame {
  const data = new Uint8Array(w * h * 3);
  for (let row = 0; row < h; row++) {
    const s = ((y + row) * frame.width + x) * 3;
    data.set(frame.data.subarray(s, s + w * 3), row * w * 3);
  }
  return { data, width: w, height: h };
}

/** Tile origins along one axis: tiles of `tile` px overlapping by `overlap`, the last flush with the edge. */
export function tileStarts(length: number, tile: number, overlap: number): number[] {
  if (length <= tile) return [0];
  const step = tile - overlap;
  const out: number[] = [];
  for (let at = 0; at + tile < length; at += step) out.push(at);
  out.push(length - tile);
  return out;
}

export class Detector {
  private constructor(
    private readonly ort: Ort,
    private readonly faces: InferenceSession,
    private readonly plates: InferenceSession,
    private readonly resize: (frame: Frame, width: number, height: number) => Promise<Frame>,
  ) {}

  /** Sessions from the checked model bytes; one intra-op thread unless told otherwise. */
  static async create(faceModel: Uint8Array, plateModel: Uint8Array, threads = 1): Promise<Detector> {
    const ort = await loadOrt();
    const { resizeRaw } = await import('./decode.js');
    const options: InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, executionProviders: ['cpu'], graphOptimizationLevel: 'all' };
    const faces = await ort.InferenceSession.create(faceModel, options);
    const plates = await ort.InferenceSession.create(plateModel, options);
    return new Detector(ort, faces, plates, resizeRaw);
  }

  async detectFaces(frame: Frame): Promise<Box[]> {
    const input = yunetInput(frame);
    const out = await run(this.faces, { input: new this.ort.Tensor('float32', input.data, [1, 3, input.height, input.width]) });
    const raw = decodeYunet(out as Record<string, { data: unknown }>, input.width, input.height);
    return nms(raw, FACE_NMS)
      .map((b) => clip(b, frame.width, frame.height))
      .filter((b): b is Box => b !== null);
  }

  /** Plates on one letterboxed image (a whole frame or a tile), in that image's pixels. */
  private async platesOnce(image: Frame): Promise<Box[]> {
    const S = PLATE_INPUT;
    const r = Math.min(S / image.height, S / image.width);
    const w = Math.max(1, Math.round(image.width * r));
    const h = Math.max(1, Math.round(image.height * r));
    const scaled = w === image.width && h === image.height ? image : await this.resize(image, w, h);
    const left = Math.floor((S - w) / 2);
    const top = Math.floor((S - h) / 2);
    const data = letterboxTensor(scaled, S, left, top);
    const out = await run(this.plates, { input: new this.ort.Tensor('float32', data, [1, 3, S, S]) });
    const first = Object.values(out)[0]!;
    return decodeY5fu(first.data as Float32Array, r, left, top);
  }

  async detectPlates(frame: Frame, options: DetectOptions = {}): Promise<Box[]> {
    const S = PLATE_INPUT;
    let found = await this.platesOnce(frame);
    const large = frame.width > S || frame.height > S;
    const reached = options.plateThreshold !== undefined && found.some((b) => Math.min(b.w, b.h) >= options.plateThreshold!);
    if (large && (options.tiles ?? true) && !reached) {
      for (const ty of tileStarts(frame.height, S, TILE_OVERLAP)) {
        for (const tx of tileStarts(frame.width, S, TILE_OVERLAP)) {
          const t = tileTensor(frame, tx, ty, Math.min(S, frame.width - tx), Math.min(S, frame.height - ty), S);
          const out = await run(this.plates, { input: new this.ort.Tensor('float32', t.data, [1, 3, S, S]) });
          for (const b of decodeY5fu(Object.values(out)[0]!.data as Float32Array, 1, t.left, t.top)) found.push({ ...b, x: b.x + tx, y: b.y + ty });
        }
      }
    }
    found = nms(found, PLATE_NMS);
    return found.map((b) => clip(b, frame.width, frame.height)).filter((b): b is Box => b !== null);
  }

  async detect(frame: Frame, options: DetectOptions = {}): Promise<Detections> {
    return { faces: await this.detectFaces(frame), plates: await this.detectPlates(frame, options) };
  }

  async release(): Promise<void> {
    await this.faces.release();
    await this.plates.release();
  }
}
