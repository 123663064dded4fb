/**
 * Decisions on the workspace as it is now (issue 18, Integrity and Availability): the server watching
 * its folder sees a file replaced by rename, written in place, changed by `sed -i`, `mv` or
 * `git checkout`; every decision names its revision and never uses one older than a write the server
 * acknowledged; an edit is checked as `chujing validate` checks the whole workspace (evidence paths
 * included) and nothing is written on refusal; a workspace that becomes invalid on disk leaves the last
 * valid revision serving while /v1/health says degraded, with the file and line.
 *
 * Through the real server (Fastify inject), with its watcher on. Changes are awaited by polling with a
 * generous overall timeout, never by a timed assertion.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCopy, removeDir, startInProcess, type InProcess } from './helpers.js';

const ADAS = { datasets: ['adas-road-test'], recipient: 'acme-gmbh', purpose: 'training of the global perception model', time: '2026-11-05' };

/** Poll until `check` returns a value (or fail after a generous time: the machine may be busy). */
async function within<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`not seen: ${what}`);
    await sleep(25);
  }
}

describe('the served workspace follows the files on disk', () => {
  let s: InProcess;
  let dir: string;
  const root = () => join(dir, 'chujing.yaml');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'pipe' });

  /** The status of sa-2026-001 as the server serves it (GET /v1/workspace: no look at the disk of its own). */
  const served = async () => (await s.request('GET', '/v1/workspace', { token: s.tokens.viewer })).body.workspace.approvals.find((a: any) => a.id === 'sa-2026-001').status as string;
  const becomes = (status: string, how: string) => within(`${how}: sa-2026-001 ${status}`, async () => ((await served()) === status ? true : undefined));
  const revoke = (text: string) => text.replace(/(- id: sa-2026-001\n(?:.*\n)*?\s+status: )approved/, '$1revoked');

  beforeAll(async () => {
    dir = exampleCopy();
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'workspace');
    s = await startInProcess(dir, { watch: true });
  });

  afterAll(async () => {
    await s?.close();
    removeDir(dir);
  });

  it('sees a file replaced by rename, written in place, by sed -i, by git checkout and by mv', async () => {
    const original = readFileSync(root(), 'utf8');
    expect(revoke(original)).not.toBe(original);
    expect(await served()).toBe('approved');

    // Replaced by rename (what an API edit and most editors do).
    writeFileSync(join(dir, '.chujing.yaml.tmp'), revoke(original));
    renameSync(join(dir, '.chujing.yaml.tmp'), root());
    await becomes('revoked', 'rename');

    // Written in place (same inode).
    writeFileSync(root(), original);
    await becomes('approved', 'in-place write');

    // sed -i (a new file renamed over the old one).
    execFileSync('sed', ['-i', '/id: sa-2026-001/,/status:/ s/status: approved/status: revoked/', root()]);
    await becomes('revoked', 'sed -i');

    // git checkout restores the committed file.
    git('checkout', '--', 'chujing.yaml');
    await becomes('approved', 'git checkout');

    // mv of another file over it.
    writeFileSync(join(dir, 'incoming.txt'), revoke(original));
    execFileSync('mv', [join(dir, 'incoming.txt'), root()]);
    await becomes('revoked', 'mv');

    // The decision uses what is served; health (with a token) names it and the file's hash on disk.
    const d = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: ADAS });
    expect(d.body.result).toBe('deny');
    const h = (await s.request('GET', '/v1/health', { token: s.tokens.viewer })).body;
    expect(h).toMatchObject({ status: 'ok', problems: [] });
    expect(d.body.workspaceRevision).toBe(h.workspace.revision);
    expect(h.workspace.onDisk).toBe(h.workspace.revision);

    writeFileSync(root(), original);
    await becomes('approved', 'restore');
  });

  it('after an API write returns, the next decision uses it (and names the revision)', async () => {
    const got = await s.request('GET', '/v1/workspace/approvals/sa-2026-001', { token: s.tokens.officer });
    expect(got.body.entry.status).toBe('approved');
    const allowed = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: ADAS });
    expect(allowed.body.result).toBe('allow');
    const put = await s.request('PUT', '/v1/workspace/approvals/sa-2026-001', { token: s.tokens.officer, headers: { 'if-match': got.body.etag }, body: { ...got.body.entry, status: 'revoked' } });
    expect(put.status).toBe(200);
    const written = put.headers['x-chujing-revision'];
    expect(written).toMatch(/^sha256:/);
    expect(written).not.toBe(allowed.body.workspaceRevision);
    // No wait: the write is served before it is acknowledged.
    const denied = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: ADAS });
    expect(denied.body).toMatchObject({ result: 'deny', workspaceRevision: written });
    const gate = await s.request('GET', '/v1/gate', { token: s.tokens.gateway, headers: { 'x-chujing-datasets': 'adas-road-test', 'x-chujing-recipient': 'acme-gmbh', 'x-chujing-purpose': ADAS.purpose, 'x-chujing-time': ADAS.time } });
    expect(gate.status).toBe(403);
    expect(gate.headers['x-chujing-revision']).toBe(written);

    // Then revoked on disk again after an edit: the edit form's next read is not stale, and its ETag works.
    const back = await s.request('GET', '/v1/workspace/approvals/sa-2026-001', { token: s.tokens.officer });
    const restored = await s.request('PUT', '/v1/workspace/approvals/sa-2026-001', { token: s.tokens.officer, headers: { 'if-match': back.body.etag }, body: { ...back.body.entry, status: 'approved' } });
    expect(restored.status).toBe(200);
    // Executions name the revision they were judged on too.
    const asked = await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: ADAS });
    expect(asked.body).toMatchObject({ result: 'allow', workspaceRevision: restored.headers['x-chujing-revision'] });
    const executed = await s.request('POST', '/v1/executions', { token: s.tokens.gateway, body: { decision: asked.body.id } });
    expect(executed.status).toBe(201);
    expect(executed.body.workspaceRevision).toBe(restored.headers['x-chujing-revision']);
  });

  it('a date changed on disk does not make the edit form loop on 412', async () => {
    const file = join(dir, 'transfers', '2026.yaml');
    const first = await s.request('GET', '/v1/workspace/transfers/t-2026-003', { token: s.tokens.officer });
    const date = first.body.entry.date as string;
    const other = date === '2026-05-05' ? '2026-05-06' : '2026-05-05';
    execFileSync('sed', ['-i', `/id: t-2026-003/,/date:/ s/date: ${date}/date: ${other}/`, file]);
    // Immediately (no waiting for the watcher): the form reads the entry as it is on disk now.
    const again = await s.request('GET', '/v1/workspace/transfers/t-2026-003', { token: s.tokens.officer });
    expect(again.body.entry.date).toBe(other);
    expect(again.body.etag).not.toBe(first.body.etag);
    const save = await s.request('PUT', '/v1/workspace/transfers/t-2026-003', { token: s.tokens.officer, headers: { 'if-match': again.body.etag }, body: { ...again.body.entry, date } });
    expect(save.status).toBe(200);
    expect(save.body.entry.date).toBe(date);
  });

  it('an evidence path outside the workspace is refused (4xx naming the field) and nothing is written; the gate keeps deciding', async () => {
    const before = readFileSync(join(dir, 'datasets', 'engineering.yaml'), 'utf8');
    const revision = (await s.request('GET', '/v1/health', { token: s.tokens.viewer })).body.workspace.revision;
    for (const path of ['../../../../etc/passwd', '/etc/passwd']) {
      const r = await s.request('POST', '/v1/workspace/datasets', {
        token: s.tokens.officer,
        body: { id: 'stolen', name: 'x', scenario: 'other', dataType: 'customer-records', evidence: [{ kind: 'manifest', path }], personalInfo: { persons: 1 } },
      });
      expect(r.status, path).toBe(400);
      expect(r.body.schema).toBe('chujing.error/1');
      expect(r.body.error.issues.map((i: any) => i.field), path).toContain('body.evidence[0].path');
      expect(r.body.error.issues[0].message.code).toBe('path.outside-workspace');
    }
    expect(readFileSync(join(dir, 'datasets', 'engineering.yaml'), 'utf8')).toBe(before);
    expect((await s.request('GET', '/v1/health', { token: s.tokens.viewer })).body.workspace.revision).toBe(revision);
    expect((await s.request('GET', '/v1/assessment?asOf=2026-11-23', { token: s.tokens.viewer })).status).toBe(200);
    expect((await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: ADAS })).status).toBe(200);
  });

  it('a workspace made invalid on disk: the last valid revision keeps serving; health says degraded with the file and line', async () => {
    const file = join(dir, 'datasets', 'customer.yaml');
    const good = readFileSync(file, 'utf8');
    const serving = (await s.request('GET', '/v1/health', { token: s.tokens.viewer })).body.workspace.revision;
    // An evidence path leading out, written straight to disk (what the API refuses).
    writeFileSync(file, good.replace('    personalInfo: { persons: 60000,', '    evidence: [{ kind: manifest, path: /etc/passwd }]\n    personalInfo: { persons: 60000,'));
    const h = await within('degraded', async () => {
      const b = (await s.request('GET', '/v1/health', { token: s.tokens.viewer })).body;
      return b.status === 'degraded' ? b : undefined;
    });
    expect(h.workspace.revision).toBe(serving);
    expect(h.workspace.onDisk).not.toBe(serving);
    expect(h.problems).toHaveLength(1);
    expect(h.problems[0]).toMatchObject({ code: 'server.health.workspace-invalid', file: 'datasets/customer.yaml', line: expect.any(Number) });
    expect(h.problems[0].text).toContain('datasets/customer.yaml');
    // Without credentials: liveness only, nothing about the workspace.
    expect((await s.request('GET', '/v1/health')).body).toEqual({ schema: 'chujing.health/1', status: 'ok' });
    // Decisions, reads and the gate keep working on the last valid revision.
    const d = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: ADAS });
    expect(d.status).toBe(200);
    expect(d.body.workspaceRevision).toBe(serving);
    expect((await s.request('GET', '/v1/assessment?asOf=2026-11-23', { token: s.tokens.viewer })).status).toBe(200);
    expect((await s.request('GET', '/v1/status?asOf=2026-11-23', { token: s.tokens.viewer })).status).toBe(200);
    expect((await s.request('GET', '/v1/gate', { token: s.tokens.gateway, headers: { 'x-chujing-datasets': 'adas-road-test', 'x-chujing-recipient': 'acme-gmbh', 'x-chujing-purpose': ADAS.purpose, 'x-chujing-time': ADAS.time } })).status).toBe(204);
    // Fixed on disk: ok again.
    writeFileSync(file, good);
    await within('ok again', async () => ((await s.request('GET', '/v1/health', { token: s.tokens.viewer })).body.status === 'ok' ? true : undefined));
  });
});
