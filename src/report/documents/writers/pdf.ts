/**
 * PDF writer: the HTML document printed by headless Chromium (Debian's `/usr/bin/chromium`, driven by
 * playwright-core — never a downloaded browser; `CHUJING_CHROMIUM` names another executable). Each
 * document gets a fresh browser context (no state shared between documents) in which every network
 * request is refused (the HTML is self-contained; nothing may be fetched); printing waits for the fonts
 * to load, not for a time. The PDF has bookmarks from the headings and is tagged (Chromium's outline
 * and tagged-PDF output).
 *
 * A `PdfRenderer` keeps one browser for many documents: started on the first one, started again if it
 * crashed or was closed, closed by `close()`. The server keeps one for its life (starting Chromium
 * takes seconds on a busy machine; a new context takes milliseconds); `htmlToPdf` is the one-shot form
 * the CLI uses. A browser that cannot start is bad input to fix (exit 2, HTTP 400) with a message that
 * says what to install or set, never Playwright's own text.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
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

/** The executable is missing or does not start: what to install or set, in the user's language. */
function cannotStart(path: string, missing: boolean): ChujingError {
  const m = missing ? msg('doc.pdf.no-browser', { path }) : msg('doc.render.browser-failed', { path });
  return badInput(m, [{ field: 'CHUJING_CHROMIUM', message: m, expected: msg('doc.render.browser-expected') }]);
}

export class PdfRenderer {
  private browser: Promise<Browser> | null = null;
  private closed = false;
  /** How many times a browser was started (the server starts one, and again only after a crash). */
  launches = 0;

  constructor(private readonly executable: string = chromiumPath()) {}

  /** The running browser, if any (tests use it to crash the browser on purpose). */
  get running(): Promise<Browser> | null {
    return this.browser;
  }

  private launch(): Promise<Browser> {
    const started = (async () => {
      if (!existsSync(this.executable)) throw cannotStart(this.executable, true);
      const { chromium } = await import('playwright-core');
      this.launches += 1;
      let browser: Browser;
      try {
        // --headless is passed by playwright itself (headless: true); the rest are ours. Playwright gives
        // the browser a fresh temporary profile and removes it when the browser closes.
        browser = await chromium.launch({ executablePath: this.executable, headless: true, args: CHROMIUM_ARGS.filter((a) => a !== '--headless'), timeout: TIMEOUT_MS });
      } catch {
        throw cannotStart(this.executable, false);
      }
      // A browser that crashed or was closed is forgotten: the next document starts a new one.
      browser.on('disconnected', () => {
        if (this.browser === started) this.browser = null;
      });
      return browser;
    })();
    // A failed start is not kept either.
    started.catch(() => {
      if (this.browser === started) this.browser = null;
    });
    return started;
  }

  async render(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
    for (let attempt = 1; ; attempt++) {
      // Once closed (the server shutting down), no new browser: one started now would outlive it.
      if (this.closed) throw new Error('the PDF renderer is closed');
      const browser = await (this.browser ??= this.launch());
      try {
        return await print(browser, html, options);
      } catch (e) {
        // The browser died under this document (a crash, out of memory): once more with a new one.
        if (attempt === 1 && !browser.isConnected()) {
          if (this.browser && (await this.browser.catch(() => null)) === browser) this.browser = null;
          continue;
        }
        throw e;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = null;
    const b = await browser?.catch(() => null);
    if (b?.isConnected()) await b.close();
  }
}

async function print(browser: Browser, html: string, options: PdfOptions): Promise<Uint8Array> {
  const context = await browser.newContext({ offline: true });
  try {
    await context.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.setContent(html, { waitUntil: 'load', timeout: TIMEOUT_MS });
    // The page's fonts (system CJK fonts) must be loaded before printing; evaluated in the browser.
    await page.evaluate('document.fonts.ready.then(() => true)');
    const footer = `<div style="width:100%;font-size:8pt;text-align:center;color:#444;font-family:'Liberation Sans','WenQuanYi Zen Hei',sans-serif">${escapeHtml(options.footer ?? '')} — <span class="pageNumber"></span> / <span class="totalPages"></span></div>`;
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<div></div>',
      footerTemplate: footer,
      // Bookmarks from the headings; a tagged (structured, accessible) PDF.
      outline: true,
      tagged: true,
    });
    return new Uint8Array(pdf);
  } finally {
    await context.close().catch(() => undefined);
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
