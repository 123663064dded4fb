/**
 * Files from the real world, end to end: `export inventory` (CSV with BOM and XLSX read back, Chinese
 * headers, formula injection neutralised, written whole or not at all) and `init` (both templates
 * validate and assess as they are; the .gitignore keeps the local state out of git and the calendar in,
 * checked with git itself).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, looksLikeFormula, neutralizeFormula, UTF8_BOM, chinaTime } from '../../src/report/excel.js';
import { columnName } from '../../src/report/xlsx.js';
import { REPO_ROOT, runMain } from '../helpers/cli.js';

const ACME = join(REPO_ROOT, 'examples', 'acme-auto');
const AS_OF = '2026-11-23';
const env = { CHUJING_HMAC_KEY: 'export-test-key-0123456789abcdef', DATABASE_URL: '' };
const run = (args: string[], lang = 'en_US.UTF-8') => runMain(args, { env: { ...env, LANG: lang } });
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

/** RFC 4180 reader (the test's own, to read back what the export wrote). */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

/** A workspace whose own strings try formula injection. */
const HOSTILE = `version: 1
organization: { id: acme, name: '=HYPERLINK("http://evil","x")', processorType: oem }
datasets:
  - { id: crm, name: '+cmd|" /C calc"!A0', scenario: other, dataType: customer-records, personalInfo: { persons: 10 } }
  - { id: spare, name: '@SUM(1+1)', scenario: other, dataType: customer-records }
recipients:
  - { id: hq, name: '-2+3', country: DE }
transfers:
  - { id: t1, date: 2026-03-01, datasets: [crm], recipient: hq, purpose: '=1+1' }
`;

