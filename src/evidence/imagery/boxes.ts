/**
 * Detected boxes and the arithmetic on them (pure: no model, no I/O). Boxes are in pixels of the
 * frame as decoded, x/y the top-left corner.
 */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy non-maximum suppression: highest score first, dropping boxes overlapping a kept one by more than `threshold`. */
export function nms(boxes: Box[], threshold: number): Box[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: Box[] = [];
  for (const b of sorted) if (kept.every((k) => iou(k, b) <= threshold)) kept.push(b);
  return kept;
}

/** The side compared with the threshold: the shorter one (DRAFT-J6 as written) or the longer (settings.boxMeasure max-side). */
export function boxSide(b: Pick<Box, 'w' | 'h'>, measure: 'min-side' | 'max-side'): number {
  return measure === 'max-side' ? Math.max(b.w, b.h) : Math.min(b.w, b.h);
}

/**
 * Sides are reported in whole pixels, rounded to the nearest (a box's edges are sub-pixel estimates;
 * the threshold call's review band, not the rounding, absorbs the detector's error).
 */
export function px(v: number): number {
  return Math.round(v);
}
