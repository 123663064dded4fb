/**
 * COCO object-detection JSON, streamed: a purpose-built tokenizer reads the file in fixed chunks and keeps
 * only what the DRAFT-J6 measure needs — never the JSON text, never a parsed tree.
 *
 * Extracted, in any key order:
 *   images[]      : id (and file_name, only for --list)
 *   annotations[] : image_id, category_id, bbox [x, y, width, height] (pixels), iscrowd
 *   categories[]  : id, name
 * Convention: bbox is [x, y, width, height] in pixels (top-left corner + size): the measure uses width and
 * height directly. `iscrowd: 1` regions are counted like any box (conservative: a crowd region of faces
 * is face imagery); `--option crowd=skip` leaves them out and reports them in `excludedBoxes`.
 *
 * Memory does not grow with the number of annotations: real COCO files put `categories` LAST, so the
 * class of a category id is unknown while its annotations stream by. The scanner keeps per category the
 * totals (boxes, boxes at or above each threshold, largest measure) and two bitmaps of image ids (images
 * with a box at or above the face / plate threshold; ImageSet, one bit per image id), and resolves them
 * once categories are known. Only --list keeps per-box rows (image id, category, width, height: 28 bytes
 * per box at or above a threshold) and image file names, since it must print them.
 *
 * Malformed JSON stops the scan with the file, line, column and byte offset and what was expected (a
 * syntax error leaves no safe place to resume, so --keep-going cannot skip it); a well-formed record that
 * lacks a field (annotation without bbox, bbox of 3 numbers, negative size) is a bad record: an error, or
 * skipped and listed with --keep-going.
 */
import { open } from 'node:fs/promises';
import { badInput } from '../../errors.js';
import type { BoxKind } from './classes.js';
import { msg, type Msg, type Params } from '../../i18n/index.js';
import type { FormatParser, ScanContext } from './format.js';
import type { QualifyingBox } from './tally.js';
import { ImageSet } from './image-set.js';

const CHUNK = 4 << 20;

/** A literal token as what was expected (punctuation reads the same in every language). */
const tok = (token: string): Msg => msg('evidence.coco.expected-token', { token });

const enum Ex {
  Value,
  ValueOrEnd,
  KeyOrEnd,
  Key,
  Colon,
  CommaOrEnd,
  Done,
}

const enum Sec {
  None,
  Images,
  Annotations,
  Categories,
}

const enum Fld {
  Other,
  Id,
  ImageId,
  CategoryId,
  Bbox,
  IsCrowd,
  FileName,
  Name,
}

const K = (s: string) => Buffer.from(s, 'latin1');
const KEY_ID = K('id');
const KEY_IMAGE_ID = K('image_id');
const KEY_CATEGORY_ID = K('category_id');
const KEY_BBOX = K('bbox');
const KEY_ISCROWD = K('iscrowd');
const KEY_FILE_NAME = K('file_name');
const KEY_NAME = K('name');
const KEY_IMAGES = K('images');
const KEY_ANNOTATIONS = K('annotations');
const KEY_CATEGORIES = K('categories');

/** Exact powers of ten as doubles (10^22 is the largest that is exact). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * The JSON number in bytes `b[i..j)`, parsed in place — exactly the double `JSON.parse` gives (tested
 * against it), NaN when the bytes are not a JSON number, ±Infinity when it is one too large for a double.
 *
 * Why by hand: turning every decimal into a string and running a regex over it took 16% of the COCO
 * scanner's time on float boxes. Up to 15 significant digits and a decimal exponent within ±22, the
 * significand and the power of ten are both exact doubles, so one IEEE multiplication or division rounds
 * correctly (Clinger's fast path); anything else — rare in annotation files — goes to `Number()` on the
 * validated text, which rounds correctly too.
 */
