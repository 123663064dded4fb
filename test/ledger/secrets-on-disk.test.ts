/**
 * Issue 19, the server's machine: what chujing leaves on disk and what it accepts from it, through the
 * real CLI (main(argv) in-process; a real process for the lock, whose owner is a process).
 *
 * - an empty `.chujing/db.lock` (a crash between creating and writing it), or one naming a process that
 *   no longer exists, is taken over and the user is told; a lock is never seen half-written;
 * - a `--key-file` / `--signing-key` readable by group or others is refused (exit 2, `chmod 600`)
 *   unless `--allow-readable-key-file`;
 * - `ledger export --out` is written 0600 whatever the umask;
 * - the evidence cache's per-file memo holds no unkeyed SHA-256 of a manifest, and a failed scan
 *   leaves nothing in it.
 */
import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { BACKENDS, runMain, TEST_KEY, type Ledgerspace } from './backends.js';

const pglite = BACKENDS.find((b) => b.name === 'pglite')!;
const TIMEOUT = 180_000;

const entry = (id: string, persons: string[]) => ({ id, time: '2026-03-01', datasets: ['crm-buyers'], recipient: 'acme-gmbh', identifiers: { persons: persons.map((p) => `phone:${p}`) } });

describe('secrets and files on the server\'s machine', { timeout: TIMEOUT }, () => {
  let ls: Ledgerspace;
  beforeEach(async () => {
    ls = await pglite.create();
  });
  afterEach(async () => {
    await ls.dispose();
  });
  const cli = (args: string[], env: Record<string, string> = {}) => runMain(args, { cwd: ls.dir, env: { ...ls.env, ...env } });
  const lockFile = () => join(ls.dir, '.chujing', 'db.lock');

  it('an empty db.lock (a crash between creating and writing it) is taken over, saying so; no temporary file is left', () => {
    writeFileSync(lockFile(), '');
    const r = runCli(['ledger', 'verify', '-w', ls.dir], { env: { ...ls.env, CHUJING_DB_WAIT_MS: '0' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('took over the lock');
    expect(r.stderr).toContain('named no owner');
    expect(existsSync(lockFile())).toBe(false);
    expect(readdirSync(join(ls.dir, '.chujing')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a db.lock naming a process that no longer exists on this host is taken over, naming it; a live one still waits and fails (exit 3)', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    const { hostname } = await import('node:os');
    writeFileSync(lockFile(), JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00.000Z', role: 'cli' }));
    const r = await cli(['ledger', 'verify', '-w', ls.dir], { CHUJING_DB_WAIT_MS: '0' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`process ${pid} on ${hostname()}`);
    expect(r.stderr).toContain('no longer exists');

    // Our own (live) process's lock: not stale.
    writeFileSync(lockFile(), JSON.stringify({ pid: process.ppid, host: hostname(), since: '2026-01-01T00:00:00.000Z', role: 'cli' }));
    const busy = await cli(['ledger', 'verify', '-w', ls.dir], { CHUJING_DB_WAIT_MS: '0' });
    expect(busy.code).toBe(3);
    expect(busy.stderr).toContain('database in use');
    rmSync(lockFile());
  });

  it('a --key-file readable by group or others is refused (exit 2, chmod 600) unless --allow-readable-key-file; 0600 is accepted', async () => {
    const keyFile = join(ls.dir, 'org.key');
    writeFileSync(keyFile, `${TEST_KEY}\n`);
    const input = join(ls.dir, 'e.json');
    writeFileSync(input, JSON.stringify(entry('t-2026-001', ['13000000001'])));
    const env = { CHUJING_HMAC_KEY: '' };
    for (const mode of [0o644, 0o640, 0o604]) {
      chmodSync(keyFile, mode);
      const r = await cli(['ledger', 'record', input, '-w', ls.dir, '--key-file', keyFile], env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`chmod 600 ${keyFile}`);
      expect(r.stderr).toContain(`mode 0${mode.toString(8)}`);
      expect(r.stderr).toContain('--allow-readable-key-file');
    }
    // Nothing was recorded by the refused commands.
    expect((await cli(['ledger', 'stats', '-w', ls.dir, '--json'], env)).stdout).not.toContain('t-2026-001');
    const accepted = await cli(['ledger', 'record', input, '-w', ls.dir, '--key-file', keyFile, '--allow-readable-key-file'], env);
    expect(accepted.code, accepted.stderr).toBe(0);
    chmodSync(keyFile, 0o600);
    const verify = await cli(['ledger', 'verify', '-w', ls.dir, '--key-file', keyFile], env);
    expect(verify.code, verify.stderr).toBe(0);
    // The server refuses it the same way.
    chmodSync(keyFile, 0o644);
    const serve = runCli(['serve', ls.dir, '--port', '0', '--key-file', keyFile, '--log-level', 'silent'], { env: { ...ls.env, ...env } });
    expect(serve.code, serve.stderr).toBe(2);
    expect(serve.stderr).toContain('chmod 600');
  });

  it('an anchor signing key readable by others is refused unless --allow-readable-key-file', async () => {
    const priv = join(ls.dir, 'anchor.pem');
    expect((await cli(['ledger', 'anchor-key', '-w', ls.dir, '--out', priv])).code).toBe(0);
    expect(statSync(priv).mode & 0o777).toBe(0o600);
    chmodSync(priv, 0o644);
    const r = await cli(['ledger', 'anchor', '-w', ls.dir, '--signing-key', priv]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('chmod 600');
    expect(existsSync(join(ls.dir, 'ledger-anchor.json'))).toBe(false);
    const ok = await cli(['ledger', 'anchor', '-w', ls.dir, '--signing-key', priv, '--allow-readable-key-file']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('ledger export --out is written 0600 whatever the umask, also when it replaces a looser file', async () => {
    const input = join(ls.dir, 'e.json');
    writeFileSync(input, JSON.stringify(entry('t-2026-001', ['13000000001'])));
    expect((await cli(['ledger', 'record', input, '-w', ls.dir])).code).toBe(0);
    const previous = process.umask(0o022);
    try {
      for (const format of ['jsonl', 'csv']) {
        const out = join(ls.dir, `export.${format}`);
        writeFileSync(out, 'old', { mode: 0o644 });
        chmodSync(out, 0o644);
        const r = await cli(['ledger', 'export', '-w', ls.dir, '--format', format, '--out', out]);
        expect(r.code, r.stderr).toBe(0);
        expect(statSync(out).mode & 0o777, format).toBe(0o600);
        expect(readFileSync(out, 'utf8')).toContain('t-2026-001');
      }
    } finally {
      process.umask(previous);
    }
  });
});

describe('the evidence cache\'s per-file memo', { timeout: TIMEOUT }, () => {
  const FIXTURE = fileURLToPath(new URL('../fixtures/manifests/workspace/', import.meta.url));
  const KEY = 'fixture-secret-0123456789';
  const env = { FIXTURE_HMAC_KEY: KEY };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chujing-memo-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const cacheDir = () => join(dir, '.chujing', 'evidence-cache');
  const everything = () => (existsSync(cacheDir()) ? readdirSync(cacheDir()).map((n) => readFileSync(join(cacheDir(), n), 'latin1')).join('\n') : '');

  it('holds no unkeyed SHA-256 of a manifest or drive log: their digests are HMAC-SHA-256 under the organisation key', async () => {
    const r = await runMain(['assess', dir, '--json'], { cwd: dir, env });
    expect([0, 1], r.stderr).toContain(r.code);
    const all = everything();
    expect(readdirSync(cacheDir()).some((n) => n.startsWith('stat-'))).toBe(true);
    for (const name of ['persons.csv', 'drivelog.csv']) {
      const bytes = readFileSync(join(dir, 'data', name));
      const plain = createHash('sha256').update(bytes).digest('hex');
      expect(all, name).not.toContain(plain);
      const keyed = createHmac('sha256', KEY).update('chujing:evidence-file:v1\n').update(bytes).digest('hex');
      expect(all, name).toContain(keyed);
    }
    // The memo still saves the re-read: a second run is served from the cache.
    const again = await runMain(['assess', dir, '--json'], { cwd: dir, env });
    const sources = JSON.parse(again.stdout).datasets.flatMap((d: { evidence?: { sources?: { cached: boolean }[] } }) => d.evidence?.sources ?? []);
    if (sources.length) expect(sources.every((s: { cached: boolean }) => s.cached)).toBe(true);
  });

  it('writes nothing for a failed scan (a manifest with a bad record)', async () => {
    appendFileSync(join(dir, 'data', 'persons.csv'), '"unterminated,\n');
    // Only the manifest: the other evidence would otherwise be cached before it.
    const yaml = readFileSync(join(dir, 'chujing.yaml'), 'utf8');
    writeFileSync(join(dir, 'chujing.yaml'), yaml.replace(/\n\s*- kind: annotations[\s\S]*?(?=\n\s*- kind: manifest)/, ''));
    const r = await runMain(['assess', dir, '--json'], { cwd: dir, env });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const bytes = readFileSync(join(dir, 'data', 'persons.csv'));
    const all = everything();
    expect(all).not.toContain(createHash('sha256').update(bytes).digest('hex'));
    expect(existsSync(cacheDir()) ? readdirSync(cacheDir()).filter((n) => n.startsWith('stat-') || n.endsWith('.json')) : []).toEqual([]);
  });
});
