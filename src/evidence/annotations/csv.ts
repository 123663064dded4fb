/**
 * CSV box exports (Open Images `*-annotations-bbox.csv`, labelling-tool exports): one box per row,
 * columns mapped by options, with defaults found in the header (case-insensitive):
 *   image   : image, filename, file_name, imageid, image_id, path, file      (--option image=COL)
 *   class   : class, label, labelname, class_name, category, name            (--option class=COL)
 *   corners : xmin ymin xmax ymax (also x_min.., x1 y1 x2 y2)                 (--option xmin=COL ...)
 *   or size : x y w h (also width/height of the BOX via --option w=COL h=COL)
 *   image size (normalised coordinates): image_width/img_width/imagewidth and image_height/...
 *   (--option width=COL height=COL), or --option sizes=FILE as for YOLO.
 * `--option coords=normalized` (Open Images: XMin..YMax in 0..1) multiplies by the image size; pixels
 * otherwise. Corners follow the shared convention: width = xmax - xmin (corners=inclusive adds 1, pixel
 * corners only). Rows of one image may be anywhere in the file: distinct image names are kept.
 * Quoted fields ("a,b", "" escapes) are read; a quoted field spanning lines is not supported. Every row
 * has as many fields as the header (a shifted row would put one column's number in another's place).
 */
import { basename, extname } from 'node:path';
import { badInput } from '../../errors.js';
import { msg } from '../../i18n/index.js';
import { readSizes } from './yolo.js';
import { forEachLine } from './lines.js';
import { CORNER_OPTION, cornerExtra, parseNumber, roundPx, type FormatParser, type ScanContext } from './format.js';

const DEFAULT_COLUMNS: Record<string, string[]> = {
  image: ['image', 'filename', 'file_name', 'imageid', 'image_id', 'path', 'file', 'image_name'],
  class: ['class', 'label', 'labelname', 'label_name', 'class_name', 'category', 'name'],
  xmin: ['xmin', 'x_min', 'x1', 'left'],
  ymin: ['ymin', 'y_min', 'y1', 'top'],
  xmax: ['xmax', 'x_max', 'x2', 'right'],
  ymax: ['ymax', 'y_max', 'y2', 'bottom'],
  x: ['x', 'bbox_x'],
  y: ['y', 'bbox_y'],
  w: ['w', 'bbox_w', 'bbox_width', 'box_width'],
  h: ['h', 'bbox_h', 'bbox_height', 'box_height'],
  width: ['image_width', 'img_width', 'imagewidth', 'width'],
  height: ['image_height', 'img_height', 'imageheight', 'height'],
};

/** Split one CSV line (RFC 4180 quoting within the line). */
export function splitCsvLine(line: string, delimiter: string): string[] | null {
  if (!line.includes('"')) return line.split(delimiter);
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null; // unterminated quote
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      if (i >= line.length) return out;
      if (line[i] !== delimiter) return null;
      i++;
    } else {
      const d = line.indexOf(delimiter, i);
      if (d < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, d));
      i = d + 1;
    }
  }
}

const EXPECTED_ROW = msg('evidence.csv-annotations.expected-row');

