/**
 * Documents in the tools officers use, and the command line's edges (issue 17):
 * - the output format: `--format md --out x.pdf` is refused (exit 2, nothing written), the format is
 *   taken from the file name when --format is absent, a name that names no format is refused;
 * - a Chromium that does not start: exit 2 with what to install or set (zh and en), nothing written,
 *   a file already there left as it was;
 * - every DOCX opened by LibreOffice (headless) has its headings as headings (outline levels), and the
 *   PDF LibreOffice exports from it has them as bookmarks; the DOCX has the template's page and faces;
 * - a line that introduces a table stays on the table's page in the PDF, wherever the page breaks;
 * - the server keeps one browser for its PDFs, starts a new one when it crashed, closes it on shutdown.
 * Tests that need LibreOffice, Chromium or poppler skip with one line when they are missing (fail on CI).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS, buildDocument, documentInputFor, type DocumentInput } from '../../src/report/documents/index.js';
import { localize } from '../../src/report/documents/localize.js';
import type { DocumentTree } from '../../src/report/documents/model.js';
import { writeDocx } from '../../src/report/documents/writers/docx.js';
import { writeHtml } from '../../src/report/documents/writers/html.js';
import { PdfRenderer } from '../../src/report/documents/writers/pdf.js';
import { pdfRendererOf } from '../../src/server/web/documents.js';
import { runCli } from '../helpers/cli.js';
import { CHROMIUM, LIBREOFFICE, POPPLER, requireToolSets } from '../helpers/tools.js';
import { exampleCopy, startInProcess } from '../server/helpers.js';
import { AS_OF, EXAMPLE, cli, context, pdfInfo, pdfOutline, removeDir } from './helpers.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'chujing-rendering-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach(removeDir));

const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('chujing report: the output file holds what its name says', () => {
  it('--format md --out x.pdf is refused with exit 2 and nothing is written (the real binary)', () => {
    const dir = tempDir();
    const file = join(dir, 'x.pdf');
    const en = runCli(['report', 'plan', EXAMPLE, '--as-of', AS_OF, '--format', 'md', '--out', file]);
    expect(en.code, en.stderr).toBe(2);
    expect(en.stderr).toContain(`--format md does not match the file name ${file} (a PDF file)`);
    expect(en.stderr).toContain('no --format (the format is taken from the file name)');
    const zh = runCli(['report', 'plan', EXAMPLE, '--as-of', AS_OF, '--format', 'md', '--out', file, '--lang', 'zh'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(zh.code).toBe(2);
    expect(zh.stderr).toContain(`--format md 与文件名 ${file} 不符（该文件名表示PDF文件）`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes the format from the file name; refuses a name that names none and a contradicting --format', async () => {
    const dir = tempDir();
    const html = await cli(['report', 'plan', EXAMPLE, '--as-of', AS_OF, '--out', join(dir, 'plan.html')]);
    expect(html.code, html.stderr).toBe(0);
    expect(readFileSync(join(dir, 'plan.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    const json = await cli(['report', 'declaration', EXAMPLE, '--as-of', AS_OF, '--out', join(dir, 'd.JSON')]);
    expect(json.code, json.stderr).toBe(0);
    expect(() => JSON.parse(readFileSync(join(dir, 'd.JSON'), 'utf8'))).not.toThrow();
    const txt = await cli(['report', 'plan', EXAMPLE, '--as-of', AS_OF, '--out', join(dir, 'plan.txt')]);
    expect(txt.code).toBe(2);
    expect(txt.stderr).toContain('cannot tell the format from the file name');
    expect(txt.stderr).toContain('.docx, .html, .htm, .pdf, .md, .markdown, .json, or --format');
    const docx = await cli(['report', 'plan', EXAMPLE, '--as-of', AS_OF, '--format', 'docx', '--out', join(dir, 'plan.md')]);
    expect(docx.code).toBe(2);
    expect(docx.stderr).toContain('a Markdown file');
    // --format with a name that names no format is the user's explicit choice.
    const explicit = await cli(['report', 'plan', EXAMPLE, '--as-of', AS_OF, '--format', 'md', '--out', join(dir, 'plan.txt')]);
    expect(explicit.code, explicit.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['d.JSON', 'plan.html', 'plan.txt']);
  });
});

describe('chujing report --out x.pdf with a Chromium that does not start (the real binary)', () => {
  it.each([
    ['an executable that exits at once', '/bin/false', 'Chromium (/bin/false) did not start', 'Chromium（/bin/false）未能启动'],
    ['no executable at all', '/nonexistent/chromium', 'no Chromium at /nonexistent/chromium', '/nonexistent/chromium处没有 Chromium'],
  ])('%s: exit 2, says what to install or set, writes nothing', (_, executable, en, zh) => {
    const dir = tempDir();
    const file = join(dir, 'plan.pdf');
    writeFileSync(file, 'an earlier version');
    const r = runCli(['report', 'plan', EXAMPLE, '--as-of', AS_OF, '--out', file], { env: { CHUJING_CHROMIUM: executable } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(en);
    expect(r.stderr).toContain("Debian's chromium package (apt-get install chromium), or CHUJING_CHROMIUM set to a working Chromium or Chrome executable");
    expect(r.stderr).not.toMatch(/browserType|playwright|internal error/i);
    const rz = runCli(['report', 'plan', EXAMPLE, '--as-of', AS_OF, '--out', file, '--lang', 'zh'], { env: { CHUJING_CHROMIUM: executable } });
    expect(rz.code).toBe(2);
    expect(rz.stderr).toContain(zh);
    expect(rz.stderr).toContain('安装 Debian 的 chromium 软件包（apt-get install chromium），或将 CHUJING_CHROMIUM 设为');
    // Nothing half-written: the earlier file is untouched and no temporary file is left.
    expect(readFileSync(file, 'utf8')).toBe('an earlier version');
    expect(readdirSync(dir)).toEqual(['plan.pdf']);
  });
});

describe('the HTML keeps identifiers, dates and figures whole', () => {
  it('wraps each in a span that does not wrap (a long path may wrap), and marks the lead-in of a table', () => {
    const tree: DocumentTree<string> = {
      kind: 'plan',
      title: 't',
      subtitle: [],
      body: [
        { kind: 'paragraph', content: [{ kind: 'text', text: '出境活动t-2026-013于2026-11-23向DRAFT-J12所指接收方提供1,050,000人的数据，见/data/exports/2026/very-long-folder-name/file.csv。' }] },
        { kind: 'table', head: ['a'], rows: [[[{ kind: 'code', text: 'charging-sessions-q3' }]]] },
      ],
      placeholders: [],
      rules: [],
    };
    const html = writeHtml(tree, 'zh');
    for (const token of ['t-2026-013', '2026-11-23', 'DRAFT-J12', '1,050,000', 'charging-sessions-q3']) expect(html).toContain(`<span class="nw">${token}</span>`);
    expect(html).not.toMatch(/<span class="nw">\/?data/);
    expect(html).toContain('<p class="lead">');
    expect(html).toMatch(/span\.nw \{ white-space: nowrap; \}/);
    expect(html).toMatch(/p\.lead \{ break-after: avoid;/);
  });
});

describe('the server without a browser', () => {
  it('answers a PDF request with 400 saying what to install or set, and still serves the other formats', async () => {
    const dir = exampleCopy();
    dirs.push(dir);
    const s = await startInProcess(dir, { now: () => new Date('2026-11-23T04:00:00Z'), env: { CHUJING_CHROMIUM: '/nonexistent/chromium' } });
    try {
      const pdf = await s.request('GET', `/v1/documents/plan?format=pdf&asOf=${AS_OF}`, { token: s.tokens.viewer, headers: { 'accept-language': 'zh-CN' } });
      expect(pdf.status).toBe(400);
      expect(pdf.text).toContain('/nonexistent/chromium处没有 Chromium');
      expect(pdf.text).toContain('CHUJING_CHROMIUM');
      const html = await s.request('GET', `/v1/documents/plan?format=html&asOf=${AS_OF}`, { token: s.tokens.viewer });
      expect(html.status).toBe(200);
      expect(pdfRendererOf(s.server.app)!.launches).toBe(0);
    } finally {
      await s.close();
    }
  }, 300_000);
});

/** Every heading of a document: its outline level (1-3) and text. */
function headingsOf(tree: DocumentTree<string>): { level: number; text: string }[] {
  return tree.body.flatMap((b) => (b.kind === 'heading' ? [{ level: b.level, text: b.text }] : []));
}

