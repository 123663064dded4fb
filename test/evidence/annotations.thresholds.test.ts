/**
 * Thresholds come from the rule pack (DRAFT-J6), with workspace overrides; plus the small pieces the
 * scanner relies on: image-header sizes (YOLO) and the progress bar.
 */
import { describe, expect, it } from 'vitest';
import { ChujingError } from '../../src/errors.js';
import { boxThresholds } from '../../src/evidence/thresholds.js';
import { sizeFromHeader } from '../../src/evidence/annotations/image-size.js';
import { progressBar, renderProgress } from '../../src/evidence/progress.js';
import { ImageSet } from '../../src/evidence/annotations/image-set.js';
import { findPack, type RulePack } from '../../src/rules/index.js';

const draft = findPack('cn-auto@2025-draft')!;
const reason = 'policy';

describe('boxThresholds', () => {
  it('reads the face and plate conditions of DRAFT-J6', () => {
    const j6 = draft.judgmentRules.find((r) => r.id === 'DRAFT-J6')!;
    const t = boxThresholds(draft);
    expect(t).toEqual({ face: j6.conditions.find((c) => c.fact === 'maxFaceBoxMinSidePx')!.threshold, plate: j6.conditions.find((c) => c.fact === 'maxPlateBoxMinSidePx')!.threshold, pack: 'cn-auto@2025-draft', rule: 'DRAFT-J6' });
  });

  it('follows the pack: a changed pack changes the thresholds (no constants)', () => {
    const edited: RulePack = {
      ...draft,
      id: 'test@1',
      judgmentRules: draft.judgmentRules.map((r) => (r.id === 'DRAFT-J6' ? { ...r, conditions: r.conditions.map((c) => ({ ...c, threshold: c.fact === 'maxFaceBoxMinSidePx' ? 48 : 20 })) } : r)),
    };
    expect(boxThresholds(edited)).toMatchObject({ face: 48, plate: 20, pack: 'test@1' });
  });

  it('applies workspace overrides by rule id or alias, fact and pack', () => {
    expect(boxThresholds(draft, { thresholds: [{ rule: 'DRAFT-J6', fact: 'maxPlateBoxMinSidePx', threshold: 12, reason }] })).toMatchObject({ face: 32, plate: 12 });
    expect(boxThresholds(draft, { thresholds: [{ rule: 'imp-da-r1', fact: 'maxFaceBoxMinSidePx', threshold: 24, reason }] })).toMatchObject({ face: 24, plate: 16 });
    expect(boxThresholds(draft, { thresholds: [{ rule: 'DRAFT-J6', fact: 'maxFaceBoxMinSidePx', threshold: 24, pack: 'cn-auto@2026', reason }] })).toMatchObject({ face: 32 });
    expect(boxThresholds(draft, { thresholds: [{ rule: 'DRAFT-J7', threshold: 1, reason }] })).toMatchObject({ face: 32, plate: 16 });
  });

  it('rejects an ambiguous override and a pack without the rule', () => {
    expect(() => boxThresholds(draft, { thresholds: [{ rule: 'DRAFT-J6', threshold: 10, reason }] })).toThrow(ChujingError);
    expect(() => boxThresholds(findPack('cn-national@2024')!)).toThrow(/no face\/plate/);
  });
});

describe('image sizes from headers (no pixel decoding)', () => {
  it('PNG, GIF, BMP (bottom-up and top-down), WebP VP8/VP8L/VP8X', () => {
    const png = Buffer.alloc(24);
    png.writeUInt32BE(0x89504e47, 0);
    png.write('IHDR', 12, 'latin1');
    png.writeUInt32BE(1920, 16);
    png.writeUInt32BE(1080, 20);
    expect(sizeFromHeader(png)).toEqual({ width: 1920, height: 1080 });
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0x40, 0x01, 0xf0, 0x00])]);
    expect(sizeFromHeader(gif)).toEqual({ width: 320, height: 240 });
    const bmp = Buffer.alloc(26);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(800, 18);
    bmp.writeInt32LE(-600, 22);
    expect(sizeFromHeader(bmp)).toEqual({ width: 800, height: 600 });
    const riff = (chunk: string, fill: (b: Buffer) => void) => {
      const b = Buffer.alloc(30);
      b.write('RIFF', 0, 'latin1');
      b.write('WEBP', 8, 'latin1');
      b.write(chunk, 12, 'latin1');
      fill(b);
      return b;
    };
    expect(sizeFromHeader(riff('VP8 ', (b) => (b.writeUInt16LE(640, 26), b.writeUInt16LE(360, 28))))).toEqual({ width: 640, height: 360 });
    expect(sizeFromHeader(riff('VP8L', (b) => b.writeUInt32LE((99 & 0x3fff) | ((49 & 0x3fff) << 14), 21)))).toEqual({ width: 100, height: 50 });
    expect(sizeFromHeader(riff('VP8X', (b) => (b.writeUIntLE(4095, 24, 3), b.writeUIntLE(2047, 27, 3))))).toEqual({ width: 4096, height: 2048 });
  });

  it('JPEG: skips a large EXIF segment beyond the first read, and progressive SOF2', () => {
    const exif = Buffer.alloc(70_000 + 4);
    exif[0] = 0xff;
    exif[1] = 0xe1;
    exif.writeUInt16BE(65_000, 2); // one APP1 segment of 65,000 bytes
    const sof = Buffer.from([0xff, 0xc2, 0, 11, 8, 0x02, 0xd0, 0x05, 0x00, 1, 1, 0x11, 0]); // 1280 x 720
    const file = Buffer.concat([Buffer.from([0xff, 0xd8]), exif.subarray(0, 65_002), sof]);
    const head = file.subarray(0, 4096);
    expect(sizeFromHeader(head)).toBeNull(); // the first read alone does not reach the frame header
    expect(sizeFromHeader(head, (pos, len) => file.subarray(pos, pos + len))).toEqual({ width: 1280, height: 720 });
  });

  it('unknown data is not an image', () => {
    expect(sizeFromHeader(Buffer.from('hello world, not an image at all'))).toBeNull();
  });
});

describe('progress bar', () => {
  it('draws only on a terminal', () => {
    const out: string[] = [];
    const bar = progressBar({ isTTY: false, write: (s) => out.push(s) }, 'x');
    bar.update(1, 2);
    bar.finish();
    expect(out).toEqual([]);
    let t = 0;
    const tty = progressBar({ isTTY: true, write: (s) => out.push(s) }, 'x', () => (t += 1000));
    tty.update(1, 4);
    tty.update(4, 4);
    tty.finish();
    expect(out[0]).toContain(' 25%');
    expect(out[1]).toContain('100%');
    expect(out.at(-1)).toBe('\r\x1b[2K');
  });
  it('renders a bounded bar', () => {
    expect(renderProgress('scan', 5, 10)).toMatch(/^scan \[#{15}-{15}\]  50% 5 B \/ 10 B$/);
  });
});

describe('ImageSet (COCO qualifying images in bounded memory)', () => {
  it('counts distinct ids, dense and sparse, and unions', () => {
    const a = new ImageSet();
    const b = new ImageSet();
    for (const id of [0, 31, 32, 5000, 5000, 1e9, -3, 2.5]) a.add(id);
    for (const id of [31, 70_000, 1e9, 'x'.length]) b.add(id);
    expect(a.size).toBe(7);
    expect([a.has(5000), a.has(33), a.has(-3), a.has(2.5)]).toEqual([true, false, true, true]);
    a.addAll(b);
    expect(a.size).toBe(9); // + 70,000 and 1
  });
});
