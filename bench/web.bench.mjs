// The web UI's transfer list on workspaces of 100, 300 and 10,000 transfers, side by side: how long
// until the page is interactive (its first page of rows rendered), in wall time and in CPU (the
// server's, from /proc, and the page's main thread, from Chromium's Performance metrics).
//
// Measured: the first visit after `chujing serve` starts (the server prepares the assessment in the
// background once it listens; the visit finds it ready or awaits the rest of it; the server CPU of that
// window includes the preparation), a warm
// visit (the assessment is memoised per workspace revision), moving to the next page, and the cost of
// what is shipped: one page from /v1/ui/transfers against the whole assessment (/v1/assessment) fetched
// and parsed in the page — what a client that listed transfers from the full document would pay.
//
// The baseline, measured in the same run: a static HTML page of the same size (every byte the first visit
// fetched: the page, its scripts and styles, the JSON) holding the same rendered list, served by the same
// server (`/assets/`, which `chujing serve` reads from dist/web at start), opened after a fresh start.
// Also the weight of the first page: the gzip size of what the first visit loads.
//
// `npm run bench -- web`; CHUJING_BENCH_WEB_SIZES=100,10000 to choose sizes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIZES = (process.env.CHUJING_BENCH_WEB_SIZES ?? '100,300,10000').split(',').map(Number);
const CHROMIUM = process.env.CHUJING_CHROMIUM ?? '/usr/bin/chromium';
const TICK = 1000 / 100; // /proc CPU ticks (USER_HZ 100 on Linux)
const RUNS = Number(process.env.CHUJING_BENCH_WEB_RUNS ?? 5);