export const csv: FormatParser = {
  format: 'csv',
  options: ['image', 'class', 'xmin', 'ymin', 'xmax', 'ymax', 'x', 'y', 'w', 'h', 'width', 'height', 'coords', 'sizes', 'delimiter', CORNER_OPTION],
  accepts: (name) => /\.(csv|tsv)$/i.test(name),
  async scan(ctx: ScanContext) {
    const { tally, classes, options } = ctx;
    const extra = cornerExtra(options);
    const normalised = options.choice('coords', ['pixel', 'normalized', 'normalised'] as const, 'pixel') !== 'pixel';
    const delimiter = options.string('delimiter') ?? (/\.tsv$/i.test(ctx.file) ? '\t' : ',');
    const sizesFile = options.string('sizes');
    const sizes = sizesFile ? readSizes(sizesFile) : null;
    let col: Partial<Record<string, number>> | null = null;
    let width = 0;
    const need = (line: number, what: string) =>
      badInput(msg('evidence.annotations.malformed', { file: ctx.display, format: 'csv' }), [
        { file: ctx.display, line, message: msg('evidence.csv-annotations.no-column', { what }), expected: msg('evidence.csv-annotations.expected-column', { what }) },
      ]);

    await forEachLine(
      ctx.file,
      (raw, line, offset) => {
        if (raw.trim() === '') return;
        const f = splitCsvLine(raw, delimiter);
        if (!f) return tally.reject('csv', { file: ctx.display, line, offset, message: msg('evidence.csv.unclosed-quote'), expected: EXPECTED_ROW });
        if (!col) {
          width = f.length;
          const header = f.map((h) => h.trim().toLowerCase());
          const find = (key: string) => {
            const given = options.string(key);
            if (given !== undefined) {
              const i = header.indexOf(given.toLowerCase());
              if (i < 0) {
                throw badInput(msg('evidence.annotations.malformed', { file: ctx.display, format: 'csv' }), [
                  { file: ctx.display, line, field: `--option ${key}`, message: msg('evidence.column.missing', { column: given, category: key }), expected: msg('evidence.expected.one-of', { values: header.join(', ') }) },
                ]);
              }
              return i;
            }
            const i = header.findIndex((h) => DEFAULT_COLUMNS[key]!.includes(h));
            return i < 0 ? undefined : i;
          };
          col = {};
          for (const key of Object.keys(DEFAULT_COLUMNS)) col[key] = find(key);
          if (col.image === undefined) throw need(line, 'image');
          const corners = col.xmin !== undefined && col.ymin !== undefined && col.xmax !== undefined && col.ymax !== undefined;
          const sized = col.w !== undefined && col.h !== undefined;
          if (!corners && !sized) throw need(line, 'xmin/ymin/xmax/ymax (or w/h)');
          if (corners) col.w = col.h = undefined;
          if (normalised && !sizes && (col.width === undefined || col.height === undefined)) throw need(line, 'width/height (image size, for normalised coordinates; or --option sizes=FILE)');
          return;
        }
        const c = col;
        if (f.length !== width) return tally.reject('csv', { file: ctx.display, line, offset, message: msg('evidence.csv.field-count', { got: f.length, want: width }), expected: EXPECTED_ROW });
        const num = (k: string) => (c[k] === undefined ? null : parseNumber(f[c[k]!]?.trim()));
        const image = f[c.image!]?.trim();
        if (!image) return tally.reject('csv', { file: ctx.display, line, offset, message: msg('evidence.csv-annotations.empty-image'), expected: EXPECTED_ROW });
        let w: number | null;
        let h: number | null;
        if (c.w !== undefined) {
          w = num('w');
          h = num('h');
        } else {
          const x0 = num('xmin'), y0 = num('ymin'), x1 = num('xmax'), y1 = num('ymax');
          w = x0 === null || x1 === null ? null : x1 - x0 + (normalised ? 0 : extra);
          h = y0 === null || y1 === null ? null : y1 - y0 + (normalised ? 0 : extra);
        }
        if (w === null || h === null) return tally.reject('csv', { file: ctx.display, line, offset, message: msg('evidence.csv-annotations.not-numbers'), expected: EXPECTED_ROW });
        if (!(w >= 0 && h >= 0) || !Number.isFinite(w) || !Number.isFinite(h)) return tally.reject('csv', { file: ctx.display, line, offset, message: msg('evidence.negative-size'), expected: EXPECTED_ROW });
        if (normalised) {
          if (w > 1 || h > 1) return tally.reject('csv', { file: ctx.display, line, offset, message: msg('evidence.csv-annotations.normalised-above-one'), expected: EXPECTED_ROW });
          const size = sizes ? sizes.get(basename(image).slice(0, basename(image).length - extname(image).length)) ?? sizes.get(image) : null;
          const iw = size ? size.width : num('width');
          const ih = size ? size.height : num('height');
          if (iw === null || ih === null || !(iw > 0) || !(ih > 0)) return tally.reject('csv', { file: ctx.display, line, offset, message: msg('evidence.csv-annotations.no-image-size'), expected: msg('evidence.csv-annotations.expected-image-size') });
          w = roundPx(w * iw);
          h = roundPx(h * ih);
          if (!Number.isFinite(w) || !Number.isFinite(h)) return tally.reject('csv', { file: ctx.display, line, offset, message: msg('evidence.negative-size'), expected: EXPECTED_ROW });
        }
        const cls = c.class === undefined ? '' : (f[c.class] ?? '').trim();
        tally.keyedBox(image, c.class === undefined ? null : classes.kindOf(cls), w, h);
      },
      ctx.onBytes,
    );
  },
};
