/**
 * KITTI object labels (one .txt per image, e.g. training/label_2/000123.txt), one object per line:
 *   type truncated occluded alpha left top right bottom h w l x y z rotation_y [score]
 * The 2-D box is (left, top, right, bottom) in floating-point pixels. Corner convention as for every
 * corner format: width = right - left (option corners=inclusive adds 1). The image is named after the
 * label file: label_2/000123.txt -> image_2/000123.png (KITTI's layout).
 */
import { EXPECTED } from './messages.js';
import { forEachLine } from './lines.js';
import { CORNER_OPTION, cornerExtra, parseNumber, type FormatParser, type ScanContext } from './format.js';

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
        const left = parseNumber(f[4]);
        const top = parseNumber(f[5]);
        const right = parseNumber(f[6]);
        const bottom = parseNumber(f[7]);
        if (f.length < 8 || left === null || top === null || right === null || bottom === null) {
          return tally.reject('kitti', { file: ctx.display, line, offset, message: `"${text.slice(0, 60)}" is not a KITTI object line`, expected: EXPECTED.kitti });
        }
        const w = right - left + extra;
        const h = bottom - top + extra;
        if (w < 0 || h < 0) return tally.reject('kitti', { file: ctx.display, line, offset, message: 'right < left or bottom < top', expected: EXPECTED.kitti });
        tally.box(classes.kindOf(f[0]!), w, h);
      },
      ctx.onBytes,
    );
    tally.endImage();
  },
};
