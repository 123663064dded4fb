/**
 * PDF: printed by Debian's headless Chromium from the HTML. One browser for the whole file (a busy
 * two-core machine starts one slowly); every wait is on an event, never on a time. Each document is
 * rendered to PNG/PGM with poppler (not blank), its text extracted (the Chinese headings are there:
 * CJK glyphs with a Unicode mapping), its fonts embedded as TrueType subsets (no Type 3 glyph
 * procedures), its bookmarks the document's headings, and the HTML itself loaded in the browser
 * without errors. Skipped with one line when Chromium or poppler is missing (fails on CI).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentInputFor } from '../../src/report/documents/input.js';
import { DOCUMENT_KINDS, PdfRenderer, renderDocument, type DocumentInput } from '../../src/report/documents/index.js';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/report/documents/writers/pdf.js';
import { localize } from '../../src/report/documents/localize.js';
import { buildDocument } from '../../src/report/documents/index.js';
import { runCli } from '../helpers/cli.js';
import { CHROMIUM, PDF_FONTS, POPPLER, requireToolSets } from '../helpers/tools.js';
import { MAX_UNBREAKABLE, UNBREAKABLE_TOKEN } from '../../src/report/documents/writers/layout.js';
import { AS_OF, EXAMPLE, context, darkShare, documentStrings, pdfFontList, pdfInfo, pdfOutline, pdfText, removeDir } from './helpers.js';

const ready = requireToolSets('the PDF tests (test/report/pdf.test.ts)', { pdf: [CHROMIUM, POPPLER], fonts: [PDF_FONTS] });

let input: DocumentInput;
let renderer: PdfRenderer;
let dir: string;

describe.skipIf(!ready.pdf)('PDF', () => {
  beforeAll(async () => {
    input = await documentInputFor(EXAMPLE, context(), { asOf: AS_OF });
    renderer = new PdfRenderer(chromiumPath());
    dir = mkdtempSync(join(tmpdir(), 'chujing-pdf-'));
  });

  afterAll(async () => {
    await renderer?.close();
    if (dir) removeDir(dir);
  });

  const TITLES_ZH: Record<string, string> = {
    'self-assessment': '数据出境风险自评估报告',
    declaration: '数据出境安全评估申报表（草稿）',
    pipia: '个人信息保护影响评估报告',
    'sc-filing': '个人信息出境标准合同备案材料清单',
    plan: '数据出境实施计划',
    'security-checklist': '汽车数据出境安全保护要求核查表',
    annual: '年度汽车数据安全管理情况报告（数据出境部分）',
  };

  describe('PDF (zh) of every document', () => {
    it.each(DOCUMENT_KINDS)('%s renders A4 pages with Chinese text, none blank', async (kind) => {
      const out = await renderDocument(input, { kind, format: 'pdf', lang: 'zh' }, { pdf: renderer });
      expect(out.contentType).toBe('application/pdf');
      expect(new TextDecoder().decode(out.bytes.subarray(0, 5))).toBe('%PDF-');
      const file = join(dir, `${kind}.pdf`);
      writeFileSync(file, out.bytes);
      const info = pdfInfo(file);
      expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
      const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
      expect(pages).toBeGreaterThan(0);
      // Every page has ink on it; the first is well covered (title, tables).
      for (let p = 1; p <= Math.min(pages, 3); p++) expect(darkShare(file, p, dir), `page ${p}`).toBeGreaterThan(0.005);
      // The CJK glyphs are embedded with a Unicode mapping: the text comes back out of the PDF.
      const text = pdfText(file).replace(/\s+/g, '');
      expect(text).toContain(TITLES_ZH[kind]);
      expect(text).toContain('待人工填写事项');
      // Every font embedded as a TrueType subset with a Unicode map: none drawn as Type 3 glyph procedures
      // (what a CFF CJK font such as Noto CJK, or an emboldened glyph, becomes), a Chinese one among them.
      const fonts = pdfFontList(file);
      expect(fonts.length).toBeGreaterThan(0);
      expect(fonts.every((f) => f.embedded && f.unicode)).toBe(true);
      if (ready.fonts) {
        expect(fonts.filter((f) => f.type !== 'CID TrueType')).toEqual([]);
        expect(fonts.map((f) => f.name).join(' ')).toMatch(/UMing|ZenHei|UKai/);
      }
      // Bookmarks: the title, then every heading, in order (Chromium drops the space where a long
      // heading wraps: compared without spaces).
      const tree = localize(buildDocument(input, kind).tree, 'zh');
      const headings = tree.body.flatMap((b) => (b.kind === 'heading' ? [b.text] : []));
      const squeeze = (h: string) => h.replace(/\s+/g, '');
      expect(pdfOutline(file).map(squeeze)).toEqual([tree.title, ...headings].map(squeeze));
      // No identifier, date or figure is broken across lines (`t-2026-/013` in a narrow table column):
      // each comes out of the PDF whole, on one line.
      const lines = pdfText(file);
      const tokens = new Set(documentStrings(tree).flatMap((s) => [...s.matchAll(UNBREAKABLE_TOKEN)].map((m) => m[0]).filter((t) => t.length <= MAX_UNBREAKABLE)));
      expect(tokens.size).toBeGreaterThan(3);
      expect([...tokens].filter((t) => !lines.includes(t))).toEqual([]);
    });
  });

  describe('HTML in the browser', () => {
    it('loads every document (zh, en) without console errors, page errors or requests', async () => {
      // The renderer's browser refuses every request; the page must not need any.
      const { chromium } = await import('playwright-core');
      const profile = mkdtempSync(join(tmpdir(), 'chujing-chromium-test-'));
      const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS.filter((a) => a !== '--headless'), timeout: 180_000, offline: true });
      try {
        const page = await context.newPage();
        const problems: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
        });
        page.on('pageerror', (e) => problems.push(e.message));
        page.on('request', (r) => {
          if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
        });
        for (const kind of DOCUMENT_KINDS) {
          for (const lang of ['zh', 'en'] as const) {
            const html = new TextDecoder().decode((await renderDocument(input, { kind, format: 'html', lang })).bytes);
            await page.setContent(html, { waitUntil: 'load', timeout: 180_000 });
            const title = await page.title();
            expect(title.length).toBeGreaterThan(0);
            const marks = await page.locator('mark.placeholder').count();
            // The plan only lists steps; every other document has something only a person can write.
            if (kind !== 'plan') expect(marks, `${kind} ${lang}`).toBeGreaterThan(0);
          }
        }
        expect(problems).toEqual([]);
        expect(requests).toEqual([]);
      } finally {
        await context.close();
        removeDir(profile);
      }
    });
  });

  describe('chujing report … --out FILE.pdf (the real binary)', () => {
    it('writes a PDF and exits 0', () => {
      const file = join(dir, 'cli-plan.pdf');
      const r = runCli(['report', 'plan', 'examples/acme-auto', '--as-of', AS_OF, '--lang', 'en', '--transfer', 't-2026-006', '--out', file]);
      expect(r.stderr).toContain(`wrote ${file}: Data outbound implementation plan`);
      expect(r.code).toBe(0);
      const text = pdfText(file);
      expect(text).toContain('Data outbound implementation plan');
      expect(darkShare(file, 1, dir)).toBeGreaterThan(0.005);
    });
  });
});
