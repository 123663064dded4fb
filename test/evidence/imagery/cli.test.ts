/**
 * `scan images`, `scan video` and `models` through the CLI (in-process), on ../shared's models and
 * images: per-file and total measurements, --list, no pixels in the output, bad input per file (corrupt,
 * truncated, not an image, decompression bomb, a link out of the workspace), exit codes, and the
 * message that says what to run when the models are missing.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/main-in-process.js';
import { untranslated } from '../../helpers/untranslated.js';
import { IMAGERY, missing, MODELS } from './shared.js';

const env = { CHUJING_MODEL_DIR: MODELS };
const FACE_IMAGE = join(IMAGERY, 'faces', '2008_001009.jpg');

/** PNG chunk: length, type, data, CRC-32. */
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  let c = ~0;
  for (const byte of body) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(~c >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A small file that declares a 30,000 × 30,000 image (900 megapixels): a decompression bomb. */
function bombPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30_000, 0);
  ihdr.writeUInt32BE(30_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(64 * 1024))), chunk('IEND', Buffer.alloc(0))]);
}

function badFolder(): { dir: string; ws: string } {
  const ws = mkdtempSync(join(tmpdir(), 'chujing-imagery-'));
  const dir = join(ws, 'photos');
  mkdirSync(dir);
  copyFileSync(FACE_IMAGE, join(dir, 'good.jpg'));
  const jpeg = readFileSync(FACE_IMAGE);
  writeFileSync(join(dir, 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  writeFileSync(join(dir, 'corrupt.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really a png at all')]));
  writeFileSync(join(dir, 'notes.jpg'), 'this is a text file with an image name\n');
  writeFileSync(join(dir, 'bomb.png'), bombPng());
  symlinkSync(join(IMAGERY, 'faces', '2008_001322.jpg'), join(dir, 'outside.jpg'));
  writeFileSync(join(ws, 'chujing.yaml'), 'version: 1\norganization: { id: test-org, name: Test, processorType: oem }\n');
  return { dir, ws };
}

describe.skipIf(missing !== null)('chujing scan images', () => {
  it('measures each file and the folder: largest face and plate (both sides), counts, calls; JSON carries numbers and hashes only', async () => {
    const r = await runMain(['scan', 'images', join(IMAGERY, 'faces'), join(IMAGERY, 'ccpd'), '--json', '--as-of', '2026-12-01'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schema).toBe('chujing.scan-imagery/1');
    expect(out.files).toBe(17);
    expect(out.measuredFiles).toBe(17);
    expect(out.frames).toBe(17);
    expect(out.errors).toEqual([]);
    expect(out.thresholds).toEqual({ face: 32, plate: 16 });
    // The labelled faces of these photos reach 100+ px, the CCPD plates 65-123 px tall.
    expect(out.largestFace.minSidePx).toBeGreaterThanOrEqual(80);
    expect(out.largestFace.maxSidePx).toBeGreaterThanOrEqual(out.largestFace.minSidePx);
    expect(out.largestPlate.minSidePx).toBeGreaterThanOrEqual(60);
    expect(out.maxFaceBoxMinSidePx).toBe(out.largestFace.minSidePx);
    expect(out.faceCall).toBe('reached');
    expect(out.plateCall).toBe('reached');
    expect(out.faceBoxes).toBeGreaterThanOrEqual(43);
    expect(out.perFile).toHaveLength(17);
    for (const f of out.perFile) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Every file's figures add up to the total.
    expect(out.perFile.reduce((s: number, f: { faces: number }) => s + f.faces, 0)).toBe(out.faceBoxes);
    // Nothing of the image: no string longer than a hash or a path, no arrays of numbers.
    const strings: string[] = [];
    JSON.stringify(out, (_k, v) => {
      if (typeof v === 'string') strings.push(v);
      if (Array.isArray(v)) expect(v.every((x) => typeof x !== 'number')).toBe(true);
      return v;
    });
    expect(strings.every((s) => s.length < 300)).toBe(true);

    const max = await runMain(['scan', 'images', join(IMAGERY, 'faces'), '--json', '--box-measure', 'max-side'], { env });
    expect(JSON.parse(max.stdout).maxFaceBoxMinSidePx).toBe(JSON.parse(max.stdout).largestFace.maxSidePx);
  }, 300_000);

  it('--list names the files at or above the review band; a quoted glob is expanded', async () => {
    const r = await runMain(['scan', 'images', `${IMAGERY}/no-plate/*.jpg`, FACE_IMAGE, '--list'], { env });
    expect(r.code).toBe(0);
    const listed = r.stdout.trim().split('\n');
    expect(listed).toContain(FACE_IMAGE);
    expect(listed.every((l) => l.endsWith('.jpg'))).toBe(true);
  }, 300_000);

  it('bad files are per-file errors (corrupt, truncated, not an image, bomb, link out of the workspace); exit 2 only when nothing was measured', async () => {
    const { dir, ws } = badFolder();
    const r = await runMain(['scan', 'images', dir, '--json', '--workspace', ws], { env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.measuredFiles).toBe(1);
    expect(out.perFile.map((f: { file: string }) => f.file.split('/').pop())).toEqual(['good.jpg']);
    const reasons = Object.fromEntries(out.errors.map((e: { file: string; reason: { text: string } }) => [e.file.split('/').pop(), e.reason.text]));
    expect(Object.keys(reasons).sort()).toEqual(['bomb.png', 'corrupt.png', 'notes.jpg', 'outside.jpg', 'truncated.jpg']);
    expect(reasons['bomb.png']).toMatch(/decompression bomb/);
    expect(reasons['outside.jpg']).toMatch(/outside the workspace/);
    expect(reasons['truncated.jpg']).toMatch(/not a readable image/);

    const human = await runMain(['scan', 'images', dir, '--workspace', ws], { env });
    expect(human.stdout).toContain('5 file(s) could not be measured');

    const none = await runMain(['scan', 'images', join(dir, 'bomb.png'), join(dir, 'notes.jpg')], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('nothing could be measured');
  }, 300_000);

  it('speaks Chinese: the summary and the per-file errors', async () => {
    const { dir } = badFolder();
    const r = await runMain(['--lang', 'zh', 'scan', 'images', join(dir, 'good.jpg'), join(dir, 'notes.jpg')], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('人脸（阈值 32 像素）');
    expect(r.stdout).toContain('不是可读的图像');
    // Paths, and the decoder's own diagnostic after the last colon (libvips speaks English), aside.
    expect(untranslated(r.stdout.replace(/\/\S+/g, '').replace(/：[^：\n]*$/gm, ''))).toEqual([]);
  }, 300_000);

  it('without the models: exit 2, saying exactly what to run', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'chujing-no-models-'));
    const r = await runMain(['scan', 'images', FACE_IMAGE], { env: { CHUJING_MODEL_DIR: empty } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`chujing models fetch --model-dir ${empty}`);
    const tampered = mkdtempSync(join(tmpdir(), 'chujing-bad-models-'));
    mkdirSync(join(tampered, 'yunet'));
    mkdirSync(join(tampered, 'hyperlpr3'));
    writeFileSync(join(tampered, 'yunet', 'yunet_n_dynamic.onnx'), 'not the model');
    copyFileSync(join(MODELS, 'hyperlpr3', 'y5fu_320x_sim.onnx'), join(tampered, 'hyperlpr3', 'y5fu_320x_sim.onnx'));
    const bad = await runMain(['scan', 'images', FACE_IMAGE, '--model-dir', tampered], { env: {} });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not the pinned');
  }, 300_000);
});
