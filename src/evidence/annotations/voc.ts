/**
 * Pascal VOC XML (one file per image): <annotation><filename/>?<size/>?<object><name/><bndbox>
 * <xmin/><ymin/><xmax/><ymax/></bndbox></object>*</annotation>.
 * Corner convention (decided once for every corner format): corners are pixel-edge coordinates and
 * width = xmax - xmin, height = ymax - ymin — what SOURCES.md states for the public VOC sets and what
 * labelImg writes. The original VOC devkit reads corners as 1-based inclusive (width = xmax - xmin + 1):
 * `--option corners=inclusive` selects that reading (one pixel larger, so more conservative).
 * Only an object's own <name> and <bndbox> count: VOC person-layout <part> elements (head, hand, foot)
 * carry their own name and box and are not separate objects. Decimal corners (some exporters) are
 * accepted. The file must be well-formed XML (xml.ts): a broken file is a bad record, never half-read.
 */
import { readFile } from 'node:fs/promises';
import { msg } from '../../i18n/index.js';
import { CORNER_OPTION, cornerExtra, parseNumber, type FormatParser, type ScanContext } from './format.js';
import { child, parseXml, XmlError, type XmlElement } from './xml.js';

const EXPECTED_BOX = msg('evidence.voc.expected-box');
const EXPECTED_DOC = msg('evidence.voc.expected');

export const voc: FormatParser = {
  format: 'voc',
  options: [CORNER_OPTION],
  accepts: (name) => /\.xml$/i.test(name),
  async scan(ctx: ScanContext) {
    const { tally, classes } = ctx;
    const extra = cornerExtra(ctx.options);
    const buf = await readFile(ctx.file);
    ctx.onBytes(buf.length);
    let root: XmlElement;
    try {
      root = parseXml(new TextDecoder('utf-8', { fatal: true }).decode(buf));
    } catch (e) {
      if (e instanceof XmlError) return tally.reject('voc', { file: ctx.display, line: e.line, message: msg('evidence.voc.not-xml', { detail: e.detail }), expected: EXPECTED_DOC });
      if (e instanceof TypeError) return tally.reject('voc', { file: ctx.display, message: msg('evidence.voc.not-utf8'), expected: EXPECTED_DOC });
      throw e;
    }
    if (root.name !== 'annotation') return tally.reject('voc', { file: ctx.display, line: root.line, message: msg('evidence.voc.no-annotation', { name: root.name }), expected: EXPECTED_DOC });
    const filename = child(root, 'filename')?.text.trim() || ctx.relative.replace(/\.xml$/i, '');
    const folder = child(root, 'folder')?.text.trim();
    tally.image(folder && !filename.includes('/') ? `${folder}/${filename}` : filename);
    for (const object of root.children) {
      if (object.name !== 'object') continue;
      const name = child(object, 'name')?.text.trim();
      const box = child(object, 'bndbox');
      const corner = (k: string) => parseNumber(child(box, k)?.text.trim());
      const xmin = corner('xmin');
      const ymin = corner('ymin');
      const xmax = corner('xmax');
      const ymax = corner('ymax');
      if (name === undefined || xmin === null || ymin === null || xmax === null || ymax === null) {
        tally.reject('voc', { file: ctx.display, line: object.line, message: msg(name === undefined ? 'evidence.voc.no-name' : 'evidence.voc.no-box'), expected: EXPECTED_BOX });
        continue;
      }
      const w = xmax - xmin + extra;
      const h = ymax - ymin + extra;
      if (!(w >= 0 && h >= 0) || !Number.isFinite(w) || !Number.isFinite(h)) {
        tally.reject('voc', { file: ctx.display, line: object.line, message: msg('evidence.voc.inverted-box'), expected: EXPECTED_BOX });
        continue;
      }
      tally.box(classes.kindOf(name), w, h);
    }
    tally.endImage();
  },
};
