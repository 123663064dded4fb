/// <reference lib="dom" />
/**
 * The web UI in Debian's Chromium through the real server (in this process, listening on loopback) on
 * a private copy of the example workspace: sign-in by the one-time link and by a token, every page, a
 * rule's explanation, the calendar download, an edit that changes a transfer's path (and the YAML file,
 * comments kept), a conflicting edit, a validation error in Chinese, the language switch, and axe-core's
 * accessibility check. One browser for the file; every wait is on an event or on the page's content.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg } from '../../src/i18n/index.js';
import { exampleCopy, removeDir, startInProcess, type InProcess } from '../server/helpers.js';
import { CHROMIUM, requireTools } from '../helpers/tools.js';
import { collectErrors, launchBrowser, screenshot, seriousViolations } from './browser.js';

// A fixed "today" so that states, deadlines and screenshots do not change from day to day.
const NOW = new Date('2026-11-23T04:00:00Z');
const WAIT = 60_000;

const ready = requireTools('the web UI test (test/web/ui.test.ts)', CHROMIUM);

describe.skipIf(!ready)('web UI in Chromium', () => {
  let s: InProcess;
  let dir: string;
  let base: string;
  let browser: Browser;
  let zh: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    dir = exampleCopy();
    s = await startInProcess(dir, { now: () => NOW });
    base = await s.server.listen();
    // Something in the ledger and the decision log: one allowed and recorded transfer, one denied.
    const allowed = await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: { datasets: ['fleet-diagnostics'], recipient: 'acme-gmbh', purpose: 'warranty analysis', time: '2026-11-20T10:00:00+08:00', execute: true } });
    expect(allowed.status, allowed.text).toBe(201);
    const denied = await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: { datasets: ['crm-buyers-h2'], recipient: 'acme-hq-crm', purpose: 'global CRM', time: '2026-11-21T10:00:00+08:00' } });
    expect(denied.body.result).toBe('deny');
    browser = await launchBrowser();
    // Chinese is what this browser asks for.
    zh = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    page = await zh.newPage();
    page.setDefaultTimeout(WAIT);
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await s?.close();
    if (dir) removeDir(dir);
  });

  it('signs in with the one-time link and shows the overview in Chinese', async () => {
    await page.goto(s.server.loginLink(base));
    await page.getByRole('heading', { level: 1, name: '概览' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const assessment = (await s.request('GET', '/v1/assessment', { token: s.tokens.viewer })).body;
    for (const path of ['security-assessment', 'standard-contract-or-certification', 'exempt', 'prohibited']) {
      expect(await page.getByTestId(`count-${path}`).locator('.card-n').textContent()).toBe(String(assessment.summary.byPath[path]));
    }
    expect(await page.getByTestId('count-uncovered').locator('.card-n').textContent()).toBe(String(assessment.summary.uncovered));
    // The year-to-date picture: one per organisation, with the persons drawn against the thresholds.
    for (const org of assessment.organizations) await page.getByTestId(`ytd-${org.organization}`).waitFor();
    await expect(page.getByTestId('ytd-acme-charging').locator('svg').getAttribute('aria-label')).resolves.toContain('1,050,000');
    await screenshot(page, 'overview-zh', true);
    // The one-time link works once.
    const again = await fetch(new URL(s.server.loginLink(base)).href.replace(/token=.*/, 'token=used'), { redirect: 'manual' });
    expect(again.status).toBe(401);
  });

  it('shows on the overview what the server reports in /v1/health (here: servers deciding on different workspaces), and nothing when all is well', async () => {
    await page.goto(`${base}/#/`);
    await page.getByRole('heading', { level: 1, name: '概览' }).waitFor();
    expect(await page.getByTestId('server-problems').count()).toBe(0);
    // A problem one of the server's own checks reports (fleet.ts; here without a second server).
    const check = () => [{ message: msg('server.health.fleet-disagrees', { revision: 'sha256:aaa', others: 'host-b pid 42 (sha256:bbb)', seconds: 10 }) }];
    s.server.core.healthChecks.push(check);
    try {
      await page.reload();
      const box = page.getByTestId('server-problems');
      await box.getByText('服务器报告问题').waitFor();
      await box.getByText('host-b pid 42 (sha256:bbb)', { exact: false }).waitFor();
      // The page and /v1/health say the same.
      const health = (await s.request('GET', '/v1/health', { token: s.tokens.viewer })).body;
      const overview = (await s.request('GET', '/v1/ui/overview', { token: s.tokens.viewer })).body;
      expect(overview.problems.map((p: any) => [p.code, p.params])).toEqual(health.problems.map((p: any) => [p.code, p.params]));
    } finally {
      s.server.core.healthChecks.splice(s.server.core.healthChecks.indexOf(check), 1);
    }
  });

  it('lists transfers a page at a time and explains one, each rule opening its explanation', async () => {
    await page.goto(`${base}/#/transfers`);
    const rows = page.getByTestId('transfer-table').locator('tbody tr');
    await rows.first().waitFor();
    const total = (await s.request('GET', '/v1/assessment', { token: s.tokens.viewer })).body.transfers.length;
    expect(await rows.count()).toBe(total);
    await screenshot(page, 'transfers-zh');
    // Filter by path in the URL's state: only security-assessment transfers.
    await page.getByLabel('出境路径').selectOption('security-assessment');
    await page.waitForURL(/path=security-assessment/);
    await page.locator('[data-testid=transfers][aria-busy=false]').waitFor();
    const paths = await page.getByTestId('transfer-table').locator('tbody tr td:nth-child(5) .badge').allTextContents();
    expect(paths.length).toBeGreaterThan(0);
    expect(new Set(paths)).toEqual(new Set(['数据出境安全评估']));

    await page.goto(`${base}/#/transfers/t-2026-003`);
    await page.getByTestId('transfer-detail').waitFor();
    expect(await page.getByTestId('transfer-path').textContent()).toContain('数据出境安全评估');
    await page.getByText('尚缺').waitFor();
    await page.getByText('个人信息保护法规定的义务').waitFor();
    await page.getByRole('button', { name: '查看规则 PATH-SA-1 的说明' }).click();
    const dialog = page.getByRole('dialog', { name: '规则 PATH-SA-1' });
    await dialog.getByText('出处').first().waitFor();
    await screenshot(page, 'rule-dialog-zh');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await screenshot(page, 'transfer-zh');

    // Which exemption claim takes which dataset out, and why (the engine's per-dataset coverage).
    await page.goto(`${base}/#/transfers/t-2026-002`);
    const coverage = page.getByTestId('claim-coverage');
    await coverage.waitFor();
    expect(await coverage.locator('tbody tr').count()).toBe(1);
    expect(await coverage.locator('tbody tr').first().textContent()).toContain('bom-global');
    expect(await coverage.locator('tbody tr').first().textContent()).toContain('予以豁免');
  });

  it('shows datasets with findings, measured against declared facts, evidence and advisories apart', async () => {
    await page.goto(`${base}/#/datasets/adas-road-test`);
    await page.getByTestId('dataset-detail').waitFor();
    const comparison = page.getByTestId('fact-comparison');
    await comparison.getByText('申报偏低').waitFor();
    await page.getByText('data/adas/labels.json').waitFor();
    await page.getByRole('heading', { name: /提示性判定/ }).waitFor();
    await screenshot(page, 'dataset-zh');
    await page.goto(`${base}/#/datasets`);
    await page.getByTestId('recipients').waitFor();
    await screenshot(page, 'datasets-zh');
  });

  it('draws approvals on a timeline and downloads the deadlines as .ics', async () => {
    await page.goto(`${base}/#/approvals`);
    await page.getByTestId('timeline').waitFor();
    await page.getByTestId('deadline-table').waitFor();
    // SA-6's extension condition (SA-6-C1, UPD-9) with the coming window: stated, never decided.
    const condition = page.getByTestId('deadline-table').getByTestId('extension-conditions');
    await condition.waitFor();
    const conditionText = await condition.textContent();
    expect(conditionText).toContain('延期条件');
    expect(conditionText).toContain('未经证实');
    expect(conditionText).toContain('20%');
    // Stated once in the deadline's row (not again among its calendar notes).
    const row = await page.getByTestId('deadline-table').locator('tr', { has: page.getByTestId('extension-conditions') }).textContent();
    expect(row!.split('不超过 20%').length - 1).toBe(1);
    expect(await page.locator('#approval-sa-2026-001').getByTestId('extension-conditions').count()).toBe(1);
    await screenshot(page, 'approvals-zh');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-ics').click()]);
    const file = await download.path();
    const ics = readFileSync(file!, 'utf8');
    expect(ics).toMatch(/^BEGIN:VCALENDAR/);
    expect(ics).toContain('sa-2026-001');
  });

  it('shows the ledger: counts, chain verification, recent transfers and the gate\'s decisions', async () => {
    await page.goto(`${base}/#/ledger`);
    await page.getByTestId('ledger-verify').getByText('台账的哈希链完整。').waitFor();
    await page.getByTestId('ledger-recent').getByText('fleet-diagnostics').waitFor();
    const decisions = page.getByTestId('decisions');
    await decisions.getByText('允许').first().waitFor();
    await decisions.getByText('拒绝').first().waitFor();
    await page.getByTestId('decision-log-verify').waitFor();
    await screenshot(page, 'ledger-zh');
  });

  it('browses rule packs, and shows the open questions with the settings in force', async () => {
    await page.goto(`${base}/#/rules`);
    await page.getByTestId('judgment-rules').waitFor();
    await page.getByTestId('settings').getByText('count-in-both').waitFor();
    await screenshot(page, 'rules-zh');
  });

  it('downloads a document for the regulator, drafted for the transfer it was opened from', async () => {
    await page.goto(`${base}/#/transfers/t-2026-003`);
    await page.getByTestId('transfer-detail').waitFor();
    await page.getByRole('link', { name: '申报材料' }).last().click();
    const card = page.getByRole('form', { name: '数据出境风险自评估报告' });
    await card.waitFor();
    expect(await card.getByLabel('出境活动（可选）').inputValue()).toBe('t-2026-003');
    await card.getByLabel('格式').selectOption('md');
    await screenshot(page, 'documents-zh');
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByTestId('download-self-assessment').click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text).toMatch(/^# 数据出境风险自评估报告/);
    expect(text).toContain('t-2026-003');
  });

  it('edits a transfer in a form: its path changes, the YAML keeps its comments, every page follows', async () => {
    const yamlFile = join(dir, 'transfers', '2026.yaml');
    const before = readFileSync(yamlFile, 'utf8');
    const comments = before.split('\n').filter((l) => l.trim().startsWith('#'));
    await page.goto(`${base}/#/transfers/t-2026-011`);
    await page.getByTestId('transfer-detail').waitFor();
    expect(await page.getByTestId('transfer-path').textContent()).not.toContain('数据出境安全评估');
    await page.getByRole('link', { name: '编辑' }).click();
    const form = page.getByTestId('edit-form');
    await form.waitFor();
    // Add important data (the ADAS imagery) to the transfer.
    await form.getByRole('checkbox', { name: /adas-road-test/ }).check();
    await screenshot(page, 'edit-zh');
    await form.getByTestId('save').click();
    await page.getByTestId('flash').waitFor();
    await page.getByTestId('transfer-detail').waitFor();
    await page.getByTestId('transfer-path').getByText('数据出境安全评估').waitFor();
    const after = readFileSync(yamlFile, 'utf8');
    expect(after).toMatch(/t-2026-011[\s\S]*adas-road-test/);
    expect(after.split('\n').filter((l) => l.trim().startsWith('#'))).toEqual(comments);
    // The overview reads the new assessment.
    const assessment = (await s.request('GET', '/v1/assessment', { token: s.tokens.viewer })).body;
    await page.goto(`${base}/#/overview`);
    await page.getByTestId('overview').waitFor();
    expect(await page.getByTestId('count-security-assessment').locator('.card-n').textContent()).toBe(String(assessment.summary.byPath['security-assessment']));
    expect(assessment.transfers.find((t: { id: string }) => t.id === 't-2026-011').path).toBe('security-assessment');
  });

  it('shows a conflicting edit instead of overwriting it', async () => {
    const yamlFile = join(dir, 'transfers', '2026.yaml');
    await page.goto(`${base}/#/edit/transfers/t-2026-008`);
    const form = page.getByTestId('edit-form');
    await form.waitFor();
    // Meanwhile someone else saves the same transfer.
    const current = await s.request('GET', '/v1/workspace/transfers/t-2026-008', { token: s.tokens.officer });
    const theirs = { ...current.body.entry, purpose: 'global CRM, changed by a colleague' };
    const put = await s.request('PUT', '/v1/workspace/transfers/t-2026-008', { token: s.tokens.officer, body: theirs, headers: { 'if-match': current.body.etag } });
    expect(put.status, put.text).toBe(200);
    await form.getByLabel('出境目的').fill('my own purpose');
    await form.getByTestId('save').click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    await conflict.getByText('global CRM, changed by a colleague').waitFor();
    await conflict.getByText('my own purpose').waitFor();
    await screenshot(page, 'conflict-zh');
    const yaml = readFileSync(yamlFile, 'utf8');
    expect(yaml).toContain('global CRM, changed by a colleague');
    expect(yaml).not.toContain('my own purpose');
    await conflict.getByTestId('conflict-theirs').click();
    await conflict.waitFor({ state: 'detached' });
    expect(await form.getByLabel('出境目的').inputValue()).toBe('global CRM, changed by a colleague');
  });

  it('explains a validation error in Chinese, next to the field, and writes nothing', async () => {
    const root = join(dir, 'chujing.yaml');
    const before = readFileSync(root, 'utf8');
    await page.goto(`${base}/#/new/recipients`);
    const form = page.getByTestId('edit-form');
    await form.waitFor();
    await form.getByLabel(/编号/).fill('acme-jp');
    await form.getByLabel(/^国家或地区/).fill('Japan');
    await form.getByTestId('save').click();
    const summary = page.getByTestId('form-errors');
    await summary.waitFor();
    await form.locator('#f-country-error').getByText('须为两个大写字母的国家或地区代码（ISO 3166-1），如 DE').waitFor();
    await summary.getByText(/须为两个大写字母/).waitFor();
    await form.getByText('必填').first().waitFor();
    expect(await form.getByLabel(/^国家或地区/).getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'validation-zh');
    expect(readFileSync(root, 'utf8')).toBe(before);
    expect((await s.request('GET', '/v1/workspace/recipients/acme-jp', { token: s.tokens.viewer })).status).toBe(404);
  });

  it('switches to English in one click and back, and remembers the choice', async () => {
    await page.goto(`${base}/#/overview`);
    await page.getByRole('heading', { level: 1, name: '概览' }).waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('link', { name: 'Transfers' }).waitFor();
    await screenshot(page, 'overview-en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { level: 1, name: '概览' }).waitFor();
  });

  it('signs in with an API token in a browser that asks for English', async () => {
    const en = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
    try {
      const p = await en.newPage();
      p.setDefaultTimeout(WAIT);
      const errs = collectErrors(p);
      await p.goto(base);
      await p.getByRole('heading', { level: 1, name: 'Sign in to chujing' }).waitFor();
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByText('Enter the API token.').waitFor();
      await p.getByLabel('API token').fill('chj_not-a-real-token');
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('alert').getByText(/not valid/).first().waitFor();
      expect(await seriousViolations(p)).toEqual([]);
      await screenshot(p, 'signin-en');
      await p.getByLabel('API token').fill(s.tokens.viewer);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      await p.getByText('Signed in as viewer').waitFor();
      // A viewer sees no edit actions; a laptop-width page still shows the navigation and the content.
      await p.goto(`${base}/#/transfers/t-2026-003`);
      await p.getByTestId('transfer-detail').waitFor();
      expect(await p.getByRole('link', { name: 'Edit' }).count()).toBe(0);
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(1024);
      await screenshot(p, 'transfer-en-1024');
      expect(errs).toEqual([]);
    } finally {
      await en.close();
    }
  });

  it('has no serious accessibility violations (axe-core, WCAG 2.1 A and AA) on any page', async () => {
    const pages = ['overview', 'transfers', 'transfers/t-2026-003', 'datasets', 'datasets/adas-road-test', 'approvals', 'ledger', 'rules', 'documents', 'edit/transfers/t-2026-004', 'new/approvals', 'new/datasets'];
    const found: Record<string, unknown> = {};
    for (const p of pages) {
      await page.goto(`${base}/#/${p}`);
      await page.locator('main [data-testid]').first().waitFor();
      await page.waitForFunction(() => !document.querySelector('[aria-busy=true]') && !document.body.innerText.includes('正在加载'));
      const v = await seriousViolations(page);
      if (v.length) found[p] = v;
    }
    expect(found).toEqual({});
    // Keyboard: the skip link is the first stop and leads to the content.
    await page.goto(`${base}/#/overview`);
    await page.reload();
    await page.getByTestId('overview').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    expect(errors).toEqual([]);
  });
});
