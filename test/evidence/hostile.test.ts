// Issue 14: garbage must not become a measurement. Each hostile input of the issue, through the CLI
// in-process (`main()`): exit 2 naming the file and line, or skipped and listed under --keep-going —
// never exit 0 with a count, never an internal error (exit 70).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli as runMain } from '../helpers/main.js';
import { errorText } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'chujing-hostile-'));
let n = 0;

function put(rel: string, text: string | Buffer): string {
  const p = join(dir, `${n++}`, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const cli = (args: string[], env: Record<string, string> = {}) => runMain(args, env, dir);

const scan = (path: string, format: string, ...more: string[]) => cli(['scan', 'annotations', path, '--format', format, '--json', '--as-of', '2026-03-01', ...more]);

interface Case {
  name: string;
  format: string;
  file: string;
  text: string;
  line: number | null;
  extra?: string[];
}

const COCO_HEAD = '{"images": [{"id": 1}],\n"categories": [{"id": 1, "name": "face"}],\n"annotations": [\n';
const CASES: Case[] = [
  { name: 'VOC: invalid XML (mismatched tag)', format: 'voc', file: 'a.xml', text: '<annotation>\n<filename>a.jpg</filename>\n<object><name>face</name><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>40</xmax><ymax>40</ymax></bndbox></objekt>\n</annotation>\n', line: 3 },
  { name: 'VOC: undefined XML entity', format: 'voc', file: 'a.xml', text: '<annotation>\n<filename>a&nbsp;.jpg</filename>\n<object><name>face</name><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>40</xmax><ymax>40</ymax></bndbox></object>\n</annotation>\n', line: 2 },
  { name: 'VOC: a DTD declaring entities', format: 'voc', file: 'a.xml', text: '<!DOCTYPE a [<!ENTITY x "y">]>\n<annotation><filename>a.jpg</filename></annotation>\n', line: 1 },
  { name: 'VOC: infinite coordinate', format: 'voc', file: 'a.xml', text: '<annotation>\n<filename>a.jpg</filename>\n<object><name>face</name><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>1e400</xmax><ymax>40</ymax></bndbox></object>\n</annotation>\n', line: 3 },
  { name: 'COCO: 1e400 in a box', format: 'coco', file: 'c.json', text: `${COCO_HEAD}{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1e400, 40]}\n]}\n`, line: 4 },
  { name: 'COCO: annotation of an image that does not exist', format: 'coco', file: 'c.json', text: `${COCO_HEAD}{"image_id": 7, "category_id": 1, "bbox": [0, 0, 40, 40]}\n]}\n`, line: 4 },
  { name: 'COCO: image missing, annotations before images', format: 'coco', file: 'c.json', text: '{"categories": [{"id": 1, "name": "face"}],\n"annotations": [\n{"image_id": 1, "category_id": 1, "bbox": [0, 0, 40, 40]},\n{"image_id": 9, "category_id": 1, "bbox": [0, 0, 40, 40]}\n],\n"images": [{"id": 1}]}\n', line: 4 },
  { name: 'KITTI: infinite coordinate', format: 'kitti', file: 'label_2/000001.txt', text: 'Face 0.00 0 0 10 10 1e400 60 1.5 1.6 3.9 1 2 3 -1.5\n', line: 1 },
  { name: 'KITTI: NaN coordinate', format: 'kitti', file: 'label_2/000001.txt', text: 'Face 0.00 0 0 10 10 NaN 60 1.5 1.6 3.9 1 2 3 -1.5\n', line: 1 },
  { name: 'KITTI: 21 columns', format: 'kitti', file: 'label_2/000001.txt', text: 'Face 0.00 0 0 10 10 60 60 1.5 1.6 3.9 1 2 3 -1.5\nFace 0.00 0 0 10 10 60 60 1.5 1.6 3.9 1 2 3 -1.5 1 2 3 4 5 6\n', line: 2 },
  { name: 'YOLO: a size above 1', format: 'yolo', file: 'labels/a.txt', text: '0 0.5 0.5 0.1 0.1\n0 0.5 0.5 7 0.2\n', line: 2, extra: ['--option', 'width=640', '--option', 'height=320'] },
  { name: 'WIDER: a row with the wrong number of columns', format: 'wider', file: 'wider_face_val_bbx_gt.txt', text: '0--Parade/a.jpg\n2\n10 10 40 40 0 0 0 0 0 0 \n10 10 40 40 0 0 0\n', line: 4 },
  { name: 'OpenALPR: a row with the wrong number of columns', format: 'openalpr', file: 'us/car.txt', text: 'car.jpg\t10\t10\t40\t20\tABC123\textra\n', line: 1 },
  { name: 'CSV: a row with the wrong number of columns', format: 'csv', file: 'boxes.csv', text: 'image,class,xmin,ymin,xmax,ymax\na.jpg,face,0,0,40,40\nb.jpg,face,0,0,40,40,99\n', line: 3 },
];

describe('hostile annotation files: exit 2 with file and line, or skipped and listed', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const p = put(c.file, c.text);
      const r = await scan(p, c.format, ...(c.extra ?? []));
      expect(r.code, r.stderr).toBe(2);
      // --json: the error is JSON on stdout, stderr stays empty.
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).schema).toBe('chujing.error/1');
      expect(errorText(r)).toContain(c.line === null ? p : `${p}:${c.line}`);
      const k = await scan(p, c.format, '--keep-going', ...(c.extra ?? []));
      expect(k.code, k.stderr).toBe(0);
      const out = JSON.parse(k.stdout);
      expect(out.skippedCount).toBeGreaterThan(0);
      if (c.line !== null) expect(out.skipped.map((s: { line?: number }) => s.line)).toContain(c.line);
      expect(out.skipped[0].reason.text).toBeTruthy();
    });
  }

  it('CSV: a sizes file that does not exist is a clear error (exit 2), not an internal error', async () => {
    const p = put('boxes.csv', 'ImageID,LabelName,XMin,XMax,YMin,YMax\na,/m/0dzct,0.1,0.2,0.1,0.3\n');
    const r = await scan(p, 'csv', '--option', 'coords=normalized', '--option', 'image=ImageID', '--option', 'class=LabelName', '--option', 'sizes=no-such-sizes.txt');
    expect(r.code).toBe(2);
    expect(errorText(r)).toContain('no-such-sizes.txt');
    expect(errorText(r)).toContain('ENOENT');
    expect(errorText(r)).not.toMatch(/internal error/);
  });

  it('never quotes the line of a file (an OpenALPR line carries a licence plate)', async () => {
    const p = put('us/car.txt', 'car.jpg\t10\tten\t40\t20\tSECRETPLATE9\n');
    const r = await scan(p, 'openalpr');
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('SECRETPLATE9');
  });

  it('a well-formed file still scans (the real VOC quirks: leading blank line, no folder, entities)', async () => {
    const p = put('ok.xml', '\n<?xml version="1.0"?>\n<!-- labelImg -->\n<annotation verified="no">\n  <filename>a&amp;b.jpg</filename>\n  <object><name>face</name><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>40.5</xmax><ymax>50</ymax></bndbox><part><name>head</name></part></object>\n</annotation>\n');
    const r = await scan(p, 'voc');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ schema: 'chujing.scan-annotations/1', faceBoxes: 1, maxFaceBoxMinSidePx: 40.5 });
  });
});