export function parseJsonNumber(b: Uint8Array, i: number, j: number): number {
  let k = i;
  const neg = b[k] === 0x2d;
  if (neg) k++;
  if (k >= j) return NaN;
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let c = b[k]!;
  if (c === 0x30) {
    k++;
  } else if (c >= 0x31 && c <= 0x39) {
    while (k < j && (c = b[k]!) >= 0x30 && c <= 0x39) {
      if (digits < 16) {
        mant = mant * 10 + (c - 0x30);
        digits++;
      } else scale++;
      k++;
    }
  } else return NaN;
  if (k < j && b[k] === 0x2e) {
    k++;
    const start = k;
    while (k < j && (c = b[k]!) >= 0x30 && c <= 0x39) {
      if (digits < 16) {
        if (mant !== 0 || c !== 0x30) digits++;
        mant = mant * 10 + (c - 0x30);
        scale--;
      }
      k++;
    }
    if (k === start) return NaN;
  }
  let exp = 0;
  if (k < j && (b[k] === 0x65 || b[k] === 0x45)) {
    k++;
    let expNeg = false;
    if (k < j && (b[k] === 0x2b || b[k] === 0x2d)) expNeg = b[k++] === 0x2d;
    const start = k;
    while (k < j && (c = b[k]!) >= 0x30 && c <= 0x39) {
      if (exp < 100_000) exp = exp * 10 + (c - 0x30);
      k++;
    }
    if (k === start) return NaN;
    if (expNeg) exp = -exp;
  }
  if (k !== j) return NaN;
  const e = scale + exp;
  let v: number;
  if (digits <= 15 && e >= -22 && e <= 22) v = e < 0 ? mant / POW10[-e]! : mant * POW10[e]!;
  else v = Number(Buffer.from(b.buffer, b.byteOffset + i + (neg ? 1 : 0), j - i - (neg ? 1 : 0)).toString('latin1'));
  return neg ? -v : v;
}

