/**
 * `images` / `video` evidence entries in `assess`: scanned (or read back from the evidence cache, keyed
 * by the files' content hash, the thresholds, the settings that change the result and the detectors'
 * SHA-256), then per dataset:
 * - the largest face / plate measured becomes maxFaceBoxMinSidePx / maxPlateBoxMinSidePx, unless
 *   annotations of the dataset measured it: an annotation wins and is never lowered by a detector; a
 *   detector that disagrees with it (one side of the threshold against the other) is reported;
 * - a largest box within the review band below its threshold (settings.detectorReviewBand) is never
 *   "below": with settings.detectorNearThreshold `needs-review` it is a legal-review finding (assess
 *   exits 1) until the evidence entry's `confirmed` answers it; with `important` it counts as reaching
 *   the threshold;
 * - video adds its exact duration to rawImageryHours, images add to rawPictures.
 * A file that cannot be measured stops `assess` (its facts must be exact); nothing is cached then.
 */
import { badInput, type ErrorIssue } from '../../errors.js';
import { msg, type Msg } from '../../i18n/index.js';
import type { LoadedWorkspace } from '../../model/load.js';
import type { EvidenceEntry } from '../../model/workspace.js';
import type { RulePack } from '../../rules/types.js';
import { cacheKey, type EvidenceCache } from '../cache.js';
import { boxThresholds } from '../thresholds.js';
import type { ThresholdCall } from './call.js';
import type { Detector } from './detect.js';
import { FACE_MODEL, modelDir, PLATE_MODEL } from './models.js';
import type { ImageryScanResult } from './scan.js';

type ImageryEntry = Extract<EvidenceEntry, { kind: 'images' | 'video' }>;

/** One detector for the whole `assess` run, built on first need. */
export interface DetectorHolder {
  env: Record<string, string | undefined>;
  detector?: Detector;
}

interface KindState {
  /** Largest measured (after treatment), null when no entry measured this kind. */
  value: number | null;
  threshold: number;
  /** Entries whose largest box is in the review band and unconfirmed. */
  review: string[];
}

export class DetectedBoxes {
  private readonly face: KindState = { value: null, threshold: 0, review: [] };
  private readonly plate: KindState = { value: null, threshold: 0, review: [] };
  private readonly treated: Msg[] = [];
  lastVideoHours = 0;
  lastImages = 0;
  lastBoxes = 0;

  faceFact(): number | null {
    return this.face.value;
  }
  plateFact(): number | null {
    return this.plate.value;
  }

  /** Fold one entry's result in, applying the entry's confirmation and the band's treatment. */
  add(entry: ImageryEntry, result: ImageryScanResult, treatment: 'needs-review' | 'important'): void {
    this.lastVideoHours = result.videoHours;
    this.lastImages = result.kind === 'images' ? result.frames : 0;
    this.lastBoxes = result.faceBoxes + result.plateBoxes;
    const apply = (state: KindState, measured: number | null, call: ThresholdCall, threshold: number, confirmed: 'below' | 'reached' | undefined, what: 'face' | 'plate') => {
      state.threshold = threshold;
      let value = measured ?? 0;
      if (confirmed === 'reached') value = Math.max(value, threshold);
      else if (call === 'needs-review' && confirmed !== 'below') {
        if (treatment === 'important') {
          value = threshold;
          this.treated.push(msg('imagery.review.treated-important', { path: entry.path, kind: msg(`imagery.kind.${what}`), measured: measured ?? 0, threshold }));
        } else state.review.push(entry.path);
      }
      state.value = Math.max(state.value ?? 0, value);
    };
    apply(this.face, result.maxFaceBoxMinSidePx, result.faceCall, result.thresholds.face, entry.confirmed?.faces, 'face');
    apply(this.plate, result.maxPlateBoxMinSidePx, result.plateCall, result.thresholds.plate, entry.confirmed?.plates, 'plate');
  }

  /** Review findings and warnings of the dataset, given what its annotations measured (null: none). */
  notes(dataset: string, annotated: { face: number | null; plate: number | null }): { review: Msg[]; warnings: Msg[] } {
    const review: Msg[] = [];
    const warnings: Msg[] = [...this.treated];
    for (const [what, state, ann] of [
      ['face', this.face, annotated.face],
      ['plate', this.plate, annotated.plate],
    ] as const) {
      if (state.value === null) continue;
      if (ann !== null) {
        // The annotation wins; say so when the two fall on different sides of the threshold.
        if (ann >= state.threshold !== state.value >= state.threshold || state.review.length > 0) {
          warnings.push(msg('imagery.disagrees', { dataset, kind: msg(`imagery.kind.${what}`), annotated: ann, detected: state.value, threshold: state.threshold }));
        }
        continue;
      }
      if (state.review.length > 0) review.push(msg('imagery.review.needed', { dataset, kind: msg(`imagery.kind.${what}`), threshold: state.threshold, paths: state.review.join(', ') }));
    }
    return { review, warnings };
  }
}

export async function measureImagery(
  entry: ImageryEntry,
  abs: string,
  hash: string,
  pack: RulePack,
  loaded: LoadedWorkspace,
  cache: EvidenceCache,
  tally: DetectedBoxes,
  holder: DetectorHolder,
): Promise<boolean> {
  const ws = loaded.workspace;
  const thresholds = boxThresholds(pack, ws.overrides);
  const boxMeasure = ws.settings.boxMeasure;
  const reviewBand = ws.settings.detectorReviewBand;
  const video = entry.kind === 'video' ? { fps: entry.fps ?? 1, keyframes: entry.keyframes ?? false, exhaustive: entry.exhaustive ?? false } : {};
  const detectors = { face: FACE_MODEL.sha256, plate: PLATE_MODEL.sha256 };
  const scanOptions = { kind: entry.kind, thresholds, boxMeasure, reviewBand, detectors, ...video };
  const ck = cacheKey({ kind: entry.kind, contentHash: hash, options: scanOptions, keyFingerprint: null });
  const hit = cache.get<ImageryScanResult>(ck);
  let result: ImageryScanResult;
  if (hit) result = hit.entry.result;
  else {
    const { scanImagery, listTargets } = await import('./scan.js');
    holder.detector ??= await createDetector(modelDir(holder.env));
    const files = listTargets([{ path: abs, display: entry.path }], entry.kind);
    result = await scanImagery(files, holder.detector, { ...scanOptions, root: loaded.dir }, detectors);
    if (result.errors.length > 0) {
      const m = msg('imagery.evidence.unmeasured', { path: entry.path, count: result.errors.length });
      const issues: ErrorIssue[] = result.errors.slice(0, 20).map((e) => ({ file: e.file, message: e.reason }));
      throw badInput(m, issues);
    }
    cache.put(ck, { kind: entry.kind, contentHash: hash, keyFingerprint: null, result });
  }
  tally.add(entry, result, ws.settings.detectorNearThreshold);
  return hit !== undefined;
}

/** Both detectors from the model folder, checked against their pinned SHA-256. */
export async function createDetector(dir: string, threads = 1): Promise<Detector> {
  const { readModel } = await import('./models.js');
  const { Detector } = await import('./detect.js');
  return Detector.create(readModel(dir, FACE_MODEL), readModel(dir, PLATE_MODEL), threads);
}
