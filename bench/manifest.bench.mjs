// Manifest counter: exact distinct counts from keyed hashes vs a naive Set of raw strings, same file,
// same parser, same run, CPU time and wall time side by side (on a busy machine wall time is mostly
// waiting: the goal of >= 1 million identifiers per CPU-second is judged on CPU time). Then the counter
// alone (hash + insert) on in-memory identifiers: one flagged person table vs one DigestSet per category
// (the previous design), same hashes.
//
//   npm run bench -- manifest          (env BENCH_MANIFEST_RECORDS=… to change the size;
//                                        BENCH_DIST=path/to/dist to measure another build, e.g. an older one)
import { createHmac, createSecretKey } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
const DIST = new URL(process.env.BENCH_DIST ? `file://${process.env.BENCH_DIST.replace(/\/?$/, '/')}` : '../dist/', import.meta.url);
const { scanManifest, DigestSet, IdentifierHasher, MANIFEST_COLUMNS, parseFlag, PersonTable } = await import(new URL('evidence/manifest/index.js', DIST).href);
const { readTabular } = await import(new URL('evidence/tabular.js', DIST).href);
const { normaliseIdentifier } = await import(new URL('evidence/keyed-hash.js', DIST).href);
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const RECORDS = Number(process.env.BENCH_MANIFEST_RECORDS ?? 2_500_000);
const PERSON_POOL = Math.round(RECORDS * 0.4); // every person appears ~2.5 times
const VEHICLE_POOL = Math.round(RECORDS * 0.2); // every vehicle ~5 times
const key = createSecretKey(Buffer.from('bench-secret-key-0123456789abcdef'));
const gc = globalThis.gc ?? (() => {});
const MB = (b) => (b / 1048576).toFixed(1);

/** Deterministic pseudo-random numbers (xorshift32), so every run scans the same file. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}
const vinOf = (n) => `LSV${String(n).padStart(14, '0')}`;
const personOf = (n) => `1101011990${String(n).padStart(8, '0')}`;
const phoneOf = (n) => `1${String(3800000000 + n).padStart(10, '0')}`;

async function generate(path) {
  const out = createWriteStream(path);
  const next = rng(42);
  out.write('vin,person_id,phone,sensitive,charging\n');
  let chunk = '';
  for (let i = 0; i < RECORDS; i++) {
    const v = next() % VEHICLE_POOL;
    const p = next() % PERSON_POOL;
    // Formatting variants that normalise equal: lower-case VINs, +86 phones; a tenth of records name
    // the person by phone only.
    const vin = i % 7 === 0 ? vinOf(v).toLowerCase() : vinOf(v);
    const byPhone = i % 10 === 0;
    const phone = i % 3 === 0 ? `+86 ${phoneOf(p)}` : phoneOf(p);
    chunk += `${vin},${byPhone ? '' : personOf(p)},${phone},${p % 50 === 0 ? 'yes' : ''},${p % 9 === 0 ? '1' : '0'}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.write(chunk);
  out.end();
  await once(out, 'finish');
}

/** Peak of rss and heapUsed + arrayBuffers while `fn` runs (sampled every 5 ms, plus before and after). */
async function measured(fn) {
  gc();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed + base.arrayBuffers;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
  };
  const timer = setInterval(sample, 5);
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const cpu = cpuSeconds() - c0;
  sample();
  clearInterval(timer);
  return { value, ms, cpu, peakRssMB: MB(peakRss - base.rss), peakHeapMB: MB(peakHeap - (base.heapUsed + base.arrayBuffers)) };
}

/** The naive baseline: same reader, same definitions, raw normalised strings in JS Sets. */
async function naiveCount(path) {
  const fields = ['vin', 'iccid', 'imsi', 'personId', 'phone', 'sensitive', 'charging'].map((name) => ({ name, candidates: MANIFEST_COLUMNS[name] }));
  const vehicles = new Set();
  const persons = new Set();
  const sensitive = new Set();
  const charging = new Set();
  const byVehicle = new Set();
  let identifiers = 0;
  await readTabular(path, {
    format: 'csv',
    fields,
    onRecord: (v) => {
      const [vin, iccid, imsi, personId, phone] = v;
      const s = parseFlag('sensitive', v[5]);
      const c = parseFlag('charging', v[6]);
      const person = personId !== undefined ? `personId:${normaliseIdentifier('personId', personId)}` : phone !== undefined ? `phone:${normaliseIdentifier('phone', phone)}` : null;
      const hasVehicleId = vin !== undefined || iccid !== undefined || imsi !== undefined;
      if (person) {
        identifiers++;
        persons.add(person);
        if (s) sensitive.add(person);
        if (c) charging.add(person);
        if (hasVehicleId) byVehicle.add(person);
      }
      if (vin !== undefined) {
        identifiers++;
        const k = `vin:${normaliseIdentifier('vin', vin)}`;
        vehicles.add(k);
        if (!person) byVehicle.add(k);
      }
    },
  });
  return {
    identifiers,
    distinctVehicles: vehicles.size,
    distinctPersons: persons.size,
    distinctSensitivePersons: sensitive.size,
    chargingConsumptionPersons: charging.size,
    distinctPersonsIdentifiableByVehicleIds: byVehicle.size,
  };
}

const COUNTS = ['distinctVehicles', 'distinctPersons', 'distinctSensitivePersons', 'chargingConsumptionPersons', 'distinctPersonsIdentifiableByVehicleIds'];

/**
 * One contender on the file, in a child process of its own so that its peak RSS (maxRSS) is its own:
 * one warm-up pass (file cache, JIT), then the measured pass.
 */
