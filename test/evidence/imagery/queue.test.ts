/**
 * `scan images --queue` with three `chujing worker` processes on PostgreSQL (CHUJING_TEST_DATABASE_URL,
 * a fresh database): one worker is killed with -9 as it starts a file; every file is still measured
 * exactly once (one result row per file content) and the merged result equals a one-process scan.
 * Skipped with one line without the server or ../shared; fails instead under CI=true.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT } from '../../helpers/cli.js';
import { runMain } from '../../helpers/main-in-process.js';
import { IMAGERY, missing, MODELS } from './shared.js';

const SERVER_URL = process.env.CHUJING_TEST_DATABASE_URL;
if (!SERVER_URL && process.env.CI) throw new Error('CHUJING_TEST_DATABASE_URL is not set: CI provides PostgreSQL');
if (!SERVER_URL) console.warn('skipped: the imagery queue test needs CHUJING_TEST_DATABASE_URL (a PostgreSQL server)');

const env = { CHUJING_MODEL_DIR: MODELS };
const workers: ChildProcess[] = [];
let database: string | undefined;

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  if (database && SERVER_URL) {
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
});

function startWorker(url: string): { child: ChildProcess; log: string[]; firstJob: Promise<string> } {
  const child = spawn(process.execPath, [BIN, 'worker', '--queue', url], { cwd: REPO_ROOT, env: { ...process.env, ...env, LANG: 'en_US.UTF-8' }, stdio: ['ignore', 'ignore', 'pipe'] });
  workers.push(child);
  const log: string[] = [];
  let resolveJob: (path: string) => void;
  const firstJob = new Promise<string>((r) => (resolveJob = r));
  let buf = '';
  child.stderr!.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      log.push(line);
      const m = /^measuring (.*)$/.exec(line);
      if (m) resolveJob(m[1]!);
    }
  });
  return { child, log, firstJob };
}

describe.skipIf(missing !== null || !SERVER_URL)('scan images --queue with three workers on PostgreSQL', () => {
  it('one worker killed -9 mid-file: every file measured once, the merge equals a one-process scan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-queue-'));
    for (const sub of ['faces', 'ccpd', 'no-plate']) for (const f of readdirSync(join(IMAGERY, sub)).filter((n) => n.endsWith('.jpg'))) copyFileSync(join(IMAGERY, sub, f), join(dir, `${sub}-${f.slice(0, 24)}.jpg`));
    writeFileSync(join(dir, 'zz-notes.jpg'), 'not an image');
    const files = readdirSync(dir).length;

    const local = await runMain(['scan', 'images', dir, '--json', '--as-of', '2026-12-01'], { env });
    expect(local.code).toBe(0);

    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    database = `chujing_imagery_q_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(SERVER_URL!);
    url.pathname = `/${database}`;

    const victim = startWorker(url.toString());
    const scan = runMain(['scan', 'images', dir, '--json', '--as-of', '2026-12-01', '--queue', url.toString(), '--queue-expire', '3'], { env });
    // Kill the first worker the moment it starts its first file, then start the other two.
    const killedOn = await victim.firstJob;
    victim.child.kill('SIGKILL');
    const others = [startWorker(url.toString()), startWorker(url.toString())];
    const queued = await scan;
    expect(queued.stderr).toBe('');
    expect(queued.code).toBe(0);
    expect(JSON.parse(queued.stdout)).toEqual(JSON.parse(local.stdout));
    expect(JSON.parse(queued.stdout).files).toBe(files);

    // Exactly once: one result per distinct file content; the killed worker's file was measured by another.
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    const rows = (await db.query('SELECT count(*)::int AS n FROM chujing_imagery_result')).rows[0].n as number;
    await db.end();
    expect(rows).toBe(files);
    expect(others.some((w) => w.log.includes(`measuring ${killedOn}`))).toBe(true);

    for (const w of others) w.child.kill('SIGTERM');
    await Promise.all(others.map((w) => new Promise((r) => (w.child.exitCode !== null ? r(null) : w.child.once('exit', r)))));
  }, 600_000);
});
