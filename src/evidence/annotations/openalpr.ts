/**
 * OpenALPR benchmark files (benchmarks/endtoend/<country>/<image>.txt): one line per plate,
 *   image_file <TAB> x <TAB> y <TAB> width <TAB> height <TAB> plate_text
 * (x, y) is the top-left corner; width and height are pixels, used as they are. Every box is a plate.
 * Consecutive lines naming the same image belong to one image.
 */
import { EXPECTED } from './messages.js';
import { forEachLine } from './lines.js';
import { parseNumber, type FormatParser, type ScanContext } from './format.js';

export const openalpr: FormatParser = {
  format: 'openalpr',
  options: [],
  accepts: (name) => /\.txt$/i.test(name) && !/readme/i.test(name),
  async scan(ctx: ScanContext) {
    const { tally } = ctx;
    const dir = ctx.relative.includes('/') ? ctx.relative.slice(0, ctx.relative.lastIndexOf('/') + 1) : '';
    await forEachLine(
      ctx.file,
      (raw, line, offset) => {
        if (raw.trim() === '') return;
        const f = raw.split('\t');
        const w = parseNumber(f[3]?.trim());
        const h = parseNumber(f[4]?.trim());
        if (f.length < 5 || !f[0]!.trim() || parseNumber(f[1]?.trim()) === null || parseNumber(f[2]?.trim()) === null || w === null || h === null) {
          return tally.reject('openalpr', { file: ctx.display, line, offset, message: `"${raw.slice(0, 60)}" is not an OpenALPR plate line`, expected: EXPECTED.openalpr });
        }
        if (w < 0 || h < 0) return tally.reject('openalpr', { file: ctx.display, line, offset, message: 'negative width or height', expected: EXPECTED.openalpr });
        tally.imageIfNew(dir + f[0]!.trim());
        tally.box('plate', w, h);
      },
      ctx.onBytes,
    );
    tally.endImage();
  },
};
