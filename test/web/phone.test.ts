/// <reference lib="dom" />
/**
 * The web UI on a phone (issue 20): every page at 360×740 and 390×844 in Debian's Chromium, in Chinese.
 * No page scrolls sideways (`scrollWidth <= innerWidth`: wide tables scroll inside their own box with the
 * first column fixed), the navigation is a menu behind a button, the pager's buttons keep their words on
 * one line, and axe-core finds nothing serious. Screenshots of both sizes (docs/screenshots with
 * `npm run screenshots`). One browser for the file.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCopy, removeDir, startInProcess, type InProcess } from '../server/helpers.js';
import { browserAvailable, collectErrors, launchBrowser, screenshot, seriousViolations } from './browser.js';

const NOW = new Date('2026-11-23T04:00:00Z');
const WAIT = 60_000;
const SIZES = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
];
/** Pages screenshotted at both sizes (all are checked). */
const SHOTS = new Set(['overview', 'transfers', 'transfers/t-2026-003', 'approvals', 'ledger', 'decision']);

const run = browserAvailable();

describe.skipIf(!run)('web UI on a phone', () => {
  let s: InProcess;
  let dir: string;
  let base: string;
  let browser: Browser;
  let denied: string;

  beforeAll(async () => {
    dir = exampleCopy();
    s = await startInProcess(dir, { now: () => NOW });
    base = await s.server.listen();
    const allowed = await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: { datasets: ['fleet-diagnostics'], recipient: 'acme-gmbh', purpose: 'warranty analysis', time: '2026-11-20T10:00:00+08:00', execute: true } });
    expect(allowed.status, allowed.text).toBe(201);
    const d = await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: { datasets: ['crm-buyers-h2'], recipient: 'acme-hq-crm', purpose: 'global CRM', time: '2026-11-21T10:00:00+08:00' } });
    expect(d.body.result).toBe('deny');
    denied = d.body.id;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await s?.close();
    if (dir) removeDir(dir);
  });

  async function settled(page: Page) {
    await page.locator('main [data-testid]').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('[aria-busy=true]') && !document.body.innerText.includes('正在加载'));
    // Two frames: the page marks its overflowing boxes focusable on the next one.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }

  for (const size of SIZES) {
    it(`fits ${size.width}×${size.height} on every page, with the navigation in a menu`, async () => {
      const ctx = await browser.newContext({ locale: 'zh-CN', viewport: size, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
      try {
        const page = await ctx.newPage();
        page.setDefaultTimeout(WAIT);
        const errors = collectErrors(page);
        // Signed out: the sign-in page fits too.
        await page.goto(base);
        await page.getByTestId('signin').waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await page.goto(s.server.loginLink(base));
        await page.getByRole('heading', { level: 1, name: '概览' }).waitFor();

        // The navigation is behind the menu button; the button opens it and a choice closes it.
        const nav = page.getByRole('navigation', { name: '页面' });
        const menu = page.getByTestId('menu');
        expect(await nav.isVisible()).toBe(false);
        expect(await menu.getAttribute('aria-expanded')).toBe('false');
        await menu.click();
        await nav.waitFor({ state: 'visible' });
        expect(await menu.getAttribute('aria-expanded')).toBe('true');
        await screenshot(page, `phone-${size.width}-menu`);
        await nav.getByRole('link', { name: '台账' }).click();
        await page.getByTestId('ledger').waitFor();
        await nav.waitFor({ state: 'hidden' });

        const pages = ['overview', 'transfers', 'transfers/t-2026-003', 'datasets', 'datasets/adas-road-test', 'approvals', 'ledger', `decisions/${denied}`, 'rules', 'documents', 'edit/transfers/t-2026-004', 'new/approvals', 'new/datasets', 'nothing-here'];
        const wide: Record<string, number> = {};
        const axe: Record<string, unknown> = {};
        for (const p of pages) {
          await page.goto(`${base}/#/${p}`);
          if (p === 'nothing-here') await page.getByText('没有该页面。').waitFor();
          else await settled(page);
          const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
          if (scroll > inner) wide[p] = scroll;
          const name = p.startsWith('decisions/') ? 'decision' : p;
          if (SHOTS.has(name)) await screenshot(page, `phone-${size.width}-${name.replace(/\//g, '-')}`);
          if (size.width === 360) {
            const v = await seriousViolations(page);
            if (v.length) axe[p] = v;
          }
        }
        expect(wide, `pages wider than ${size.width} px`).toEqual({});
        expect(axe).toEqual({});

        // Wide tables scroll in their own box, their first column fixed.
        await page.goto(`${base}/#/transfers`);
        await settled(page);
        const table = page.getByTestId('transfer-table');
        const box = await table.evaluate((t) => {
          const scroller = t.closest('.scroll') ?? t;
          const first = t.querySelector('tbody tr > :first-child')!;
          return { overflow: getComputedStyle(scroller).overflowX, scrolls: scroller.scrollWidth > scroller.clientWidth, sticky: getComputedStyle(first).position };
        });
        expect(box.overflow).toBe('auto');
        expect(box.sticky).toBe('sticky');
        // The pager's buttons keep their words on one line.
        for (const b of await page.locator('.pager .btn').all()) {
          const r = (await b.boundingBox())!;
          expect(r.width).toBeGreaterThan(r.height);
          expect(r.height).toBeLessThan(48);
        }
        expect(errors).toEqual([]);
      } finally {
        await ctx.close();
      }
    });
  }
});
