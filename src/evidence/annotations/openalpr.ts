/**
 * OpenALPR benchmark files (benchmarks/endtoend/<country>/<image>.txt): one line per plate,
 *   image_file <TAB> x <TAB> y <TAB> width <TAB> height <TAB> plate_text
 * (x, y) is the top-left corner; width and height are pixels, used as they are. Every box is a plate.
 * Consecutive lines naming the same image belong to one image. A line has exactly these six fields.
 * Messages never quote a line: the plate text is a licence plate number.
 */
import { msg } from '../../i18n/index.js';
import { forEachLine } from './lines.js';
import { parseNumber, type FormatParser, type ScanContext } from './format.js';

const EXPECTED = msg('evidence.openalpr.expected');

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
        if (f.length !== 6) return tally.reject('openalpr', { file: ctx.display, line, offset, message: msg('evidence.field-count', { got: f.length, want: 6 }), expected: EXPECTED });
        if (!f[0]!.trim()) return tally.reject('openalpr', { file: ctx.display, line, offset, message: msg('evidence.openalpr.no-image'), expected: EXPECTED });
        for (let k = 1; k <= 4; k++) {
          if (parseNumber(f[k]!.trim()) === null) return tally.reject('openalpr', { file: ctx.display, line, offset, message: msg('evidence.field-not-number', { field: k + 1 }), expected: EXPECTED });
        }
        const w = parseNumber(f[3]!.trim())!;
        const h = parseNumber(f[4]!.trim())!;
        if (w < 0 || h < 0) return tally.reject('openalpr', { file: ctx.display, line, offset, message: msg('evidence.negative-size'), expected: EXPECTED });
        tally.imageIfNew(dir + f[0]!.trim());
        tally.box('plate', w, h);
      },
      ctx.onBytes,
    );
    tally.endImage();
  },
};
