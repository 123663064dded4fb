/**
 * DOCX writer (the `docx` library): a real Word file with real styles — Title, Heading 1-3 and Normal —
 * so that the officer can restyle it to her organisation's template in one step and Word's navigation
 * pane shows the template's sections. A4 with the GB/T 9704 margins; fonts for Chinese text: 黑体 for
 * headings, 仿宋 for the body, 宋体 for the title (Word substitutes where a font is missing).
 * Placeholders are highlighted yellow, as in the other formats.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
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
import { PAGE_MARGINS_MM } from './html.js';

const MM_TO_TWIP = 1440 / 25.4;
const twip = (mm: number) => Math.round(mm * MM_TO_TWIP);
/** A4 in twips. */
const PAGE = { width: 11906, height: 16838 };
const CONTENT_WIDTH = PAGE.width - twip(PAGE_MARGINS_MM.left) - twip(PAGE_MARGINS_MM.right);

interface Fonts {
  title: { ascii: string; eastAsia: string };
  heading: { ascii: string; eastAsia: string };
  body: { ascii: string; eastAsia: string };
  mono: string;
}

const FONTS: Record<Lang, Fonts> = {
  zh: {
    title: { ascii: 'Times New Roman', eastAsia: '宋体' },
    heading: { ascii: 'Times New Roman', eastAsia: '黑体' },
    body: { ascii: 'Times New Roman', eastAsia: '仿宋' },
    mono: 'Courier New',
  },
  en: {
    title: { ascii: 'Times New Roman', eastAsia: '宋体' },
    heading: { ascii: 'Arial', eastAsia: '黑体' },
    body: { ascii: 'Times New Roman', eastAsia: '宋体' },
    mono: 'Courier New',
  },
};

/** Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt, 五号 10.5 pt. */
const SIZE = { title: 44, h1: 32, h2: 32, h3: 28, bodyZh: 28, bodyEn: 22, table: 21, note: 24 };

const font = (f: { ascii: string; eastAsia: string }) => ({ ascii: f.ascii, hAnsi: f.ascii, eastAsia: f.eastAsia, cs: f.ascii });

function runs(content: Content<string>, lang: Lang, base: IRunOptions = {}): TextRun[] {
  const f = FONTS[lang];
  const out: TextRun[] = [];
  for (const i of content) {
    const parts = (s: string, opts: IRunOptions) =>
      s.split('\n').forEach((line, k) => out.push(new TextRun({ ...base, ...opts, text: line, ...(k > 0 ? { break: 1 } : {}) })));
    switch (i.kind) {
      case 'text':
        parts(i.text, i.strong ? { bold: true } : {});
        break;
      case 'rule':
        out.push(new TextRun({ ...base, text: i.id, font: { ascii: f.mono, hAnsi: f.mono } }));
        break;
      case 'code':
        parts(i.text, { font: { ascii: f.mono, hAnsi: f.mono } });
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

function blocks(b: Block<string>, lang: Lang): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading':
      return [new Paragraph({ heading: HEADING[b.level], children: [new TextRun(b.text)] })];
    case 'paragraph': {
      const opts: IParagraphOptions = b.tone && b.tone !== 'normal' ? { style: b.tone === 'warning' ? 'Warning' : 'Note' } : {};
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
  const f = FONTS[lang];
  const bodySize = lang === 'zh' ? SIZE.bodyZh : SIZE.bodyEn;
  const document = new Document({
    creator: 'chujing',
    title: doc.title,
    description: doc.subtitle.join(' / '),
    styles: {
      default: {
        document: { run: { font: font(f.body), size: bodySize, language: { value: lang === 'zh' ? 'zh-CN' : 'en-GB', eastAsia: 'zh-CN' } }, paragraph: { spacing: { line: 360, after: 80 } } },
        title: { run: { font: font(f.title), size: SIZE.title, bold: true, color: '000000' }, paragraph: { alignment: AlignmentType.CENTER, spacing: { after: 120 } } },
        heading1: { run: { font: font(f.heading), size: SIZE.h1, bold: lang === 'en', color: '000000' }, paragraph: { spacing: { before: 240, after: 120 }, keepNext: true } },
        heading2: { run: { font: font(lang === 'zh' ? f.title : f.heading), size: lang === 'zh' ? SIZE.h2 : 26, bold: true, color: '000000' }, paragraph: { spacing: { before: 200, after: 100 }, keepNext: true } },
        heading3: { run: { font: font(f.body), size: lang === 'zh' ? SIZE.h3 : 22, bold: true, color: '000000' }, paragraph: { spacing: { before: 160, after: 80 }, keepNext: true } },
      },
      paragraphStyles: [
        { id: 'Normal', name: 'Normal', run: { font: font(f.body), size: bodySize }, paragraph: { indent: lang === 'zh' ? { firstLine: 2 * bodySize * 10 } : {}, spacing: { line: 360, after: 80 } } },
        { id: 'Subtitle', name: 'Subtitle', basedOn: 'Normal', run: { size: SIZE.note }, paragraph: { alignment: AlignmentType.CENTER, indent: { firstLine: 0 }, spacing: { after: 0 } } },
        { id: 'Note', name: 'Note', basedOn: 'Normal', run: { size: SIZE.note, color: '333333' }, paragraph: { indent: { left: 240, firstLine: 0 }, border: { left: { style: BorderStyle.SINGLE, size: 12, color: '888888', space: 6 } } } },
        { id: 'Warning', name: 'Warning', basedOn: 'Note', run: { color: '000000' }, paragraph: { border: { left: { style: BorderStyle.SINGLE, size: 12, color: 'B00000', space: 6 } } } },
        { id: 'ListItem', name: 'List Item', basedOn: 'Normal', paragraph: { indent: { left: 480, hanging: 240, firstLine: 0 } } },
        { id: 'TableText', name: 'Table Text', basedOn: 'Normal', run: { size: SIZE.table }, paragraph: { indent: { firstLine: 0 }, spacing: { line: 276, after: 0 } } },
        { id: 'TableGap', name: 'Table Gap', basedOn: 'Normal', run: { size: 8 }, paragraph: { spacing: { after: 0, line: 120 } } },
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
          ...doc.body.flatMap((b) => blocks(b, lang)),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
