/**
 * One conformance suite for every format parser: each fixture under test/fixtures/annotations/ holds the
 * same kinds of traps (boxes just below / at the thresholds, other classes, images without boxes) and
 * the expected figures were worked out by hand from the fixture files (comments give the arithmetic).
 * Then per-format details: malformed input (file + line/offset), --keep-going, options.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChujingError } from '../../src/errors.js';
import { render, type Msg } from '../../src/i18n/index.js';
import { scanAnnotations, type ScanAnnotationsOptions } from '../../src/evidence/annotations/index.js';
import { boxThresholds } from '../../src/evidence/thresholds.js';
import { findPack } from '../../src/rules/index.js';
import type { AnnotationFormat } from '../../src/evidence/types.js';

const FIXTURES = new URL('../fixtures/annotations/', import.meta.url).pathname;
const thresholds = boxThresholds(findPack('cn-auto@2026')!);
const tmp = mkdtempSync(join(tmpdir(), 'chujing-ann-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function scan(path: string, format: AnnotationFormat, extra: Partial<ScanAnnotationsOptions> = {}) {
  return scanAnnotations(path, { format, thresholds, ...extra });
}

function file(name: string, content: string): string {
  const p = join(tmp, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
  return p;
}

async function badInputOf(p: Promise<unknown>): Promise<ChujingError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ChujingError);
    expect((e as ChujingError).code).toBe('bad-input');
    // Messages are codes with parameters; the assertions read them in English.
    const err = e as ChujingError;
    const en = (m: unknown) => (m === undefined || typeof m === 'string' ? m : render('en', m as Msg));
    return new ChujingError(err.code, err.summary, err.issues.map((i) => ({ ...i, message: en(i.message) as string, ...(i.expected !== undefined ? { expected: en(i.expected) as string } : {}) })));
  }
  throw new Error('expected a bad-input error');
}

type Figures = [images: number, boxes: number, face: number, plate: number, qFace: number, qPlate: number, qImages: number, maxFace: number | null, maxPlate: number | null];

const CASES: { format: AnnotationFormat; path: string; options?: Record<string, string>; expected: Figures; why: string }[] = [
  // faces 40x30 (30), 50x60 (50), crowd 33.5x90 (33.5); plates 20x10 (10), 16x40 (16); person other
  { format: 'coco', path: 'coco', expected: [3, 6, 3, 2, 2, 1, 3, 50, 16], why: 'categories last, crowd counted' },
  // a.xml face 40x50, licence 31x15; b.xml person (head <part> ignored), without_mask 32x32
  { format: 'voc', path: 'voc', expected: [2, 4, 2, 1, 2, 0, 2, 40, 15], why: 'width = xmax - xmin' },
  // Face 32x40, License_Plate 40.5x15.9, Car and DontCare other; 000002 empty
  { format: 'kitti', path: 'kitti', expected: [2, 4, 1, 1, 1, 0, 1, 32, 15.9], why: 'float corners' },
  // img1 640x480 (PNG): face .05x.1 -> 32x48, plate .1x.025 -> 64x12, car; img2 100x200 (JPEG): face 20x20, plate 50x20
  { format: 'yolo', path: 'yolo/data', expected: [2, 5, 2, 2, 1, 1, 2, 32, 20], why: 'sizes from image headers, names from classes.txt' },
  // a: 40x35, 0x10, 50x50 (invalid=1); b: N = 0 + dummy row; c: 20x31
  { format: 'wider', path: 'wider', expected: [3, 4, 4, 0, 2, 0, 1, 50, null], why: 'invalid boxes counted, zero-size counted' },
  // 266x113, 30x15, ccpd_np (no plate)
  { format: 'ccpd', path: 'ccpd', expected: [3, 2, 0, 2, 0, 1, 1, null, 113], why: 'box in the name' },
  // 100x15, 64x32
  { format: 'openalpr', path: 'openalpr', expected: [2, 2, 0, 2, 0, 1, 1, null, 32], why: 'tab-separated' },
  // img1 320x240: face .1x.2 -> 32x48, plate .05x.02 -> 16x4.8, face .05x.5 -> 16x120 (rows apart); img2 car
  { format: 'csv', path: 'csv', options: { coords: 'normalized' }, expected: [2, 4, 2, 1, 1, 0, 1, 32, 4.8], why: 'Open Images, normalised' },
];

describe('every format parser: conformance on the fixtures', () => {
  for (const c of CASES) {
    it(`${c.format}: ${c.why}`, async () => {
      const r = await scan(join(FIXTURES, c.path), c.format, c.options ? { options: c.options } : {});
      expect([r.images, r.boxes, r.faceBoxes, r.plateBoxes, r.qualifyingFaceBoxes, r.qualifyingPlateBoxes, r.imagesWithQualifyingBox, r.maxFaceBoxMinSidePx, r.maxPlateBoxMinSidePx]).toEqual(c.expected);
      expect(r.skipped).toEqual([]);
      expect(r.format).toBe(c.format);
      expect(r.thresholds).toEqual({ face: 32, plate: 16 });
      expect(r.thresholdSource).toEqual({ pack: 'cn-auto@2026', rule: 'DRAFT-J6' });
    });
  }

  it('lists each image with a qualifying box once, with its qualifying boxes', async () => {
    const seen: [string, unknown][] = [];
    await scan(join(FIXTURES, 'coco'), 'coco', { onQualifyingImage: (image, boxes) => seen.push([image, boxes]) });
    expect(seen).toEqual([
      ['a.jpg', [{ kind: 'face', minSidePx: 50, maxSidePx: 60 }]],
      ['dir/b é.jpg', [{ kind: 'plate', minSidePx: 16, maxSidePx: 40 }]],
      ['c.jpg', [{ kind: 'face', minSidePx: 33.5, maxSidePx: 90 }]],
    ]);
  });

  it('max-side measure counts more boxes (Q-5)', async () => {
    const r = await scan(join(FIXTURES, 'voc'), 'voc', { boxMeasure: 'max-side' });
    // licence 31x15 -> 31 >= 16; faces 50 and 32
    expect([r.qualifyingFaceBoxes, r.qualifyingPlateBoxes, r.maxFaceBoxMinSidePx, r.maxPlateBoxMinSidePx, r.boxMeasure]).toEqual([2, 1, 50, 31, 'max-side']);
  });

  it('reports progress up to the total bytes', async () => {
    const calls: [number, number][] = [];
    const r = await scan(join(FIXTURES, 'voc'), 'voc', { onProgress: (d, t) => calls.push([d, t]) });
    expect(calls.at(-1)).toEqual([r.bytes, r.bytes]);
    expect(calls.every(([d, t], i) => d <= t && (i === 0 || d >= calls[i - 1]![0]))).toBe(true);
  });
});

describe('class mapping', () => {
  it('--face-class replaces the face defaults only', async () => {
    const r = await scan(join(FIXTURES, 'voc'), 'voc', { classes: { face: ['person'] } });
    // person 100x200 is now the only face; licence stays a plate by default
    expect([r.faceBoxes, r.qualifyingFaceBoxes, r.maxFaceBoxMinSidePx, r.plateBoxes]).toEqual([1, 1, 100, 1]);
  });
  it('YOLO class ids can be named directly', async () => {
    const r = await scan(join(FIXTURES, 'yolo/data'), 'yolo', { classes: { face: ['2'], plate: ['none'] } });
    expect([r.faceBoxes, r.plateBoxes, r.maxFaceBoxMinSidePx]).toEqual([1, 0, 240]);
  });
});

describe('COCO streaming tokenizer', () => {
  it('crowd=skip leaves crowd regions out and reports them', async () => {
    const r = await scan(join(FIXTURES, 'coco'), 'coco', { options: { crowd: 'skip' } });
    expect([r.boxes, r.faceBoxes, r.qualifyingFaceBoxes, r.imagesWithQualifyingBox, r.excludedBoxes]).toEqual([6, 2, 1, 2, 1]);
  });

  it('gives the same figures with categories first and tiny chunks impossible to align', async () => {
    const doc = {
      categories: [{ id: 7, name: 'face' }],
      annotations: Array.from({ length: 500 }, (_, i) => ({ id: i, image_id: i % 50, category_id: 7, bbox: [1.5, 2, 20 + (i % 20), 31.25 + (i % 3)] })),
      images: Array.from({ length: 50 }, (_, i) => ({ id: i, file_name: `${i}.jpg` })),
    };
    const p = file('order.json', JSON.stringify(doc));
    const r = await scan(p, 'coco');
    const measures = doc.annotations.map((a) => Math.min(a.bbox[2]!, a.bbox[3]!));
    expect(r.images).toBe(50);
    expect(r.faceBoxes).toBe(500);
    expect(r.qualifyingFaceBoxes).toBe(measures.filter((m) => m >= 32).length);
    expect(r.maxFaceBoxMinSidePx).toBe(Math.max(...measures));
    expect(r.imagesWithQualifyingBox).toBe(new Set(doc.annotations.filter((a) => Math.min(a.bbox[2]!, a.bbox[3]!) >= 32).map((a) => a.image_id)).size);
  });

  it('reads a file of several 4 MB chunks (tokens cut at chunk ends) like JSON.parse does', async () => {
    const annotations = Array.from({ length: 60_000 }, (_, i) => ({
      id: i,
      image_id: (i * 7919) % 9000,
      category_id: 1 + (i % 3),
      bbox: [i % 100, 0.5, ((i * 31) % 70) + 0.25, (i * 17) % 45],
      segmentation: [[1.5, 2.5, 3.5, 4.5, 5.5, 6.5]],
      note: `\u00e9 "${i}" \\`,
    }));
    const text = JSON.stringify({ annotations, images: Array.from({ length: 9000 }, (_, id) => ({ id })), categories: [{ id: 1, name: 'face' }, { id: 2, name: 'lp' }, { id: 3, name: 'car' }] }, null, 1);
    expect(text.length).toBeGreaterThan(9 << 20);
    const r = await scan(file('chunks.json', text), 'coco');
    const kind = (c: number) => (c === 1 ? 'face' : c === 2 ? 'plate' : null);
    const m = (a: (typeof annotations)[number]) => Math.min(a.bbox[2]!, a.bbox[3]!);
    const q = annotations.filter((a) => (kind(a.category_id) === 'face' && m(a) >= 32) || (kind(a.category_id) === 'plate' && m(a) >= 16));
    expect([r.images, r.boxes, r.faceBoxes, r.plateBoxes, r.qualifyingFaceBoxes + r.qualifyingPlateBoxes, r.imagesWithQualifyingBox]).toEqual([
      9000, 60_000, 20_000, 20_000, q.length, new Set(q.map((a) => a.image_id)).size,
    ]);
    expect(r.maxFaceBoxMinSidePx).toBe(Math.max(...annotations.filter((a) => a.category_id === 1).map(m)));
  });

  it('names file, line, column and byte offset of a syntax error', async () => {
    const text = '{\n  "images": [],\n  "annotations": [\n    {"id": 1 "image_id": 2}\n  ]\n}\n';
    const p = file('syntax.json', text);
    // keep-going cannot resynchronise after a syntax error: still an error
    const e = await badInputOf(scan(p, 'coco', { keepGoing: true }));
    // the missing comma: '"image_id"' is the 14th character of line 4
    expect(e.issues[0]).toMatchObject({ file: p, line: 4, column: 14, offset: text.indexOf('"image_id"'), expected: "',' / '}'" });
  });

  it('reports a truncated file', async () => {
    const p = file('trunc.json', '{"images": [{"id": 1}], "annotations": [{"id": 1, "bbox": [1, 2');
    const e = await badInputOf(scan(p, 'coco'));
    expect(e.issues[0]!.message).toMatch(/ends in the middle/);
    expect(e.issues[0]!.line).toBe(1);
  });

  it('rejects a top-level array and a non-array section', async () => {
    expect((await badInputOf(scan(file('arr.json', '[1, 2]'), 'coco'))).issues[0]!.message).toMatch(/array/);
    expect((await badInputOf(scan(file('obj.json', '{"annotations": {}}'), 'coco'))).issues[0]!.expected).toBe('an array');
  });

  it('stops at a bad record, or skips, counts and lists it with keep-going', async () => {
    const p = file(
      'records.json',
      [
        '{"categories": [{"id": 1, "name": "face"}],',
        ' "annotations": [',
        '  {"image_id": 1, "category_id": 1, "bbox": [0, 0, 40, 40]},',
        '  {"image_id": 1, "category_id": 1, "bbox": [0, 0, 40]},',
        '  {"image_id": 2, "category_id": 1, "bbox": [0, 0, -1, 40]},',
        '  {"image_id": 2, "category_id": 5, "bbox": [0, 0, 40, 40]},',
        '  {"image_id": 2, "category_id": 5, "bbox": [0, 0, 40, 40]},',
        '  7,',
        '  {"category_id": 1, "bbox": [0, 0, 40, 40]}',
        ' ],',
        ' "images": [{"id": 1}, {"id": 2}]}',
      ].join('\n'),
    );
    const e = await badInputOf(scan(p, 'coco'));
    expect(e.issues[0]).toMatchObject({ file: p, line: 4 });
    expect(e.issues[0]!.message).toMatch(/bbox has 3 numbers/);
    const r = await scan(p, 'coco', { keepGoing: true });
    expect([r.images, r.faceBoxes, r.qualifyingFaceBoxes, r.imagesWithQualifyingBox]).toEqual([2, 1, 1, 1]);
    expect(r.skippedCount).toBe(6);
    expect(r.skipped.map((s) => s.line)).toEqual([4, 5, 8, 9, 6]);
    expect(render('en', r.skipped[4]!.reason)).toMatch(/category 5.*2 annotation/);
  });
});

describe('text formats: malformed input and keep-going', () => {
  const cases: { format: AnnotationFormat; name: string; text: string; line: number; good: number }[] = [
    { format: 'wider', name: 'w.txt', text: 'a.jpg\n2\n1 1 40 40 0 0 0 0 0 0\n1 1 x 40 0 0 0 0 0 0\nb.jpg\n1\n1 1 50 50 0 0 0 0 0 0\n', line: 4, good: 2 },
    { format: 'wider', name: 'w2.txt', text: 'a.jpg\n1\n1 1 40 40 0 0 0 0 0 0\n1 1 40 40 0 0 0 0 0 0\n', line: 4, good: 1 },
    { format: 'kitti', name: 'k.txt', text: 'Face 0 0 0 1 1 41 41 0 0 0 0 0 0 0\nFace 0 0 0 1 1\nFace 0 0 0 5 5 1 1 0 0 0 0 0 0 0\n', line: 2, good: 1 },
    { format: 'openalpr', name: 'o.txt', text: 'a.jpg\t1\t1\t40\t20\tA1\na.jpg 1 1 40 20 A1\n', line: 2, good: 1 },
    { format: 'ccpd', name: 'c.txt', text: 'x/01-1_1-1&1_41&41-1&1_1&1_1&1_1&1-0_0_0_0_0_0_0-1-1.jpg\nx/01-1_1-1&1-41&41-1-1-1.jpg\n', line: 2, good: 1 },
    { format: 'csv', name: 'v.csv', text: 'image,label,xmin,ymin,xmax,ymax\na.jpg,face,0,0,40,40\nb.jpg,face,0,0,4O,40\n', line: 3, good: 1 },
  ];
  for (const c of cases) {
    it(`${c.format}: line ${c.line} is named; keep-going skips it`, async () => {
      const p = file(c.name, c.text);
      const e = await badInputOf(scan(p, c.format));
      expect(e.issues[0]).toMatchObject({ file: p, line: c.line });
      expect(e.issues[0]!.offset).toBe(Buffer.byteLength(c.text.split('\n').slice(0, c.line - 1).join('\n')) + 1);
      const r = await scan(p, c.format, { keepGoing: true });
      expect(r.skippedCount).toBeGreaterThanOrEqual(1);
      expect(r.skipped[0]).toMatchObject({ file: p, line: c.line });
      expect(r.faceBoxes + r.plateBoxes).toBe(c.good);
    });
  }

  it('yolo: a label without a findable image size is a bad record', async () => {
    const p = file('yolo-lost/labels/x.txt', '0 0.5 0.5 0.1 0.1\n');
    const e = await badInputOf(scan(p, 'yolo'));
    expect(e.issues[0]!.message).toMatch(/size of the image/);
    const r = await scan(p, 'yolo', { options: { width: 640, height: 320 }, classes: { face: ['0'] } });
    expect([r.faceBoxes, r.maxFaceBoxMinSidePx]).toEqual([1, 32]);
  });

  it('yolo: a sizes file gives the image size', async () => {
    const dir = join(tmp, 'yolo-sizes');
    file('yolo-sizes/img9.txt', '0 0.5 0.5 0.5 0.5\n');
    const sizes = file('yolo-sizes-list.txt', 'image width height\nimg9.jpg 100 64\n');
    const r = await scan(dir, 'yolo', { options: { sizes }, classes: { face: ['0'] } });
    expect([r.images, r.qualifyingFaceBoxes, r.maxFaceBoxMinSidePx]).toEqual([1, 1, 32]);
  });

  it('voc: a truncated file and an object without a box', async () => {
    const p = file('t.xml', '<annotation><filename>a.jpg</filename><object><name>face</name>');
    expect((await badInputOf(scan(p, 'voc'))).issues[0]!.message).toMatch(/truncated/);
    const q = file('nobox.xml', '<annotation>\n<filename>a.jpg</filename>\n<object><name>face</name></object>\n</annotation>\n');
    expect((await badInputOf(scan(q, 'voc'))).issues[0]).toMatchObject({ file: q, line: 3 });
    const r = await scan(q, 'voc', { keepGoing: true });
    expect([r.images, r.boxes, r.skippedCount]).toEqual([1, 0, 1]);
  });

  it('voc: corners=inclusive adds one pixel', async () => {
    const r = await scan(join(FIXTURES, 'voc'), 'voc', { options: { corners: 'inclusive' } });
    expect([r.qualifyingPlateBoxes, r.maxFaceBoxMinSidePx, r.maxPlateBoxMinSidePx]).toEqual([1, 41, 16]);
  });

  it('wider: invalid=skip leaves invalid faces out and reports them', async () => {
    const r = await scan(join(FIXTURES, 'wider'), 'wider', { options: { invalid: 'skip' } });
    expect([r.boxes, r.faceBoxes, r.excludedBoxes, r.qualifyingFaceBoxes, r.maxFaceBoxMinSidePx]).toEqual([4, 3, 1, 1, 35]);
  });

  it('ccpd: a folder of images named the CCPD way', async () => {
    file('ccpd-img/a/0100-1_1-10&10_60&30-1&1_1&1_1&1_1&1-0_0_0_0_0_0_0-1-1.jpg', '');
    file('ccpd-img/b/0101-1_1-10&10_30&30-1&1_1&1_1&1_1&1-0_0_0_0_0_0_0-1-1.jpg', '');
    const r = await scan(join(tmp, 'ccpd-img'), 'ccpd');
    expect([r.images, r.plateBoxes, r.qualifyingPlateBoxes, r.maxPlateBoxMinSidePx]).toEqual([2, 2, 2, 20]);
  });

  it('csv: pixel x/y/w/h columns, quoted fields, mapped columns', async () => {
    const p = file('px.csv', 'file,"what",left_x,top_y,bw,bh\n"a,1.jpg",face,0,0,32,33\nb.jpg,"lic ""plate""",0,0,10,20\n');
    const r = await scan(p, 'csv', { options: { image: 'file', class: 'what', x: 'left_x', y: 'top_y', w: 'bw', h: 'bh' }, classes: { plate: ['lic "plate"'] } });
    expect([r.images, r.faceBoxes, r.plateBoxes, r.qualifyingFaceBoxes, r.maxPlateBoxMinSidePx]).toEqual([2, 1, 1, 1, 10]);
  });

  it('unknown option, unknown format, missing path, empty folder', async () => {
    expect((await badInputOf(scan(join(FIXTURES, 'voc'), 'voc', { options: { invalid: 'skip' } }))).issues[0]!.field).toBe('--option invalid');
    await badInputOf(scan(join(FIXTURES, 'voc'), 'nope' as AnnotationFormat));
    await expect(scan(join(tmp, 'missing'), 'voc')).rejects.toMatchObject({ code: 'not-found' });
    mkdirSync(join(tmp, 'empty'));
    await badInputOf(scan(join(tmp, 'empty'), 'voc'));
  });
});

describe('streamed line reading (files over 1 MB, lines across chunk ends)', () => {
  it('counts the same as for a small file, with line numbers intact', async () => {
    const rows: string[] = [];
    let faces = 0;
    let qualifying = 0;
    for (let i = 0; faces < 100_000; i++) {
      const n = 1 + (i % 7);
      rows.push(`e/${i}.jpg`, String(n));
      for (let k = 0; k < n; k++) {
        const w = (i * 7 + k * 13) % 90;
        rows.push(`1 2 ${w} 40 0 0 0 0 0 0 `);
        faces++;
        if (Math.min(w, 40) >= 32) qualifying++;
      }
    }
    rows.push('bad.jpg', 'x');
    const text = rows.join('\r\n') + '\r\n';
    expect(text.length).toBeGreaterThan(2 << 20);
    const p = file('big_gt.txt', text);
    const e = await badInputOf(scan(p, 'wider'));
    expect(e.issues[0]).toMatchObject({ line: rows.length, offset: text.length - 3 });
    const r = await scan(p, 'wider', { keepGoing: true });
    expect([r.faceBoxes, r.qualifyingFaceBoxes, r.skippedCount]).toEqual([faces, qualifying, 1]);
  });
});
