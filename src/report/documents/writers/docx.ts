/**
 * DOCX writer (the `docx` library): a real Word file with real styles — Title, Heading 1-3 (with their
 * outline levels, so Word's navigation pane, LibreOffice's navigator and a PDF exported from either show
 * the sections) and Normal — so that the officer can restyle it to her organisation's template in one
 * step. Page, faces and sizes are the self-assessment template's (layout.ts): A4, 2.54/3.18 cm margins,
 * 仿宋 body at a fixed 28 pt pitch, 黑体 first-level and bold 楷体 second-level headings. Chinese faces
 * are named as a Chinese Windows names them (w:eastAsia); Word and LibreOffice substitute where a font
 * is missing. Placeholders are highlighted yellow, as in the other formats. A line that introduces a
 * table or list is kept with it (keep with next), as are headings; table rows do not split.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IParagraphOptions,
  type IRunOptions,
} from 'docx';
import type { Lang } from '../../../i18n/index.js';
import type { Block, Content, DocumentTree } from '../model.js';
import { DOCX_FACES, LINE_PITCH_PT, PAGE_MARGINS_MM, SIZE_PT, type DocxFace } from './layout.js';

const MM_TO_TWIP = 1440 / 25.4;
const twip = (mm: number) => Math.round(mm * MM_TO_TWIP);
/** A4 in twips. */
const PAGE = { width: 11906, height: 16838 };
const CONTENT_WIDTH = PAGE.width - twip(PAGE_MARGINS_MM.left) - twip(PAGE_MARGINS_MM.right);
/** Points to the half-points of w:sz, and to twips. */
const half = (pt: number) => Math.round(pt * 2);
const ptTwip = (pt: number) => Math.round(pt * 20);

const font = (f: DocxFace) => ({ ascii: f.ascii, hAnsi: f.ascii, eastAsia: f.eastAsia, cs: f.ascii });

function runs(content: Content<string>, lang: Lang, base: IRunOptions = {}): TextRun[] {
  const mono = DOCX_FACES[lang].mono.ascii;
  const out: TextRun[] = [];
  for (const i of content) {
    const parts = (s: string, opts: IRunOptions) =>
      s.split('\n').forEach((line, k) => out.push(new TextRun({ ...base, ...opts, text: line, ...(k > 0 ? { break: 1 } : {}) })));
    switch (i.kind) {
      case 'text':
        parts(i.text, i.strong ? { bold: true } : {});
        break;
      case 'rule':
        out.push(new TextRun({ ...base, text: i.id, font: { ascii: mono, hAnsi: mono } }));
        break;
      case 'code':
        parts(i.text, { font: { ascii: mono, hAnsi: mono } });
        break;
      case 'placeholder':
        parts(i.prompt, { highlight: 'yellow', bold: true });
        break;
    }
  }
  return out;
}

const CELL_BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const BORDERS = { top: CELL_BORDER, bottom: CELL_BORDER, left: CELL_BORDER, right: CELL_BORDER, insideHorizontal: CELL_BORDER, insideVertical: CELL_BORDER };

function cell(content: Content<string>, lang: Lang, options: { header?: boolean; width?: number } = {}): TableCell {
  return new TableCell({
    children: [new Paragraph({ style: 'TableText', children: runs(content, lang, options.header ? { bold: lang === 'en' } : {}) })],
    ...(options.header ? { shading: { type: ShadingType.CLEAR, fill: 'E8E8E8', color: 'auto' } } : {}),
    ...(options.width ? { width: { size: options.width, type: WidthType.DXA } } : {}),
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
  });
}

function tableOf(head: string[] | null, rows: Content<string>[][], lang: Lang, widths?: number[]): Table {
  const n = Math.max(head?.length ?? 0, ...rows.map((r) => r.length));
  const w = (widths && widths.length === n ? widths : Array.from({ length: n }, () => 100 / n)).map((p) => Math.floor((CONTENT_WIDTH * p) / 100));
  const text = (s: string): Content<string> => [{ kind: 'text', text: s }];
  const tableRows = [
    ...(head ? [new TableRow({ tableHeader: true, children: head.map((h, k) => cell(text(h), lang, { header: true, width: w[k]! })) })] : []),
    ...rows.map((r) => new TableRow({ cantSplit: true, children: Array.from({ length: n }, (_, k) => cell(r[k] ?? [], lang, { width: w[k]! })) })),
  ];
  return new Table({ rows: tableRows, columnWidths: w, width: { size: CONTENT_WIDTH, type: WidthType.DXA }, borders: BORDERS });
}

const HEADING: Record<1 | 2 | 3, (typeof HeadingLevel)[keyof typeof HeadingLevel]> = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 };

/** A block a lead-in line must stay with. */
const introduced = (b: Block<string> | undefined) => b !== undefined && ['table', 'fields', 'list', 'checklist'].includes(b.kind);

