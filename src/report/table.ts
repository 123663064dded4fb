/**
 * Plain-text tables that line up with Chinese text (East Asian wide characters take two columns) and fit
 * a width: when the natural widths do not fit, the widest columns are narrowed and their cells wrap
 * (at spaces and punctuation when possible; CJK text may break between any two characters).
 *
 * Which width: a terminal's own width when output is a terminal; unlimited when it is a pipe or a file,
 * so that every row stays on one line for grep and CI logs; `COLUMNS=N` sets it either way
 * (`tableWidth`). Rows are walked with loops, never spread into arguments, and can be given as a
 * function that yields them, so a table of a million rows is written line by line in two passes
 * (widths, then lines) without holding the rows.
 */

/** Columns a code point takes in a terminal: 2 for East Asian wide and fullwidth forms, 0 for combining marks. */
function charWidth(code: number): number {
  if (code < 0x300) return code < 0x20 ? 0 : 1;
  if (code >= 0x300 && code <= 0x36f) return 0;
  if (code === 0x200b || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  if (code < 0x1100) return 1;
  const wide =
    code <= 0x115f ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}

export function displayWidth(text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x7f) {
      w += c < 0x20 ? 0 : 1;
      continue;
    }
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    w += charWidth(cp);
  }
  return w;
}

export interface TableOptions {
  /** Total width to fit (columns); undefined or Infinity: no limit. */
  width?: number;
  /** Spaces between columns. */
  gap?: number;
}

/**
 * The width tables should fit on this output: `COLUMNS` when set to a number, else the terminal's
 * columns when the output is a terminal, else unlimited (pipes and files keep whole rows).
 */
export function tableWidth(out: { isTTY: boolean; columns?: number }, env: Record<string, string | undefined> = {}): number | undefined {
  const fromEnv = Number(env.COLUMNS);
  if (env.COLUMNS && Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  if (out.isTTY && out.columns && out.columns > 0) return out.columns;
  return undefined;
}

/** The narrowest a column is made: a short word or two wide characters, whatever the width asked. */
const MIN_COLUMN = 6;

/** Column widths fitting `width`: columns narrower than their fair share keep their width, the rest share what is left. */
export function fitWidths(natural: readonly number[], width: number | undefined, gap = 2): number[] {
  const widths = natural.slice();
  if (width === undefined || !Number.isFinite(width)) return widths;
  const available = width - gap * (widths.length - 1);
  let total = 0;
  for (const w of widths) total += w;
  if (total <= available) return widths;
  const order = widths.map((w, i) => [w, i] as const).sort((a, b) => a[0] - b[0]);
  const out = widths.slice();
  let left = available;
  let columns = widths.length;
  for (const [w, i] of order) {
    const share = Math.floor(left / columns);
    const given = Math.max(1, Math.min(w, MIN_COLUMN), Math.min(w, share));
    out[i] = given;
    left -= given;
    columns--;
  }
  return out;
}

const BREAK_AFTER = new Set([' ', ',', ';', '/', '、', '，', '；', '。', '）', ')', '|']);

/** Pieces a line may break after: words with their trailing space or punctuation, and single wide characters. */
function segments(text: string): { text: string; width: number }[] {
  const out: { text: string; width: number }[] = [];
  let cur = '';
  let curWidth = 0;
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0)!);
    if (w === 2 && cur !== '') {
      out.push({ text: cur, width: curWidth });
      cur = '';
      curWidth = 0;
    }
    cur += ch;
    curWidth += w;
    if (w === 2 || BREAK_AFTER.has(ch)) {
      out.push({ text: cur, width: curWidth });
      cur = '';
      curWidth = 0;
    }
  }
  if (cur !== '') out.push({ text: cur, width: curWidth });
  return out;
}

/** Lines of at most `width` columns: breaks after spaces and punctuation, between wide characters, or inside a word too long. */
export function wrapCell(text: string, width: number): string[] {
  if (displayWidth(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  const flush = () => {
    lines.push(line.trimEnd());
    line = '';
    lineWidth = 0;
  };
  for (const seg of segments(text)) {
    const visible = seg.text.endsWith(' ') ? seg.width - 1 : seg.width;
    if (lineWidth + visible > width && line !== '') flush();
    if (line === '' && seg.text === ' ') continue;
    if (seg.width <= width - lineWidth || visible <= width - lineWidth) {
      line += seg.text;
      lineWidth += seg.width;
      continue;
    }
    // A piece wider than a whole line: split it between characters.
    for (const ch of seg.text) {
      const w = charWidth(ch.codePointAt(0)!);
      if (lineWidth + w > width && line !== '') flush();
      line += ch;
      lineWidth += w;
    }
  }
  if (line.trimEnd() !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

function pad(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

type Rows = Iterable<readonly string[]> | (() => Iterable<readonly string[]>);
const rowsOf = (rows: Rows): Iterable<readonly string[]> => (typeof rows === 'function' ? rows() : rows);

/**
 * Write a table line by line. `rows` is walked twice (widths, then lines): give an array, or a function
 * that yields the rows afresh, so that a large table need not be held.
 */
export function writeTable(write: (line: string) => void, headers: readonly string[], rows: Rows, options: TableOptions = {}): void {
  const gap = options.gap ?? 2;
  const natural = headers.map((h) => displayWidth(h));
  for (const row of rowsOf(rows)) {
    for (let i = 0; i < natural.length; i++) {
      const w = displayWidth(row[i] ?? '');
      if (w > natural[i]!) natural[i] = w;
    }
  }
  const widths = fitWidths(natural, options.width, gap);
  const wraps = widths.some((w, i) => w < natural[i]!);
  const sep = ' '.repeat(gap);
  const emit = (cells: readonly string[]) => {
    if (!wraps) {
      let line = '';
      for (let i = 0; i < widths.length; i++) line += (i ? sep : '') + (i === widths.length - 1 ? (cells[i] ?? '') : pad(cells[i] ?? '', widths[i]!));
      write(line.trimEnd());
      return;
    }
    const wrapped = widths.map((w, i) => wrapCell(cells[i] ?? '', w));
    let height = 1;
    for (const c of wrapped) if (c.length > height) height = c.length;
    for (let k = 0; k < height; k++) {
      let line = '';
      for (let i = 0; i < widths.length; i++) line += (i ? sep : '') + pad(wrapped[i]![k] ?? '', widths[i]!);
      write(line.trimEnd());
    }
  };
  emit(headers);
  write(widths.map((w) => '-'.repeat(w)).join(sep));
  for (const row of rowsOf(rows)) emit(row);
}

/** A table as one string (every line ending in a newline), for tables small enough to hold. */
export function renderTable(headers: readonly string[], rows: Rows, options: TableOptions = {}): string {
  const lines: string[] = [];
  writeTable((l) => lines.push(l), headers, rows, options);
  return lines.join('\n') + '\n';
}
