/**
 * `chujing serve` as a real process: edits on disk are picked up and broken ones are not; kill -9 in
 * the middle of a burst of executions loses no acknowledged one and leaves the ledger and the decision
 * log verifiable; SIGTERM stops cleanly. Readiness and reloads are awaited by polling, never by sleeping.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/index.js';
import { openStore } from '../../src/store/index.js';
import { ServerDb } from '../../src/server/db.js';
import { DecisionLog } from '../../src/server/decision-log.js';
import { cli, eventually, exampleCopy, removeDir, startProcess, waitForHealth, type ServeProcess } from './helpers.js';

async function token(dir: string, role: string, name: string): Promise<string> {
  const r = await cli(['token', 'create', '--role', role, '--name', name, '-w', dir, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).token;
}

const json = async (url: string, init: RequestInit & { token?: string } = {}) => {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.body) headers.set('content-type', 'application/json');
  const r = await fetch(url, { ...init, headers });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined, headers: r.headers };
};

describe('chujing serve: the workspace on disk', () => {
  let dir: string;
  let p: ServeProcess;
  let viewer: string;
  let gateway: string;

  beforeAll(async () => {
    dir = exampleCopy();
    viewer = await token(dir, 'viewer', 'v');
    gateway = await token(dir, 'gateway', 'g');
    p = await startProcess(dir, {});
  });
  afterAll(async () => {
    if (p && p.child.exitCode === null) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    removeDir(dir);
  });

  it('prints where it serves and a one-time login link (loopback)', () => {
    expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(p.loginLink).toMatch(/\/login\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('an edit on disk is picked up; a broken edit is not (the last valid version keeps serving, /v1/health says why)', async () => {
    const h0 = await waitForHealth(p.url, undefined, undefined, viewer);
    const file = join(dir, 'transfers', '2026.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('    date: 2026-06-15\n', '    date: 2026-06-18\n'));
    const h1 = await eventually(async () => {
      const h = await waitForHealth(p.url, undefined, undefined, viewer);
      return h.workspace.revision !== h0.workspace.revision ? h : undefined;
    });
    expect(h1.status).toBe('ok');
    const ws = await json(`${p.url}/v1/workspace`, { token: viewer });
    expect(ws.body.workspace.transfers.find((t: any) => t.id === 't-2026-008').date).toBe('2026-06-18');

    // A broken edit: an unknown dataset in a transfer.
    writeFileSync(file, original.replace('    datasets: [crm-buyers-h2]\n', '    datasets: [crm-buyers-h3]\n'));
    const h2 = await eventually(async () => {
      const h = await waitForHealth(p.url, undefined, undefined, viewer);
      return h.status === 'degraded' ? h : undefined;
    });
    expect(h2.workspace.revision).toBe(h1.workspace.revision);
    expect(h2.reload.issues[0]).toMatchObject({ file: 'transfers/2026.yaml', field: expect.stringContaining('datasets[0]') });
    expect(typeof h2.reload.issues[0].line).toBe('number');
    // Still serving the last valid version, decisions included.
    const d = await json(`${p.url}/v1/decisions`, { method: 'POST', token: gateway, body: JSON.stringify({ transfer: 't-2026-008', time: '2026-06-18' }) });
    expect(d.status).toBe(200);
    expect(d.body.workspaceRevision).toBe(h1.workspace.revision);
    const full = await json(`${p.url}/v1/decisions/${d.body.id}`, { token: viewer });
    expect(full.body.request.datasets).toEqual(['crm-buyers-h2']);

    // Broken YAML, then repaired.
    writeFileSync(file, `${original}\n  - id: [unclosed\n`);
    const h3 = await eventually(async () => {
      const h = await waitForHealth(p.url, undefined, undefined, viewer);
      return h.status === 'degraded' && h.reload.issues.some((i: any) => typeof i.line === 'number' && /YAML/i.test(JSON.stringify(i.message))) ? h : undefined;
    });
    expect(h3.workspace.revision).toBe(h1.workspace.revision);
    writeFileSync(file, original);
    const h4 = await eventually(async () => {
      const h = await waitForHealth(p.url, undefined, undefined, viewer);
      return h.status === 'ok' && h.workspace.revision === h0.workspace.revision ? h : undefined;
    });
    expect(h4.reload).toBeNull();
  });

  it('the CLI is told to go through the server while it owns the embedded database', async () => {
    const r = await cli(['ledger', 'verify', '-w', dir], { CHUJING_DB_WAIT_MS: '0' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(p.url);
    const t = await cli(['token', 'list', '-w', dir], { CHUJING_DB_WAIT_MS: '0' });
    expect(t.code).toBe(3);
    expect(t.stderr).toContain(p.url);
  });

  it('SIGTERM stops it cleanly: exit 0, the database closed and released', async () => {
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.stderr()).toContain('chujing: stopped');
    const stats = await cli(['ledger', 'stats', '--json', '-w', dir]);
    expect(stats.code, stats.stderr).toBe(0);
  });
});

describe('chujing serve: kill -9 during a burst of executions', () => {
  let dir: string;

  beforeAll(() => {
    dir = exampleCopy();
  });
  afterAll(() => removeDir(dir));

  it('loses no acknowledged execution, and the ledger and the decision log verify', async () => {
    const gateway = await token(dir, 'gateway', 'burst');
    const p = await startProcess(dir, {});
    const acknowledged: { id: string; entry: string }[] = [];
    let killed = false;
    let sent = 0;
    // Fleet diagnostics carry no personal information (FREE-1): every one is allowed and recorded.
    const one = async (i: number) => {
      sent++;
      try {
        const r = await json(`${p.url}/v1/decisions`, {
          method: 'POST',
          token: gateway,
          body: JSON.stringify({ datasets: ['fleet-diagnostics'], recipient: 'acme-gmbh', purpose: 'warranty analysis', kind: 'remote-access', time: '2026-11-05', execute: true, idempotencyKey: `burst-${i}` }),
        });
        if (r.status === 201) acknowledged.push({ id: r.body.id, entry: r.body.execution.entry });
        else if (!killed) throw new Error(`unexpected ${r.status}: ${JSON.stringify(r.body)}`);
      } catch (e) {
        if (!killed) throw e;
      }
    };
    // Keep 8 requests in flight; kill once 20 are acknowledged, with requests still on their way.
    let next = 0;
    const workers = Array.from({ length: 8 }, async () => {
      while (!killed) await one(next++);
    });
    await eventually(() => (acknowledged.length >= 20 ? true : undefined));
    killed = true;
    p.child.kill('SIGKILL');
    expect(await p.exited).toBe('SIGKILL');
    await Promise.all(workers);
    expect(sent).toBeGreaterThan(acknowledged.length);

    // Everything acknowledged is there, in a ledger and a decision log that verify.
    const store = (await openStore({ workspaceDir: dir, env: {} }))!;
    try {
      const rows = await store.query<{ id: string }>('SELECT id FROM ledger_entries WHERE organization = $1', ['acme-cn']);
      const ids = new Set(rows.map((r) => r.id));
      for (const a of acknowledged) expect(ids.has(a.entry), a.entry).toBe(true);
      const ledger = await verifyLedger(store, {});
      expect(ledger.intact, JSON.stringify(ledger.firstBreak)).toBe(true);
      const log = new DecisionLog(new ServerDb(store));
      for (const a of acknowledged) expect(await log.get(a.id), a.id).not.toBeNull();
      const v = await log.verify();
      expect(v.intact, JSON.stringify(v.firstBreak)).toBe(true);
      // Every decision row of an execution has its ledger entry, and the other way round.
      expect(v.entries).toBe(rows.length);
    } finally {
      await store.close();
    }

    // The server starts again on the same database.
    const again = await startProcess(dir, {});
    const h = await waitForHealth(again.url);
    expect(h.status).toBe('ok');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
