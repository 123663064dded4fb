/**
 * YOLO (Darknet / Ultralytics) labels: one .txt per image, one box per line,
 *   class cx cy w h          (all four normalised to 0..1 by the image width and height)
 * Pixels = normalised × image size, rounded to 1e-6 px (roundPx). The image size comes from, in order:
 * `--option width=W,height=H` (every image the same size); a sizes file (`--option sizes=FILE`: lines
 * `image width height`, whitespace or comma separated, matched on the file name without extension); the
 * header of the image beside the label, or in the `images/` folder that mirrors `labels/` (Ultralytics
 * layout: dataset/labels/train/x.txt <-> dataset/images/train/x.jpg). Class ids map to names through
 * `--option names=FILE` (one name per line, or a data.yaml `names:` list/map), else a `classes.txt` /
 * `obj.names` / `data.yaml` next to the labels or in a parent folder; `--face-class 0` also matches ids.
 * The four coordinates are normalised: each must be a number from 0 to 1 (a size above 1 is not YOLO,
 * and multiplying it by the image size would invent a box larger than the image).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { badInput } from '../../errors.js';
import { isInside } from '../../model/paths.js';
import { msg } from '../../i18n/index.js';
import { forEachLine } from './lines.js';
import { readImageSize, type ImageSize } from './image-size.js';
import { parseNumber, roundPx, type FormatOptions, type FormatParser, type ScanContext } from './format.js';

const EXPECTED = msg('evidence.yolo.expected');
const IMAGE_EXTS = ['.jpg', '.jpeg', '.png', '.bmp', '.gif', '.webp', '.JPG', '.JPEG', '.PNG'];
const NAMES_FILES = ['classes.txt', 'obj.names', 'data.yaml', 'dataset.yaml'];
const NOT_LABELS = /^(classes\.txt|obj\.names|readme.*|sizes?\.(txt|csv)|.*\.names)$/i;

/** Class names by id from a names file (text: one per line; YAML: `names:` list or id->name map). */
export function readNames(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    const m = msg('evidence.file.unreadable', { path: file, code: 'names' });
    throw badInput(m, [{ file, message: m, expected: msg('evidence.yolo.expected-names') }]);
  }
  if (/\.ya?ml$/i.test(file)) {
    const doc = parseYaml(text) as { names?: unknown } | null;
    const names = doc?.names;
    if (Array.isArray(names)) return names.map(String);
    if (names && typeof names === 'object') {
      const out: string[] = [];
      for (const [k, v] of Object.entries(names)) out[Number(k)] = String(v);
      return out;
    }
    const m = msg('evidence.yolo.no-names', { file });
    throw badInput(m, [{ file, field: 'names', message: m, expected: msg('evidence.yolo.expected-names-yaml') }]);
  }
  return text.split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * A sizes file: `image width height` per line (whitespace, comma or semicolon separated; a first line
 * that is not one is a header; `#` comments). Shared with the csv format. A missing file, a bad line or a
 * size that is not a positive number is bad input naming the file and line (the line is not quoted).
 */
export function readSizes(file: string, option = '--option sizes'): Map<string, ImageSize> {
  const sizes = new Map<string, ImageSize>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const m = msg('evidence.sizes.unreadable', { path: file, code: (e as NodeJS.ErrnoException).code ?? 'unreadable' });
    throw badInput(m, [{ file, field: option, message: m, expected: msg('evidence.sizes.expected') }]);
  }
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const f = line.split(/[\s,;]+/);
    const w = parseNumber(f[1]);
    const h = parseNumber(f[2]);
    if (f.length !== 3 || w === null || h === null || !(w > 0) || !(h > 0)) {
      if (i === 0 && (w === null || h === null)) return; // a header row
      const m = msg('evidence.sizes.bad-line');
      throw badInput(msg('evidence.sizes.bad-file', { file }), [{ file, line: i + 1, message: m, expected: msg('evidence.sizes.expected') }]);
    }
    sizes.set(stem(f[0]!), { width: w, height: h });
  });
  return sizes;
}

function stem(path: string): string {
  const b = basename(path.replace(/\\/g, '/'));
  return b.slice(0, b.length - extname(b).length);
}

/** Where the image of a label file may be (beside it, or in the images/ tree mirroring labels/). */
export function imageCandidates(labelFile: string): string[] {
  const dir = dirname(labelFile);
  const s = stem(labelFile);
  const dirs = [dir];
  const parts = dir.split(sep);
  const li = parts.lastIndexOf('labels');
  if (li >= 0) dirs.push([...parts.slice(0, li), 'images', ...parts.slice(li + 1)].join(sep));
  dirs.push(join(dir, '..', 'images'));
  const out: string[] = [];
  for (const d of dirs) for (const e of IMAGE_EXTS) out.push(join(d, s + e));
  return out;
}

