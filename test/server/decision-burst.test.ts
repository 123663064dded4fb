/**
 * Group commit under kill -9: plain decisions (batched, one guarded statement per batch) and executions
 * (each in its own transaction) arrive together, minimal and full answers mixed, 32 in flight; the
 * server is killed mid-burst. Every decision that was answered is in the decision log, the log and the
 * ledger verify, and the server starts again on the same database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/index.js';
import { openStore } from '../../src/store/index.js';
import { ServerDb } from '../../src/server/db.js';
import { DecisionLog } from '../../src/server/decision-log.js';
import { cli, eventually, exampleCopy, removeDir, startProcess, waitForHealth } from './helpers.js';

describe('chujing serve: kill -9 during a burst of plain decisions and executions', () => {
  let dir: string;
  beforeAll(() => {
    dir = exampleCopy();
  });
  afterAll(() => removeDir(dir));

  it('loses no answered decision; the log and the ledger verify', async () => {
    const created = await cli(['token', 'create', '--role', 'gateway', '--name', 'burst', '-w', dir, '--json']);
    expect(created.code, created.stderr).toBe(0);
    const gateway = JSON.parse(created.stdout).token as string;
    const p = await startProcess(dir, {});
    // A start prints no runtime warning (a framework deprecation once reached every officer's terminal).
    expect(p.stderr()).not.toMatch(/warning/i);
    const answered: { id: string; entry: string | null }[] = [];
    let killed = false;
    let sent = 0;
    const one = async (i: number) => {
      sent++;
      const execute = i % 8 === 0;
      try {
        const r = await fetch(`${p.url}/v1/decisions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${gateway}`, 'content-type': 'application/json', ...(i % 2 ? { prefer: 'return=minimal' } : {}) },
          body: JSON.stringify({
            datasets: ['fleet-diagnostics'],
            recipient: 'acme-gmbh',
            purpose: 'warranty analysis',
            kind: 'remote-access',
            time: '2026-11-05',
            ...(execute ? { execute: true, idempotencyKey: `burst-${i}` } : {}),
          }),
        });
        const body = (await r.json()) as { id: string; execution: { entry: string } | null };
        if (r.status === 200 || r.status === 201) answered.push({ id: body.id, entry: body.execution?.entry ?? null });
        else if (!killed) throw new Error(`unexpected ${r.status}: ${JSON.stringify(body)}`);
      } catch (e) {
        if (!killed) throw e;
      }
    };
    // 32 in flight; kill once 120 are answered, with requests still on their way.
    let next = 0;
    const workers = Array.from({ length: 32 }, async () => {
      while (!killed) await one(next++);
    });
    await eventually(() => (answered.length >= 120 ? true : undefined));
    killed = true;
    p.child.kill('SIGKILL');
    expect(await p.exited).toBe('SIGKILL');
    await Promise.all(workers);
    expect(sent).toBeGreaterThan(answered.length);
    expect(answered.some((a) => a.entry)).toBe(true);

    const store = (await openStore({ workspaceDir: dir, env: {} }))!;
    try {
      const log = new DecisionLog(new ServerDb(store));
      // Every decision's id, from the rows of both formats (one row each, and batches).
      const rows = await store.query<{ id: string }>('SELECT id FROM server_decisions UNION ALL SELECT unnest(ids) FROM server_decision_batches');
      const logged = new Set(rows.map((r) => r.id));
      const missing = answered.filter((a) => !logged.has(a.id));
      expect(missing, `${missing.length} answered decisions are not in the log`).toEqual([]);
      const v = await log.verify();
      expect(v.intact, JSON.stringify(v.firstBreak)).toBe(true);
      const entries = new Set((await store.query<{ id: string }>('SELECT id FROM ledger_entries')).map((r) => r.id));
      for (const a of answered) if (a.entry) expect(entries.has(a.entry), a.entry).toBe(true);
      const ledger = await verifyLedger(store, {});
      expect(ledger.intact, JSON.stringify(ledger.firstBreak)).toBe(true);
    } finally {
      await store.close();
    }

    const again = await startProcess(dir, {});
    expect((await waitForHealth(again.url)).status).toBe('ok');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 600_000); // two server starts, a CLI and a burst: minutes on a busy 2-core machine
});
