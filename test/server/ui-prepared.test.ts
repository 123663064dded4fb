/**
 * Issue 20, "Weight and speed": the officer's first page after start is prepared in the background once
 * the server listens (and after each workspace reload), and the first /v1/ui/… request awaits that same
 * computation instead of starting a second one. Decisions answer meanwhile: they never wait for it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exampleCopy, removeDir, startInProcess, type InProcess } from './helpers.js';

let s: InProcess | null = null;
let dir: string | null = null;
afterEach(async () => {
  await s?.close();
  if (dir) removeDir(dir);
  s = null;
  dir = null;
});

describe('the web UI prepared after start', () => {
  it('computes the assessment once, in the background, and the first UI requests read that result', async () => {
    dir = exampleCopy();
    s = await startInProcess(dir);
    const core = s.server.core;
    // Nothing is prepared before the server listens (an in-process server used by a command stays idle).
    expect(core.prepared).toBeNull();
    expect(core.computed.assessments).toBe(0);

    await s.server.listen();
    expect(core.prepared).not.toBeNull();
    // A decision asked while the preparation is pending answers (it reads neither the memo nor waits for it).
    const decision = await s.request('POST', '/v1/decisions', {
      token: s.tokens.gateway,
      body: { datasets: ['fleet-diagnostics'], recipient: 'acme-gmbh', purpose: 'warranty analysis', time: '2026-10-01' },
    });
    expect(decision.status, decision.text).toBe(200);
    expect(['allow', 'deny']).toContain(decision.body.result);

    await core.prepared;
    expect(core.computed.assessments).toBe(1);
    for (const url of ['/v1/ui/overview', '/v1/ui/transfers', '/v1/ui/datasets', '/v1/ui/status']) {
      const r = await s.request('GET', url, { token: s.tokens.viewer });
      expect(r.status, `${url}: ${r.text}`).toBe(200);
    }
    // Every page came from the prepared assessment: no second computation.
    expect(core.computed.assessments).toBe(1);
  }, 120_000);

  it('a UI request arriving during the preparation awaits it rather than computing again', async () => {
    dir = exampleCopy();
    s = await startInProcess(dir);
    const core = s.server.core;
    await s.server.listen();
    // Sent at once: whichever starts the computation, the other shares it.
    const [overview] = await Promise.all([s.request('GET', '/v1/ui/overview', { token: s.tokens.viewer }), core.prepared]);
    expect(overview.status, overview.text).toBe(200);
    expect(core.computed.assessments).toBe(1);
  }, 120_000);

  it('prepares again after a workspace reload, once', async () => {
    dir = exampleCopy();
    s = await startInProcess(dir);
    const core = s.server.core;
    await s.server.listen();
    await core.prepared;
    expect(core.computed.assessments).toBe(1);

    const before = core.prepared;
    // A real change of the workspace (a reload with the same files changes nothing and prepares nothing).
    const { appendFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    appendFileSync(join(dir, 'chujing.yaml'), '\n# touched by the test\n');
    expect(core.state.reload('test')).toBe(true);
    expect(core.prepared).not.toBe(before);
    await core.prepared;
    expect(core.computed.assessments).toBe(2);
    expect((await s.request('GET', '/v1/ui/transfers?limit=5', { token: s.tokens.viewer })).status).toBe(200);
    expect(core.computed.assessments).toBe(2);
  }, 120_000);
});
