// `npm run bench -- server`: the decision API over HTTP (autocannon, in this process) against the
// server in a child process, side by side with the same framework's bare "hello" route (the ceiling on
// this machine) and chujing's own public health route (its hooks: headers, logging), with the decision
// log on and off; then the decision's time in process (the engine as the server calls it) beside a
// whole `assess` of the workspace. Wall time and the server's CPU time per request are both printed:
// on a shared machine the CPU figures compare better than the wall ones.
//
// Options (environment): CHUJING_BENCH_SECONDS (default 5), CHUJING_BENCH_CONNECTIONS (default 32),
// CHUJING_BENCH_DATABASE_URL (also run the decision rows against this PostgreSQL).
import { fork } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = fileURLToPath(new URL('.', import.meta.url));
const seconds = Number(process.env.CHUJING_BENCH_SECONDS ?? 5);
const connections = Number(process.env.CHUJING_BENCH_CONNECTIONS ?? 32);
const KEY = 'bench-hmac-key-0123456789abcdef';

function workspaceCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-bench-server-'));
  cpSync(join(here, '..', 'examples', 'acme-auto'), dir, { recursive: true, filter: (s) => !s.includes('.chujing') });
  return dir;
}

const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill();
});

async function start(kind, dir, log, env = {}) {
  const child = fork(join(here, 'server-child.mjs'), [kind, dir ?? '', log], { env: { ...process.env, CHUJING_HMAC_KEY: KEY, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  const cpu = () => new Promise((r) => { child.once('message', (m) => r(m.cpu)); child.send('cpu'); });
  const stop = () => new Promise((r) => { child.once('exit', r); child.send('stop'); });
  return { ...ready, cpu, stop };
}

async function load(server, { path, ...request }, conns = connections) {
  const options = { url: `${server.url}${path}`, connections: conns, ...request };
  // Warm-up (JIT, caches), then the measured run.
  await autocannon({ ...options, duration: 1 });
  const before = await server.cpu();
  const r = await autocannon({ ...options, duration: seconds });
  const after = await server.cpu();
  const cpuMs = (after.user - before.user + after.system - before.system) / 1000;
  const ok = r['2xx'];
  if (r.non2xx || r.errors) throw new Error(`${r.non2xx} non-2xx, ${r.errors} errors (${JSON.stringify(request).slice(0, 200)})`);
  return { rps: ok / seconds, p50: r.latency.p50, p99: r.latency.p99, cpuUsPerReq: (cpuMs * 1000) / ok, requests: ok };
}

const decision = (token) => ({
  method: 'POST',
  path: '/v1/decisions',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({ datasets: ['driver-trajectories'], recipient: 'acme-gmbh', purpose: 'driving-behaviour study', time: '2026-10-01', persons: 10, sensitivePersons: 10 }),
});

const rows = [];
const row = (name, m) => {
  rows.push({ name, ...m });
  console.log(`${name.padEnd(44)} ${m.rps.toFixed(0).padStart(8)} ${String(m.p50).padStart(7)} ${String(m.p99).padStart(7)} ${m.cpuUsPerReq.toFixed(0).padStart(12)}`);
};

console.log(`HTTP over loopback: ${connections} connections, ${seconds} s per row, 2 cores shared with the load generator`);
console.log(`${'route'.padEnd(44)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'server CPU µs/req'.padStart(12)}`);
const dirs = [];
try {
  const hello = await start('hello', null, 'on');
  row('fastify bare GET /hello (ceiling)', await load(hello, { path: '/hello' }));
  await hello.stop();

  for (const [log, label] of [['off', 'decision log off'], ['on', 'decision log on']]) {
    const dir = workspaceCopy();
    dirs.push(dir);
    const s = await start('chujing', dir, log);
    if (log === 'off') row('chujing GET /v1/health (its hooks, no engine)', await load(s, { path: '/v1/health' }));
    row(`chujing POST /v1/decisions, ${label}`, await load(s, decision(s.token)));
    // Group commit: more requests in flight share each durable commit of the decision log.
    if (log === 'on') row(`chujing POST /v1/decisions, ${label}, ${connections * 8} conns`, await load(s, decision(s.token), connections * 8));
    await s.stop();
  }
  if (process.env.CHUJING_BENCH_DATABASE_URL) {
    const dir = workspaceCopy();
    dirs.push(dir);
    const s = await start('chujing', dir, 'on', { DATABASE_URL: process.env.CHUJING_BENCH_DATABASE_URL });
    row('chujing POST /v1/decisions, log on, PostgreSQL', await load(s, decision(s.token)));
    await s.stop();
  }
  const ceiling = rows[0].rps;
  for (const r of rows.slice(1)) console.log(`${r.name}: ${(r.rps / ceiling).toFixed(2)} of the ceiling's req/s, ${(r.cpuUsPerReq / rows[0].cpuUsPerReq).toFixed(1)}x its CPU per request`);
  const on = rows.find((r) => r.name.endsWith('decision log on'));
  const off = rows.find((r) => r.name.endsWith('decision log off'));
  if (on && off) console.log(`decision log cost: ${(on.cpuUsPerReq - off.cpuUsPerReq).toFixed(0)} µs CPU per decision, req/s x${(on.rps / off.rps).toFixed(2)}`);
  console.log('goal: >= 10,000 decisions/s over HTTP with the log on');
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

// In process: the decision as the server computes it (src/server/decide.ts) vs a whole assess.
{
  const { loadSnapshot } = await import('../dist/server/workspace-state.js');
  const { Decider } = await import('../dist/server/decide.js');
  const { assess } = await import('../dist/engine/assess.js');
  const dir = workspaceCopy();
  try {
    const snap = loadSnapshot(join(dir, 'chujing.yaml'), dir);
    const live = { version: 1, baseline: { source: 'bench', days: [], entries: [] } };
    const decider = new Decider();
    const q = { organization: 'acme-cn', datasets: ['driver-trajectories'], recipient: 'acme-gmbh', kind: 'transmit', purpose: 'driving-behaviour study', date: '2026-10-01', exemptionClaims: [], persons: 10, sensitivePersons: 10 };
    const timeIt = (fn, n) => {
      for (let i = 0; i < Math.min(n, 500); i++) fn();
      const samples = new Float64Array(n);
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        const t0 = process.hrtime.bigint();
        fn();
        samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
      }
      const cpu = process.cpuUsage(cpu0);
      samples.sort();
      return { p50: samples[Math.floor(n / 2)], p99: samples[Math.floor(n * 0.99)], cpuUs: (cpu.user + cpu.system) / n };
    };
    const one = timeIt(() => decider.judge(snap, live, {}, q), 3000);
    const whole = timeIt(() => assess({ workspace: snap.loaded.workspace, asOf: '2026-10-01' }), 3000);
    console.log(`\nin process (example workspace, ${snap.loaded.workspace.transfers.length} transfers):`);
    console.log(`  one decision (server's decide.ts):   p50 ${one.p50.toFixed(1)} µs  p99 ${one.p99.toFixed(1)} µs  CPU ${one.cpuUs.toFixed(1)} µs`);
    console.log(`  whole assess (baseline):             p50 ${whole.p50.toFixed(1)} µs  p99 ${whole.p99.toFixed(1)} µs  CPU ${whole.cpuUs.toFixed(1)} µs`);
    console.log(`  decision / assess: ${(one.p50 / whole.p50).toFixed(2)}   goal: <= 5 µs p50 (needs the engine's one-transfer path)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