interface YoloSetup {
  names: string[] | null;
  sizes: Map<string, ImageSize> | null;
  fixed: ImageSize | null;
  /** Names files found near labels, per folder (per scan: a later scan sees edits). */
  found: Map<string, string[] | null>;
}

const setups = new WeakMap<FormatOptions, YoloSetup>();

function namesNear(foundNames: Map<string, string[] | null>, labelFile: string, stopAt: string, boundary: string | undefined): string[] | null {
  let dir = dirname(labelFile);
  const root = resolve(stopAt, '..');
  for (let i = 0; i < 4; i++) {
    const cached = foundNames.get(dir);
    if (cached !== undefined) return cached;
    for (const n of NAMES_FILES) {
      const f = join(dir, n);
      // Inside a workspace, files found by looking around are read only when they are inside it.
      if (existsSync(f) && (boundary === undefined || isInside(boundary, f))) {
        const names = readNames(f);
        foundNames.set(dir, names);
        return names;
      }
    }
    if (dir === root || dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  return null;
}

function setup(options: FormatOptions): YoloSetup {
  let s = setups.get(options);
  if (!s) {
    const w = options.number('width');
    const h = options.number('height');
    const names = options.string('names');
    const sizes = options.string('sizes');
    s = {
      names: names ? readNames(names) : null,
      sizes: sizes ? readSizes(sizes) : null,
      fixed: w !== undefined && h !== undefined ? { width: w, height: h } : null,
      found: new Map(),
    };
    setups.set(options, s);
  }
  return s;
}

export const yolo: FormatParser = {
  format: 'yolo',
  options: ['names', 'sizes', 'width', 'height'],
  accepts: (name) => /\.txt$/i.test(name) && !NOT_LABELS.test(name),
  async scan(ctx: ScanContext) {
    const { tally, classes } = ctx;
    const s = setup(ctx.options);
    const root = ctx.file.slice(0, ctx.file.length - ctx.relative.length);
    const names = s.names ?? namesNear(s.found, ctx.file, root, ctx.root);
    let size = s.fixed ?? s.sizes?.get(stem(ctx.file)) ?? null;
    let image = ctx.relative.replace(/\.txt$/i, '');
    if (!size) {
      for (const candidate of imageCandidates(ctx.file)) {
        if (!existsSync(candidate) || (ctx.root !== undefined && !isInside(ctx.root, candidate))) continue;
        size = readImageSize(candidate);
        image = relative(root, candidate).split(sep).join('/');
        break;
      }
    }
    if (!size || !(size.width > 0) || !(size.height > 0)) {
      ctx.onBytes(0);
      return tally.reject('yolo', {
        file: ctx.display,
        message: msg('evidence.yolo.no-image-size', { label: ctx.display }),
        expected: msg('evidence.yolo.expected-image-size'),
      });
    }
    const { width, height } = size;
    const kinds = new Map<string, ReturnType<typeof classes.kindOf>>();
    const kindOf = (id: string) => {
      let k = kinds.get(id);
      if (k === undefined) {
        const name = names?.[Number(id)];
        k = (name !== undefined ? classes.kindOf(name) : null) ?? classes.kindOf(id);
        kinds.set(id, k);
      }
      return k;
    };
    tally.image(image);
    await forEachLine(
      ctx.file,
      (raw, line, offset) => {
        const text = raw.trim();
        if (text === '') return;
        const f = text.split(/\s+/);
        // 5 fields, or 6 with a confidence score (prediction files).
        if (f.length !== 5 && f.length !== 6) return tally.reject('yolo', { file: ctx.display, line, offset, message: msg('evidence.yolo.field-count', { got: f.length }), expected: EXPECTED });
        if (!/^\d+$/.test(f[0]!)) return tally.reject('yolo', { file: ctx.display, line, offset, message: msg('evidence.yolo.bad-class'), expected: EXPECTED });
        for (let k = 1; k < f.length; k++) {
          const v = parseNumber(f[k]);
          if (v === null) return tally.reject('yolo', { file: ctx.display, line, offset, message: msg('evidence.field-not-number', { field: k + 1 }), expected: EXPECTED });
          if (k <= 4 && !(v >= 0 && v <= 1)) return tally.reject('yolo', { file: ctx.display, line, offset, message: msg('evidence.yolo.out-of-range', { field: k + 1 }), expected: EXPECTED });
        }
        const w = parseNumber(f[3])!;
        const h = parseNumber(f[4])!;
        tally.box(kindOf(f[0]!), roundPx(w * width), roundPx(h * height));
      },
      ctx.onBytes,
    );
    tally.endImage();
  },
};
