/**
 * With DATABASE_URL, any number of servers and CLIs share one PostgreSQL: two servers (in this process)
 * on one database judge executions one at a time across both (the counters are read under the same
 * lock), keep one decision log, see tokens the CLI creates and revokes, and serve what the CLI reads.
 * Needs CHUJING_TEST_DATABASE_URL (CI sets it; skipped locally without it, failing on CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ChujingServer } from '../../src/server/app.js';
import { HMAC_KEY, PG_URL, cli, eventually, exampleCopy, freshDatabase, removeDir, withoutTexts } from './helpers.js';

if (!PG_URL && process.env.CI) throw new Error('CHUJING_TEST_DATABASE_URL is not set on CI');

describe.skipIf(!PG_URL)('two servers and the CLI on one PostgreSQL', () => {
  let dir: string;
  let db: { url: string; drop(): Promise<void> };
  let a: ChujingServer;
  let b: ChujingServer;
  let env: Record<string, string>;
  const tokens: Record<string, string> = {};

  const call = async (s: ChujingServer, method: string, url: string, token: string, body?: unknown) => {
    const r = await s.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
    return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : undefined };
  };

  beforeAll(async () => {
    db = await freshDatabase();
    dir = exampleCopy();
    env = { DATABASE_URL: db.url, CHUJING_HMAC_KEY: HMAC_KEY };
    for (const [role, name] of [['gateway', 'gw'], ['viewer', 'v']] as const) {
      const r = await cli(['token', 'create', '--role', role, '--name', name, '-w', dir, '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      tokens[role] = JSON.parse(r.stdout).token;
    }
    a = await createServer({ workspace: dir, env, watch: false, logLevel: 'silent', port: 0 });
    b = await createServer({ workspace: dir, env, watch: false, logLevel: 'silent', port: 0 });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    removeDir(dir);
    await db?.drop();
  });

  it('executions across both servers never overrun an approval (one at a time, counters read under the lock)', async () => {
    // sc-2026-001 covers driver-trajectories up to 5,000 sensitive persons a year; 800 are declared:
    // of eight transfers of 1,000 each, asked at once on two servers, exactly four fit.
    const ask = (s: ChujingServer, i: number) =>
      call(s, 'POST', '/v1/decisions', tokens.gateway!, { datasets: ['driver-trajectories'], recipient: 'acme-gmbh', purpose: 'driving-behaviour study', time: '2026-10-02', persons: 1000, sensitivePersons: 1000, execute: true, idempotencyKey: `pg-${i}` });
    const answers = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => ask(i % 2 ? a : b, i)));
    expect(answers.map((x) => x.status).sort()).toEqual([200, 200, 200, 200, 201, 201, 201, 201]);
    expect(answers.filter((x) => x.body.result === 'allow')).toHaveLength(4);
    const stats = await call(a, 'GET', '/v1/ledger/stats?year=2026', tokens.viewer!);
    expect(stats.body.counts).toEqual([expect.objectContaining({ organization: 'acme-cn', entries: 4, sensitivePersons: 4000 })]);
    // Both servers keep one decision log.
    const va = await call(a, 'GET', '/v1/decision-log/verify', tokens.viewer!);
    expect(va.body).toMatchObject({ intact: true, entries: 8 });
    const vb = await call(b, 'GET', '/v1/decisions', tokens.viewer!);
    expect(vb.body.counts).toEqual({ allow: 4, deny: 4 });
  });

  it('the CLI, running beside the servers, reads what they serve', async () => {
    const served = await call(a, 'GET', '/v1/assessment?asOf=2026-11-23&lang=en', tokens.viewer!);
    const assess = await cli(['assess', dir, '--json', '--as-of', '2026-11-23', '--lang', 'en'], env);
    expect(JSON.parse(assess.stdout)).toEqual(served.body);
    const stats = await cli(['ledger', 'stats', '--json', '-w', dir], env);
    expect(JSON.parse(stats.stdout)).toEqual((await call(b, 'GET', '/v1/ledger/stats', tokens.viewer!)).body);
    const verify = await cli(['ledger', 'verify', '--json', '-w', dir], env);
    expect(withoutTexts(JSON.parse(verify.stdout))).toEqual(withoutTexts((await call(b, 'GET', '/v1/ledger/verify', tokens.viewer!)).body));
  });

  it('a token the CLI revokes stops working on every server', async () => {
    const created = JSON.parse((await cli(['token', 'create', '--role', 'viewer', '--name', 'temp', '-w', dir, '--json'], env)).stdout).token;
    await eventually(async () => ((await call(b, 'GET', '/v1/session', created)).status === 200 ? true : undefined));
    expect((await cli(['token', 'revoke', 'temp', '-w', dir], env)).code).toBe(0);
    await eventually(async () => ((await call(a, 'GET', '/v1/session', created)).status === 401 ? true : undefined));
    await eventually(async () => ((await call(b, 'GET', '/v1/session', created)).status === 401 ? true : undefined));
  });
});
