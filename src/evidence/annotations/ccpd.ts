/**
 * CCPD (Chinese City Parking Dataset): the annotation is the image's file name,
 *   area-tilt-x1&y1_x2&y2-vertices-characters-brightness-blurriness.jpg
 * Field 3 is the bounding box, top-left and bottom-right corners in integer pixels; width = x2 - x1
 * (the shared corner convention; corners=inclusive adds 1). Input: list files (one relative image path a
 * line, as in CCPD's split/*.txt) or a folder of images named that way. Every box is a plate; a name
 * without any '-' (ccpd_np, "no plate") is an image without a box.
 */
import { basename } from 'node:path';
import { msg, type Msg } from '../../i18n/index.js';
import { forEachLine } from './lines.js';
import { CORNER_OPTION, cornerExtra, type FormatParser, type ScanContext } from './format.js';

const BOX_RE = /^(\d+)&(\d+)_(\d+)&(\d+)$/;
const IMAGE_RE = /\.(jpe?g|png|bmp)$/i;

/** The plate box of a CCPD name, `null` for a no-plate image, or an error text. */
export function parseCcpdName(path: string, extra = 0): { w: number; h: number } | null | Msg {
  const base = basename(path.replace(/\\/g, '/')).replace(IMAGE_RE, '');
  if (!base.includes('-')) return null;
  const fields = base.split('-');
  // The name encodes a licence plate (field 5): never quoted in a message.
  if (fields.length !== 7) return msg('evidence.ccpd.field-count', { got: fields.length });
  const m = BOX_RE.exec(fields[2]!);
  if (!m) return msg('evidence.ccpd.bad-box');
  const w = Number(m[3]) - Number(m[1]) + extra;
  const h = Number(m[4]) - Number(m[2]) + extra;
  if (!(w >= 0 && h >= 0) || !Number.isFinite(w) || !Number.isFinite(h)) return msg('evidence.ccpd.inverted-box');
  return { w, h };
}

export const ccpd: FormatParser = {
  format: 'ccpd',
  options: [CORNER_OPTION],
  accepts: (name) => /\.txt$/i.test(name) || IMAGE_RE.test(name),
  async scan(ctx: ScanContext) {
    const { tally } = ctx;
    const extra = cornerExtra(ctx.options);
    const one = (name: string, line: number | undefined, offset: number | undefined) => {
      const box = parseCcpdName(name, extra);
      if (box !== null && 'code' in box) {
        const issue = { file: ctx.display, message: box, expected: msg('evidence.ccpd.expected') };
        return tally.reject('ccpd', line === undefined ? issue : { ...issue, line, offset });
      }
      tally.image(name);
      if (box) tally.box('plate', box.w, box.h);
    };
    if (IMAGE_RE.test(ctx.file)) {
      ctx.onBytes(0);
      one(ctx.relative, undefined, undefined);
    } else {
      await forEachLine(ctx.file, (raw, line, offset) => {
        const text = raw.trim();
        if (text) one(text, line, offset);
      }, ctx.onBytes);
    }
    tally.endImage();
  },
};
