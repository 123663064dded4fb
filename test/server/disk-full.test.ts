/**
 * A full disk under a running gate (src/store/failure.ts). The embedded database lives on a tmpfs of
 * its own, filled to the last byte while the server runs. Before, every decision then answered 500
 * "internal error (please report)" and logged the whole batch statement each time, while health said
 * `ok`. Now: 503 naming the database and what to do (in the caller's language), health `degraded` with
 * the cause, the log says once when the failing began (never the statement's text); and once space is
 * freed the same server decides again with no restart, its decision log intact and holding exactly the
 * decisions it acknowledged.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { requireTools, TMPFS_MOUNT } from '../helpers/tools.js';
import { startInProcess, type InProcess } from './helpers.js';

const ready = requireTools('the full-disk test', TMPFS_MOUNT);

/** Fill the file system holding `dir` to the last byte; returns the filler's path. */
function fill(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw e;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

const question = { datasets: ['driver-trajectories'], recipient: 'acme-gmbh', purpose: 'driving-behaviour study', time: '2026-10-01', persons: 10, sensitivePersons: 10 };

describe.skipIf(!ready)('a full disk under a running server', { timeout: 300_000 }, () => {
  let mount: string;
  let s: InProcess;
  const lines: Record<string, unknown>[] = [];
  let raw = '';

  beforeAll(async () => {
    mount = mkdtempSync(join(tmpdir(), 'chujing-full-'));
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mount]);
    if (r.status !== 0) throw new Error(`mount: ${r.stderr}`);
    const dir = join(mount, 'ws');
    cpSync(join(REPO_ROOT, 'examples', 'acme-auto'), dir, { recursive: true, filter: (src) => !src.includes('.chujing') });
    const logStream = new Writable({
      write(chunk, _enc, done) {
        raw += String(chunk);
        for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    s = await startInProcess(dir, { decisionLog: true, logLevel: 'info', logStream });
  });

  afterAll(async () => {
    await s?.close();
    if (mount) {
      spawnSync('umount', ['-l', mount]);
      rmSync(mount, { recursive: true, force: true });
    }
  });

  const decide = (headers: Record<string, string> = {}) => s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: question, headers: { prefer: 'return=minimal', ...headers } });

  it('refuses with 503 while full, says why, and decides again once space is freed', async () => {
    let allowed = 0;
    for (let i = 0; i < 40; i++) if ((await decide()).status === 200) allowed++;
    expect(allowed).toBe(40);

    const filler = fill(mount);
    // Pages with room left take a few more decisions; then every write needs space there is not.
    const statuses = new Map<number, number>();
    let refused: Awaited<ReturnType<typeof decide>> | undefined;
    let refusedZh: Awaited<ReturnType<typeof decide>> | undefined;
    for (let round = 0; round < 200 && (statuses.get(503) ?? 0) < 64; round++) {
      const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => decide(i % 2 ? { 'accept-language': 'zh-CN' } : {})));
      answers.forEach((a, i) => {
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        if (a.status === 200) allowed++;
        if (a.status === 503) {
          if (i % 2) refusedZh = a;
          else refused = a;
        }
      });
    }
    expect([...statuses.keys()].every((k) => k === 200 || k === 503), JSON.stringify([...statuses])).toBe(true);
    expect(statuses.get(503) ?? 0).toBeGreaterThanOrEqual(64);
    expect(refused!.body.error.code).toBe('database-unavailable');
    expect(refused!.body.error.message.code).toBe('storage.disk-full');
    expect(refused!.body.error.issues[0].expected.code).toBe('storage.disk-full-expected');
    expect(refused!.body.error.message.text).toContain('the disk that holds it is full');
    expect(refusedZh!.body.error.message.text).toContain('磁盘已满');

    const health = await s.request('GET', '/v1/health', { token: s.tokens.admin });
    expect(health.body.status).toBe('degraded');
    const problem = health.body.problems.find((p: { code: string }) => p.code === 'server.health.database-failing');
    expect(problem, JSON.stringify(health.body.problems)).toBeTruthy();
    expect(problem.params.problem.code).toBe('storage.disk-full');
    expect(problem.params.failures).toBeGreaterThan(0);
    // Unauthenticated health stays liveness only.
    expect((await s.request('GET', '/v1/health')).body.problems).toBeUndefined();

    // Logged when the failing began, not per request; never the statement's text, never an internal error.
    const failing = lines.filter((l) => l.event === 'database-failing');
    expect(failing.length).toBeGreaterThanOrEqual(1);
    expect(failing.length).toBeLessThanOrEqual(8);
    expect(failing.every((l) => l.kind === 'disk-full')).toBe(true);
    expect(raw).not.toContain('chujing_decision_batch');
    expect(raw).not.toContain('WITH moved');
    expect(lines.filter((l) => l.msg === 'internal error')).toEqual([]);

    rmSync(filler);
    const again = await decide();
    expect(again.status, again.text).toBe(200);
    allowed++;
    for (const a of await Promise.all(Array.from({ length: 16 }, () => decide()))) {
      expect(a.status).toBe(200);
      allowed++;
    }
    expect((await s.request('GET', '/v1/health', { token: s.tokens.admin })).body.status).toBe('ok');
    const recovered = lines.filter((l) => l.event === 'database-recovered');
    expect(recovered.length).toBe(lines.filter((l) => l.event === 'database-failing').length);
    expect(recovered.at(-1)!.failures).toBeGreaterThan(0);

    // The log holds exactly the decisions answered 200, and its chain is whole.
    const verify = await s.request('GET', '/v1/decision-log/verify', { token: s.tokens.admin });
    expect(verify.body.intact, JSON.stringify(verify.body)).toBe(true);
    expect(verify.body.entries).toBe(allowed);
  });
});
