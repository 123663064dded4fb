/**
 * The pure parts of the image scanners: IoU and NMS, the threshold call and its review band, tiling,
 * the y5fu letterbox round trip, and the merge of per-file results (maxima of sides, sums of counts and
 * durations: the same whether files are merged at once or in any grouping — what a distributed scan
 * relies on).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iou, nms } from '../../../src/evidence/imagery/boxes.js';
import { formatEta, progressBar, renderProgress } from '../../../src/evidence/progress.js';
import { thresholdCall } from '../../../src/evidence/imagery/call.js';
import { crop, decodeY5fu, letterboxTensor, tileStarts, tileTensor, yunetInput } from '../../../src/evidence/imagery/detect.js';
import { summarise, type ImageryFileResult } from '../../../src/evidence/imagery/scan.js';

const thresholds = { face: 32, plate: 16, pack: 'cn-auto@2026', rule: 'DRAFT-J6' };
const opts = { kind: 'video' as const, thresholds, boxMeasure: 'min-side' as const, reviewBand: 0.7 };
const detectors = { face: 'f', plate: 'p' };

describe('boxes', () => {
  it('IoU and NMS keep the best of overlapping boxes and every separate one', () => {
    const a = { x: 0, y: 0, w: 10, h: 10, score: 0.9 };
    const b = { x: 1, y: 1, w: 10, h: 10, score: 0.8 };
    const c = { x: 50, y: 50, w: 10, h: 10, score: 0.7 };
    expect(iou(a, a)).toBe(1);
    expect(iou(a, c)).toBe(0);
    expect(nms([b, c, a], 0.3)).toEqual([a, c]);
  });

  it('the threshold call: reached at the threshold, needs review within the band, below under it, none without a box', () => {
    expect(thresholdCall(32, 32, { band: 0.7 })).toBe('reached');
    expect(thresholdCall(31, 32, { band: 0.7 })).toBe('needs-review');
    expect(thresholdCall(22.4, 32, { band: 0.7 })).toBe('needs-review');
    expect(thresholdCall(22, 32, { band: 0.7 })).toBe('below');
    expect(thresholdCall(31, 32, { band: 1 })).toBe('below');
    expect(thresholdCall(null, 32, { band: 0.7 })).toBe('none');
    fc.assert(fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (v, t, band) => (thresholdCall(v, t, { band }) === 'below') === v < t * band));
  });

  it('tiles cover the whole length, overlap, and the last is flush with the edge', () => {
    expect(tileStarts(300, 320, 64)).toEqual([0]);
    expect(tileStarts(1080, 320, 64)).toEqual([0, 256, 512, 760]);
    fc.assert(
      fc.property(fc.integer({ min: 321, max: 5000 }), (len) => {
        const s = tileStarts(len, 320, 64);
        return s[0] === 0 && s.at(-1) === len - 320 && s.every((x, i) => i === 0 || x - s[i - 1]! <= 256);
      }),
    );
  });

  it('YuNet input: BGR planes padded to multiples of 32; y5fu output mapped back through the letterbox', () => {
    const frame = { data: new Uint8Array([10, 20, 30, 40, 50, 60]), width: 2, height: 1 };
    const input = yunetInput(frame);
    expect([input.width, input.height]).toEqual([32, 32]);
    const plane = 32 * 32;
    expect([input.data[0], input.data[plane], input.data[2 * plane], input.data[1]]).toEqual([30, 20, 10, 60]);
    // A 640x480 frame letterboxed into 320: r = 0.5, top padding 40. A row at cx 100, cy 90, 40x20 in the letterbox.
    const row = new Float32Array(15);
    row.set([100, 90, 40, 20, 0.9], 0);
    row[13] = 0.95;
    const [box] = decodeY5fu(row, 0.5, 0, 40);
    expect(box).toMatchObject({ x: 160, y: 80, w: 80, h: 40 });
    row[4] = 0.2;
    expect(decodeY5fu(row, 0.5, 0, 40)).toEqual([]);
  });
});

const fileArb = fc.record({
  file: fc.string(),
  sha256: fc.constant('0'.repeat(64)),
  bytes: fc.nat(1e9),
  frames: fc.nat(10_000),
  durationUs: fc.nat(1e12),
  faces: fc.nat(1000),
  plates: fc.nat(1000),
  largestFace: fc.option(fc.record({ minSidePx: fc.nat(500), maxSidePx: fc.nat(1000) }), { nil: null }),
  largestPlate: fc.option(fc.record({ minSidePx: fc.nat(500), maxSidePx: fc.nat(1000) }), { nil: null }),
}) as fc.Arbitrary<ImageryFileResult>;

describe('merging per-file results', () => {
  it('is exact and independent of grouping: maxima of sides, sums of counts and microseconds', () => {
    fc.assert(
      fc.property(fc.array(fileArb, { maxLength: 12 }), fc.nat(12), (files, cut) => {
        const whole = summarise(files, [], files.length, opts, detectors);
        const a = summarise(files.slice(0, cut), [], cut, opts, detectors);
        const b = summarise(files.slice(cut), [], files.length - cut, opts, detectors);
        const max = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.max(x, y));
        expect(whole.faceBoxes).toBe(a.faceBoxes + b.faceBoxes);
        expect(whole.frames).toBe(a.frames + b.frames);
        expect(whole.videoDurationUs).toBe(a.videoDurationUs + b.videoDurationUs);
        expect(whole.maxFaceBoxMinSidePx).toBe(max(a.maxFaceBoxMinSidePx, b.maxFaceBoxMinSidePx));
        expect(whole.largestPlate?.maxSidePx ?? null).toBe(max(a.largestPlate?.maxSidePx ?? null, b.largestPlate?.maxSidePx ?? null));
      }),
    );
  });
});

describe('plate tiles', () => {
  it('a tile tensor read from the frame equals cropping and letterboxing the tile', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.nat(1000), (w, h, seed) => {
        const frame = { data: Uint8Array.from({ length: 50 * 45 * 3 }, (_, i) => (i * 31 + seed) % 256), width: 50, height: 45 };
        const x = seed % (50 - w + 1);
        const y = seed % (45 - h + 1);
        const t = tileTensor(frame, x, y, w, h, 40);
        const expected = letterboxTensor(crop(frame, x, y, w, h), 40, Math.floor((40 - w) / 2), Math.floor((40 - h) / 2));
        expect(t.data).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });
});

describe('progress with the time left', () => {
  it('estimates the time left from the rate so far, in bytes or in files', () => {
    expect(formatEta(65)).toBe('1:05');
    expect(formatEta(3 * 3600 + 9)).toBe('3:00:09');
    expect(renderProgress('scan', 3, 12, 90, 'count')).toMatch(/ 25% 3 \/ 12 ETA 1:30$/);
    const out: string[] = [];
    let now = 0;
    const bar = progressBar({ write: (s: string) => void out.push(s), isTTY: true }, 'scan', () => now, { eta: true });
    bar.update(0, 100);
    now = 10_000;
    bar.update(25, 100);
    expect(out.at(-1)).toMatch(/ETA 0:30$/);
  });
});