describe('CSV cells for Excel (src/report/excel.ts)', () => {
  it('neutralises every text that a spreadsheet would run, and reads back as the neutralised text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', 'a', '中', ' ', '1') }), (s) => {
        const back = readCsv(`${csvCell(s)}\r\n`)[0]!.join(',');
        expect(back).toBe(neutralizeFormula(s));
        expect(looksLikeFormula(back) && s.length > 0 ? back.startsWith("'") : true).toBe(true);
      }),
    );
    expect(csvCell(-5)).toBe('-5'); // numbers stay numbers
    expect(csvCell('-5')).toBe("'-5");
  });

  it('writes instants in China time', () => {
    expect(chinaTime('2026-06-01T02:00:00Z')).toBe('2026-06-01 10:00:00');
    expect(chinaTime('2026-12-31T20:30:00Z')).toBe('2027-01-01 04:30:00');
  });

  it('names columns as Excel does', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

describe('chujing export inventory', () => {
  it('CSV: UTF-8 with BOM, Chinese headers and words, every transfer and dataset', async () => {
    const dir = tmp('chujing-inv-');
    const file = join(dir, '清单.csv');
    const r = await run(['export', 'inventory', ACME, '--as-of', AS_OF, '--out', file], 'zh_CN.UTF-8');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^已写入 .*清单\.csv：数据出境 14 项，数据集 12 个/);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.includes('\r\n')).toBe(true);
    const rows = readCsv(text.slice(1));
    const header = rows[0]!;
    expect(header.slice(0, 4)).toEqual(['出境活动', '日期', '状态', '提供主体']);
    const col = (name: string) => header.indexOf(name);
    const byTransfer = (id: string) => rows.find((row) => row[col('出境活动')] === id)!;
    expect(byTransfer('t-2026-003')[col('路径')]).toBe('数据出境安全评估');
    expect(byTransfer('t-2026-003')[col('可否出境')]).toBe('否');
    expect(byTransfer('t-2026-003')[col('级别')]).toBe('重要数据');
    expect(byTransfer('t-2026-010')[col('路径')]).toBe('禁止出境（核心数据）');
    expect(byTransfer('t-2026-001')[col('可否出境')]).toBe('是');
    // Every transfer appears, and every dataset.
    const assessed = JSON.parse((await run(['assess', ACME, '--as-of', AS_OF, '--json'])).stdout);
    expect(new Set(rows.slice(1).map((row) => row[col('出境活动')]).filter(Boolean))).toEqual(new Set(assessed.transfers.map((t: { id: string }) => t.id)));
    expect(new Set(rows.slice(1).map((row) => row[col('数据集标识')]))).toEqual(new Set(assessed.datasets.map((d: { id: string }) => d.id)));
  });

  it('CSV in English: the same table with English headers', async () => {
    const dir = tmp('chujing-inv-en-');
    expect((await run(['export', 'inventory', ACME, '--as-of', AS_OF, '--out', join(dir, 'i.csv')])).code).toBe(0);
    const header = readCsv(readFileSync(join(dir, 'i.csv'), 'utf8').slice(1))[0]!;
    expect(header.slice(0, 3)).toEqual(['transfer', 'date', 'status']);
  });

  it('neutralises formula injection from the workspace in CSV and XLSX', async () => {
    const dir = tmp('chujing-inv-hostile-');
    writeFileSync(join(dir, 'chujing.yaml'), HOSTILE);
    expect((await run(['export', 'inventory', dir, '--as-of', AS_OF, '--out', join(dir, 'i.csv')])).code).toBe(0);
    const cells = readCsv(readFileSync(join(dir, 'i.csv'), 'utf8').slice(1)).flat();
    const risky = cells.filter((c) => /^[=+\-@]/.test(c));
    expect(risky).toEqual([]);
    for (const v of ['=1+1', '+cmd|" /C calc"!A0', '@SUM(1+1)', '-2+3']) expect(cells).toContain(`'${v}`);

    expect((await run(['export', 'inventory', dir, '--as-of', AS_OF, '--out', join(dir, 'i.xlsx')])).code).toBe(0);
    const sheet = strFromU8(unzipSync(readFileSync(join(dir, 'i.xlsx')))['xl/worksheets/sheet1.xml']!);
    expect(sheet).not.toMatch(/<f>/); // no formula element anywhere
    // A text that looks like a formula is an inline string with the quotePrefix style (s="2").
    expect(sheet).toMatch(/<c r="[A-Z]+\d+" t="inlineStr" s="2"><is><t>=1\+1<\/t><\/is><\/c>/);
  });

  it('XLSX: a valid workbook of four sheets that reads back, in Chinese', async () => {
    const dir = tmp('chujing-inv-xlsx-');
    const file = join(dir, 'inventory.xlsx');
    const r = await run(['export', 'inventory', ACME, '--as-of', AS_OF, '--out', file], 'zh_CN.UTF-8');
    expect(r.code).toBe(0);
    const files = unzipSync(readFileSync(file));
    for (const part of ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml']) expect(files[part], part).toBeDefined();
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['sheet', 'row', 'c', 'Override', 'Relationship', 'col', 'definedName'].includes(n) });
    for (const [name, data] of Object.entries(files)) expect(XMLValidator.validate(strFromU8(data)), name).toBe(true);
    const workbook = parser.parse(strFromU8(files['xl/workbook.xml']!));
    expect(workbook.workbook.sheets.sheet.map((s: { name: string }) => s.name)).toEqual(['清单', '数据集', '数据出境', '说明']);
    const types = parser.parse(strFromU8(files['[Content_Types].xml']!)).Types.Override.map((o: { PartName: string }) => o.PartName);
    expect(types).toEqual(expect.arrayContaining(['/xl/workbook.xml', '/xl/styles.xml', '/xl/worksheets/sheet1.xml', '/xl/worksheets/sheet4.xml']));
    // Sheet 3 (transfers): the header, then one row per transfer, cells addressed A1, B1…
    const rows = parser.parse(strFromU8(files['xl/worksheets/sheet3.xml']!)).worksheet.sheetData.row;
    const text = (c: { is?: { t: string | { '#text': string } }; v?: number }) => (c.is ? (typeof c.is.t === 'object' ? c.is.t['#text'] : String(c.is.t)) : String(c.v));
    expect(rows[0].c.slice(0, 3).map(text)).toEqual(['出境活动', '日期', '状态']);
    expect(rows[0].c[0].r).toBe('A1');
    expect(rows).toHaveLength(15);
    const t3 = rows.find((row: { c: { is?: { t: unknown } }[] }) => text(row.c[0] as never) === 't-2026-003');
    expect(t3.c.map(text)).toContain('数据出境安全评估');
    // Numbers are numbers (persons this year).
    expect(t3.c.some((c: { t?: string; v?: number }) => c.t === undefined && c.v === 60000)).toBe(true);
    // The about sheet says when it was exported, in China time.
    const about = parser.parse(strFromU8(files['xl/worksheets/sheet4.xml']!)).worksheet.sheetData.row.map((row: { c: never[] }) => row.c.map(text));
    expect(about.find((row: string[]) => row[0] === '导出时间（中国时间）')[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(about.find((row: string[]) => row[0] === '评估日期')[1]).toBe(AS_OF);
  });

  it('whole or nothing: a failure leaves the previous file as it was, and no temporary file behind', async () => {
    const dir = tmp('chujing-inv-atomic-');
    const file = join(dir, 'i.csv');
    writeFileSync(file, 'previous');
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'chujing.yaml'), 'version: 1\norganization: { id: x }\n');
    expect((await run(['export', 'inventory', join(dir, 'bad'), '--out', file])).code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('previous');
    expect((await run(['export', 'inventory', ACME, '--out', join(dir, 'missing', 'i.csv')])).code).toBe(2);
    expect((await run(['export', 'inventory', ACME, '--out', join(dir, 'i.pdf')])).code).toBe(2);
    expect((await run(['export', 'inventory', ACME, '--as-of', AS_OF, '--out', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8').startsWith(UTF8_BOM)).toBe(true);
    expect(execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('chujing init', () => {
  for (const lang of ['en', 'zh']) {
    it(`${lang}: the template validates and assesses as it is; its comments are in ${lang}`, async () => {
      const dir = tmp(`chujing-init-${lang}-`);
      const r = await runMain(['--lang', lang, 'init', dir], { env });
      expect(r.code).toBe(0);
      const yaml = readFileSync(join(dir, 'chujing.yaml'), 'utf8');
      if (lang === 'zh') expect(yaml).toContain('# chujing 工作区');
      else expect(yaml).toContain('# chujing workspace');
      expect((await run(['validate', dir])).code).toBe(0);
      const assessed = await run(['assess', dir, '--as-of', AS_OF, '--json']);
      expect(assessed.code).toBe(0);
      expect(JSON.parse(assessed.stdout).transfers[0]).toMatchObject({ path: 'exempt', exemption: 'EXEMPT-6', covered: true });
      expect((await run(['status', dir, '--as-of', AS_OF])).code).toBe(0);
    });
  }

  it('the two templates hold the same workspace', async () => {
    const en = tmp('chujing-init-same-en-');
    const zh = tmp('chujing-init-same-zh-');
    await runMain(['init', en], { env });
    await runMain(['--lang', 'zh', 'init', zh], { env });
    const shape = async (d: string) => {
      const r = JSON.parse((await run(['assess', d, '--as-of', AS_OF, '--json'])).stdout);
      return { settings: r.settings, datasets: r.datasets.map((x: { id: string; level: string; facts: unknown }) => [x.id, x.level, x.facts]), transfers: r.transfers.map((x: { id: string; path: string }) => [x.id, x.path]) };
    };
    expect(await shape(zh)).toEqual(await shape(en));
  });

  it('.gitignore keeps the local state out of git, and the calendar and anchors in (checked with git)', async () => {
    const dir = tmp('chujing-init-git-');
    expect((await runMain(['init', dir], { env })).code).toBe(0);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const ignored = (path: string) => {
      try {
        execFileSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: dir });
        return true;
      } catch {
        return false;
      }
    };
    expect(ignored('.chujing/db/PG_VERSION')).toBe(true);
    expect(ignored('.chujing/evidence-cache/ab/cd.json')).toBe(true);
    expect(ignored('.chujing/ledger-summary.json')).toBe(true);
    expect(ignored('.chujing/calendar.yaml')).toBe(false);
    expect(ignored('ledger-anchor.json')).toBe(false);
    expect(ignored('ledger-anchor.pub')).toBe(false);
    expect(ignored('chujing.yaml')).toBe(false);
  });

  it('appends to an existing .gitignore once, and leaves one that already deals with .chujing alone', async () => {
    const dir = tmp('chujing-init-append-');
    writeFileSync(join(dir, '.gitignore'), 'node_modules/');
    expect((await runMain(['init', dir], { env })).code).toBe(0);
    const once = readFileSync(join(dir, '.gitignore'), 'utf8');
    expect(once.startsWith('node_modules/\n\n# chujing')).toBe(true);
    expect((await runMain(['init', dir, '--force'], { env })).code).toBe(0);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(once);
    const own = tmp('chujing-init-own-');
    writeFileSync(join(own, '.gitignore'), '/.chujing\n');
    const r = await runMain(['init', own], { env });
    expect(r.stdout).toContain('already ignores .chujing/');
    expect(readFileSync(join(own, '.gitignore'), 'utf8')).toBe('/.chujing\n');
  });

  it('refuses to overwrite a workspace without --force, and writes nothing then', async () => {
    const dir = tmp('chujing-init-exists-');
    writeFileSync(join(dir, 'chujing.yaml'), 'mine\n');
    const r = await runMain(['--lang', 'zh', 'init', dir], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('已存在');
    expect(readFileSync(join(dir, 'chujing.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, '.gitignore'))).toBe(false);
  });
});
