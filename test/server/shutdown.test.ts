/**
 * Graceful shutdown: a request that arrived before close() is finished and its decision is in the log
 * when the database is closed; new connections are refused. The request is held at a known point (not
 * by timing) until shutdown has begun.
 */
import { describe, expect, it } from 'vitest';
import { ServerDb } from '../../src/server/db.js';
import { DecisionLog } from '../../src/server/decision-log.js';
import { openStore } from '../../src/store/index.js';
import { exampleCopy, removeDir, startInProcess } from './helpers.js';

describe('chujing serve: graceful shutdown', () => {
  it('finishes in-flight requests, writes their decisions, closes the database, refuses new connections', async () => {
    const dir = exampleCopy();
    try {
      const s = await startInProcess(dir);
      const url = await s.server.listen();
      const decisions = s.server.core.decisions;
      const original = decisions.decide.bind(decisions);
      let arrived!: () => void;
      const arrival = new Promise<void>((r) => (arrived = r));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      decisions.decide = async (...args) => {
        arrived();
        await gate;
        return original(...args);
      };
      const inFlight = fetch(`${url}/v1/decisions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.tokens.gateway}`, 'content-type': 'application/json' },
        body: JSON.stringify({ transfer: 't-2026-007', time: '2026-06-01' }),
      });
      await arrival;
      const closing = s.server.close();
      await expect(fetch(`${url}/v1/health`)).rejects.toThrow();
      release();
      const r = await inFlight;
      expect(r.status).toBe(200);
      const body = (await r.json()) as { id: string; result: string };
      expect(body.result).toBe('allow');
      await closing;
      const store = (await openStore({ workspaceDir: dir, env: {} }))!;
      try {
        expect(await new DecisionLog(new ServerDb(store)).get(body.id)).not.toBeNull();
      } finally {
        await store.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});
