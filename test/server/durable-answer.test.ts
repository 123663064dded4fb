/**
 * Nothing is acknowledged before it is on disk, seen from outside the process: `chujing serve` runs
 * under strace, and for every decision the trace shows the request read from its socket, then an
 * `fdatasync` that returned 0 (the commit of the batch holding it: src/store/pglite-durable.ts), then
 * the answer written to the socket. Decisions one at a time (a batch each) and 12 at once (batches
 * shared). Before PGlite's syncs were made real, the trace held no `fdatasync` at all.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTools, STRACE } from '../helpers/tools.js';
import { cli, exampleCopy, removeDir, startProcess } from './helpers.js';

const ready = requireTools('the answer-after-fdatasync trace', STRACE);

describe.skipIf(!ready)('chujing serve answers a decision only after its commit reached the disk', () => {
  let dir: string;
  let traceDir: string;
  beforeAll(() => {
    dir = exampleCopy();
    // Outside the workspace: the server watches the workspace's folder, and would see the trace grow.
    traceDir = mkdtempSync(join(tmpdir(), 'chujing-strace-'));
  });
  afterAll(() => {
    removeDir(dir);
    removeDir(traceDir);
  });

  it('reads the request, syncs the log, then writes the answer, for every decision', async () => {
    const created = await cli(['token', 'create', '--role', 'gateway', '--name', 'durable', '-w', dir, '--json']);
    expect(created.code, created.stderr).toBe(0);
    const gateway = JSON.parse(created.stdout).token as string;
    const trace = join(traceDir, 'serve.strace');
    // seccomp-bpf: only these calls stop the server, so it runs at near its own speed.
    const strace = ['strace', '-f', '--seccomp-bpf', '-e', 'trace=fdatasync,read,write,writev', '-e', 'signal=none', '-s', '4000', '-o', trace];
    const p = await startProcess(dir, {}, [], strace);
    const ask = async (probe: string) => {
      const r = await fetch(`${p.url}/v1/decisions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway}`, 'content-type': 'application/json' },
        body: JSON.stringify({ datasets: ['fleet-diagnostics'], recipient: 'acme-gmbh', purpose: `durability ${probe}`, kind: 'remote-access', time: '2026-11-05' }),
      });
      await r.text();
      expect(r.status).toBe(200);
      return { probe, id: r.headers.get('x-chujing-decision')! };
    };
    const asked: { probe: string; id: string }[] = [];
    for (let i = 0; i < 3; i++) asked.push(await ask(`probe-${i}-alone`));
    asked.push(...(await Promise.all(Array.from({ length: 12 }, (_, i) => ask(`probe-${i}-together`)))));

    // Stop the server itself (strace's child) gracefully; strace ends with it.
    const server = Number(readFileSync(`/proc/${p.child.pid}/task/${p.child.pid}/children`, 'utf8').trim().split(' ')[0]);
    process.kill(server, 'SIGTERM');
    await p.exited;

    const lines = readFileSync(trace, 'utf8').split('\n');
    // A call interrupted by another thread's is printed in two parts: `read(… <unfinished …>`, then `<... read resumed>…`.
    const call = (name: string) => new RegExp(`\\b${name}(\\(| resumed>)`);
    const synced = /\bfdatasync\(\d+\)\s+= 0\b|<\.\.\. fdatasync resumed>.*= 0\b/;
    expect(lines.filter((l) => synced.test(l)).length).toBeGreaterThan(0);
    for (const { probe, id } of asked) {
      const read = lines.findIndex((l) => call('read').test(l) && l.includes(`durability ${probe}\\"`));
      const answered = lines.findIndex((l) => call('writev?').test(l) && l.includes(id));
      expect(read, `the request ${probe} read from its socket`).toBeGreaterThanOrEqual(0);
      expect(answered, `the answer ${id} written to its socket`).toBeGreaterThan(read);
      const syncs = lines.slice(read, answered).filter((l) => synced.test(l)).length;
      expect(syncs, `an fdatasync between reading ${probe} and answering ${id}`).toBeGreaterThan(0);
    }
  });
});
