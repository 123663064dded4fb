// The ledger, every figure with CPU time and wall time (a busy machine stretches wall time; CPU time
// stays comparable), each against a baseline measured side by side in the same run:
//
// 1. import throughput into PGlite and PostgreSQL (when CHUJING_BENCH_DATABASE_URL or
//    CHUJING_TEST_DATABASE_URL is set): the ledger's batched path vs a row-by-row INSERT loop (run on a
//    sample, --baseline N, extrapolated linearly and said so). CPU is this process's: PGlite runs in it;
//    a PostgreSQL server's own CPU is not counted (said so).
// 2. what `assess` pays for the ledger: loadLedgerBaseline from the summary file vs from the database
//    it replaces (PGlite started), in-process; and the built CLI on the example workspace with a ledger
//    of --hashes persons (default 1,000,000): `validate`, `assess` without a ledger, `assess` with the
//    ledger and a current summary, `assess` with the summary removed (opens the database), and
//    `ledger stats` both ways. Child CPU and peak RSS come from /usr/bin/time when it is installed.
// 3. `ledger verify` (full recomputation) unless --no-verify.
//
//   node bench/ledger.bench.mjs [--hashes 1000000] [--baseline 20000] [--no-verify]
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const dist = new URL('../dist/', import.meta.url);
const { openStore } = await import(new URL('store/index.js', dist).href);
const { recordEntries, yearToDateCounts, verifyLedger, RECORD_BYTES, CATEGORY_CODE, closeLedgerStore, loadLedgerBaseline } = await import(new URL('ledger/index.js', dist).href);
const { summaryPath } = await import(new URL('ledger/summary.js', dist).href);
const BIN = fileURLToPath(new URL('../bin/chujing.js', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../examples/acme-auto/', import.meta.url));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const HASHES = arg('--hashes', 1_000_000);
const BASELINE = Math.min(arg('--baseline', 20_000), HASHES);
const VERIFY = !args.includes('--no-verify');
const BATCH = 20_000;
const KEY = 'bench-ledger-key-0123456789abcdef';
const serverUrl = process.env.CHUJING_BENCH_DATABASE_URL || process.env.CHUJING_TEST_DATABASE_URL;

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const secs = (ms) => (ms < 1000 ? `${ms.toFixed(ms < 10 ? 2 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`);
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Run fn in this process: wall and CPU milliseconds. */
async function measure(fn) {
  const c0 = cpuNow();
  const t0 = performance.now();
  const value = await fn();
  return { value, wall: performance.now() - t0, cpu: cpuNow() - c0 };
}
const show = (m) => `wall ${secs(m.wall)}, CPU ${secs(m.cpu)}`;

/** Run the built CLI in a child: wall, and CPU and peak RSS when /usr/bin/time is there. */
function child(cliArgs, env) {
  const t0 = performance.now();
  const cmd = TIME ? [TIME, ['-f', '@@%U %S %M', process.execPath, BIN, ...cliArgs]] : [process.execPath, [BIN, ...cliArgs]];
  const r = spawnSync(cmd[0], cmd[1], { env: { ...process.env, LANG: 'en_US.UTF-8', ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = performance.now() - t0;
  const m = /@@([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  return { status: r.status, wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : null, rssMiB: m ? Number(m[3]) / 1024 : null };
}
const showChild = (c, base) =>
  `wall ${secs(c.wall)}${c.cpu !== null ? `, CPU ${secs(c.cpu)}` : ''}${c.rssMiB !== null ? `, peak RSS ${fmt(c.rssMiB)} MiB` : ''}` +
  (base ? ` — ${(c.wall / base.wall).toFixed(1)}x wall${c.cpu !== null && base.cpu ? `, ${(c.cpu / base.cpu).toFixed(1)}x CPU` : ''} of validate` : '') +
  (c.status !== 0 && c.status !== 1 ? ` (exit ${c.status}!)` : '');

/** Packed batches of random person hashes (HMAC outputs are indistinguishable from random bytes). */
async function* randomHashes(n) {
  for (let done = 0; done < n; ) {
    const k = Math.min(BATCH, n - done);
    const buf = randomBytes(k * RECORD_BYTES);
    for (let i = 0; i < k; i++) buf[i * RECORD_BYTES] = CATEGORY_CODE.persons;
    done += k;
    yield buf;
  }
}

function content(id, organization) {
  return { id, time: '2026-06-01T00:00:00.000Z', organization, datasets: ['d'], recipient: 'r', kind: 'transmit', mechanism: null, approvalReference: null, channel: null, operator: null, records: null, bytes: null };
}

async function baselineLoop(store, n) {
  const rows = [];
  for await (const b of randomHashes(n)) for (let i = 0; i < b.length; i += RECORD_BYTES) rows.push(Buffer.from(b.subarray(i + 1, i + RECORD_BYTES)));
  return measure(() =>
    store.transaction(async (tx) => {
      for (const h of rows) {
        await tx.query(
          'INSERT INTO ledger_person_hashes (organization, year, category, hash, first_seq, first_at, first_date) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING',
          ['baseline-org', 2026, 1, h, 1, '2026-06-01T00:00:00.000Z', '2026-06-01'],
        );
      }
    }),
  );
}

async function importSection(name, env, dir) {
  console.log(`\n--- import into ${name}: ${fmt(HASHES)} person hashes${name === 'PostgreSQL' ? ' (CPU: this process only, not the server)' : ''}`);
  const store = await openStore({ workspaceDir: dir, env });
  const base = await baselineLoop(store, BASELINE);
  const scale = HASHES / BASELINE;
  console.log(`baseline row-by-row INSERT loop: ${fmt(BASELINE)} hashes, ${show(base)}` + (scale > 1 ? ` (sample; extrapolated to ${fmt(HASHES)}: wall ${secs(base.wall * scale)}, CPU ${secs(base.cpu * scale)})` : ''));
  const imp = await measure(() => recordEntries(store, [{ content: content('bench-1', 'acme-cn'), hashes: randomHashes(HASHES) }], { keyFingerprint: 'bench' }));
  const rate = (HASHES / imp.wall) * 1000;
  console.log(
    `ledger import (batched, one transaction): ${show(imp)} = ${fmt(rate)} hashes/s wall — ${((base.wall * scale) / imp.wall).toFixed(1)}x faster than row-by-row (wall), ${((base.cpu * scale) / Math.max(imp.cpu, 1)).toFixed(1)}x (CPU)`,
  );
  const st = await measure(() => yearToDateCounts(store, {}));
  console.log(`stats (library, running counts): ${show(st)} -> ${st.value.map((c) => `${c.organization} ${c.year}: ${fmt(c.persons)} persons`).join('; ')}`);
  if (VERIFY) {
    const v = await measure(() => verifyLedger(store, { organizations: ['acme-cn'] }));
    console.log(`ledger verify (chain + digest of every person hash): ${show(v)} -> ${v.value.intact ? 'intact' : 'BROKEN'}`);
  }
  await closeLedgerStore(store); // writes the summary (embedded back-end)
  return { name, rate };
}

/** What assess pays for the ledger: summary file vs opening the database, in-process and through the CLI. */
async function assessSection(dir) {
  const env = { DATABASE_URL: '', CHUJING_HMAC_KEY: KEY };
  const opts = { workspaceDir: dir, env, organizations: ['acme-cn', 'acme-charging'], years: [2025, 2026] };
  console.log(`\n--- assess and the ledger (example workspace, PGlite ledger of ${fmt(HASHES)} persons)`);
  const fromSummary = await measure(() => loadLedgerBaseline(opts));
  rmSync(summaryPath(dir), { force: true });
  const fromDb = await measure(() => loadLedgerBaseline(opts)); // opens PGlite (and rewrites the summary)
  console.log(`assess baseline from the summary file:   ${show(fromSummary)} (${fromSummary.value.source.includes('summary') ? 'summary' : 'database'})`);
  console.log(`assess baseline from the database:       ${show(fromDb)} (${fromDb.value.source.includes('summary') ? 'summary' : 'database'}) — the summary is ${(fromDb.wall / fromSummary.wall).toFixed(0)}x faster wall, ${(fromDb.cpu / Math.max(fromSummary.cpu, 0.01)).toFixed(0)}x less CPU (in this process PGlite's WebAssembly is already compiled: the CLI lines below show a fresh process)`);
  const validate = child(['validate', dir], env);
  const lines = [
    ['chujing validate (baseline)', validate],
    ['chujing assess, ledger + current summary', child(['assess', dir], env)],
  ];
  rmSync(summaryPath(dir), { force: true });
  lines.push(['chujing assess, ledger, no summary (opens PGlite)', child(['assess', dir], env)]);
  lines.push(['chujing ledger stats, current summary', child(['ledger', 'stats', '-w', dir], env)]);
  rmSync(summaryPath(dir), { force: true });
  lines.push(['chujing ledger stats, no summary (opens PGlite)', child(['ledger', 'stats', '-w', dir], env)]);
  const empty = mkdtempSync(join(tmpdir(), 'chujing-bench-noledger-'));
  cpSync(EXAMPLE, empty, { recursive: true });
  lines.splice(1, 0, ['chujing assess, no ledger', child(['assess', empty], env)]);
  rmSync(empty, { recursive: true, force: true });
  for (const [label, c] of lines) console.log(`${label.padEnd(52)} ${showChild(c, label.includes('baseline') ? null : validate)}`);
  if (!TIME) console.log('(child CPU and RSS need /usr/bin/time: apt-get install time)');
}

const results = [];
{
  const dir = mkdtempSync(join(tmpdir(), 'chujing-bench-ledger-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  try {
    results.push(await importSection('PGlite (embedded)', { DATABASE_URL: '' }, dir));
    await assessSection(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (serverUrl) {
  const db = `chujing_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  const url = new URL(serverUrl);
  url.pathname = `/${db}`;
  const dir = mkdtempSync(join(tmpdir(), 'chujing-bench-ledger-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  try {
    results.push(await importSection('PostgreSQL', { DATABASE_URL: url.toString() }, dir));
    const env = { DATABASE_URL: url.toString(), CHUJING_HMAC_KEY: KEY };
    const b = await measure(() => loadLedgerBaseline({ workspaceDir: dir, env, organizations: ['acme-cn', 'acme-charging'], years: [2025, 2026] }));
    console.log(`assess baseline from PostgreSQL's summary tables (connect included): ${show(b)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  }
} else {
  console.log('\n(PostgreSQL skipped: set CHUJING_BENCH_DATABASE_URL or CHUJING_TEST_DATABASE_URL)');
}
console.log(`\nsummary: ${results.map((r) => `${r.name} ${fmt(r.rate)} hashes/s`).join('; ')}; peak RSS of this process ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`);
