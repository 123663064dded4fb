// `npm run bench -- cli`: what a person waits for at the command line. Wall time, CPU time and peak RSS
// of `node -e 0` (the baseline) and of chujing commands, side by side in one run, each as a multiple of
// the baseline. Goals (issue 9): `--help` and `explain` at most 3x, `assess` on the example at most 6x,
// with or without a ledger of a million persons.
//
// Each command runs CHUJING_BENCH_REPEAT times (default 7) in turn with the others, so that a busy
// machine slows all of them alike; the median is shown. CPU time and peak RSS are the process's own,
// reported at exit through file descriptor 3 by a one-line --import hook (the baseline gets it too).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// CHUJING_BENCH_BIN: another build's launcher, to compare versions in one run.
const bin = process.env.CHUJING_BENCH_BIN ?? join(root, 'bin', 'chujing.js');
const example = process.env.CHUJING_BENCH_EXAMPLE ?? join(root, 'examples', 'acme-auto');
const REPEAT = Number(process.env.CHUJING_BENCH_REPEAT ?? 7);
const LEDGER_PERSONS = Number(process.env.CHUJING_BENCH_LEDGER_PERSONS ?? 1_000_000);
const KEY = 'bench-key-0123456789-abcdefghij';
const env = { ...process.env, CHUJING_HMAC_KEY: KEY, LANG: 'en_US.UTF-8', DATABASE_URL: '' };
const HOOK = `data:text/javascript,${encodeURIComponent("import{writeSync}from'node:fs';process.on('exit',()=>{const u=process.resourceUsage();try{writeSync(3,JSON.stringify({cpuMs:(u.userCPUTime+u.systemCPUTime)/1000,maxRssKb:u.maxRSS}))}catch{}})")}`;

/** A copy of the example whose ledger holds LEDGER_PERSONS persons (built once, kept in bench/.data/). */
function ledgerWorkspace() {
  const dir = join(root, 'bench', '.data', `ledger-${LEDGER_PERSONS}`);
  const done = join(dir, '.complete');
  if (existsSync(done)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(example, dir, { recursive: true, filter: (src) => !src.includes(`${example}/.chujing`) });
  const csv = join(dir, 'persons.csv');
  let text = 'phone\n';
  for (let i = 0; i < LEDGER_PERSONS; i++) {
    text += `13${String(100_000_000 + i).padStart(9, '0')}\n`;
    if (text.length > 1 << 20) {
      writeFileSync(csv, text, { flag: 'a' });
      text = '';
    }
  }
  writeFileSync(csv, text, { flag: 'a' });
  console.log(`building a ledger of ${LEDGER_PERSONS} persons in ${dir} (once)...`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [bin, 'ledger', 'import', csv, '--transfer', 't-2026-001', '--column', 'phone=phone', '-w', dir], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    console.log(`could not build the ledger (exit ${r.status}): ${r.stderr.slice(-500)}`);
    return null;
  }
  console.log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  rmSync(csv);
  writeFileSync(done, '');
  return dir;
}

function once(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', HOOK, ...args], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const usage = JSON.parse(r.output[3] || '{}');
  return { wallMs, cpuMs: usage.cpuMs, rssMb: usage.maxRssKb / 1024, status: r.status, stderr: r.stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const ledgerDir = LEDGER_PERSONS > 0 ? ledgerWorkspace() : null;
const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'chujing --version', args: [bin, '--version'] },
  { name: 'chujing --help', args: [bin, '--help'], goal: 3 },
  { name: 'chujing explain DRAFT-J6', args: [bin, 'explain', 'DRAFT-J6'], goal: 3 },
  { name: 'chujing validate example', args: [bin, 'validate', example] },
  { name: 'chujing assess example', args: [bin, 'assess', example, '--as-of', '2026-11-23'], goal: 6 },
  ...(ledgerDir ? [{ name: `chujing assess example + ledger ${LEDGER_PERSONS / 1e6}M persons`, args: [bin, 'assess', ledgerDir, '--as-of', '2026-11-23'], goal: 6 }] : []),
];
// Warm the file cache and the evidence cache once.
for (const c of cases) once(c.args);
const results = cases.map(() => []);
for (let i = 0; i < REPEAT; i++) cases.forEach((c, j) => results[j].push(once(c.args)));

const base = { wallMs: median(results[0].map((r) => r.wallMs)), cpuMs: median(results[0].map((r) => r.cpuMs)), rssMb: median(results[0].map((r) => r.rssMb)) };
console.log(`median of ${REPEAT} runs each, interleaved; ratios against node -e 0`);
console.log(['command'.padEnd(44), 'wall ms', 'x node', 'CPU ms', 'x node', 'peak RSS MB', 'x node', 'exit', 'goal'].join('  '));
cases.forEach((c, j) => {
  const wall = median(results[j].map((r) => r.wallMs));
  const cpuMs = median(results[j].map((r) => r.cpuMs));
  const rss = Math.max(...results[j].map((r) => r.rssMb));
  const status = results[j][0].status;
  const goal = c.goal ? `<= ${c.goal}x: ${wall / base.wallMs <= c.goal ? 'met' : 'NOT met'} (wall), ${cpuMs / base.cpuMs <= c.goal ? 'met' : 'NOT met'} (CPU)` : '';
  console.log(
    [c.name.padEnd(44), wall.toFixed(0).padStart(7), (wall / base.wallMs).toFixed(1).padStart(6), cpuMs.toFixed(0).padStart(6), (cpuMs / base.cpuMs).toFixed(1).padStart(6), rss.toFixed(0).padStart(11), (rss / base.rssMb).toFixed(1).padStart(6), String(status).padStart(4), goal].join('  '),
  );
  if (status !== 0 && status !== 1) console.log(`   stderr: ${results[j][0].stderr.slice(0, 300)}`);
});