async function child(which, file) {
  const run = which === 'keyed' ? async () => (await scanManifest(file, { key })).result : () => naiveCount(file);
  await run();
  const r = await measured(run);
  const counts = Object.fromEntries([...COUNTS, 'identifiers'].map((c) => [c, r.value[c]]));
  process.stdout.write(JSON.stringify({ ms: r.ms, cpu: r.cpu, peakHeapMB: r.peakHeapMB, maxRssMB: MB(process.resourceUsage().maxRSS * 1024), counts }));
}

function spawnChild(which, file) {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--expose-gc', self, '--child', which, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${which} run failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-bench-manifest-'));
  try {
    await main(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(dir) {
  const file = join(dir, 'manifest.csv');
  const t = performance.now();
  await generate(file);
  const size = statSync(file).size;
  console.log(`manifest: ${RECORDS.toLocaleString('en-US')} records, ${MB(size)} MB, generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const ours = spawnChild('keyed', file);
  const naive = spawnChild('naive', file);
  for (const c of COUNTS) {
    if (ours.counts[c] !== naive.counts[c]) throw new Error(`count mismatch on ${c}: keyed ${ours.counts[c]} vs naive ${naive.counts[c]}`);
  }
  const ids = ours.counts.identifiers;
  const row = (name, r) =>
    `  ${name.padEnd(30)} cpu ${r.cpu.toFixed(2).padStart(6)} s ${Math.round(ids / r.cpu).toLocaleString('en-US').padStart(11)} ids/cpu-s   wall ${(r.ms / 1000).toFixed(2).padStart(6)} s ${Math.round(ids / (r.ms / 1000)).toLocaleString('en-US').padStart(11)} ids/s   peak RSS ${r.maxRssMB.padStart(7)} MB   heap+buffers growth ${r.peakHeapMB.padStart(7)} MB`;
  console.log(`file scan, same reader for both (${ids.toLocaleString('en-US')} identifiers; counts agree: ${COUNTS.map((c) => `${c}=${ours.counts[c]}`).join(', ')})`);
  console.log(row('keyed (HMAC + digest sets)', ours));
  console.log(row('naive (Sets of raw strings)', naive));
  console.log(`  goal >= 1,000,000 ids per CPU-second for a full CSV scan: ${ids / ours.cpu >= 1_000_000 ? 'met' : 'NOT MET'}`);
  console.log(`  keyed / naive: cpu ${(ours.cpu / naive.cpu).toFixed(2)}x, wall ${(ours.ms / naive.ms).toFixed(2)}x, peak RSS ${(Number(ours.maxRssMB) / Number(naive.maxRssMB)).toFixed(2)}x, heap growth ${(Number(ours.peakHeapMB) / Number(naive.peakHeapMB)).toFixed(2)}x`);

  // Counter alone: hash + insert of in-memory identifiers (no file, no parsing).
  const N = 3_000_000;
  const next = rng(7);
  const raw = new Array(N);
  // Flat strings (a template literal makes a rope that the first charCodeAt would flatten, inside the timing).
  for (let i = 0; i < N; i++) raw[i] = Buffer.from(vinOf(next() % 1_000_000), 'latin1').toString('latin1');
  const hasher = new IdentifierHasher(key);
  // The previous design: one DigestSet per category, each person inserted into several (here 4, as a
  // person with a VIN went into persons, personsByVehicleIds and, when flagged, two more).
  const sets = await measured(() => {
    const s = [new DigestSet(), new DigestSet(), new DigestSet(), new DigestSet()];
    for (let i = 0; i < N; i++) {
      const d = hasher.hash('vin', raw[i]);
      for (const set of s) set.add(d);
    }
    return s[0].size;
  });
  const table = PersonTable
    ? await measured(() => {
        const t = new PersonTable();
        for (let i = 0; i < N; i++) t.add(hasher.hash('vin', raw[i]), 1 | 8);
        return t.count(1);
      })
    : null;
  const hashOnly = await measured(() => {
    let x = 0;
    for (let i = 0; i < N; i++) x ^= hasher.hash('vin', raw[i])[0];
    return x;
  });
  const naiveHmac = await measured(() => {
    const set = new Set();
    for (let i = 0; i < N; i++) set.add(createHmac('sha256', key).update(`vin:${normaliseIdentifier('vin', raw[i])}`).digest('hex'));
    return set.size;
  });
  if ((table && table.value !== naiveHmac.value) || sets.value !== naiveHmac.value) throw new Error('in-memory counts disagree');
  const rate = (r) => `${Math.round(N / r.cpu).toLocaleString('en-US').padStart(11)} ids/cpu-s ${Math.round(N / (r.ms / 1000)).toLocaleString('en-US').padStart(11)} ids/s wall`;
  console.log(`in memory: ${N.toLocaleString('en-US')} VINs, ${naiveHmac.value.toLocaleString('en-US')} distinct (no parsing)`);
  console.log(`  hash only (JS HMAC, baseline of the two below)    ${rate(hashOnly)}`);
  console.log(`  hash + 4 DigestSets (previous design)             ${rate(sets)}   heap+buffers growth ${sets.peakHeapMB.padStart(6)} MB`);
  if (table) console.log(`  hash + one flagged person table (now)             ${rate(table)}   heap+buffers growth ${table.peakHeapMB.padStart(6)} MB   insert cost: ${(((table.cpu - hashOnly.cpu) / N) * 1e9).toFixed(0)} ns vs ${(((sets.cpu - hashOnly.cpu) / N) * 1e9).toFixed(0)} ns per identifier (CPU)`);
  console.log(`  node:crypto createHmac + Set of hex               ${rate(naiveHmac)}   heap+buffers growth ${naiveHmac.peakHeapMB.padStart(6)} MB`);
  console.log(`  load average during the run: ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')} (2 cores; other work on the machine lowers every figure)`);
}
