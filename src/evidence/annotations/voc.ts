/**
 * Pascal VOC XML (one file per image): <annotation><filename/>?<size/>?<object><name/><bndbox>
 * <xmin/><ymin/><xmax/><ymax/></bndbox></object>*</annotation>.
 * Corner convention (decided once for every corner format): corners are pixel-edge coordinates and
 * width = xmax - xmin, height = ymax - ymin — what SOURCES.md states for the public VOC sets and what
 * labelImg writes. The original VOC devkit reads corners as 1-based inclusive (width = xmax - xmin + 1):
 * `--option corners=inclusive` selects that reading (one pixel larger, so more conservative).
 * Only an object's own <name> and <bndbox> count: VOC person-layout <part> elements (head, hand, foot)
 * carry their own name and box and are not separate objects. Decimal corners (some exporters) are
 * accepted.
 */
import { readFile } from 'node:fs/promises';
import { EXPECTED } from './messages.js';
import { CORNER_OPTION, cornerExtra, parseNumber, type FormatParser, type ScanContext } from './format.js';

const OBJECT_RE = /<object\b[^>]*>([\s\S]*?)<\/object\s*>/g;
const PART_RE = /<part\b[^>]*>[\s\S]*?<\/part\s*>/g;

function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}\\s*>`).exec(xml);
  return m ? decodeEntities(m[1]!.trim()) : undefined;
}

function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    switch (e.toLowerCase()) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    }
  });
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export const voc: FormatParser = {
  format: 'voc',
  options: [CORNER_OPTION],
  accepts: (name) => /\.xml$/i.test(name),
  async scan(ctx: ScanContext) {
    const { tally, classes } = ctx;
    const extra = cornerExtra(ctx.options);
    const buf = await readFile(ctx.file);
    ctx.onBytes(buf.length);
    const xml = buf.toString('utf8').replace(/^\uFEFF/, '');
    const start = xml.search(/<annotation\b/);
    if (start < 0 || !/<\/annotation\s*>\s*$/.test(xml)) {
      return tally.reject('voc', { file: ctx.display, line: start < 0 ? 1 : lineAt(xml, xml.length), message: start < 0 ? 'no <annotation> element' : 'no closing </annotation> at the end (truncated file?)', expected: EXPECTED.voc });
    }
    const filename = tag(xml.replace(OBJECT_RE, ''), 'filename') ?? ctx.relative.replace(/\.xml$/i, '');
    const folder = tag(xml.replace(OBJECT_RE, ''), 'folder');
    tally.image(folder && !filename.includes('/') ? `${folder}/${filename}` : filename);
    for (const m of xml.matchAll(OBJECT_RE)) {
      const body = m[1]!.replace(PART_RE, '');
      const line = lineAt(xml, m.index);
      const name = tag(body, 'name');
      const box = tag(body, 'bndbox');
      const xmin = parseNumber(box && tag(box, 'xmin'));
      const ymin = parseNumber(box && tag(box, 'ymin'));
      const xmax = parseNumber(box && tag(box, 'xmax'));
      const ymax = parseNumber(box && tag(box, 'ymax'));
      if (name === undefined || xmin === null || ymin === null || xmax === null || ymax === null) {
        tally.reject('voc', { file: ctx.display, line, offset: Buffer.byteLength(xml.slice(0, m.index)), message: name === undefined ? '<object> without <name>' : '<object> without a complete numeric <bndbox>', expected: EXPECTED.vocBox });
        continue;
      }
      const w = xmax - xmin + extra;
      const h = ymax - ymin + extra;
      if (w < 0 || h < 0) {
        tally.reject('voc', { file: ctx.display, line, message: 'xmax < xmin or ymax < ymin', expected: EXPECTED.vocBox });
        continue;
      }
      tally.box(classes.kindOf(name), w, h);
    }
    tally.endImage();
  },
};
