// Assess generated workspaces of 1k, 10k, 100k and 1M transfers (CHUJING_BENCH_SIZES to change), each in
// its own process so that peak RSS is its own: CPU and wall time of every stage (read, parse, validate,
// references, engine, JSON output, table output), peak RSS, and the memory retained after each stage
// per transfer — so that growth is visible (it should be linear) and it is clear where memory goes.
// Baseline in the same run: the `yaml` package's parse of the same text (the parser used before; skipped
// above 100k transfers, where it takes minutes), and `node -e 0`'s RSS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SIZES = (process.env.CHUJING_BENCH_SIZES ?? '1000,10000,100000,1000000').split(',').map(Number);
const BASELINE_MAX = Number(process.env.CHUJING_BENCH_BASELINE_MAX ?? 100000);

export function generate(transfers) {
  const datasets = Math.max(10, Math.round(transfers / 20));
  const lines = ['version: 1', 'organization: { id: acme, name: ACME, processorType: oem, group: g }',
    'affiliates:', '  - { id: sub, name: Sub, processorType: dealer, group: g }', 'recipients:'];
  for (let r = 0; r < 20; r++) lines.push(`  - { id: r${r}, name: Recipient ${r}, country: DE }`);
  lines.push('datasets:');
  for (let d = 0; d < datasets; d++) {
    if (d % 3 === 0) lines.push(`  - { id: d${d}, name: imagery ${d}, scenario: driving-automation, dataType: algorithm-training-data, facts: { maxFaceBoxMinSidePx: ${16 + (d % 40)}, rawImageryHours: ${d * 7} } }`);
    else lines.push(`  - { id: d${d}, name: crm ${d}, scenario: other, dataType: customers, personalInfo: { persons: ${50 + (d % 500)}, sensitivePersons: ${d % 7 === 0 ? 3 : 0} } }`);
  }
  lines.push('approvals:', '  - { id: sa, mechanism: security-assessment, issued: 2025-01-02, covers: { recipients: [r0, r1] } }',
    '  - { id: sc, mechanism: standard-contract, effective: 2025-01-05, covers: { recipients: [r2, r3, r4] } }');
  lines.push('transfers:');
  for (let t = 0; t < transfers; t++) {
    const day = 1 + (t % 28);
    const month = 1 + (Math.floor(t / 28) % 12);
    const year = 2025 + (Math.floor(t / 336) % 2);
    lines.push(`  - { id: t${t}, date: ${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}, datasets: [d${t % datasets}], recipient: r${t % 20}, purpose: p${t % 5}${t % 4 === 0 ? ', organization: sub' : ''} }`);
  }
  return lines.join('\n') + '\n';
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const mb = (n) => (n / 1048576).toFixed(0);

async function child(file, n, withBaseline) {
  const [{ loadWorkspace }, { checkReferences }, { assess, assessStream }, { writeJsonStream }, { writeAssessHuman }, { streamedJson, streamedHuman }, { STREAM_ABOVE }] = await Promise.all([
    import('../dist/model/load.js'),
    import('../dist/model/references.js'),
    import('../dist/engine/assess.js'),
    import('../dist/report/json-stream.js'),
    import('../dist/report/assess-human.js'),
    import('../dist/report/assess-stream.js'),
    import('../dist/cli/commands/assess.js'),
  ]);
  const stages = {};
  const retained = {};
  const measureHeap = (name) => {
    globalThis.gc();
    const m = process.memoryUsage();
    retained[name] = m.heapUsed + m.external + m.arrayBuffers;
  };
  measureHeap('start');
  const time = async (name, fn) => {
    const [w0, c0] = [performance.now(), cpu()];
    const value = await fn();
    stages[name] = { wallMs: performance.now() - w0, cpuMs: cpu() - c0 };
    measureHeap(name);
    return value;
  };
  let loaded = await time('load', () =>
    loadWorkspace(file, process.cwd(), {
      onStage: (stage, t) => {
        stages[stage] = t;
        if (stage === 'parse' || stage === 'validate') measureHeap(stage);
      },
    }),
  );
  delete stages.load;
  await time('references', () => checkReferences(loaded));
  const workspace = loaded.workspace;
  loaded = undefined;
  // As the CLI does: above STREAM_ABOVE transfers the engine streams (its first pass is the engine stage;
  // writing judges the transfers again, once for JSON and twice for the table's two passes).
  const streamed = n > STREAM_ABOVE;
  const report = await time('engine', () => (streamed ? assessStream({ workspace, asOf: '2026-12-31' }) : assess({ workspace, asOf: '2026-12-31' })));
  let jsonBytes = 0;
  await time('json', () => writeJsonStream({ write: (s) => void (jsonBytes += s.length) }, streamed ? streamedJson(report) : report, 'en'));
  if (!streamed && report.transfers.length !== n) throw new Error('engine lost transfers');
  if (streamed && report.tail().summary.transfers !== n) throw new Error('engine lost transfers');
  let tableBytes = 0;
  await time('table', () => writeAssessHuman({ write: (s) => void (tableBytes += s.length) }, streamed ? streamedHuman(report) : report, 'en', { width: 100 }));
  let baseline = null;
  if (withBaseline) {
    const { parse } = await import('yaml');
    const text = readFileSync(file, 'utf8');
    const [w0, c0] = [performance.now(), cpu()];
    parse(text, { uniqueKeys: true });
    baseline = { wallMs: performance.now() - w0, cpuMs: cpu() - c0 };
  }
  return { stages, retained, jsonBytes, tableBytes, baseline, maxRssKb: process.resourceUsage().maxRSS };
}

/** The error path: the same workspace with a bad date in its last transfer, through `validate`. */
async function errorChild(file) {
  const { main } = await import('../dist/cli/main.js');
  let stderr = '';
  const [w0, c0] = [performance.now(), cpu()];
  const code = await main(['validate', file], { stdout: { write() {}, isTTY: false }, stderr: { write: (s) => void (stderr += s), isTTY: false }, env: {} });
  const wallMs = performance.now() - w0;
  return { code, wallMs, cpuMs: cpu() - c0, maxRssKb: process.resourceUsage().maxRSS, located: /:\d+:\d+ transfers\[\d+\]\.date/.test(stderr) };
}

if (process.argv[2] === '--error-child') {
  process.stdout.write(JSON.stringify(await errorChild(process.argv[3])));
} else if (process.argv[2] === '--child') {
  const result = await child(process.argv[3], Number(process.argv[4]), process.argv[5] === 'baseline');
  process.stdout.write(JSON.stringify(result));
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const self = fileURLToPath(import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'chujing-bench-assess-'));
  const base = spawnSync(process.execPath, ['-e', '0']);
  const nodeRss = (() => {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.resourceUsage().maxRSS))'], { encoding: 'utf8' });
    return Number(r.stdout) * 1024;
  })();
  void base;
  const STAGES = ['read', 'parse', 'validate', 'references', 'engine', 'json', 'table'];
  const rows = [];
  try {
    for (const n of SIZES) {
      const file = join(dir, `ws-${n}.yaml`);
      const text = generate(n);
      writeFileSync(file, text);
      const r = spawnSync(process.execPath, ['--expose-gc', ...(process.env.CHUJING_BENCH_HEAP_MB ? [`--max-old-space-size=${process.env.CHUJING_BENCH_HEAP_MB}`] : []), self, '--child', file, String(n), n <= BASELINE_MAX ? 'baseline' : ''], { encoding: 'utf8', maxBuffer: 1 << 26 });
      // The same file with an error at its very end: how long until the user is told where it is.
      const lastDate = text.lastIndexOf('date: ');
      writeFileSync(file, `${text.slice(0, lastDate)}date: 2026-02-30${text.slice(lastDate + 16)}`);
      const e = spawnSync(process.execPath, [self, '--error-child', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
      const errorPath = e.status === 0 ? JSON.parse(e.stdout) : { failed: e.stderr.slice(-500) };
      rmSync(file);
      if (r.status !== 0) {
        console.log(`${n} transfers: FAILED (exit ${r.status})\n${r.stderr.slice(-2000)}`);
        process.exitCode = 1;
        continue;
      }
      rows.push({ n, bytes: text.length, errorPath, ...JSON.parse(r.stdout) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (t) => `${t.cpuMs.toFixed(0)}/${t.wallMs.toFixed(0)}`;
  console.log('CPU/wall ms per stage (CPU first: wall on a busy machine is mostly waiting)');
  console.log(['transfers', 'file MB', ...STAGES, 'total', 'µs CPU/transfer', 'yaml pkg parse (before)', 'parse vs before'].map((h, i) => (i === 0 ? h.padStart(9) : h.padStart(Math.max(11, h.length)))).join('  '));
  for (const r of rows) {
    const total = STAGES.reduce((a, s) => ({ cpuMs: a.cpuMs + r.stages[s].cpuMs, wallMs: a.wallMs + r.stages[s].wallMs }), { cpuMs: 0, wallMs: 0 });
    r.total = total;
    const cells = [
      String(r.n).padStart(9),
      (r.bytes / 1048576).toFixed(1).padStart(11),
      ...STAGES.map((s) => fmt(r.stages[s]).padStart(Math.max(11, s.length))),
      fmt(total).padStart(11),
      ((total.cpuMs * 1000) / r.n).toFixed(1).padStart(15),
      (r.baseline ? fmt(r.baseline) : 'skipped').padStart(23),
      (r.baseline ? `${(r.baseline.cpuMs / r.stages.parse.cpuMs).toFixed(1)}x faster` : '-').padStart(15),
    ];
    console.log(cells.join('  '));
  }
  console.log('\nCPU share of each stage:');
  for (const r of rows) console.log(`${String(r.n).padStart(9)}  ${STAGES.map((s) => `${s} ${((100 * r.stages[s].cpuMs) / r.total.cpuMs).toFixed(0)}%`).join(', ')}`);
  console.log(`\nMemory (node -e 0 peak RSS: ${mb(nodeRss)} MB). Retained heap after each stage, bytes per transfer above the start (the text is ~${(rows.at(-1)?.bytes / rows.at(-1)?.n || 0).toFixed(0)} bytes/transfer):`);
  console.log(['transfers', 'peak RSS MB', 'x node', 'peak B/transfer', 'after parse', 'after validate', 'after references', 'after engine', 'JSON MB', 'table MB'].map((h) => h.padStart(Math.max(9, h.length))).join('  '));
  for (const r of rows) {
    const per = (k) => ((r.retained[k] - r.retained.start) / r.n).toFixed(0);
    console.log(
      [
        String(r.n).padStart(9),
        mb(r.maxRssKb * 1024).padStart(11),
        ((r.maxRssKb * 1024) / nodeRss).toFixed(1).padStart(6),
        ((r.maxRssKb * 1024 - nodeRss) / r.n).toFixed(0).padStart(15),
        per('parse').padStart(11),
        per('validate').padStart(14),
        per('references').padStart(16),
        per('engine').padStart(12),
        mb(r.jsonBytes).padStart(9),
        mb(r.tableBytes).padStart(9),
      ].join('  '),
    );
  }
  console.log('\nError path: `validate` on the same file with a bad date in the last transfer (exit 2, file:line:column named):');
  for (const r of rows) {
    const e = r.errorPath;
    console.log(e.failed ? `${String(r.n).padStart(9)}  FAILED ${e.failed}` : `${String(r.n).padStart(9)}  CPU ${e.cpuMs.toFixed(0)} ms, wall ${e.wallMs.toFixed(0)} ms, peak RSS ${mb(e.maxRssKb * 1024)} MB, exit ${e.code}, line and column given: ${e.located}`);
  }
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    console.log(`growth ${a.n} -> ${b.n} (x${b.n / a.n}): CPU x${(b.total.cpuMs / a.total.cpuMs).toFixed(1)}, peak RSS x${(b.maxRssKb / a.maxRssKb).toFixed(1)}`);
  }
}