/** The run with the median wall time (the machine is shared: one sample says little). */
function median(runs) {
  const sorted = [...runs].sort((a, b) => a.wall - b.wall);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The same shape of workspace as bench/assess.bench.mjs: one dataset per 20 transfers, 20 recipients. */
function generate(transfers) {
  const datasets = Math.max(10, Math.round(transfers / 20));
  const lines = ['version: 1', 'organization: { id: acme, name: ACME, processorType: oem, group: g }', 'affiliates:', '  - { id: sub, name: Sub, processorType: dealer, group: g }', 'recipients:'];
  for (let r = 0; r < 20; r++) lines.push(`  - { id: r${r}, name: Recipient ${r}, country: DE }`);
  lines.push('datasets:');
  for (let d = 0; d < datasets; d++) {
    if (d % 3 === 0) lines.push(`  - { id: d${d}, name: imagery ${d}, scenario: driving-automation, dataType: algorithm-training-data, facts: { maxFaceBoxMinSidePx: ${16 + (d % 40)}, rawImageryHours: ${d * 7} } }`);
    else lines.push(`  - { id: d${d}, name: crm ${d}, scenario: other, dataType: customers, personalInfo: { persons: ${50 + (d % 500)}, sensitivePersons: ${d % 7 === 0 ? 3 : 0} } }`);
  }
  lines.push('approvals:', '  - { id: sa, mechanism: security-assessment, issued: 2025-01-02, covers: { recipients: [r0, r1] } }', '  - { id: sc, mechanism: standard-contract, effective: 2025-01-05, covers: { recipients: [r2, r3, r4] } }');
  lines.push('transfers:');
  for (let t = 0; t < transfers; t++) {
    const day = 1 + (t % 28);
    const month = 1 + (Math.floor(t / 28) % 12);
    const year = 2025 + (Math.floor(t / 336) % 2);
    lines.push(`  - { id: t${t}, date: ${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}, datasets: [d${t % datasets}], recipient: r${t % 20}, purpose: p${t % 5}${t % 4 === 0 ? ', organization: sub' : ''} }`);
  }
  return `${lines.join('\n')}\n`;
}

function cpuMsOf(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK; // utime + stime
}

async function serve(dir) {
  const child = spawn(process.execPath, [join(ROOT, 'bin/chujing.js'), 'serve', dir, '--port', '0', '--log-level', 'warn'], { env: { ...process.env, LANG: 'en_US.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  for (;;) {
    const m = /(http:\/\/\S+)\/login\?token=\S+/.exec(out);
    if (m) return { child, url: m[1], login: m[0] };
    if (child.exitCode !== null) throw new Error(`serve exited:\n${out}`);
    await sleep(50);
  }
}

async function pageCpuMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value * 1000;
}

/** Open the transfer list and wait until its first page of rows is on screen and the view is idle. */
async function visit(page, cdp, url) {
  const cpu0 = await pageCpuMs(cdp);
  const t0 = performance.now();
  await page.goto(url);
  await page.waitForSelector('[data-testid=transfers][aria-busy=false] [data-testid=transfer-table] tbody tr', { timeout: 600_000 });
  const wall = performance.now() - t0;
  const rows = await page.locator('[data-testid=transfer-table] tbody tr').count();
  return { wall, cpu: (await pageCpuMs(cdp)) - cpu0, rows };
}

const fmt = (n) => n.toFixed(0).padStart(7);
const ASSETS = join(ROOT, 'dist', 'web', 'assets');

/** The gzip size (what a compressing proxy would send) of the scripts and styles the first visit loaded. */
function firstPageWeight(urls, origin) {
  let raw = 0;
  let gz = 0;
  for (const u of urls) {
    if (!u.startsWith(`${origin}/assets/`) && u !== `${origin}/`) continue;
    const path = u === `${origin}/` ? join(ROOT, 'dist', 'web', 'index.html') : join(ASSETS, u.slice(`${origin}/assets/`.length));
    const body = readFileSync(path);
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  return { raw, gz };
}

/**
 * The same rendered list as one static HTML page of the same number of bytes, served as an asset by a
 * fresh `chujing serve` of the same workspace, opened RUNS times: the floor a page of that size costs.
 */
async function staticBaseline(dir, loaded) {
  const name = `bench-static-${process.pid}.html`;
  const file = join(ASSETS, name);
  const head = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>baseline</title></head><body>${loaded.html}</body></html>`;
  const pad = Math.max(0, loaded.bytes - Buffer.byteLength(head) - 9);
  writeFileSync(file, head.replace('</body>', `<!--${'x'.repeat(pad)}--></body>`));
  const server = await serve(dir);
  try {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      await page.goto('about:blank');
      const t0 = performance.now();
      await page.goto(`${server.url}/assets/${name}`, { waitUntil: 'load' });
      await page.waitForSelector('[data-testid=transfer-table] tbody tr');
      runs.push({ wall: performance.now() - t0 });
    }
    await context.close();
    return { bytes: readFileSync(file).length, first: runs[0].wall, median: median(runs).wall };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    rmSync(file, { force: true });
  }
}
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
const results = [];
try {
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), `chujing-bench-web-${n}-`));
    writeFileSync(join(dir, 'chujing.yaml'), generate(n));
    const server = await serve(dir);
    try {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const srv0 = cpuMsOf(server.child.pid);
      // Sign in (the session cookie lands in the context), then open the transfer list: the first visit
      // after start reads the assessment the server prepared (or is still preparing) since it listened.
      const login = await context.request.get(server.login, { maxRedirects: 0 });
      if (login.status() !== 303) throw new Error(`login: ${login.status()}`);
      const first = await visit(page, cdp, `${server.url}/#/transfers`);
      const firstWall = first.wall;
      const firstCpu = first.cpu;
      const srvFirst = cpuMsOf(server.child.pid) - srv0;
      // What the first visit loaded (same-origin resources: the page, scripts, styles, JSON), and the
      // list as rendered, for the static baseline.
      const loaded = await page.evaluate(() => {
        const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
        return { urls: entries.map((e) => e.name), bytes: entries.reduce((n, e) => n + (e.decodedBodySize || 0), 0), html: document.querySelector('main').outerHTML };
      });
      // Warm: fresh page loads of the list (assessment memoised for this revision); the median of RUNS.
      const warms = [];
      for (let i = 0; i < RUNS; i++) {
        const srv1 = cpuMsOf(server.child.pid);
        await page.goto('about:blank');
        const v = await visit(page, cdp, `${server.url}/#/transfers`);
        warms.push({ ...v, server: cpuMsOf(server.child.pid) - srv1 });
      }
      const warm = median(warms);
      const srvWarm = warm.server;
      // The next page of 50: one small request and a re-render (the median of RUNS page turns, on the
      // 300- and 10,000-transfer lists; the 100-transfer list has one more page only).
      const nexts = [];
      for (let i = 0; i < Math.min(RUNS, Math.ceil(n / 50) - 1); i++) {
        const cpuN = await pageCpuMs(cdp);
        const tN = performance.now();
        await page.getByRole('button', { name: '下一页' }).first().click();
        const offset = 50 * (i + 1);
        await page.waitForFunction((o) => location.hash.includes(`offset=${o}`) && document.querySelector('[data-testid=transfers][aria-busy=false]'), offset, { timeout: 600_000 });
        nexts.push({ wall: performance.now() - tN, cpu: (await pageCpuMs(cdp)) - cpuN });
      }
      const next = median(nexts);
      // What is shipped: one page against the whole assessment, fetched and parsed in the page.
      const shipped = await page.evaluate(async () => {
        const one = async (u) => {
          const t = performance.now();
          const r = await fetch(u);
          const text = await r.text();
          JSON.parse(text);
          return { ms: performance.now() - t, bytes: new TextEncoder().encode(text).length };
        };
        return { page: await one('/v1/ui/transfers?limit=50'), full: await one('/v1/assessment') };
      });
      await context.close();
      const weight = firstPageWeight(loaded.urls, server.url);
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
      const baseline = await staticBaseline(dir, loaded);
      results.push({ n, rows: warm.rows, firstWall, firstCpu, srvFirst, warm, srvWarm, next, shipped, weight, baseline });
    } finally {
      if (server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await new Promise((r) => server.child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  await browser.close();
}

console.log(`Transfer list (50 rows a page) — time to interactive, wall and CPU in ms (warm visits and page turns: median of ${RUNS})`);
console.log('transfers | first visit: wall  page CPU  server CPU | warm visit: wall  page CPU  server CPU | next page: wall  page CPU | one page: KiB  ms | whole assessment: KiB  ms');
for (const r of results) {
  console.log(
    `${String(r.n).padStart(9)} |           ${fmt(r.firstWall)}  ${fmt(r.firstCpu)}  ${fmt(r.srvFirst)}    |          ${fmt(r.warm.wall)}  ${fmt(r.warm.cpu)}  ${fmt(r.srvWarm)}    |        ${fmt(r.next.wall)}  ${fmt(r.next.cpu)} |   ${fmt(r.shipped.page.bytes / 1024)} ${fmt(r.shipped.page.ms)} |          ${fmt(r.shipped.full.bytes / 1024)} ${fmt(r.shipped.full.ms)}`,
  );
}
console.log('\nAgainst the static baseline (the same rendered list as one static HTML page of the same bytes, same server):');
console.log('transfers | first page loads: KiB  gzip KiB | UI first visit ms | static page: KiB  first ms  median ms | UI first / static first');
for (const r of results) {
  console.log(
    `${String(r.n).padStart(9)} |              ${fmt(r.weight.raw / 1024)}  ${fmt(r.weight.gz / 1024)} |           ${fmt(r.firstWall)} |         ${fmt(r.baseline.bytes / 1024)}  ${fmt(r.baseline.first)}  ${fmt(r.baseline.median)} |   x${(r.firstWall / r.baseline.first).toFixed(2)}`,
  );
}
const base = results[0];
for (const r of results.slice(1)) {
  console.log(
    `${r.n} vs ${base.n} transfers (x${r.n / base.n}): warm visit wall x${(r.warm.wall / base.warm.wall).toFixed(2)}, page CPU x${(r.warm.cpu / base.warm.cpu).toFixed(2)}; next page wall x${(r.next.wall / base.next.wall).toFixed(2)}; first visit wall x${(r.firstWall / base.firstWall).toFixed(1)} (server CPU x${(r.srvFirst / base.srvFirst).toFixed(1)}: the assessment)`,
  );
  console.log(`  ${r.n} transfers: the whole assessment is ${(r.shipped.full.bytes / r.shipped.page.bytes).toFixed(0)}x the bytes of one page and takes ${(r.shipped.full.ms / r.shipped.page.ms).toFixed(0)}x as long to fetch and parse`);
}
