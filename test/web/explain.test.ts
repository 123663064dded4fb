/// <reference lib="dom" />
/**
 * Issue 20 in Debian's Chromium, in Chinese: every blocked transfer explained (the decision page, from
 * the ledger's decision list and from a gate execution in the ledger), every UI page without an
 * untranslated string (test/helpers/untranslated.ts, the CLI's rule), the tab naming the page, the
 * sign-in page laid out at 1366 px naming the workspace served, a viewer without edit forms, "keep my
 * version" merging three ways, provisional deadlines with their reason on hover. axe on the new pages.
 * One browser for the file.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { TITLED_CODES, untranslated, userStringsOf } from '../helpers/untranslated.js';
import { eventually, exampleCopy, removeDir, startInProcess, type InProcess } from '../server/helpers.js';
import { browserAvailable, collectErrors, launchBrowser, screenshot, seriousViolations } from './browser.js';

const NOW = new Date('2026-11-23T04:00:00Z');
const WAIT = 60_000;
const run = browserAvailable();

const CODES = TITLED_CODES;


describe.skipIf(!run)('web UI: blocks explained, Chinese throughout', () => {
  let s: InProcess;
  let dir: string;
  let base: string;
  let browser: Browser;
  let zh: BrowserContext;
  let page: Page;
  let errors: string[];
  let denied: { id: string; rules: string[]; workspaceRevision: string; revision?: string };
  let executed: string;

  beforeAll(async () => {
    dir = exampleCopy();
    s = await startInProcess(dir, { now: () => NOW });
    base = await s.server.listen();
    // The gate executes a transfer that is not in the workspace (its ledger entry has the decision's id),
    // and denies another.
    const allowed = await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: { datasets: ['fleet-diagnostics'], recipient: 'acme-gmbh', purpose: 'warranty analysis', time: '2026-11-20T10:00:00+08:00', execute: true } });
    expect(allowed.status, allowed.text).toBe(201);
    executed = allowed.body.id;
    const d = await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: { datasets: ['crm-buyers-h2'], recipient: 'acme-hq-crm', purpose: 'global CRM', time: '2026-11-21T10:00:00+08:00' } });
    expect(d.body.result).toBe('deny');
    // The gateway gets only what it acts on; the officer's view of the same decision has its rules.
    denied = (await s.request('GET', `/v1/decisions/${d.body.id}`, { token: s.tokens.viewer })).body;
    browser = await launchBrowser();
    zh = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    page = await zh.newPage();
    page.setDefaultTimeout(WAIT);
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await s?.close();
    if (dir) removeDir(dir);
  });

  async function settled(p: Page = page) {
    await p.locator('main [data-testid]').first().waitFor();
    await p.waitForFunction(() => !document.querySelector('[aria-busy=true]') && !document.body.innerText.includes('正在加载'));
    await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }

  it('lays the sign-in page out at 1366 px, naming the workspace served, with no literal backticks', async () => {
    await page.goto(base);
    const signin = page.getByTestId('signin');
    await signin.waitFor();
    expect(await page.title()).toBe('登录 · chujing');
    const served = relative(process.cwd(), dir).startsWith('..') ? dir : relative(process.cwd(), dir);
    expect(await page.getByTestId('signin-workspace').textContent()).toContain(served);
    const text = await signin.innerText();
    expect(text).not.toContain('`');
    expect(text).not.toContain('examples/acme-auto');
    expect(text).toContain(`chujing serve ${served}`);
    // Two columns side by side, each wider than a phone.
    const boxes = await signin.locator('section').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
    expect(boxes).toHaveLength(2);
    expect(boxes[0]!.width).toBeGreaterThan(400);
    expect(boxes[1]!.width).toBeGreaterThan(400);
    expect(Math.abs(boxes[0]!.top - boxes[1]!.top)).toBeLessThan(2);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'signin-zh-1366');
  });

  it('explains a denied decision: what was asked, the answer, reasons, rules, revision and what would make it pass', async () => {
    await page.goto(s.server.loginLink(base));
    await page.getByRole('heading', { level: 1, name: '概览' }).waitFor();
    await page.goto(`${base}/#/ledger`);
    await settled();
    await page.getByTestId('decisions').getByRole('link', { name: denied.id }).click();
    await page.getByTestId('decision').waitFor();
    await settled();
    expect(await page.title()).toBe(`决定 ${denied.id} · chujing`);
    expect(await page.getByTestId('decision-result').textContent()).toBe('拒绝');
    // The same reasons as the API, rendered in Chinese.
    const api = (await s.request('GET', `/v1/decisions/${denied.id}`, { token: s.tokens.viewer, headers: { 'accept-language': 'zh-CN' } })).body;
    const reasons = await page.getByTestId('decision-reasons').locator('li').allTextContents();
    expect(reasons).toEqual(api.reasons.map((r: { text: string }) => r.text));
    expect(api.rules.length).toBeGreaterThan(0);
    for (const rule of api.rules) await page.getByTestId('decision-rules').getByRole('button', { name: `查看规则 ${rule} 的说明` }).waitFor();
    expect(await page.getByTestId('decision-revision').textContent()).toBe(api.revision ?? api.workspaceRevision);
    // What would make it pass: the engine's own list of what the nearest approvals lack.
    const pass = page.getByTestId('decision-to-pass');
    await pass.getByText('需要一项出境路径为').waitFor();
    const missing = await pass.locator('ul.missing li').allTextContents();
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.join('\n')).toContain('acme-hq-crm');
    await page.getByTestId('decision-asked').getByText('acme-cn → acme-hq-crm').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'decision-zh', true);
  });

  it('opens a gate execution in the ledger on the decision that allowed it', async () => {
    await page.goto(`${base}/#/ledger`);
    await settled();
    await page.getByTestId('ledger-recent').getByRole('link', { name: executed }).click();
    await page.getByTestId('decision').waitFor();
    await settled();
    expect(await page.getByTestId('decision-result').textContent()).toBe('允许');
    await page.getByTestId('decision-to-pass').getByText('无需任何操作').waitFor();
    expect(await page.locator('main').innerText()).not.toContain('没有 id 为');
  });

  it('shows every UI page in Chinese: no untranslated string, each tab titled with its page', async () => {
    const user = [...userStringsOf(dir), 'warranty analysis', 'global CRM', ...Object.keys(s.tokens), denied.id, executed];
    const pages: [string, string][] = [
      ['overview', '概览 · chujing'],
      ['transfers', '数据出境活动 · chujing'],
      ['transfers/t-2026-003', 't-2026-003 · 数据出境活动 · chujing'],
      ['datasets', '数据集 · chujing'],
      ['datasets/adas-road-test', 'adas-road-test · 数据集 · chujing'],
      ['approvals', '审批、备案与期限 · chujing'],
      ['ledger', '台账 · chujing'],
      [`decisions/${denied.id}`, `决定 ${denied.id} · chujing`],
      ['rules', '规则 · chujing'],
      ['documents', '申报材料 · chujing'],
      ['edit/transfers/t-2026-004', 't-2026-004 · 编辑 · chujing'],
      ['new/approvals', '新增条目 · chujing'],
    ];
    const found: Record<string, { line: string; words: string[] }[]> = {};
    for (const [p, title] of pages) {
      await page.goto(`${base}/#/${p}`);
      await settled();
      // Open every folded section so that its text is read too.
      await page.evaluate(() => document.querySelectorAll('main details').forEach((d) => ((d as HTMLDetailsElement).open = true)));
      expect(await page.title(), p).toBe(title);
      // A code may follow its Chinese title in small type (.code-tag), commands are typed as they are, and
      // source keys are identifiers like rule IDs.
      const text = await page.evaluate(() => {
        const hidden = Array.from(document.querySelectorAll<HTMLElement>('main .code-tag, main pre.cmd, main code.source-key'));
        hidden.forEach((e) => (e.style.display = 'none'));
        const t = document.querySelector('main')!.innerText;
        hidden.forEach((e) => (e.style.display = ''));
        return t;
      });
      const bad = untranslated(text, { userStrings: user, codes: CODES });
      if (bad.length) found[p] = bad;
    }
    // A rule's explanation, with its data types.
    await page.goto(`${base}/#/rules`);
    await settled();
    await page.getByRole('button', { name: '查看规则 IMP-DA-R5 的说明' }).first().click();
    const dialog = page.getByRole('dialog', { name: '规则 IMP-DA-R5' });
    await dialog.getByTestId('rule-data-types').first().getByText('算法训练数据').waitFor();
    const dialogText = await dialog.evaluate((d) => {
      const hidden = Array.from(d.querySelectorAll<HTMLElement>('.code-tag'));
      hidden.forEach((e) => (e.style.display = 'none'));
      const t = (d as HTMLElement).innerText;
      hidden.forEach((e) => (e.style.display = ''));
      return t;
    });
    const badDialog = untranslated(dialogText, { userStrings: user, codes: CODES });
    if (badDialog.length) found['rule dialog IMP-DA-R5'] = badDialog;
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(found).toEqual({});
  });

  it('marks provisional deadlines, with the reason on hover', async () => {
    // A standard contract taking effect in 2027: its filing deadline is counted in working days through
    // the provisional 2027 calendar.
    const added = await s.request('POST', '/v1/workspace/approvals', {
      token: s.tokens.officer,
      body: { id: 'sc-2027-001', mechanism: 'standard-contract', reference: 'SC-2027-TEST', status: 'applied', effective: '2027-01-28', covers: { datasets: ['driver-trajectories'], recipients: ['acme-gmbh'] } },
    });
    expect(added.status, added.text).toBe(201);
    await eventually(async () => {
      const st = await s.request('GET', '/v1/ui/status', { token: s.tokens.viewer });
      return st.body.deadlines?.some((d: { approval: string; provisionalYears: number[] }) => d.approval === 'sc-2027-001' && d.provisionalYears.length > 0) || undefined;
    });
    await page.goto(`${base}/#/approvals`);
    await settled();
    const marks = page.getByTestId('deadline-table').getByTestId('provisional');
    expect(await marks.count()).toBeGreaterThan(0);
    for (const m of await marks.all()) {
      expect(await m.textContent()).toContain('暂定');
      expect(await m.getAttribute('title')).toMatch(/暂定工作日历/);
    }
    await screenshot(page, 'provisional-zh');
    // The calendar file says it too, in the event's description.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-ics').click()]);
    const ics = readFileSync((await download.path())!, 'utf8').replace(/\r\n /g, '');
    const event = ics.split('BEGIN:VEVENT').find((e) => e.includes('UID:sc-2027-001.'))!;
    expect(event).toMatch(/DESCRIPTION:[^\n]*暂定工作日历/);
  });

  it('keeps the other officer\'s fields the user did not edit when the user keeps their version', async () => {
    const yamlFile = join(dir, 'transfers', '2026.yaml');
    await page.goto(`${base}/#/edit/transfers/t-2026-008`);
    const form = page.getByTestId('edit-form');
    await form.getByRole('heading', { level: 1, name: /t-2026-008/ }).waitFor();
    await form.getByLabel('出境目的').waitFor();
    const current = await s.request('GET', '/v1/workspace/transfers/t-2026-008', { token: s.tokens.officer });
    const put = await s.request('PUT', '/v1/workspace/transfers/t-2026-008', { token: s.tokens.officer, body: { ...current.body.entry, channel: 'colleague-sftp' }, headers: { 'if-match': current.body.etag } });
    expect(put.status, put.text).toBe(200);
    await form.getByLabel('出境目的').fill('my own purpose');
    await form.getByTestId('save').click();
    await page.getByTestId('conflict').waitFor();
    await page.getByTestId('conflict-mine').click();
    await form.getByTestId('save').click();
    await page.getByTestId('flash').waitFor();
    const yaml = readFileSync(yamlFile, 'utf8');
    const entry = yaml.slice(yaml.indexOf('id: t-2026-008'));
    expect(entry.slice(0, entry.indexOf('- id:'))).toMatch(/purpose: my own purpose[\s\S]*channel: colleague-sftp|channel: colleague-sftp[\s\S]*purpose: my own purpose/);
  });

  it('gives a viewer no edit form, only the reason', async () => {
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    try {
      const p = await ctx.newPage();
      p.setDefaultTimeout(WAIT);
      await p.goto(base);
      await p.getByRole('textbox', { name: 'API 令牌' }).fill(s.tokens.viewer);
      await p.getByRole('button', { name: '登录' }).click();
      await p.getByRole('heading', { level: 1, name: '概览' }).waitFor();
      await p.goto(`${base}/#/edit/transfers/t-2026-004`);
      await p.getByTestId('read-only').getByText('您的角色（查看者）只能查看，不能修改工作区。').waitFor();
      expect(await p.getByTestId('edit-form').count()).toBe(0);
      expect(await p.getByTestId('save').count()).toBe(0);
      for (const path of ['transfers', 'transfers/t-2026-003', 'datasets', 'datasets/adas-road-test', 'approvals']) {
        await p.goto(`${base}/#/${path}`);
        await settled(p);
        expect(await p.locator('main a[href*="#/edit/"], main a[href*="#/new/"]').count(), path).toBe(0);
      }
    } finally {
      await ctx.close();
    }
  });

  it('loads at most 150 KiB (gzip) for the first page, and the forms only when one is opened', async () => {
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    try {
      const p = await ctx.newPage();
      p.setDefaultTimeout(WAIT);
      await p.goto(base);
      await p.getByRole('textbox', { name: 'API 令牌' }).fill(s.tokens.officer);
      await p.getByRole('button', { name: '登录' }).click();
      await p.getByTestId('overview').waitFor();
      await settled(p);
      const assets = () => p.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((u) => u.startsWith('/assets/')));
      const first = await assets();
      const size = (paths: string[]) => paths.reduce((n, u) => n + gzipSync(readFileSync(join(REPO_ROOT, 'dist', 'web', u)), { level: 9 }).length, 0);
      const html = gzipSync(readFileSync(join(REPO_ROOT, 'dist', 'web', 'index.html')), { level: 9 }).length;
      expect(html + size(first)).toBeLessThanOrEqual(150 * 1024);
      // The form (with the workspace schema and its validator) is its own chunk, loaded on opening it.
      await p.goto(`${base}/#/edit/transfers/t-2026-004`);
      await p.getByTestId('edit-form').getByLabel('出境目的').waitFor();
      const added = (await assets()).filter((u) => !first.includes(u));
      expect(added.length).toBeGreaterThan(0);
      expect(size(added)).toBeGreaterThan(30 * 1024);
    } finally {
      await ctx.close();
    }
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    expect(errors).toEqual([]);
  });
});