function blocks(b: Block<string>, lang: Lang, next: Block<string> | undefined): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading':
      return [new Paragraph({ heading: HEADING[b.level], children: [new TextRun(b.text)] })];
    case 'paragraph': {
      const opts: IParagraphOptions = {
        ...(b.tone && b.tone !== 'normal' ? { style: b.tone === 'warning' ? 'Warning' : 'Note' } : {}),
        ...(introduced(next) ? { keepNext: true, keepLines: true } : {}),
      };
      return [new Paragraph({ ...opts, children: runs(b.content, lang) })];
    }
    case 'list':
      return b.items.map((item, k) => new Paragraph({ style: 'ListItem', children: [new TextRun(b.ordered ? `${k + 1}. ` : '• '), ...runs(item, lang)] }));
    case 'table':
      return [tableOf(b.head, b.rows, lang, b.widths), new Paragraph({ style: 'TableGap', children: [] })];
    case 'fields':
      return [
        tableOf(null, b.rows.map((r) => [[{ kind: 'text', text: r.label, strong: true }], r.value]), lang, [32, 68]),
        new Paragraph({ style: 'TableGap', children: [] }),
      ];
    case 'checklist':
      return b.items.map(
        (i) =>
          new Paragraph({
            style: 'ListItem',
            children: [
              new TextRun({ text: `【${i.stateText ?? i.state}】`, bold: true, ...(i.state === 'missing' ? { color: 'B00000' } : {}) }),
              ...runs(i.label, lang),
              ...(i.detail ? [new TextRun(' — '), ...runs(i.detail, lang)] : []),
            ],
          }),
      );
    case 'page-break':
      return [new Paragraph({ pageBreakBefore: true, children: [] })];
  }
}

export async function writeDocx(doc: DocumentTree<string>, lang: Lang): Promise<Uint8Array> {
  const zh = lang === 'zh';
  const f = DOCX_FACES[lang];
  const pt = SIZE_PT[lang];
  // Chinese: every text line at the template's fixed pitch, no space between paragraphs (GB/T 9704);
  // English: 1.15 lines and a little space after each paragraph.
  // (w:lang: Latin text is English, so that Word and LibreOffice do not break Latin words anywhere as
  // they may Chinese text.) Styles that set their own spacing say its rule too, or they would inherit
  // the body's exact pitch.
  const single = { line: 276, lineRule: LineRuleType.AUTO };
  const body = zh ? { line: ptTwip(LINE_PITCH_PT), lineRule: LineRuleType.EXACT, before: 0, after: 0 } : { ...single, after: 120 };
  const heading = (outlineLevel: number, face: DocxFace, size: number, bold: boolean, space: { before: number; after: number }) => ({
    run: { font: font(face), size: half(size), bold, color: '000000' },
    paragraph: { outlineLevel, keepNext: true, keepLines: true, indent: { firstLine: zh ? ptTwip(2 * size) : 0 }, spacing: zh ? body : { ...space, ...single } },
  });
  const document = new Document({
    creator: 'chujing',
    title: doc.title,
    description: doc.subtitle.join(' / '),
    styles: {
      default: {
        document: { run: { font: font(f.body), size: half(pt.body), language: { value: 'en-GB', eastAsia: 'zh-CN' } }, paragraph: { spacing: body } },
        title: { run: { font: font(f.title), size: half(pt.title), bold: true, color: '000000' }, paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 0, after: ptTwip(6), ...single } } },
        // Outline levels 0-2: what makes a heading a heading to LibreOffice and in an exported PDF.
        heading1: heading(0, f.h1, pt.h1, !zh, { before: 240, after: 80 }),
        heading2: heading(1, f.h2, pt.h2, true, { before: 200, after: 60 }),
        heading3: heading(2, f.h3, pt.h3, !zh, { before: 160, after: 40 }),
      },
      paragraphStyles: [
        { id: 'Normal', name: 'Normal', run: { font: font(f.body), size: half(pt.body) }, paragraph: { indent: zh ? { firstLine: ptTwip(2 * pt.body) } : {}, spacing: body } },
        { id: 'Subtitle', name: 'Subtitle', basedOn: 'Normal', run: { size: half(pt.subtitle) }, paragraph: { alignment: AlignmentType.CENTER, indent: { firstLine: 0 }, spacing: { before: 0, after: 0, ...single } } },
        { id: 'Note', name: 'Note', basedOn: 'Normal', run: { size: half(pt.note), color: '333333' }, paragraph: { indent: { left: 240, firstLine: 0 }, spacing: { before: 60, after: 60, line: 300, lineRule: LineRuleType.AUTO }, border: { left: { style: BorderStyle.SINGLE, size: 12, color: '888888', space: 6 } } } },
        { id: 'Warning', name: 'Warning', basedOn: 'Note', run: { color: '000000' }, paragraph: { border: { left: { style: BorderStyle.SINGLE, size: 12, color: 'B00000', space: 6 } } } },
        { id: 'ListItem', name: 'List Item', basedOn: 'Normal', paragraph: { indent: { left: 480, hanging: 240, firstLine: 0 } } },
        { id: 'TableText', name: 'Table Text', basedOn: 'Normal', run: { size: half(pt.table) }, paragraph: { indent: { firstLine: 0 }, spacing: { before: 0, line: 276, lineRule: LineRuleType.AUTO, after: 0 } } },
        { id: 'TableGap', name: 'Table Gap', basedOn: 'Normal', run: { size: 8 }, paragraph: { spacing: { before: 0, after: 0, line: 120, lineRule: LineRuleType.AUTO } } },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: PAGE,
            margin: { top: twip(PAGE_MARGINS_MM.top), bottom: twip(PAGE_MARGINS_MM.bottom), left: twip(PAGE_MARGINS_MM.left), right: twip(PAGE_MARGINS_MM.right) },
          },
        },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, style: 'TableText', children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'] })] })],
          }),
        },
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(doc.title)] }),
          ...doc.subtitle.map((s) => new Paragraph({ style: 'Subtitle', children: [new TextRun(s)] })),
          new Paragraph({ children: [] }),
          ...doc.body.flatMap((b, i) => blocks(b, lang, doc.body[i + 1])),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
