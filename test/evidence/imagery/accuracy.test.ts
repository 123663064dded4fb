/**
 * Accuracy of the face and plate detectors near the thresholds, on ../shared/data/imagery (9 photos
 * with 43 labelled faces, 8 CCPD photos with their plate boxes, 3 photos without a real plate).
 * Resizing an image by a factor scales its true boxes by the same factor, so each image is resized to
 * put its largest true box just below, at and above the threshold. Reported (docs/evidence.md,
 * "Accuracy"): recall per size band, false detections, detected/true size ratio (p10/p50/p90), and how
 * often the threshold call is wrong. Asserted: recall >= 0.95 for true boxes at or above the threshold,
 * and never a confident "below" for a case whose true largest box is at or above it.
 * Set CHUJING_ACCURACY_OUT=file to write the table.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iou, type Box } from '../../../src/evidence/imagery/boxes.js';
import { thresholdCall, type ThresholdCall } from '../../../src/evidence/imagery/call.js';
import { Detector, type Frame } from '../../../src/evidence/imagery/detect.js';
import { FACE_MODEL, PLATE_MODEL, readModel } from '../../../src/evidence/imagery/models.js';
import { boxThresholds } from '../../../src/evidence/thresholds.js';
import { AUTO_PACKS, selectPack } from '../../../src/rules/index.js';
import { faceTruth, IMAGERY, missing, MODELS, plateTruth, type TruthBox } from './shared.js';

/** The default review band (settings.detectorReviewBand). */
const BAND = 0.7;
/** Where the largest true box is put, as a multiple of the threshold. */
const FACTORS = [0.6, 0.8, 0.9, 1.0, 1.1, 1.3];
const MATCH_IOU = 0.4;

interface Tally {
  /** band label -> [found, total] */
  recall: Map<string, [number, number]>;
  ratios: number[];
  falseDetections: number;
  cases: number;
  /** Over the cases whose true largest box reaches the threshold: the smallest detected largest / threshold (the band the data needs). */
  neededBand: number;
  calls: Record<'confidentBelowWrong' | 'reachedWhenBelow' | 'reviewWhenAtOrAbove' | 'reviewWhenBelow' | 'right', number>;
}

const newTally = (): Tally => ({ recall: new Map(), ratios: [], falseDetections: 0, cases: 0, neededBand: Infinity, calls: { confidentBelowWrong: 0, reachedWhenBelow: 0, reviewWhenAtOrAbove: 0, reviewWhenBelow: 0, right: 0 } });
const minSide = (b: { w: number; h: number }) => Math.min(b.w, b.h);

function bandOf(side: number, threshold: number): string {
  const r = side / threshold;
  if (r < BAND) return `< ${BAND}×`;
  if (r < 1) return `${BAND}–1×`;
  if (r < 1.5) return '1–1.5×';
  return '≥ 1.5×';
}

async function resized(file: string, factor: number): Promise<Frame> {
  const meta = await sharp(file).metadata();
  const width = Math.max(1, Math.round(meta.width! * factor));
  const height = Math.max(1, Math.round(meta.height! * factor));
  const data = await sharp(file).removeAlpha().resize(width, height, { fit: 'fill' }).raw().toBuffer();
  return { data: new Uint8Array(data), width, height };
}