const ready = requireToolSets('the DOCX-in-LibreOffice, PDF layout and server browser tests (test/report/rendering.test.ts)', {
  libreoffice: [LIBREOFFICE, POPPLER],
  chromium: [CHROMIUM, POPPLER],
});

describe.skipIf(!ready.libreoffice)('every DOCX in LibreOffice (headless)', () => {
  let input: DocumentInput;
  let dir: string;
  const trees = new Map<string, DocumentTree<string>>();

  /** LibreOffice converts all the files in one start, with a profile of its own (no clash with a running one). */
  function convert(to: 'odt' | 'pdf', files: string[], outdir: string): void {
    mkdirSync(outdir, { recursive: true });
    const profile = `file://${join(dir, 'lo-profile')}`;
    const r = spawnSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', to, '--outdir', outdir, ...files], { encoding: 'utf8', timeout: 600_000 });
    expect(r.status, r.stderr).toBe(0);
  }

  beforeAll(async () => {
    input = await documentInputFor(EXAMPLE, context(), { asOf: AS_OF });
    dir = tempDir();
    // Written through the command line, as an officer would.
    for (const kind of DOCUMENT_KINDS) {
      const r = await cli(['report', kind, EXAMPLE, '--as-of', AS_OF, '--lang', 'zh', '--out', join(dir, `${kind}.docx`)]);
      expect(r.code, r.stderr).toBe(0);
      trees.set(kind, localize(buildDocument(input, kind).tree, 'zh'));
    }
    const files = DOCUMENT_KINDS.map((k) => join(dir, `${k}.docx`));
    convert('odt', files, join(dir, 'odt'));
    convert('pdf', files, join(dir, 'pdf'));
  }, 900_000);

  it.each(DOCUMENT_KINDS)('%s: the headings are headings, with their levels, and bookmarks in the exported PDF', (kind) => {
    const expected = headingsOf(trees.get(kind)!);
    expect(expected.length).toBeGreaterThan(2);
    const content = strFromU8(unzipSync(readFileSync(join(dir, 'odt', `${kind}.odt`)))['content.xml']!);
    const found = [...content.matchAll(/<text:h\b[^>]*text:outline-level="(\d)"[^>]*>([\s\S]*?)<\/text:h>/g)].map((m) => ({
      level: Number(m[1]),
      text: m[2]!.replace(/<text:s\/>/g, ' ').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'"),
    }));
    expect(found.map((h) => ({ level: h.level, text: squeeze(h.text) }))).toEqual(expected.map((h) => ({ level: h.level, text: squeeze(h.text) })));
    const pdf = join(dir, 'pdf', `${kind}.pdf`);
    expect(pdfInfo(pdf)).toMatch(/\(A4\)/);
    expect(pdfOutline(pdf).map(squeeze)).toEqual(expected.map((h) => squeeze(h.text)));
  });
});

