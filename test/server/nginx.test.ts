/**
 * A real egress point: Debian's nginx with the shipped configuration (examples/nginx) in front of an
 * "export" service, chujing serve as its auth_request gate. A covered transfer passes and is recorded;
 * an uncovered one is blocked (also when the client sends metadata headers of its own); the ledger
 * shows only the one that passed. When chujing cannot decide (down, its decision log broken) the uploader
 * gets 503 with the reason; when the gate is misconfigured (a revoked token, a token of the wrong role),
 * 500 with the reason, never chujing's 401 or a 403 that looks like a denial. Skipped when nginx is not installed, except on CI where it must be.
 */
import { existsSync, truncateSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { cli, exampleCopy, removeDir, startProcess, type ServeProcess } from './helpers.js';
import { NGINX, startGateNginx, type GateNginx } from './nginx-gate.js';

const available = existsSync(NGINX);
if (!available && process.env.CI) throw new Error(`${NGINX} is missing: .ci/run installs nginx`);

describe.skipIf(!available)('nginx auth_request in front of an export service, chujing as the gate', () => {
  let dir: string;
  let chujing: ServeProcess;
  let nginx: GateNginx;
  let upstream: Server;
  const received: { url: string; decision: string | undefined; body: string }[] = [];
  let front: string;
  let viewer: string;
  let chujingPort: string;

  beforeAll(async () => {
    dir = exampleCopy();
    const gateway = JSON.parse((await cli(['token', 'create', '--role', 'gateway', '--name', 'nginx', '-w', dir, '--json'])).stdout).token;
    viewer = JSON.parse((await cli(['token', 'create', '--role', 'viewer', '--name', 'audit', '-w', dir, '--json'])).stdout).token;
    chujing = await startProcess(dir, {});
    chujingPort = new URL(chujing.url).port;

    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ url: req.url ?? '', decision: req.headers['x-chujing-decision'] as string | undefined, body });
        res.end('stored');
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const upstreamPort = (upstream.address() as AddressInfo).port;
    // The shipped read timeout, shortened: the test pauses chujing and waits for nginx to give up.
    nginx = await startGateNginx({ chujing: [new URL(chujing.url).host], exportPort: upstreamPort, gatewayToken: gateway, readTimeout: '1s' });
    front = nginx.front;
  });

  afterAll(async () => {
    await nginx?.stop();
    if (chujing && chujing.child.exitCode === null) {
      chujing.child.kill('SIGTERM');
      await chujing.exited;
    }
    upstream?.close();
    removeDir(dir);
  });

  it('passes a covered transfer, blocks an uncovered one, and the ledger shows only the one that passed', async () => {
    const covered = await fetch(`${front}/export/adas/batch-1.tar`, { method: 'POST', body: 'imagery' });
    expect(covered.status).toBe(200);
    expect(await covered.text()).toBe('stored');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ url: '/export/adas/batch-1.tar', body: 'imagery' });
    expect(received[0]!.decision).toMatch(/^dec-[0-9a-f]{32}$/);

    const uncovered = await fetch(`${front}/export/crm/buyers.csv`, { method: 'POST', body: 'names and phones' });
    expect(uncovered.status).toBe(403);
    // The uploader is told which decision blocked it and why (a code it can look up or log).
    const blockedBy = uncovered.headers.get('x-chujing-decision');
    expect(blockedBy).toMatch(/^dec-[0-9a-f]{32}$/);
    expect(uncovered.headers.get('x-chujing-reason')).toMatch(/^[a-z][a-z0-9.-]+$/);
    const deniedText = await uncovered.text();
    expect(deniedText).toContain(`未发送：本次数据出境未获准许（决定 ${blockedBy}`);
    expect(deniedText).toContain(`Not sent: this transfer abroad is not allowed (decision ${blockedBy}, reason: ${uncovered.headers.get('x-chujing-reason')})`);
    // Metadata sent by the client is not believed: the route says what the transfer is.
    const spoofed = await fetch(`${front}/export/crm/buyers.csv`, { method: 'POST', body: 'names and phones', headers: { 'x-chujing-datasets': 'fleet-diagnostics', 'x-chujing-persons': '0' } });
    expect(spoofed.status).toBe(403);
    expect(received).toHaveLength(1);

    const auth = { authorization: `Bearer ${viewer}` };
    const stats = (await (await fetch(`${chujing.url}/v1/ledger/stats`, { headers: auth })).json()) as any;
    expect(stats.counts).toEqual([expect.objectContaining({ organization: 'acme-cn', year: 2026, entries: 1 })]);
    const passed = await (await fetch(`${chujing.url}/v1/decisions/${received[0]!.decision}`, { headers: auth })).json();
    expect(passed).toMatchObject({ result: 'allow', coveredBy: 'sa-2026-001', executed: true, request: { datasets: ['adas-road-test'], channel: 'nginx' } });
    const blocked = (await (await fetch(`${chujing.url}/v1/decisions/${blockedBy}`, { headers: auth })).json()) as any;
    expect(blocked).toMatchObject({ result: 'deny', path: 'standard-contract-or-certification' });
    expect(blocked.reasons[0].code).toBe(uncovered.headers.get('x-chujing-reason'));
    const log = (await (await fetch(`${chujing.url}/v1/decisions`, { headers: auth })).json()) as any;
    expect(log.counts).toEqual({ allow: 1, deny: 2 });
    expect(log.decisions.filter((d: any) => d.result === 'deny').every((d: any) => d.path === 'standard-contract-or-certification' && d.execution === null)).toBe(true);
  });

  async function stopChujing(): Promise<void> {
    chujing.child.kill('SIGTERM');
    await chujing.exited;
  }
  /** chujing again on the same port (nginx's upstream names it). */
  const restartChujing = async () => (chujing = await startProcess(dir, {}, ['--port', chujingPort]));

  it('tells the uploader why the gate failed: 503 when chujing cannot decide, 500 when the gate is misconfigured, each with the reason', async () => {
    const upload = () => fetch(`${front}/export/adas/batch-2.tar`, { method: 'POST', body: 'imagery' });
    const before = received.length;

    // chujing hung (paused): nginx gives up at its read timeout instead of holding the upload; 503.
    chujing.child.kill('SIGSTOP');
    let hung: Response;
    try {
      hung = await upload();
    } finally {
      chujing.child.kill('SIGCONT');
    }
    expect(hung.status).toBe(503);
    expect(await hung.text()).toContain('cannot decide now');

    // chujing down: nginx could not reach it (502 to the sub-request); "try again later".
    await stopChujing();
    const down = await upload();
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toMatch(/^text\/plain/);
    const downText = await down.text();
    expect(downText).toContain('无法作出决定');
    expect(downText).toContain('cannot decide now');

    // The decision log broken (its table file emptied while stopped): chujing refuses to decide (503)
    // and says why; nginx passes the reason on.
    const store = (await openStore({ workspaceDir: dir, env: {} }))!;
    const [rel] = await store.query<{ file: string }>("SELECT pg_relation_filepath('server_decision_batches') AS file");
    await store.close();
    truncateSync(join(dir, '.chujing', 'db', rel!.file), 0);
    await restartChujing();
    const refused = await upload();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('x-chujing-reason')).toBe('storage.decision-log-refused');
    expect(await refused.text()).toContain('(reason: storage.decision-log-refused)');

    // The gateway's token of a role that may not use the gate (as if the operator had put a viewer's
    // token in the file): chujing answers 403 with no decision; that is the gate misconfigured (500),
    // not a denial.
    await stopChujing();
    const db = (await openStore({ workspaceDir: dir, env: {} }))!;
    await db.query("UPDATE server_tokens SET role = 'viewer' WHERE name = 'nginx' AND revoked_at IS NULL");
    await db.close();
    await restartChujing();
    const viewerRole = await upload();
    expect(viewerRole.status).toBe(500);
    expect(viewerRole.headers.get('x-chujing-reason')).toBe('server.auth.forbidden');
    expect(viewerRole.headers.get('x-chujing-decision')).toBe(null);

    // The gateway's token revoked: nginx would pass chujing's 401 on as if the uploader's credentials
    // were wrong; it is the gate that is misconfigured (500), and the reason says so. (The log is still
    // broken: a caller is authenticated before the break is told.)
    await stopChujing();
    expect((await cli(['token', 'revoke', 'nginx', '-w', dir])).code).toBe(0);
    await restartChujing();
    const revoked = await upload();
    expect(revoked.status).toBe(500);
    expect(revoked.headers.get('x-chujing-reason')).toBe('server.auth.bad-token');
    expect(await revoked.text()).toContain('misconfigured');

    // Nothing reached the export service.
    expect(received.length).toBe(before);
  });
});
