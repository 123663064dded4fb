/**
 * The embedded database where the process is what is tested: kill -9 while PGlite is CREATING the
 * database (a real child process), a database that cannot be opened, and file permissions whatever the
 * umask. PGlite only: PostgreSQL creates nothing in the workspace.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { BACKENDS, runMain, type Ledgerspace } from './backends.js';
import { PROCESS_TEST_TIMEOUT, SUITE_TEST_TIMEOUT } from './conformance.js';

const pglite = BACKENDS.find((b) => b.name === 'pglite')!;
const spaces: Ledgerspace[] = [];
const fresh = async () => {
  const ls = await pglite.create({ empty: true });
  spaces.push(ls);
  return ls;
};
afterEach(async () => {
  for (const ls of spaces.splice(0)) await ls.dispose();
});

const entryFile = (ls: Ledgerspace) => {
  const p = join(ls.dir, 'e.json');
  writeFileSync(p, JSON.stringify({ id: 't-2026-001', time: '2026-03-01', datasets: ['crm-buyers'], recipient: 'acme-gmbh', identifiers: { persons: ['phone:13000000001'] } }));
  return p;
};
const cli = (ls: Ledgerspace, args: string[]) => runMain(['ledger', ...args, '-w', ls.dir], { cwd: ls.dir, env: ls.env });

/** The folder PGlite is creating the database in, once it has started writing it (PG_VERSION is early). */
function creating(ls: Ledgerspace): string | null {
  const dir = join(ls.dir, '.chujing');
  if (!existsSync(dir)) return null;
  const name = readdirSync(dir).find((n) => n.startsWith('db.creating-'));
  return name && existsSync(join(dir, name, 'PG_VERSION')) ? join(dir, name) : null;
}

describe('the embedded database, process behaviour', { timeout: SUITE_TEST_TIMEOUT }, () => {
  it('kill -9 while PGlite is creating the database leaves nothing half-made: the next command creates it and works', async () => {
    // Kill the child as soon as the creation folder holds files. On a machine fast enough to finish
    // first, try again with a new workspace (the slower the machine, the sooner this catches it).
    let caught: Ledgerspace | null = null;
    for (let attempt = 0; attempt < 5 && !caught; attempt++) {
      const ls = await fresh();
      const child = spawn(process.execPath, [BIN, 'ledger', 'record', entryFile(ls), '-w', ls.dir], { cwd: ls.dir, env: { ...process.env, ...ls.env }, stdio: 'ignore' });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      let done = false;
      void exited.then(() => (done = true));
      while (!done) {
        if (creating(ls)) {
          child.kill('SIGKILL');
          caught = ls;
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      await exited;
    }
    expect(caught, 'the creation was never caught in progress in 5 attempts').not.toBeNull();
    const ls = caught!;
    expect(existsSync(join(ls.dir, '.chujing', 'db'))).toBe(false); // never renamed into place
    const again = await cli(ls, ['record', entryFile(ls)]);
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(join(ls.dir, '.chujing')).filter((n) => n.startsWith('db.creating-'))).toEqual([]); // the leftover is gone
    const verify = await cli(ls, ['verify']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse((await cli(ls, ['stats', '--json'])).stdout).counts[0]).toMatchObject({ persons: 1 });
  }, PROCESS_TEST_TIMEOUT);

  it('a database that cannot be opened gives a clear message saying what to do, never an internal error', async () => {
    const ls = await fresh();
    // What an older chujing killed during creation left: a folder that looks like a database.
    mkdirSync(join(ls.dir, '.chujing', 'db'), { recursive: true });
    writeFileSync(join(ls.dir, '.chujing', 'db', 'PG_VERSION'), '17\n');
    for (const args of [['stats'], ['verify'], ['record', entryFile(ls)]]) {
      const r = await cli(ls, args);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/the embedded ledger database in .*\.chujing\/db cannot be opened/);
      expect(r.stderr).toMatch(/move .* aside/);
      expect(r.stderr).not.toMatch(/internal error/);
    }
    const zh = await runMain(['--lang', 'zh', 'ledger', 'stats', '-w', ls.dir], { cwd: ls.dir, env: ls.env });
    expect(zh.stderr).toMatch(/无法打开 .* 中的内嵌台账数据库/);
  });

  it('keeps .chujing/ owner-only (folders 0700, files 0600) whatever the umask', async () => {
    const ls = await fresh();
    const old = process.umask(0o022);
    try {
      expect((await cli(ls, ['record', entryFile(ls)])).code).toBe(0);
      expect((await cli(ls, ['verify'])).code).toBe(0);
    } finally {
      process.umask(old);
    }
    const wrong: string[] = [];
    const walk = (p: string) => {
      const st = statSync(p);
      const mode = st.mode & 0o777;
      if (st.isDirectory()) {
        if (mode !== 0o700) wrong.push(`${p} ${mode.toString(8)}`);
        for (const n of readdirSync(p)) walk(join(p, n));
      } else if (mode !== 0o600) wrong.push(`${p} ${mode.toString(8)}`);
    };
    walk(join(ls.dir, '.chujing'));
    expect(wrong).toEqual([]);
    expect(existsSync(join(ls.dir, '.chujing', 'ledger-summary.json'))).toBe(true);
  });
});

describe('the embedded database stays inside the workspace', () => {
  it('refuses a .chujing that is a symlink leading out of the workspace (exit 2), writing nothing there', async () => {
    const ls = await fresh();
    const outside = await fresh();
    const { symlinkSync, readdirSync: ls2 } = await import('node:fs');
    symlinkSync(outside.dir, join(ls.dir, '.chujing'));
    const r = await cli(ls, ['record', entryFile(ls)]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/leads outside the workspace/);
    expect(ls2(outside.dir).filter((n) => n === 'db' || n === 'db.lock')).toEqual([]);
    // Nor is anything read through it (assess's baseline, stats).
    const stats = await cli(ls, ['stats']);
    expect(stats.code).toBe(2);
    const { loadLedgerBaseline } = await import('../../src/ledger/index.js');
    await expect(loadLedgerBaseline({ workspaceDir: ls.dir, env: ls.env, organizations: ['acme-cn'], years: [2026] })).rejects.toMatchObject({ code: 'bad-input' });
  });
});
