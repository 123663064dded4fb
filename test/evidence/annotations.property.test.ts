/**
 * Property: the same boxes written in any format give the same counts. fast-check generates images with
 * integer-pixel boxes of face / plate / other classes (sizes around the 32 / 16 px thresholds), writes
 * them as COCO, Pascal VOC, YOLO (normalised, sizes file), KITTI, pixel CSV and normalised CSV, scans
 * each, and compares with an oracle computed straight from the generated boxes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanAnnotations } from '../../src/evidence/annotations/index.js';
import { boxThresholds } from '../../src/evidence/thresholds.js';
import { findPack } from '../../src/rules/index.js';
import type { AnnotationFormat } from '../../src/evidence/types.js';

const thresholds = boxThresholds(findPack('cn-auto@2025-draft')!);
const CLASSES = ['face', 'plate', 'car'] as const;

interface Box {
  cls: 0 | 1 | 2;
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Img {
  width: number;
  height: number;
  boxes: Box[];
}

const sideAround = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 400 }));
const imageArb: fc.Arbitrary<Img> = fc
  .record({ width: fc.integer({ min: 50, max: 2000 }), height: fc.integer({ min: 50, max: 2000 }) })
  .chain(({ width, height }) =>
    fc.record({
      width: fc.constant(width),
      height: fc.constant(height),
      boxes: fc.array(
        fc.record({ cls: fc.constantFrom(0, 1, 2) as fc.Arbitrary<0 | 1 | 2>, w: sideAround, h: sideAround, x: fc.nat(), y: fc.nat() }).map((b) => {
          const w = Math.min(b.w, width);
          const h = Math.min(b.h, height);
          return { cls: b.cls, w, h, x: b.x % (width - w + 1), y: b.y % (height - h + 1) };
        }),
        { minLength: 1, maxLength: 6 },
      ),
    }),
  );

function oracle(images: Img[], measure: 'min-side' | 'max-side') {
  let face = 0, plate = 0, qFace = 0, qPlate = 0, qImages = 0;
  let maxFace: number | null = null, maxPlate: number | null = null;
  for (const img of images) {
    let q = false;
    for (const b of img.boxes) {
      const m = measure === 'min-side' ? Math.min(b.w, b.h) : Math.max(b.w, b.h);
      if (b.cls === 0) {
        face++;
        maxFace = Math.max(maxFace ?? 0, m);
        if (m >= thresholds.face) (qFace++, (q = true));
      } else if (b.cls === 1) {
        plate++;
        maxPlate = Math.max(maxPlate ?? 0, m);
        if (m >= thresholds.plate) (qPlate++, (q = true));
      }
    }
    if (q) qImages++;
  }
  const boxes = images.reduce((n, i) => n + i.boxes.length, 0);
  return { images: images.length, boxes, face, plate, qFace, qPlate, qImages, maxFace, maxPlate };
}

/** Writes the dataset in every format; returns [format, path, options] to scan. */
function writeAll(dir: string, images: Img[]): [AnnotationFormat, string, Record<string, string>][] {
  const w = (p: string, text: string) => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  };
  const name = (i: number) => `img${i}`;
  // COCO, categories last as in the real files
  let id = 0;
  w('coco/instances.json', JSON.stringify({
    images: images.map((img, i) => ({ id: i + 1, file_name: `${name(i)}.jpg`, width: img.width, height: img.height })),
    annotations: images.flatMap((img, i) => img.boxes.map((b) => ({ id: ++id, image_id: i + 1, category_id: b.cls + 1, bbox: [b.x, b.y, b.w, b.h], iscrowd: 0 }))),
    categories: CLASSES.map((c, k) => ({ id: k + 1, name: c })),
  }));
  images.forEach((img, i) => {
    w(`voc/${name(i)}.xml`, `<annotation><filename>${name(i)}.jpg</filename><size><width>${img.width}</width><height>${img.height}</height></size>${img.boxes
      .map((b) => `<object><name>${CLASSES[b.cls]}</name><bndbox><xmin>${b.x}</xmin><ymin>${b.y}</ymin><xmax>${b.x + b.w}</xmax><ymax>${b.y + b.h}</ymax></bndbox></object>`)
      .join('')}</annotation>`);
    w(`yolo/labels/${name(i)}.txt`, img.boxes.map((b) => `${b.cls} ${(b.x + b.w / 2) / img.width} ${(b.y + b.h / 2) / img.height} ${b.w / img.width} ${b.h / img.height}`).join('\n'));
    w(`kitti/label_2/${name(i)}.txt`, img.boxes.map((b) => `${CLASSES[b.cls]} 0.00 0 0.00 ${b.x.toFixed(2)} ${b.y.toFixed(2)} ${(b.x + b.w).toFixed(2)} ${(b.y + b.h).toFixed(2)} 0 0 0 0 0 0 0`).join('\n') + '\n');
  });
  w('yolo/labels/classes.txt', CLASSES.join('\n'));
  w('yolo-sizes.txt', images.map((img, i) => `${name(i)}.jpg ${img.width} ${img.height}`).join('\n'));
  // csv rows interleaved across images (rows of one image are not contiguous)
  const rows = images.flatMap((img, i) => img.boxes.map((b, k) => ({ img, i, b, k }))).sort((a, b) => a.k - b.k || a.i - b.i);
  w('csv/pixel.csv', 'image,label,xmin,ymin,xmax,ymax\n' + rows.map(({ i, b }) => `${name(i)}.jpg,${CLASSES[b.cls]},${b.x},${b.y},${b.x + b.w},${b.y + b.h}`).join('\n'));
  w('csvn/norm.csv', 'ImageID,LabelName,XMin,XMax,YMin,YMax,image_width,image_height\n' +
    rows.map(({ img, i, b }) => `${name(i)},${CLASSES[b.cls]},${b.x / img.width},${(b.x + b.w) / img.width},${b.y / img.height},${(b.y + b.h) / img.height},${img.width},${img.height}`).join('\n'));
  return [
    ['coco', join(dir, 'coco'), {}],
    ['voc', join(dir, 'voc'), {}],
    ['yolo', join(dir, 'yolo'), { sizes: join(dir, 'yolo-sizes.txt') }],
    ['kitti', join(dir, 'kitti'), {}],
    ['csv', join(dir, 'csv'), {}],
    ['csv', join(dir, 'csvn'), { coords: 'normalized' }],
  ];
}

describe('property: one dataset, every format, the same counts', () => {
  for (const measure of ['min-side', 'max-side'] as const) {
    it(`coco = voc = yolo = kitti = csv (pixel, normalised) = oracle (${measure})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(imageArb, { minLength: 1, maxLength: 6 }), async (images) => {
          const dir = mkdtempSync(join(tmpdir(), 'chujing-prop-'));
          try {
            const want = oracle(images, measure);
            for (const [format, path, options] of writeAll(dir, images)) {
              const r = await scanAnnotations(path, { format, thresholds, boxMeasure: measure, options });
              const got = { images: r.images, boxes: r.boxes, face: r.faceBoxes, plate: r.plateBoxes, qFace: r.qualifyingFaceBoxes, qPlate: r.qualifyingPlateBoxes, qImages: r.imagesWithQualifyingBox, maxFace: r.maxFaceBoxMinSidePx, maxPlate: r.maxPlateBoxMinSidePx };
              expect({ format, path, ...got }).toEqual({ format, path, ...want });
            }
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }),
        { numRuns: 60 },
      );
    });
  }
});