/** Score one resized image: matches (greedy by IoU), recall per band, ratios, false detections, the call. */
function score(t: Tally, truth: TruthBox[], found: Box[], factor: number, threshold: number): void {
  const scaled = truth.map((b) => ({ x: b.x * factor, y: b.y * factor, w: b.w * factor, h: b.h * factor, score: 1 }));
  const used = new Set<number>();
  for (const tb of scaled) {
    let best = -1;
    let bestIou = MATCH_IOU;
    found.forEach((d, i) => {
      const v = iou(tb, d);
      if (!used.has(i) && v >= bestIou) {
        best = i;
        bestIou = v;
      }
    });
    const band = bandOf(minSide(tb), threshold);
    const r = t.recall.get(band) ?? [0, 0];
    r[1]++;
    if (best >= 0) {
      used.add(best);
      r[0]++;
      t.ratios.push(minSide(found[best]!) / minSide(tb));
    }
    t.recall.set(band, r);
  }
  t.falseDetections += found.length - used.size;
  t.cases++;
  const trueLargest = Math.max(0, ...scaled.map(minSide));
  const detected = found.length ? Math.max(...found.map(minSide)) : null;
  const call: ThresholdCall = thresholdCall(detected === null ? null : Math.round(detected), threshold, { band: BAND });
  const atOrAbove = trueLargest >= threshold;
  if (atOrAbove) t.neededBand = Math.min(t.neededBand, (detected ?? 0) / threshold);
  if (atOrAbove && (call === 'below' || call === 'none')) t.calls.confidentBelowWrong++;
  else if (!atOrAbove && call === 'reached') t.calls.reachedWhenBelow++;
  else if (call === 'needs-review') t.calls[atOrAbove ? 'reviewWhenAtOrAbove' : 'reviewWhenBelow']++;
  else t.calls.right++;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

function table(name: string, t: Tally, extraFalse = ''): string {
  const bands = [`< ${BAND}×`, `${BAND}–1×`, '1–1.5×', '≥ 1.5×'];
  const ratios = [...t.ratios].sort((a, b) => a - b);
  const recall = bands.map((b) => {
    const [f, n] = t.recall.get(b) ?? [0, 0];
    return n ? `${f}/${n} (${(f / n).toFixed(2)})` : '–';
  });
  return `| ${name} | ${recall.join(' | ')} | ${t.falseDetections}${extraFalse} | ${quantile(ratios, 0.1).toFixed(2)} / ${quantile(ratios, 0.5).toFixed(2)} / ${quantile(ratios, 0.9).toFixed(2)} | ${t.cases} | ${t.calls.right} | ${t.calls.reviewWhenAtOrAbove} / ${t.calls.reviewWhenBelow} | ${t.calls.reachedWhenBelow} | ${t.calls.confidentBelowWrong} | ${t.neededBand.toFixed(2)} |`;
}

function recallAtOrAbove(t: Tally): [number, number] {
  let f = 0;
  let n = 0;
  for (const b of ['1–1.5×', '≥ 1.5×']) {
    const r = t.recall.get(b) ?? [0, 0];
    f += r[0];
    n += r[1];
  }
  return [f, n];
}

describe.skipIf(missing !== null)('detector accuracy near the thresholds (../shared/data/imagery)', () => {
  let detector: Detector;
  const thresholds = boxThresholds(selectPack(AUTO_PACKS, '2026-12-01')!.pack);
  const faces = newTally();
  const plates = newTally();
  let noPlateDetections = 0;
  let noPlateImages = 0;

  beforeAll(async () => {
    detector = await Detector.create(readModel(MODELS, FACE_MODEL), readModel(MODELS, PLATE_MODEL), 1);
  });
  afterAll(async () => {
    await detector?.release();
  });

  it('faces: recall >= 0.95 at or above the threshold, never a confident "below" when the truth reaches it', async () => {
    for (const [name, truth] of faceTruth()) {
      const largest = Math.max(...truth.map(minSide));
      for (const f of FACTORS) {
        const factor = (f * thresholds.face) / largest;
        const frame = await resized(join(IMAGERY, 'faces', name), factor);
        score(faces, truth, await detector.detectFaces(frame), factor, thresholds.face);
      }
    }
    const [found, total] = recallAtOrAbove(faces);
    expect(total).toBeGreaterThan(20);
    expect(found / total).toBeGreaterThanOrEqual(0.95);
    expect(faces.calls.confidentBelowWrong).toBe(0);
  }, 600_000);

  it('plates: recall >= 0.95 at or above the threshold, never a confident "below" when the truth reaches it; no-plate photos counted', async () => {
    for (const [name, truth] of plateTruth()) {
      const largest = Math.max(...truth.map(minSide));
      for (const f of FACTORS) {
        const factor = (f * thresholds.plate) / largest;
        const frame = await resized(join(IMAGERY, 'ccpd', name), factor);
        score(plates, truth, await detector.detectPlates(frame, { plateThreshold: thresholds.plate }), factor, thresholds.plate);
      }
    }
    for (const name of ['np0.jpg', 'np2.jpg', 'np4.jpg']) {
      for (const factor of [1, 0.25]) {
        noPlateImages++;
        noPlateDetections += (await detector.detectPlates(await resized(join(IMAGERY, 'no-plate', name), factor), { plateThreshold: thresholds.plate })).length;
      }
    }
    const [found, total] = recallAtOrAbove(plates);
    expect(total).toBeGreaterThan(10);
    expect(found / total).toBeGreaterThanOrEqual(0.95);
    expect(plates.calls.confidentBelowWrong).toBe(0);
  }, 600_000);

  afterAll(() => {
    const head = `| | recall < ${BAND}× | recall ${BAND}–1× | recall 1–1.5× | recall ≥ 1.5× | false detections | detected/true p10 / p50 / p90 | cases | call right | needs review (true ≥ / < threshold) | "reached" when below | confident "below" when at/above | smallest detected/threshold when true ≥ threshold |\n|---|---|---|---|---|---|---|---|---|---|---|---|`;
    const out = [
      head,
      table(`faces (${thresholds.face} px)`, faces),
      table(`plates (${thresholds.plate} px)`, plates, `; ${noPlateDetections} on ${noPlateImages} no-plate images`),
    ].join('\n');
    console.log(`\n${out}\n`);
    if (process.env.CHUJING_ACCURACY_OUT) writeFileSync(process.env.CHUJING_ACCURACY_OUT, `${out}\n`);
  });
});
