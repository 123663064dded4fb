/**
 * `scan video` with Debian's ffmpeg/ffprobe: small videos made at test time from the shared photos
 * (an image loop) and ffmpeg's test pattern. Durations sum exactly; frames are sampled at --fps or
 * keyframes only; a file stops being decoded once both thresholds are reached unless --exhaustive; a
 * truncated video is a per-file error; video evidence adds its hours to rawImageryHours.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureWorkspaceEvidence } from '../../../src/evidence/measure.js';
import { parseDurationUs } from '../../../src/evidence/imagery/video.js';
import { loadWorkspace } from '../../../src/model/load.js';
import { runMain } from '../../helpers/main-in-process.js';
import { hasFfmpeg, IMAGERY, missing, MODELS } from './shared.js';

const env = { CHUJING_MODEL_DIR: MODELS };

function ffmpeg(args: string[]): void {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.stderr}`);
}

function probeDuration(file: string): number {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file], { encoding: 'utf8' });
  return parseDurationUs(r.stdout.trim());
}

describe('video durations are parsed exactly', () => {
  it('seconds with up to six decimals become whole microseconds, without floating point', () => {
    expect(parseDurationUs('3.000000')).toBe(3_000_000);
    expect(parseDurationUs('0.1')).toBe(100_000);
    expect(parseDurationUs('7200.123456')).toBe(7_200_123_456);
    expect(() => parseDurationUs('N/A')).toThrow();
    // 0.1 s ten thousand times is exactly 1,000 s in microseconds (as a float sum it is not).
    let us = 0;
    for (let i = 0; i < 10_000; i++) us += parseDurationUs('0.100000');
    expect(us).toBe(1_000_000_000);
  });
});

describe.skipIf(missing !== null || !hasFfmpeg)('chujing scan video', () => {
  let dir: string;
  let both: string;
  let pattern: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chujing-video-'));
    mkdirSync(join(dir, 'clips'));
    // A frame with faces (the photo's faces are 65+ px) beside a car whose plate is 60+ px tall.
    const face = await sharp(join(IMAGERY, 'faces', '2008_001009.jpg')).resize(360, 480).toBuffer();
    const car = await sharp(join(IMAGERY, 'ccpd', '0133812260536-79_96-297&458_439&560-437&531_307&558_293&485_423&458-0_0_33_33_33_8_27-85-29.jpg')).resize(360, 580).toBuffer();
    await sharp({ create: { width: 720, height: 580, channels: 3, background: '#000' } })
      .composite([
        { input: face, left: 0, top: 0 },
        { input: car, left: 360, top: 0 },
      ])
      .png()
      .toFile(join(dir, 'frame.png'));
    both = join(dir, 'clips', 'both.mp4');
    ffmpeg(['-loop', '1', '-i', join(dir, 'frame.png'), '-t', '3', '-r', '5', '-g', '5', '-c:v', 'mpeg4', '-q:v', '3', '-pix_fmt', 'yuv420p', both]);
    pattern = join(dir, 'clips', 'pattern.mp4');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=duration=2:size=320x240:rate=10', '-c:v', 'mpeg4', '-g', '10', pattern]);
  }, 120_000);

  it('sums durations exactly, samples at --fps, stops a file once both thresholds are reached unless --exhaustive', async () => {
    const r = await runMain(['scan', 'video', join(dir, 'clips'), '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.measuredFiles).toBe(2);
    expect(out.videoDurationUs).toBe(probeDuration(both) + probeDuration(pattern));
    expect(out.videoHours).toBe(out.videoDurationUs / 3_600_000_000);
    const byName = Object.fromEntries(out.perFile.map((f: { file: string }) => [f.file.split('/').pop(), f]));
    expect(byName['both.mp4'].faces).toBeGreaterThan(0);
    expect(byName['both.mp4'].largestFace.minSidePx).toBeGreaterThanOrEqual(32);
    expect(byName['both.mp4'].largestPlate.minSidePx).toBeGreaterThanOrEqual(16);
    expect(byName['both.mp4'].stoppedEarly).toBe(true);
    expect(byName['both.mp4'].frames).toBe(1);
    // The test pattern has neither: every sampled frame (1 per second of 2 s) is decoded.
    expect(byName['pattern.mp4'].frames).toBe(2);
    expect(byName['pattern.mp4'].stoppedEarly).toBeUndefined();

    const all = JSON.parse((await runMain(['scan', 'video', both, '--json', '--exhaustive', '--fps', '2'], { env })).stdout);
    expect(all.perFile[0].frames).toBe(6);
    expect(all.perFile[0].stoppedEarly).toBeUndefined();
    expect(all.faceBoxes).toBeGreaterThanOrEqual(6);

    const keys = JSON.parse((await runMain(['scan', 'video', pattern, '--json', '--keyframes'], { env })).stdout);
    // -g 10 at 10 frames/s over 2 s: two keyframes.
    expect(keys.perFile[0].frames).toBe(2);
  }, 300_000);

  it('a truncated or non-video file is a per-file error; alone, exit 2', async () => {
    const bytes = readFileSync(both);
    const bad = join(dir, 'truncated.mp4');
    writeFileSync(bad, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const text = join(dir, 'notes.mp4');
    writeFileSync(text, 'not a video');
    const r = await runMain(['scan', 'video', bad, text, '--json'], { env });
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.measuredFiles).toBe(0);
    expect(out.errors.map((e: { file: string }) => e.file.split('/').pop())).toEqual(['truncated.mp4', 'notes.mp4']);
    expect(out.videoDurationUs).toBe(0);
  }, 300_000);

  it('video evidence adds its exact hours to rawImageryHours', async () => {
    writeFileSync(
      join(dir, 'chujing.yaml'),
      `version: 1
organization: { id: test-cn, name: Test Automotive, processorType: oem }
datasets:
  - id: footage
    name: Road-test footage
    scenario: driving-automation
    dataType: algorithm-training-data
    evidence:
      - { kind: video, path: clips }
`,
    );
    const m = (await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env }))['footage']!;
    expect(m.facts.rawImageryHours).toBe(Math.round(((probeDuration(both) + probeDuration(pattern)) / 3_600_000_000) * 1e9) / 1e9);
    expect(m.facts.maxFaceBoxMinSidePx).toBeGreaterThanOrEqual(32);
  }, 300_000);
});
