/**
 * The threshold call on a detector's largest box (pure). A detector's boxes are estimates: measured on
 * the shared test images YuNet's faces are about 0.9x the labelled box (p10 0.79) and the plate
 * detector's 0.92-1.39x (docs/evidence.md, "Accuracy"). So a largest box a little under the threshold
 * may be a real box at or above it: within the review band it is never "below" — it is "needs review"
 * (settings.detectorNearThreshold decides whether that is a legal-review finding or treated as reaching
 * the threshold).
 */
export type ThresholdCall = 'reached' | 'needs-review' | 'below' | 'none';

export interface ReviewSettings {
  /** Fraction of the threshold from which a smaller measured box still needs review (settings.detectorReviewBand). */
  band: number;
}

/** `largest` null: nothing was detected at all ("none", which is also below). */
export function thresholdCall(largest: number | null, threshold: number, settings: ReviewSettings): ThresholdCall {
  if (largest === null) return 'none';
  if (largest >= threshold) return 'reached';
  if (largest >= threshold * settings.band) return 'needs-review';
  return 'below';
}