describe('the DOCX follows the self-assessment template', () => {
  it('A4, margins 2.54/3.18 cm, 仿宋 body at a fixed 28 pt, 黑体 level 1, bold 楷体 level 2, outline levels, lead-ins kept with their tables', async () => {
    const input = await documentInputFor(EXAMPLE, context(), { asOf: AS_OF });
    const tree = localize(buildDocument(input, 'self-assessment').tree, 'zh');
    const zip = unzipSync(await writeDocx(tree, 'zh'));
    const document = strFromU8(zip['word/document.xml']!);
    const styles = strFromU8(zip['word/styles.xml']!);
    // 2.54 cm = 1440 twips, 3.18 cm = 1803 twips; A4 = 11906 x 16838.
    expect(document).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const margins = /<w:pgMar ([^>]*)\/>/.exec(document)![1]!;
    for (const [side, twips] of [['top', 1440], ['bottom', 1440], ['left', 1803], ['right', 1803]] as const) expect(margins).toContain(`w:${side}="${twips}"`);
    const style = (id: string) => new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>([\\s\\S]*?)</w:style>`).exec(styles)?.[1] ?? '';
    expect(style('Normal')).toMatch(/w:eastAsia="仿宋"/);
    expect(style('Normal')).toMatch(/<w:spacing [^>]*w:line="560"[^>]*w:lineRule="exact"|<w:spacing [^>]*w:lineRule="exact"[^>]*w:line="560"/);
    expect(style('Heading1')).toMatch(/<w:outlineLvl w:val="0"\/>/);
    expect(style('Heading1')).toMatch(/w:eastAsia="黑体"/);
    expect(style('Heading2')).toMatch(/<w:outlineLvl w:val="1"\/>/);
    expect(style('Heading2')).toMatch(/w:eastAsia="楷体"/);
    expect(style('Heading2')).toMatch(/<w:b\/>|<w:b w:val="true"\/>/);
    expect(style('Heading3')).toMatch(/<w:outlineLvl w:val="2"\/>/);
    // Every paragraph right before a table is kept with it (keep with next).
    const body = /<w:body>([\s\S]*)<\/w:body>/.exec(document)![1]!;
    const leadIns = [...body.matchAll(/<w:p>((?:(?!<w:p>)[\s\S])*?)<\/w:p><w:tbl>/g)].map((m) => m[1]!);
    const withText = leadIns.filter((p) => /<w:t[ >]/.test(p) && !/w:pStyle w:val="Heading/.test(p));
    expect(withText.length).toBeGreaterThan(0);
    for (const p of withText) expect(p).toContain('<w:keepNext/>');
  });
});

describe.skipIf(!ready.chromium)('PDF layout', () => {
  let renderer: PdfRenderer;
  beforeAll(() => {
    renderer = new PdfRenderer();
  });
  afterAll(async () => {
    await renderer?.close();
  });

  /** The page (1-based) whose text contains `needle`, or 0. */
  function pageOf(file: string, needle: string, pages: number): number {
    for (let p = 1; p <= pages; p++) {
      const r = spawnSync('pdftotext', ['-f', String(p), '-l', String(p), file, '-'], { encoding: 'utf8' });
      if (squeeze(r.stdout).includes(needle)) return p;
    }
    return 0;
  }

  it('a line that introduces a table is printed on the page where the table starts, wherever the page breaks', async () => {
    const dir = tempDir();
    const moved: number[] = [];
    // Filler paragraphs push the lead-in line down one line at a time across the end of page 1.
    for (let filler = 18; filler <= 27; filler++) {
      const tree: DocumentTree<string> = {
        kind: 'plan',
        title: '版式测试',
        subtitle: [],
        body: [
          ...Array.from({ length: filler }, (_, i) => ({ kind: 'paragraph' as const, content: [{ kind: 'text' as const, text: `第${i + 1}段。` }] })),
          { kind: 'paragraph', content: [{ kind: 'text', text: '引导语：下表列出各项出境活动。' }] },
          { kind: 'table', head: ['出境活动', '日期'], rows: [[[{ kind: 'code', text: 't-2026-013' }], [{ kind: 'text', text: '表格首行' }]]] },
        ],
        placeholders: [],
        rules: [],
      };
      const file = join(dir, `lead-${filler}.pdf`);
      writeFileSync(file, await renderer.render(writeHtml(tree, 'zh')));
      const pages = Number(/Pages:\s+(\d+)/.exec(pdfInfo(file))![1]);
      const lead = pageOf(file, '引导语', pages);
      const table = pageOf(file, '表格首行', pages);
      expect(lead, `${filler} filler paragraphs`).toBeGreaterThan(0);
      expect(table, `${filler} filler paragraphs`).toBe(lead);
      if (lead === 2) moved.push(filler);
    }
    // The page break did fall between some of them: the lead-in moved to page 2 with its table.
    expect(moved.length).toBeGreaterThan(0);
  }, 600_000);
});

describe.skipIf(!ready.chromium)('the server keeps one browser for its PDFs', () => {
  it('starts Chromium once for many PDFs, again after a crash, and closes it on shutdown', async () => {
    const dir = exampleCopy();
    dirs.push(dir);
    const s = await startInProcess(dir, { now: () => new Date('2026-11-23T04:00:00Z') });
    let closed = false;
    try {
      const renderer = pdfRendererOf(s.server.app)!;
      expect(renderer.launches).toBe(0);
      const get = async (kind: string) => {
        const r = await s.request('GET', `/v1/documents/${kind}?format=pdf&asOf=${AS_OF}`, { token: s.tokens.viewer });
        expect(r.status, r.text.slice(0, 300)).toBe(200);
        expect(r.text.slice(0, 5)).toBe('%PDF-');
      };
      await get('plan');
      await get('annual');
      await get('security-checklist');
      expect(renderer.launches).toBe(1);

      // Crash the browser: its main process killed, as the kernel's OOM killer would.
      const browser = await renderer.running!;
      const cdp = await browser.newBrowserCDPSession();
      const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
      const pid = info.processInfo.find((p) => p.type === 'browser')!.id;
      const gone = new Promise<void>((resolve) => browser.once('disconnected', () => resolve()));
      process.kill(pid, 'SIGKILL');
      await gone;
      await get('plan');
      expect(renderer.launches).toBe(2);

      const second = await renderer.running!;
      expect(second.isConnected()).toBe(true);
      await s.close();
      closed = true;
      expect(second.isConnected()).toBe(false);
      expect(renderer.running).toBeNull();
    } finally {
      if (!closed) await s.close();
    }
  }, 600_000);
});