function same(b: Buffer, s: number, e: number, key: Buffer): boolean {
  if (e - s !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (b[s + k] !== key[k]) return false;
  return true;
}

/** Growable typed-array column. */
class Column<T extends Float64Array | Int32Array> {
  length = 0;
  constructor(public data: T, private readonly make: (n: number) => T) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

const f64 = (n: number) => new Float64Array(n);
const i32 = (n: number) => new Int32Array(n);

interface CategoryStats {
  id: number;
  /** Position in statsList (the category column of the row arrays). */
  index: number;
  boxes: number;
  crowdExcluded: number;
  atFace: number; // boxes with measure >= face threshold
  atPlate: number;
  max: number | null;
  /** Images with a box of this category at or above the face / plate threshold. */
  faceImages: ImageSet | null;
  plateImages: ImageSet | null;
  firstLine: number;
  firstOffset: number;
}


/** The COCO tokenizer + record handler (one instance per file). */
export class CocoScanner {
  // --- structural state (survives chunk boundaries)
  private ex: Ex = Ex.Value;
  private depth = 0;
  private readonly stack = new Uint8Array(1024); // 0 object, 1 array
  private line = 1;
  private lineStart = 0; // absolute offset of the current line's first byte
  private started = false;

  // --- COCO context
  private topKey: Sec = Sec.None;
  private section: Sec = Sec.None; // set while inside images/annotations/categories array
  private field: Fld = Fld.Other;
  private inBbox = false;

  // --- current record
  private recLine = 0;
  private recOffset = 0;
  private recBad: Msg | null = null;
  /** The current element of a section is not an object (already rejected). */
  private recSkip = false;
  private rId = NaN;
  private rImageId = NaN;
  private rCategoryId = NaN;
  private rCrowd = false;
  /** Set by stringEnd: the string just scanned holds a backslash escape. */
  private escaped = false;

  /** Index of the closing quote of a string whose content starts at `s` (or `end` if not in this chunk). */
  private stringEnd(b: Uint8Array, s: number, end: number): number {
    let j = s;
    this.escaped = false;
    while (j < end) {
      const d = b[j]!;
      if (d === 0x22) return j;
      if (d === 0x5c) {
        this.escaped = true;
        j += 2;
      } else j++;
    }
    return end;
  }
  private rFileName: string | null = null;
  private rName: string | null = null;
  private bboxN = -1; // -1: no bbox seen
  private readonly bbox = new Float64Array(4);

  // --- results
  imagesSeen = 0;
  private readonly categoryNames = new Map<number, string>();
  private readonly stats = new Map<number, CategoryStats>();
  private readonly statsList: CategoryStats[] = [];
  private lastCat = NaN;
  private lastStats: CategoryStats | null = null;
  // --list only: rows of boxes at or above a threshold, resolved once categories are known.
  private readonly rowImage: Column<Float64Array> | null;
  private readonly rowCat: Column<Int32Array> | null;
  private readonly rowW: Column<Float64Array> | null;
  private readonly rowH: Column<Float64Array> | null;
  private readonly fileNames: Map<number, string> | null;

  private readonly minSide: boolean;
  private readonly faceThreshold: number;
  private readonly plateThreshold: number;
  private readonly skipCrowd: boolean;

  /** Ids of the images section (every annotation's image_id must be one of them). */
  readonly imageIds = new ImageSet();
  private imagesDone = false;
  /** image_ids of annotations read before the images section, checked at the end. */
  private readonly deferred = new ImageSet();
  private deferredAny = false;

  /** `knownImages`: the image ids of a first pass (annotations came before images; see `coco.scan`). */
  constructor(
    private readonly ctx: ScanContext,
    private readonly knownImages: ImageSet | null = null,
  ) {
    const { tally } = ctx;
    this.minSide = tally.options.boxMeasure === 'min-side';
    this.faceThreshold = tally.options.thresholds.face;
    this.plateThreshold = tally.options.thresholds.plate;
    this.skipCrowd = ctx.options.choice('crowd', ['count', 'skip'] as const, 'count') === 'skip';
    this.fileNames = tally.listing ? new Map() : null;
    this.rowImage = tally.listing ? new Column(f64(1024), f64) : null;
    this.rowCat = tally.listing ? new Column(i32(1024), i32) : null;
    this.rowW = tally.listing ? new Column(f64(1024), f64) : null;
    this.rowH = tally.listing ? new Column(f64(1024), f64) : null;
  }

  private fail(abs: number, code: string, params: Params, expected: Msg): never {
    const message = msg(code, params);
    throw badInput(msg('evidence.annotations.malformed', { file: this.ctx.display, format: 'COCO JSON' }), [
      { file: this.ctx.display, line: this.line, column: abs - this.lineStart + 1, offset: abs, message, expected },
    ]);
  }

  private describe(b: Buffer, i: number): string {
    const c = b[i]!;
    return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
  }

  /**
   * Consume complete tokens of `b` (whose first byte is at file offset `base`); return the index of the
   * first byte not consumed (the start of a token cut by the chunk end), to be fed again with more bytes.
   */
  feed(b: Buffer, base: number, eof: boolean): number {
    const end = b.length;
    let i = 0;
    if (!this.started) {
      if (end < 3 && !eof) return 0;
      if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
      this.started = true;
    }
    let ex = this.ex;
    let depth = this.depth;
    const stack = this.stack;
    try {
      while (i < end) {
        const c = b[i]!;
        // Whitespace (the only place a newline may appear in JSON).
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          if (c === 0x0a) {
            this.line++;
            this.lineStart = base + i + 1;
          }
          i++;
          continue;
        }
        switch (ex) {
          case Ex.Colon:
            if (c !== 0x3a) this.fail(base + i, 'evidence.coco.after-key', { char: this.describe(b, i) }, tok("':'"));
            ex = Ex.Value;
            i++;
            continue;
          case Ex.CommaOrEnd:
            if (c === 0x2c) {
              ex = stack[depth - 1] === 0 ? Ex.Key : Ex.Value;
              i++;
              continue;
            }
            if (c === 0x7d || c === 0x5d) {
              if ((c === 0x7d) !== (stack[depth - 1] === 0)) this.fail(base + i, 'evidence.coco.wrong-bracket', { char: this.describe(b, i) }, tok(stack[depth - 1] === 0 ? "',' / '}'" : "',' / ']'"));
              this.close(depth);
              depth--;
              ex = depth === 0 ? Ex.Done : Ex.CommaOrEnd;
              i++;
              continue;
            }
            this.fail(base + i, 'evidence.coco.after-value', { char: this.describe(b, i) }, tok(stack[depth - 1] === 0 ? "',' / '}'" : "',' / ']'"));
          // eslint-disable-next-line no-fallthrough
          case Ex.KeyOrEnd:
          case Ex.Key: {
            if (c === 0x7d && ex === Ex.KeyOrEnd) {
              this.close(depth);
              depth--;
              ex = depth === 0 ? Ex.Done : Ex.CommaOrEnd;
              i++;
              continue;
            }
            if (c !== 0x22) this.fail(base + i, 'evidence.coco.key-expected', { char: this.describe(b, i) }, tok(ex === Ex.KeyOrEnd ? "'\"' / '}'" : "'\"'"));
            const s = i + 1;
            const j = this.stringEnd(b, s, end);
            const escaped = this.escaped;
            if (j >= end) {
              if (eof) this.fail(base + i, 'evidence.coco.unterminated-key', {}, tok("'\"'"));
              this.ex = ex;
              this.depth = depth;
              return i;
            }
            if (!escaped) this.key(b, s, j, depth);
            else if (depth === 3) this.field = Fld.Other;
            i = j + 1;
            ex = Ex.Colon;
            continue;
          }
          case Ex.Done:
            this.fail(base + i, 'evidence.coco.after-end', { char: this.describe(b, i) }, msg('evidence.coco.expected-eof'));
          // eslint-disable-next-line no-fallthrough
          default: {
            // Ex.Value / Ex.ValueOrEnd
            if (c === 0x7b || c === 0x5b) {
              if (depth === 0 && c === 0x5b) this.fail(base + i, 'evidence.coco.document-array', {}, msg('evidence.coco.expected-object'));
              if (depth >= stack.length) this.fail(base + i, 'evidence.coco.too-deep', {}, msg('evidence.coco.expected-depth', { max: stack.length }));
              this.open(c === 0x7b, depth, base + i);
              stack[depth++] = c === 0x7b ? 0 : 1;
              ex = c === 0x7b ? Ex.KeyOrEnd : Ex.ValueOrEnd;
              i++;
              continue;
            }
            if (c === 0x5d && ex === Ex.ValueOrEnd) {
              this.close(depth);
              depth--;
              ex = depth === 0 ? Ex.Done : Ex.CommaOrEnd;
              i++;
              continue;
            }
            if (depth === 0) this.fail(base + i, 'evidence.coco.at-start', { char: this.describe(b, i) }, msg('evidence.coco.expected-object'));
            if (c === 0x22) {
              const s = i + 1;
              const j = this.stringEnd(b, s, end);
              const escaped = this.escaped;
              if (j >= end) {
                if (eof) this.fail(base + i, 'evidence.coco.unterminated-string', {}, tok("'\"'"));
                this.ex = ex;
                this.depth = depth;
                return i;
              }
              this.stringValue(b, s, j, escaped, depth, base + i);
              i = j + 1;
            } else if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
              let j = i + 1;
              while (j < end) {
                const d = b[j]!;
                if ((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) j++;
                else break;
              }
              if (j >= end && !eof) {
                this.ex = ex;
                this.depth = depth;
                return i;
              }
              if (this.section !== Sec.None && ((depth === 3 && this.field !== Fld.Other) || (depth === 4 && this.inBbox))) {
                const v = parseJsonNumber(b, i, j);
                if (Number.isNaN(v)) this.fail(base + i, 'evidence.coco.not-number', {}, msg('evidence.expected.number'));
                // 1e400 is valid JSON but no double: the record is bad, never Infinity.
                if (!Number.isFinite(v)) this.recBad = msg('evidence.coco.out-of-range');
                else this.numberValue(v + 0, depth);
              } else if (c === 0x2d && j === i + 1) {
                this.fail(base + i, 'evidence.coco.not-number', {}, msg('evidence.expected.number'));
              } else if (depth === 2 && this.section !== Sec.None) {
                this.rejectElement();
              }
              i = j;
            } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
              const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
              if (i + word.length > end && !eof) {
                this.ex = ex;
                this.depth = depth;
                return i;
              }
              if (b.toString('latin1', i, i + word.length) !== word) this.fail(base + i, 'evidence.coco.not-value', {}, msg('evidence.coco.expected-value'));
              this.literalValue(c === 0x74 ? 1 : c === 0x66 ? 0 : -1, depth);
              i += word.length;
            } else {
              this.fail(base + i, 'evidence.coco.value-expected', { char: this.describe(b, i) }, msg('evidence.coco.expected-value'));
            }
            ex = depth === 0 ? Ex.Done : Ex.CommaOrEnd;
          }
        }
      }
      if (eof && ex !== Ex.Done) {
        this.fail(base + end, depth === 0 && ex === Ex.Value ? 'evidence.coco.empty' : 'evidence.coco.truncated', {}, depth > 0 ? msg('evidence.coco.expected-brackets', { count: depth }) : msg('evidence.coco.expected-object'));
      }
    } finally {
      this.ex = ex;
      this.depth = depth;
    }
    return end;
  }

  // A key read inside an object at `depth` (1 = top level, 3 = a record of a section).
  private key(b: Buffer, s: number, e: number, depth: number): void {
    if (depth === 1) {
      this.topKey = same(b, s, e, KEY_ANNOTATIONS) ? Sec.Annotations : same(b, s, e, KEY_IMAGES) ? Sec.Images : same(b, s, e, KEY_CATEGORIES) ? Sec.Categories : Sec.None;
    } else if (depth === 3 && this.section !== Sec.None) {
      const len = e - s;
      let f = Fld.Other;
      switch (len) {
        case 2:
          if (same(b, s, e, KEY_ID)) f = Fld.Id;
          break;
        case 4:
          if (same(b, s, e, KEY_BBOX)) f = Fld.Bbox;
          else if (same(b, s, e, KEY_NAME)) f = Fld.Name;
          break;
        case 7:
          if (same(b, s, e, KEY_ISCROWD)) f = Fld.IsCrowd;
          break;
        case 8:
          if (same(b, s, e, KEY_IMAGE_ID)) f = Fld.ImageId;
          break;
        case 9:
          if (same(b, s, e, KEY_FILE_NAME)) f = Fld.FileName;
          break;
        case 11:
          if (same(b, s, e, KEY_CATEGORY_ID)) f = Fld.CategoryId;
          break;
      }
      this.field = f;
    }
  }

  /** A container opens; `depth` is the depth of its parent. */
  private open(isObject: boolean, depth: number, abs: number): void {
    if (depth === 1) {
      if (this.topKey !== Sec.None) {
        if (isObject) this.fail(abs, 'evidence.coco.section-object', { section: ['', 'images', 'annotations', 'categories'][this.topKey]! }, msg('evidence.coco.expected-array'));
        this.section = this.topKey;
      }
    } else if (depth === 2 && this.section !== Sec.None) {
      this.recLine = this.line;
      this.recOffset = abs;
      this.recBad = null;
      this.recSkip = !isObject;
      this.rId = this.rImageId = this.rCategoryId = NaN;
      this.rCrowd = false;
      this.rFileName = this.rName = null;
      this.bboxN = -1;
      this.field = Fld.Other;
      if (!isObject) this.rejectElement();
    } else if (depth === 3 && this.section !== Sec.None && this.field === Fld.Bbox) {
      if (isObject) this.recBad = msg('evidence.coco.bbox-not-array');
      else {
        this.inBbox = true;
        this.bboxN = 0;
      }
    } else if (depth === 4 && this.inBbox) {
      this.recBad = msg('evidence.coco.bbox-not-numbers');
    }
  }

  /** A container closes; `depth` counts it (1 = the top-level object). */
  private close(depth: number): void {
    if (depth === 2) {
      if (this.section === Sec.Images) this.imagesDone = true;
      this.section = Sec.None;
    } else if (depth === 3 && this.section !== Sec.None) {
      this.record();
    } else if (depth === 4 && this.inBbox) {
      this.inBbox = false;
    }
  }

  private numberValue(v: number, depth: number): void {
    if (depth === 4) {
      if (this.bboxN < 4) this.bbox[this.bboxN] = v;
      this.bboxN++;
      return;
    }
    switch (this.field) {
      case Fld.Id:
        this.rId = v;
        break;
      case Fld.ImageId:
        this.rImageId = v;
        break;
      case Fld.CategoryId:
        this.rCategoryId = v;
        break;
      case Fld.IsCrowd:
        this.rCrowd = v !== 0;
        break;
      case Fld.Bbox:
        this.recBad = msg('evidence.coco.bbox-not-array');
        break;
    }
  }

  private literalValue(v: number, depth: number): void {
    if (depth === 4 && this.inBbox) {
      this.recBad = msg('evidence.coco.bbox-not-numbers');
    } else if (depth === 3 && this.section !== Sec.None) {
      if (this.field === Fld.IsCrowd) this.rCrowd = v === 1;
      else if (this.field === Fld.Bbox) this.recBad = msg('evidence.coco.bbox-not-array');
    } else if (depth === 2 && this.section !== Sec.None) {
      this.rejectElement();
    }
  }

  private stringValue(b: Buffer, s: number, e: number, escaped: boolean, depth: number, abs: number): void {
    if (this.section === Sec.None) return;
    if (depth === 3) {
      const f = this.field;
      if (f === Fld.Name || (f === Fld.FileName && this.fileNames)) {
        let text = b.toString('utf8', s, e);
        if (escaped) {
          try {
            text = JSON.parse(`"${text}"`) as string;
          } catch {
            this.fail(abs, 'evidence.coco.bad-escape', {}, msg('evidence.coco.expected-string'));
          }
        }
        if (f === Fld.Name) this.rName = text;
        else this.rFileName = text;
      } else if (f === Fld.Bbox) this.recBad = msg('evidence.coco.bbox-not-array');
      else if (f === Fld.ImageId || f === Fld.CategoryId) this.recBad = msg('evidence.coco.id-is-string', { field: f === Fld.ImageId ? 'image_id' : 'category_id' });
    } else if (depth === 4 && this.inBbox) {
      this.recBad = msg('evidence.coco.bbox-not-numbers');
    } else if (depth === 2) {
      this.rejectElement();
    }
  }

  private rejectElement(): void {
    this.ctx.tally.reject('coco', { file: this.ctx.display, line: this.line, message: msg('evidence.coco.element-not-object', { section: this.sectionName() }), expected: msg('evidence.coco.expected-record') });
  }

  private sectionName(): string {
    return ['', 'images', 'annotations', 'categories'][this.section]!;
  }

  private rejectRecord(reason: Msg, expected: Msg): void {
    this.ctx.tally.reject('coco', { file: this.ctx.display, line: this.recLine, offset: this.recOffset, message: msg('evidence.coco.record', { section: this.sectionName(), reason }), expected });
  }

  /** A record object of the current section is complete. */
  private record(): void {
    if (this.recSkip) return;
    switch (this.section) {
      case Sec.Images:
        if (this.recBad) return this.rejectRecord(this.recBad, msg('evidence.coco.expected-image'));
        if (Number.isNaN(this.rId)) return this.rejectRecord(msg('evidence.coco.no-id'), msg('evidence.coco.expected-image'));
        this.imagesSeen++;
        this.imageIds.add(this.rId);
        if (this.fileNames) this.fileNames.set(this.rId, this.rFileName ?? `image ${this.rId}`);
        return;
      case Sec.Categories:
        if (this.recBad) return this.rejectRecord(this.recBad, msg('evidence.coco.expected-category'));
        if (Number.isNaN(this.rId) || this.rName === null) return this.rejectRecord(msg('evidence.coco.no-id-or-name'), msg('evidence.coco.expected-category'));
        this.categoryNames.set(this.rId, this.rName);
        return;
      case Sec.Annotations:
        return this.annotation();
    }
  }

  private annotation(): void {
    const expected = msg('evidence.coco.expected-annotation');
    if (this.recBad) return this.rejectRecord(this.recBad, expected);
    if (Number.isNaN(this.rImageId)) return this.rejectRecord(msg('evidence.coco.no-field', { field: 'image_id' }), expected);
    if (Number.isNaN(this.rCategoryId)) return this.rejectRecord(msg('evidence.coco.no-field', { field: 'category_id' }), expected);
    if (this.bboxN !== 4) return this.rejectRecord(this.bboxN < 0 ? msg('evidence.coco.no-field', { field: 'bbox' }) : msg('evidence.coco.bbox-count', { count: this.bboxN }), expected);
    const w = this.bbox[2]!;
    const h = this.bbox[3]!;
    if (!(w >= 0 && h >= 0)) return this.rejectRecord(msg('evidence.negative-size'), expected);
    // An annotation of an image the file does not have is garbage, not a box (its image cannot be listed
    // or anonymised). Images usually come first; if not, the ids are checked at the end (see coco.scan).
    const images = this.knownImages ?? (this.imagesDone ? this.imageIds : null);
    if (images !== null) {
      if (!images.has(this.rImageId)) return this.rejectRecord(msg('evidence.coco.unknown-image', { id: this.rImageId }), msg('evidence.coco.expected-known-image'));
    } else {
      this.deferred.add(this.rImageId);
      this.deferredAny = true;
    }
    const cat = this.rCategoryId;
    let st = this.lastStats;
    if (cat !== this.lastCat || st === null) {
      st = this.stats.get(cat) ?? null;
      if (st === null) {
        st = { id: cat, index: this.statsList.length, boxes: 0, crowdExcluded: 0, atFace: 0, atPlate: 0, max: null, faceImages: null, plateImages: null, firstLine: this.recLine, firstOffset: this.recOffset };
        this.stats.set(cat, st);
        this.statsList.push(st);
      }
      this.lastCat = cat;
      this.lastStats = st;
    }
    st.boxes++;
    if (this.rCrowd && this.skipCrowd) {
      st.crowdExcluded++;
      return;
    }
    const m = this.minSide ? (w < h ? w : h) : w > h ? w : h;
    if (st.max === null || m > st.max) st.max = m;
    // The category's kind may be unknown yet (categories come last in COCO files): keep, per category,
    // which images have a box at or above each threshold.
    let at = false;
    if (m >= this.faceThreshold) {
      st.atFace++;
      (st.faceImages ??= new ImageSet()).add(this.rImageId);
      at = true;
    }
    if (m >= this.plateThreshold) {
      st.atPlate++;
      (st.plateImages ??= new ImageSet()).add(this.rImageId);
      at = true;
    }
    if (at && this.rowImage && this.rowCat && this.rowW && this.rowH) {
      this.rowImage.push(this.rImageId);
      this.rowCat.push(st.index);
      this.rowW.push(w);
      this.rowH.push(h);
    }
  }

  private readonly kinds = new Map<number, BoxKind | null>();
  private kindOf(cat: number): BoxKind | null | undefined {
    if (this.kinds.has(cat)) return this.kinds.get(cat)!;
    const name = this.categoryNames.get(cat);
    if (name === undefined) return undefined;
    const kind = this.ctx.classes.kindOf(name);
    this.kinds.set(cat, kind);
    return kind;
  }

  /** Whether an annotation read before the images section names an image that is not in it. */
  needsSecondPass(): boolean {
    return this.deferredAny && !this.imageIds.containsAll(this.deferred);
  }

  /** Fold the per-category totals into the tally once every category is known. */
  finish(): void {
    const { tally } = this.ctx;
    tally.images += this.imagesSeen;
    const kindByIndex: (BoxKind | null | undefined)[] = [];
    for (const st of this.statsList) {
      const kind = this.kindOf(st.id);
      kindByIndex.push(kind);
      if (kind === undefined) {
        // Annotations of a category the file never defines: bad records, never silently dropped.
        tally.reject('coco', { file: this.ctx.display, line: st.firstLine, offset: st.firstOffset, message: msg('evidence.coco.unknown-category', { id: st.id, count: st.boxes }), expected: msg('evidence.coco.expected-known-category') });
        tally.skippedCount += st.boxes - 1;
        continue;
      }
      tally.boxes += st.boxes;
      if (kind === null) continue;
      tally.excludedBoxes += st.crowdExcluded;
      const counted = st.boxes - st.crowdExcluded;
      if (kind === 'face') {
        tally.faceBoxes += counted;
        tally.qualifyingFaceBoxes += st.atFace;
        if (st.max !== null && (tally.maxFace === null || st.max > tally.maxFace)) tally.maxFace = st.max;
      } else {
        tally.plateBoxes += counted;
        tally.qualifyingPlateBoxes += st.atPlate;
        if (st.max !== null && (tally.maxPlate === null || st.max > tally.maxPlate)) tally.maxPlate = st.max;
      }
    }
    const qualifying = new ImageSet();
    this.statsList.forEach((st, k) => {
      const set = kindByIndex[k] === 'face' ? st.faceImages : kindByIndex[k] === 'plate' ? st.plateImages : null;
      if (set) qualifying.addAll(set);
    });
    tally.imagesWithQualifyingBox += qualifying.size;
    const listener = tally.options.onQualifyingImage;
    if (!listener || !this.rowImage || !this.rowCat || !this.rowW || !this.rowH) return;
    const listed = new Map<number, QualifyingBox[]>();
    for (let r = 0; r < this.rowImage.length; r++) {
      const kind = kindByIndex[this.rowCat.data[r]!];
      const w = this.rowW.data[r]!;
      const h = this.rowH.data[r]!;
      const m = this.minSide ? Math.min(w, h) : Math.max(w, h);
      if (!((kind === 'face' && m >= this.faceThreshold) || (kind === 'plate' && m >= this.plateThreshold))) continue;
      const image = this.rowImage.data[r]!;
      let list = listed.get(image);
      if (!list) listed.set(image, (list = []));
      list.push({ kind, minSidePx: Math.min(w, h), maxSidePx: Math.max(w, h) });
    }
    for (const [image, boxes] of listed) listener(this.fileNames?.get(image) ?? `image ${image}`, boxes);
  }
}

