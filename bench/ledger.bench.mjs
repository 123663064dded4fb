// Ledger import throughput: person hashes imported per second into PGlite and into PostgreSQL (when
// CHUJING_BENCH_DATABASE_URL or CHUJING_TEST_DATABASE_URL is set), through the ledger's batched path
// (staged multi-row INSERTs from packed batches, one set-based move into the distinct set), against a
// baseline of a plain row-by-row INSERT loop measured in the same run. The baseline runs on a smaller
// sample (--baseline N, default 20,000) and is extrapolated linearly to the full size — said so in the
// output. Then `ledger stats` at that size, through the built CLI (process start included) and the
// library call, and `ledger verify` (full recomputation) unless --no-verify.
//
//   node bench/ledger.bench.mjs [--hashes 10000000] [--baseline 20000] [--no-verify]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const dist = new URL('../dist/', import.meta.url);
const { openStore } = await import(new URL('store/index.js', dist).href);
const { recordEntries, yearToDateCounts, verifyLedger, RECORD_BYTES, CATEGORY_CODE } = await import(new URL('ledger/index.js', dist).href);
const BIN = fileURLToPath(new URL('../bin/chujing.js', import.meta.url));

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const HASHES = arg('--hashes', 10_000_000);
const BASELINE = Math.min(arg('--baseline', 20_000), HASHES);
const VERIFY = !args.includes('--no-verify');
const BATCH = 20_000;
const serverUrl = process.env.CHUJING_BENCH_DATABASE_URL || process.env.CHUJING_TEST_DATABASE_URL;

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

/** Packed batches of random person hashes (HMAC outputs are indistinguishable from random bytes). */
async function* randomHashes(n) {
  for (let done = 0; done < n; ) {
    const k = Math.min(BATCH, n - done);
    const buf = randomBytes(k * RECORD_BYTES);
    for (let i = 0; i < k; i++) buf[i * RECORD_BYTES] = CATEGORY_CODE.persons;
    done += k;
    sampleRss();
    yield buf;
  }
}

function content(id) {
  return { id, time: '2026-06-01T00:00:00.000Z', organization: 'bench-org', datasets: ['d'], recipient: 'r', kind: 'transmit', mechanism: null, approvalReference: null, channel: null, operator: null, records: null, bytes: null };
}

async function baselineLoop(store, n) {
  const rows = [];
  for await (const b of randomHashes(n)) for (let i = 0; i < b.length; i += RECORD_BYTES) rows.push(Buffer.from(b.subarray(i + 1, i + RECORD_BYTES)));
  const t0 = performance.now();
  await store.transaction(async (tx) => {
    for (const h of rows) {
      await tx.query('INSERT INTO ledger_person_hashes (organization, year, category, hash, first_seq) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', ['baseline-org', 2026, 1, h, 1]);
    }
  });
  return performance.now() - t0;
}

function workspace(dir) {
  writeFileSync(join(dir, 'chujing.yaml'), 'version: 1\norganization: { id: bench-org, name: Bench, processorType: oem }\n');
}

async function run(name, env, dir) {
  console.log(`\n--- ${name}: ${fmt(HASHES)} person hashes`);
  const store = await openStore({ workspaceDir: dir, env });
  const baseMs = await baselineLoop(store, BASELINE);
  const baseRate = (BASELINE / baseMs) * 1000;
  console.log(`baseline row-by-row INSERT loop: ${fmt(BASELINE)} hashes in ${secs(baseMs)} = ${fmt(baseRate)} hashes/s` + (BASELINE < HASHES ? ` (sample; extrapolated to ${fmt(HASHES)}: ${secs((HASHES / baseRate) * 1000)})` : ''));
  const t0 = performance.now();
  await recordEntries(store, [{ content: content('bench-1'), hashes: randomHashes(HASHES) }], { keyFingerprint: 'bench' });
  const ms = performance.now() - t0;
  const rate = (HASHES / ms) * 1000;
  console.log(`ledger import (batched, one transaction): ${fmt(HASHES)} hashes in ${secs(ms)} = ${fmt(rate)} hashes/s — ${(rate / baseRate).toFixed(1)}x the row-by-row baseline`);
  let t = performance.now();
  const counts = await yearToDateCounts(store, {});
  console.log(`stats (library, running counts): ${(performance.now() - t).toFixed(1)} ms -> ${counts.map((c) => `${c.organization} ${c.year}: ${fmt(c.persons)} persons`).join('; ')}`);
  t = performance.now();
  const [exact] = await store.query("SELECT count(*)::int8 AS n FROM ledger_person_hashes WHERE organization = 'bench-org' AND year = 2026 AND category = 1");
  console.log(`exact recount (count(*) over the distinct set): ${secs(performance.now() - t)} -> ${fmt(exact.n)}`);
  if (VERIFY) {
    t = performance.now();
    const report = await verifyLedger(store, { organizations: ['bench-org'] });
    console.log(`ledger verify (chain + digest of every person hash): ${secs(performance.now() - t)} -> ${report.intact ? 'intact' : 'BROKEN'}`);
  }
  await store.close();
  workspace(dir);
  t = performance.now();
  const cli = spawnSync(process.execPath, [BIN, 'ledger', 'stats', '-w', dir], { env: { ...process.env, ...env }, encoding: 'utf8' });
  console.log(`chujing ledger stats (built CLI, process start included): ${secs(performance.now() - t)} (exit ${cli.status})`);
  return { name, rate, baseRate, ms };
}

const results = [];
{
  const dir = mkdtempSync(join(tmpdir(), 'chujing-bench-ledger-'));
  try {
    results.push(await run('PGlite (embedded)', { DATABASE_URL: '' }, dir));
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
  try {
    results.push(await run('PostgreSQL', { DATABASE_URL: url.toString() }, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  }
} else {
  console.log('\n(PostgreSQL skipped: set CHUJING_BENCH_DATABASE_URL or CHUJING_TEST_DATABASE_URL)');
}
console.log(`\nsummary: ${results.map((r) => `${r.name} ${fmt(r.rate)} hashes/s (${(r.rate / r.baseRate).toFixed(1)}x row-by-row)`).join('; ')}; peak RSS of this process ${fmt(peakRss / 2 ** 20)} MiB`);
