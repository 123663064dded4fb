/**
 * Two servers on one PostgreSQL, each with its own copy of the workspace (two hosts, two checkouts).
 * One copy is changed (an approval revoked) and the other is not: the same upload is now allowed by one
 * server and denied by the other, and before, each said `ok`. Now both say `degraded` once the
 * difference has lasted longer than a reload takes (fleet.ts, 10 s), naming the other server and its
 * revision; and `ok` again once both serve the same revision.
 * Needs CHUJING_TEST_DATABASE_URL (CI sets it; under CI=true its absence fails).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_GRACE_SECONDS } from '../../src/server/fleet.js';
import { eventually, exampleCopy, freshDatabase, HMAC_KEY, PG_URL, removeDir, startInProcess, type InProcess } from './helpers.js';

describe('servers on one PostgreSQL deciding on different workspaces', { timeout: 120_000 }, () => {
  if (!PG_URL) {
    if (process.env.CI === 'true') it('has its database', () => expect.fail('CI=true but CHUJING_TEST_DATABASE_URL is not set'));
    else it.skip('PostgreSQL: CHUJING_TEST_DATABASE_URL is not set', () => {});
    return;
  }

  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const dirs: string[] = [];
  const servers: InProcess[] = [];

  beforeAll(async () => {
    db = await freshDatabase();
    for (let i = 0; i < 2; i++) {
      dirs.push(exampleCopy());
      servers.push(await startInProcess(dirs[i]!, { env: { CHUJING_HMAC_KEY: HMAC_KEY, DATABASE_URL: db.url }, ...(servers[0] ? { tokens: servers[0].tokens } : {}) }));
    }
  });

  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const d of dirs) removeDir(d);
    await db?.drop();
  });

  const health = async (s: InProcess) => (await s.request('GET', '/v1/health', { token: s.tokens.admin })).body;
  const fleetProblems = (h: any) => (h.problems ?? []).filter((p: any) => p.code === 'server.health.fleet-disagrees');
  const adas = (s: InProcess) =>
    s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: { datasets: ['adas-road-test'], recipient: 'acme-gmbh', purpose: 'training of the global perception model', time: '2026-11-05' } });

  /** Revoke sa-2026-001 in one copy of the workspace, and reload that server. */
  const revoke = (i: number) => {
    const file = join(dirs[i]!, 'chujing.yaml');
    const text = readFileSync(file, 'utf8');
    const revoked = text.replace(/(id: sa-2026-001[\s\S]*?status: )approved/, '$1revoked');
    expect(revoked).not.toBe(text);
    writeFileSync(file, revoked);
    expect(servers[i]!.server.core.state.reload('test')).toBe(true);
  };

  it('says degraded on both while they decide differently, naming the other server and revision; ok once they agree', async () => {
    for (const s of servers) expect(fleetProblems(await health(s))).toEqual([]);
    expect((await adas(servers[0]!)).body.result).toBe('allow');

    revoke(1);
    const [a, b] = servers.map((s) => s.server.core.state.current.revision);
    expect(a).not.toBe(b);
    // The same upload, two answers.
    expect((await adas(servers[0]!)).body.result).toBe('allow');
    expect((await adas(servers[1]!)).body.result).toBe('deny');

    for (const [i, s] of servers.entries()) {
      const problem = await eventually(async () => fleetProblems(await health(s))[0]);
      expect(problem.params).toMatchObject({ revision: i === 0 ? a : b, seconds: FLEET_GRACE_SECONDS });
      expect(problem.params.others).toContain(i === 0 ? b : a);
      expect(problem.params.others).toContain(`pid ${process.pid}`);
      expect((await health(s)).status).toBe('degraded');
    }
    const zh = (await servers[0]!.request('GET', '/v1/health?lang=zh', { token: servers[0]!.tokens.admin })).body;
    expect(fleetProblems(zh)[0].text).toContain('请为每个服务器部署相同的工作区');

    // The other copy updated the same way: the same revision, ok again.
    revoke(0);
    expect(servers[0]!.server.core.state.current.revision).toBe(b);
    for (const s of servers) await eventually(async () => ((await health(s)).status === 'ok' ? true : undefined));
  });
});
