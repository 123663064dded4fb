/**
 * A minimal XLSX (Office Open XML SpreadsheetML) writer: sheets of text and number cells with a bold,
 * frozen header row, an auto-filter and column widths that fit the content (CJK characters counted
 * double). The ZIP container is fflate's (small, no dependencies, widely used); the six XML parts are
 * written here.
 *
 * Why not a spreadsheet library: exceljs brings some sixty packages for this one export, and SheetJS's
 * npm release is years old with open advisories; what an inventory needs — text, numbers, a header — is
 * a few fixed XML parts (ECMA-376 Part 1, §18). Text cells are inline strings, which a spreadsheet never
 * evaluates; a text that looks like a formula (= + - @) also gets the quotePrefix style, so that editing
 * the cell in Excel keeps it text (the CSV export neutralises the same cells, src/report/excel.ts).
 */
import { strToU8, zipSync } from 'fflate';
import { displayWidth } from './table.js';
import type { CellValue } from './excel.js';
import { looksLikeFormula } from './excel.js';

export interface Sheet {
  /** At most 31 characters, none of : \ / ? * [ ] (Excel's rule; checked). */
  name: string;
  header: string[];
  rows: CellValue[][];
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
/** Characters XML 1.0 cannot hold. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const esc = (s: string) => s.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Column letters: 0 -> A, 25 -> Z, 26 -> AA. */
export function columnName(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const STYLE = { normal: 0, header: 1, text: 2 } as const;

function cell(ref: string, v: CellValue, header: boolean): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'number' && Number.isFinite(v)) return `<c r="${ref}"${header ? ` s="${STYLE.header}"` : ''}><v>${v}</v></c>`;
  const s = String(v);
  const style = header ? STYLE.header : looksLikeFormula(s) ? STYLE.text : STYLE.normal;
  const space = /^\s|\s$|\n/.test(s) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}" t="inlineStr"${style ? ` s="${style}"` : ''}><is><t${space}>${esc(s)}</t></is></c>`;
}

function sheetXml(sheet: Sheet): string {
  const all = [sheet.header, ...sheet.rows];
  const columns = Math.max(1, sheet.header.length, ...sheet.rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.min(60, Math.max(8, ...all.map((r) => displayWidth(String(r[c] ?? '')) + 2))));
  const rows = all
    .map((r, i) => `<row r="${i + 1}">${r.map((v, c) => cell(`${columnName(c)}${i + 1}`, v, i === 0)).join('')}</row>`)
    .join('');
  const last = `${columnName(columns - 1)}${all.length}`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}" xmlns:r="${REL}">` +
    `<dimension ref="A1:${last}"/>` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
    `<cols>${widths.map((w, c) => `<col min="${c + 1}" max="${c + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>` +
    `<sheetData>${rows}</sheetData>` +
    `<autoFilter ref="A1:${last}"/>` +
    '</worksheet>'
  );
}

const STYLES =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

/** Excel's sheet-name rule: 1 to 31 characters, none of : \ / ? * [ ]. */
export function validSheetName(name: string): boolean {
  return name.length >= 1 && name.length <= 31 && !/[:\\/?*[\]]/.test(name);
}

/** The workbook as bytes. Deterministic: the same sheets give the same file. */
export function writeXlsx(sheets: Sheet[]): Uint8Array {
  for (const s of sheets) if (!validSheetName(s.name)) throw new Error(`invalid sheet name: ${s.name}`);
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
        '</Types>',
    ),
    '_rels/.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}">` +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        '</Relationships>',
    ),
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>` +
        sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
        '</sheets>' +
        // The auto-filter of each sheet needs its hidden defined name (Excel repairs the file otherwise).
        `<definedNames>${sheets
          .map((s, i) => {
            const columns = Math.max(1, s.header.length, ...s.rows.map((r) => r.length));
            return `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${esc(s.name.replace(/'/g, "''"))}'!$A$1:$${columnName(columns - 1)}$${s.rows.length + 1}</definedName>`;
          })
          .join('')}</definedNames>` +
        '</workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}">` +
        sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
        `<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
        '</Relationships>',
    ),
    'xl/styles.xml': strToU8(STYLES),
  };
  sheets.forEach((s, i) => (files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(sheetXml(s))));
  // A fixed modification time: the same workbook gives the same bytes.
  return zipSync(files, { level: 6, mtime: new Date(Date.UTC(2024, 0, 1)) });
}