describe('scan annotations --fail-on qualifying (a pre-export check in CI)', () => {
  it('exits 1 when a box reaches its threshold, 0 when none does, 2 for an unknown condition', async () => {
    const big = put('w/wider_face_val_bbx_gt.txt', '0--Parade/a.jpg\n1\n10 10 40 40 0 0 0 0 0 0 \n');
    const small = put('w/wider_face_val_bbx_gt.txt', '0--Parade/a.jpg\n1\n10 10 20 20 0 0 0 0 0 0 \n');
    const hit = await cli(['scan', 'annotations', big, '--format', 'wider', '--fail-on', 'qualifying']);
    expect(hit.code).toBe(1);
    expect(hit.stderr).toContain('--fail-on qualifying');
    expect(hit.stdout).toContain('face boxes');
    const json = await cli(['scan', 'annotations', big, '--format', 'wider', '--fail-on', 'qualifying', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).failOn).toEqual({ condition: 'qualifying', failed: true });
    expect((await cli(['scan', 'annotations', small, '--format', 'wider', '--fail-on', 'qualifying'])).code).toBe(0);
    expect((await cli(['scan', 'annotations', small, '--format', 'wider', '--fail-on', 'anything'])).code).toBe(2);
  });
});

describe('scan output in Chinese', () => {
  it('--lang zh prints the summary, labels and skipped list in Chinese', async () => {
    const p = put('w/wider_face_val_bbx_gt.txt', '0--Parade/a.jpg\n2\n10 10 40 40 0 0 0 0 0 0 \n1 2 3\n');
    const r = await cli(['--lang', 'zh', 'scan', 'annotations', p, '--format', 'wider', '--keep-going', '--as-of', '2026-03-01']);
    expect(r.code, r.stderr).toBe(0);
    for (const word of ['Thresholds', 'boxes', 'Images', 'Skipped', 'expected', 'fields']) expect(r.stdout).not.toContain(word);
    expect(r.stdout).toContain('人脸框');
    expect(r.stdout).toContain('跳过的记录');
    const e = await cli(['--lang', 'zh', 'scan', 'annotations', p, '--format', 'wider']);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('应为');
    expect(e.stderr).not.toMatch(/expected|is not a valid/);
  });
});
