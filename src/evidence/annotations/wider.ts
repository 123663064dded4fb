/**
 * WIDER FACE ground truth (wider_face_{train,val}_bbx_gt.txt). Blocks of:
 *   <image path>
 *   <N>
 *   x y w h blur expression illumination invalid occlusion pose      (N rows; N = 0 => one dummy zero row)
 * Convention: (x, y) is the top-left corner, w and h are the box size in integer pixels: the measure
 * uses w and h directly. Every box is a face (DRAFT-J6 face condition).
 * Decisions (docs/annotation-formats.md):
 * - `invalid = 1` boxes are real faces that the benchmark excludes from scoring; the conservative
 *   compliance reading counts them (default `invalid=count`); `--option invalid=skip` leaves them out of
 *   the face counts and reports them in `excludedBoxes`.
 * - zero-width/height boxes are annotated faces: counted as face boxes with measure 0 (they can never
 *   qualify, and never raise the maximum).
 */
import { msg, type Msg } from '../../i18n/index.js';
import { forEachLine } from './lines.js';
import type { FormatParser, ScanContext } from './format.js';

const INT_RE = /^\d+$/;
const ROW_FIELDS = 10;
const EXPECTED_ROW = msg('evidence.wider.expected-row');

export const wider: FormatParser = {
  format: 'wider',
  options: ['invalid'],
  accepts: (name) => /\.txt$/i.test(name) && !/readme/i.test(name),
  async scan(ctx: ScanContext) {
    const { tally } = ctx;
    const skipInvalid = ctx.options.choice('invalid', ['count', 'skip'] as const, 'count') === 'skip';
    let remaining = -1; // boxes still expected in the current block; -1 => expecting a path line
    let afterPath = false; // next line is the count
    let dummyAllowed = false; // N = 0 was read: one dummy zero row may follow
    const reject = (line: number, offset: number, message: Msg, expected: Msg) =>
      tally.reject('wider', { file: ctx.display, line, offset, message, expected });

    await forEachLine(
      ctx.file,
      (raw, line, offset) => {
        const text = raw.trim();
        if (text === '') return;
        if (afterPath) {
          afterPath = false;
          if (!INT_RE.test(text)) {
            // The block's structure is lost: resynchronise on the next path line.
            remaining = -1;
            return reject(line, offset, msg('evidence.wider.bad-count'), msg('evidence.wider.expected-count'));
          }
          remaining = Number(text);
          dummyAllowed = remaining === 0;
          if (remaining === 0) remaining = -1;
          return;
        }
        const fields = text.split(/\s+/);
        const looksLikeRow = fields.length >= 4 && fields.every((f) => INT_RE.test(f) || /^-\d+$/.test(f));
        if (remaining <= 0) {
          if (dummyAllowed && looksLikeRow && fields.every((f) => Number(f) === 0)) {
            dummyAllowed = false;
            return;
          }
          dummyAllowed = false;
          if (looksLikeRow) return reject(line, offset, msg('evidence.wider.row-for-path'), msg('evidence.wider.expected-path'));
          tally.image(text);
          afterPath = true;
          return;
        }
        remaining--;
        if (remaining === 0) remaining = -1;
        if (!looksLikeRow) return reject(line, offset, msg('evidence.wider.bad-row'), EXPECTED_ROW);
        if (fields.length !== ROW_FIELDS) return reject(line, offset, msg('evidence.field-count', { got: fields.length, want: ROW_FIELDS }), EXPECTED_ROW);
        const w = Number(fields[2]);
        const h = Number(fields[3]);
        if (!(w >= 0 && h >= 0) || !Number.isFinite(w) || !Number.isFinite(h)) return reject(line, offset, msg('evidence.negative-size'), EXPECTED_ROW);
        if (skipInvalid && fields[7] === '1') {
          tally.boxes++;
          tally.excludedBoxes++;
          return;
        }
        tally.box('face', w, h);
      },
      ctx.onBytes,
    );
    if (afterPath || remaining > 0) {
      tally.reject('wider', { file: ctx.display, message: afterPath ? msg('evidence.wider.ends-after-path') : msg('evidence.wider.rows-missing', { count: remaining }), expected: EXPECTED_ROW });
    }
    tally.endImage();
  },
};