export const coco: FormatParser = {
  format: 'coco',
  options: ['crowd'],
  accepts: (name) => /\.json$/i.test(name),
  async scan(ctx: ScanContext) {
    const { tally } = ctx;
    const skippedBefore = tally.skipped.length;
    const countBefore = tally.skippedCount;
    let scanner = await cocoPass(ctx, null);
    if (scanner.needsSecondPass()) {
      // Annotations came before the images section and some name an image it lacks: read the file again
      // knowing the images, so that each such annotation is reported (or skipped) at its own line.
      tally.skipped.length = skippedBefore;
      tally.skippedCount = countBefore;
      scanner = await cocoPass(ctx, scanner.imageIds);
    }
    scanner.finish();
  },
};

async function cocoPass(ctx: ScanContext, knownImages: ImageSet | null): Promise<CocoScanner> {
  {
    const scanner = new CocoScanner(ctx, knownImages);
    const fh = await open(ctx.file, 'r');
    try {
      let buf = Buffer.allocUnsafe(CHUNK);
      let filled = 0;
      let base = 0;
      for (;;) {
        if (filled > buf.length / 2) {
          // A single token longer than half the buffer (a huge string): grow rather than loop.
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, filled);
          buf = bigger;
        }
        const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null);
        ctx.onBytes(bytesRead);
        const end = filled + bytesRead;
        const eof = bytesRead === 0;
        const consumed = scanner.feed(buf.subarray(0, end), base, eof);
        if (eof) break;
        buf.copy(buf, 0, consumed, end);
        filled = end - consumed;
        base += consumed;
      }
    } finally {
      await fh.close();
    }
    return scanner;
  }
}
