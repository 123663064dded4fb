/**
 * KITTI object labels (one .txt per image, e.g. training/label_2/000123.txt), one object per line:
 *   type truncated occluded alpha left top right bottom h w l x y z rotation_y [score]
 * The 2-D box is (left, top, right, bottom) in floating-point pixels. Corner convention as for every
 * corner format: width = right - left (option corners=inclusive adds 1). The image is named after the
 * label file: label_2/000123.txt -> image_2/000123.png (KITTI's layout).
 * A line has exactly 15 fields (16 with a detection score), every field after the type a finite number:
 * anything else is a bad record (a line of 21 columns is not KITTI, whatever its first eight say).
 */
import { msg } from '../../i18n/index.js';
import { forEachLine } from './lines.js';
import { CORNER_OPTION, cornerExtra, parseNumber, type FormatParser, type ScanContext } from './format.js';

const EXPECTED = msg('evidence.kitti.expected');

export function kittiImageName(relative: string): string {
  return relative.replace(/(^|[\\/])label_(\d)([\\/])/, '$1image_$2$3').replace(/\.txt$/i, '.png');
}

export const kitti: FormatParser = {
  format: 'kitti',
  options: [CORNER_OPTION],
  accepts: (name) => /\.txt$/i.test(name) && !/readme/i.test(name),
  async scan(ctx: ScanContext) {
    const { tally, classes } = ctx;
    const extra = cornerExtra(ctx.options);
    tally.image(kittiImageName(ctx.relative));
    await forEachLine(
      ctx.file,
      (raw, line, offset) => {
        const text = raw.trim();
        if (text === '') return;
        const f = text.split(/\s+/);
        if (f.length !== 15 && f.length !== 16) {
          return tally.reject('kitti', { file: ctx.display, line, offset, message: msg('evidence.kitti.field-count', { got: f.length }), expected: EXPECTED });
        }
        for (let k = 1; k < f.length; k++) {
          if (parseNumber(f[k]) === null) return tally.reject('kitti', { file: ctx.display, line, offset, message: msg('evidence.field-not-number', { field: k + 1 }), expected: EXPECTED });
        }
        const w = parseNumber(f[6])! - parseNumber(f[4])! + extra;
        const h = parseNumber(f[7])! - parseNumber(f[5])! + extra;
        if (!(w >= 0 && h >= 0) || !Number.isFinite(w) || !Number.isFinite(h)) return tally.reject('kitti', { file: ctx.display, line, offset, message: msg('evidence.kitti.inverted-box'), expected: EXPECTED });
        tally.box(classes.kindOf(f[0]!), w, h);
      },
      ctx.onBytes,
    );
    tally.endImage();
  },
};
