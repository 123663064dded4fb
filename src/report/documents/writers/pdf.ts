/**
 * PDF writer: the HTML document printed by headless Chromium (Debian's `/usr/bin/chromium`, driven by
 * playwright-core — never a downloaded browser). The browser starts with a fresh, throw-away profile,
 * every network request is refused (the HTML is self-contained; nothing may be fetched), and it waits
 * for the fonts to load, not for a time. `CHUJING_CHROMIUM` names another executable.
 *
 * A `PdfRenderer` keeps one browser for several documents (the server, the tests); `htmlToPdf` is the
 * one-shot form the CLI uses.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { ChujingError, badInput } from '../../../errors.js';
import { msg } from '../../../i18n/index.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

/** Generous: a busy two-core machine can take many seconds to start a browser. */
const TIMEOUT_MS = 180_000;

export interface PdfOptions {
  /** Footer text beside the page number (e.g. the document title). */
  footer?: string;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  return env.CHUJING_CHROMIUM || DEFAULT_CHROMIUM;
}

export class PdfRenderer {
  private context: Promise<BrowserContext> | null = null;
  private profile: string | null = null;

  constructor(private readonly executable: string = chromiumPath()) {}

  private async open(): Promise<BrowserContext> {
    if (!existsSync(this.executable)) {
      throw badInput(msg('doc.pdf.no-browser', { path: this.executable }), [
        { field: '--format', message: msg('doc.pdf.no-browser', { path: this.executable }), expected: msg('doc.pdf.no-browser-expected') },
      ]);
    }
    const { chromium } = await import('playwright-core');
    this.profile = mkdtempSync(join(tmpdir(), 'chujing-chromium-'));
    // --headless is passed by playwright itself (headless: true); the rest are ours.
    const context = await chromium.launchPersistentContext(this.profile, {
      executablePath: this.executable,
      headless: true,
      args: CHROMIUM_ARGS.filter((a) => a !== '--headless'),
      timeout: TIMEOUT_MS,
      offline: true,
    });
    await context.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    return context;
  }

  async render(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
    this.context ??= this.open();
    let context: BrowserContext;
    try {
      context = await this.context;
    } catch (e) {
      this.context = null; // a failed start is not cached: the next document tries again
      throw e;
    }
    const page = await context.newPage();
    try {
      page.setDefaultTimeout(TIMEOUT_MS);
      await page.setContent(html, { waitUntil: 'load', timeout: TIMEOUT_MS });
      // The page's fonts (system CJK fonts) must be loaded before printing; evaluated in the browser.
      await page.evaluate('document.fonts.ready.then(() => true)');
      const footer = `<div style="width:100%;font-size:8pt;text-align:center;color:#444;font-family:'Noto Sans CJK SC',sans-serif">${escapeHtml(options.footer ?? '')} — <span class="pageNumber"></span> / <span class="totalPages"></span></div>`;
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: '<div></div>',
        footerTemplate: footer,
      });
      return new Uint8Array(pdf);
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    const context = this.context;
    this.context = null;
    try {
      if (context) await (await context).close();
    } finally {
      if (this.profile) rmSync(this.profile, { recursive: true, force: true });
      this.profile = null;
    }
  }
}

/** Print one HTML document to PDF with a browser of its own. */
export async function htmlToPdf(html: string, options: PdfOptions & { executable?: string } = {}): Promise<Uint8Array> {
  const renderer = new PdfRenderer(options.executable);
  try {
    return await renderer.render(html, options);
  } catch (e) {
    if (e instanceof ChujingError) throw e;
    throw new ChujingError('internal', msg('doc.pdf.failed', { detail: (e as Error).message.split('\n')[0] ?? '' }));
  } finally {
    await renderer.close();
  }
}
