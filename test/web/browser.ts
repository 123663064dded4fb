/// <reference lib="dom" />
/**
 * The browser for the web UI's tests: Debian's Chromium driven by playwright-core (never a browser
 * download), headless, with the network-quiet flags this machine needs. Playwright gives every launch a
 * fresh temporary profile (its own --user-data-dir), so no state leaks between runs. Also: the
 * accessibility check (axe-core from npm, evaluated in the page) and the screenshots shared by the
 * tests and `npm run screenshots`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from '../../src/report/documents/writers/pdf.js';
import { REPO_ROOT } from '../helpers/cli.js';

export const CHROMIUM = chromiumPath();

/** Whether Chromium is here: a browser test skips with one line when it is not, and fails on CI. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs chromium`);
  console.warn(`skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Everything the page reported as an error (script errors, CSP violations), except failed requests
 * the test provoked on purpose (a 412, a 400: Chromium logs those as "Failed to load resource"). */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's WCAG 2.x A and AA rules on the page as it is now; the serious and critical violations.
 * The script is evaluated through the DevTools protocol, so the page's Content-Security-Policy (which
 * allows only its own scripts) stays on during the tests.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  const result = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  })) as AxeViolation[];
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Where screenshots go: docs/screenshots with `npm run screenshots`, a temporary folder otherwise. */
export const SHOT_DIR = process.env.CHUJING_SCREENSHOT_DIR ? resolve(REPO_ROOT, process.env.CHUJING_SCREENSHOT_DIR) : mkdtempSync(join(tmpdir(), 'chujing-shots-'));
mkdirSync(SHOT_DIR, { recursive: true });

/** What a person sees on opening the page (the window), or the whole page when `full`. */
export async function screenshot(page: Page, name: string, full = false): Promise<string> {
  const file = join(SHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: full, animations: 'disabled' });
  return file;
}
