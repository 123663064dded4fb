/**
 * Issue 19: the decision log's table emptied or truncated under a server. The head is checked against
 * the rows and its seal at start and periodically: health says `degraded` naming the missing range,
 * decisions are refused (fail closed) unless `acceptBrokenDecisionLog`, and `/v1/decision-log/verify`
 * answers `intact: false` naming the missing decisions, never a 500. PGlite: the real table file
 * truncated on disk. PostgreSQL (CHUJING_TEST_DATABASE_URL): TRUNCATE / DELETE / a forged seal over SQL.
 */
import { rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type ServerOptions } from '../../src/server/app.js';
import { openStore } from '../../src/store/index.js';
import { runMain } from '../ledger/backends.js';
import { HMAC_KEY, PG_URL, exampleCopy, freshDatabase, removeDir, startInProcess, type InProcess } from './helpers.js';

/** The same workspace's server started again, with the tokens the first start created. */
async function restart(first: InProcess, options: Partial<ServerOptions> & { env?: Record<string, string | undefined> } = {}): Promise<InProcess> {
  const server = await createServer({ workspace: first.dir, watch: false, logLevel: 'silent', port: 0, ...options, env: { CHUJING_HMAC_KEY: HMAC_KEY, ...(options.env ?? {}) } });
  return {
    server,
    dir: first.dir,
    tokens: first.tokens,
    async request(method, url, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      const res = await server.app.inject({ method: method as 'GET', url, headers, ...(o.body !== undefined ? { payload: JSON.stringify(o.body) } : {}) });
      let body: any;
      try {
        body = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.statusCode, headers: res.headers as Record<string, string | string[] | undefined>, body, text: res.body };
    },
    close: () => server.close(),
  };
}

const REQUIRE_PG = process.env.CI === 'true';
const TIMEOUT = 300_000;
const decision = (i: number) => ({ datasets: ['fleet-diagnostics'], recipient: 'acme-gmbh', purpose: 'warranty analysis', kind: 'remote-access', time: '2026-11-05', idempotencyKey: `break-${i}` });

async function decide(s: InProcess, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) expect((await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: decision(i) })).status).toBe(200);
}

/** Health, decisions refused, verify naming the range: what every break must show. */
async function expectBroken(s: InProcess, from: number, to: number): Promise<void> {
  const health = await s.request('GET', '/v1/health', { token: s.tokens.viewer });
  expect(health.status).toBe(200);
  expect(health.body.status).toBe('degraded');
  expect(health.body.problems).toHaveLength(1);
  expect(health.body.problems[0]).toMatchObject({ code: 'storage.decision-log-missing', params: { from, to } });
  expect(health.body.problems[0].text).toContain(`decisions ${from} to ${to} are missing`);

  const refused = await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: decision(1000) });
  expect(refused.status).toBe(503);
  expect(refused.body.error.code).toBe('unavailable');
  expect(JSON.stringify(refused.body.error)).toContain(`decisions ${from} to ${to} are missing`);
  const gate = await s.request('GET', '/v1/gate', { token: s.tokens.gateway, headers: { 'x-chujing-datasets': 'fleet-diagnostics', 'x-chujing-recipient': 'acme-gmbh', 'x-chujing-purpose': 'x' } });
  expect(gate.status).toBe(503);
  expect(gate.headers['x-chujing-reason']).toBe('storage.decision-log-refused');
  // The break is told to authenticated callers only: anyone else is asked for a token first.
  for (const url of ['/v1/gate', '/v1/decisions']) {
    const anonymous = await s.request(url === '/v1/gate' ? 'GET' : 'POST', url, url === '/v1/gate' ? {} : { body: decision(1001) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.message.code).toBe('server.auth.missing');
    expect(anonymous.text).not.toContain('decision-log');
  }

  const verify = await s.request('GET', '/v1/decision-log/verify', { token: s.tokens.viewer });
  expect(verify.status, verify.text).toBe(200);
  expect(verify.body.intact).toBe(false);
  expect(verify.body.firstBreak).toMatchObject({ kind: 'deleted', seq: from });
  expect(verify.body.firstBreak.detail).toMatch(new RegExp(`decisions ${from} to ${to}`));
}

describe('the decision log emptied behind the server (PGlite: its real table file truncated)', { timeout: TIMEOUT }, () => {
  let dirs: string[] = [];
  let servers: InProcess[] = [];
  afterEach(async () => {
    for (const s of servers) await s.close().catch(() => {});
    for (const d of dirs) removeDir(d);
    dirs = [];
    servers = [];
  });
  const start = async (dir: string) => {
    const s = await startInProcess(dir);
    servers.push(s);
    return s;
  };
  const again = async (first: InProcess, options: Partial<ServerOptions> = {}) => {
    const s = await restart(first, options);
    servers.push(s);
    return s;
  };

  it('at start: health degraded naming the missing decisions, decisions refused (503), verify intact:false; accepted only with the setting', async () => {
    const dir = exampleCopy();
    dirs.push(dir);
    const first = await start(dir);
    expect((await first.request('GET', '/v1/health', { token: first.tokens.viewer })).body).toMatchObject({ status: 'ok', problems: [] });
    await decide(first, 3);
    await first.close();
    servers = [];
    // The relation file of the decision log's batches, truncated to nothing (as a crash or an attacker would).
    const store = (await openStore({ workspaceDir: dir, env: {} }))!;
    const [rel] = await store.query<{ file: string }>("SELECT pg_relation_filepath('server_decision_batches') AS file");
    await store.close();
    truncateSync(join(dir, '.chujing', 'db', rel!.file), 0);

    const s = await again(first);
    await expectBroken(s, 1, 3);
    await s.close();
    servers = [];

    // The documented setting keeps deciding (the break is still reported).
    const accepting = await again(first, { acceptBrokenDecisionLog: true });
    expect((await accepting.request('POST', '/v1/decisions', { token: accepting.tokens.gateway, body: decision(50) })).status).toBe(200);
    expect((await accepting.request('GET', '/v1/health', { token: accepting.tokens.viewer })).body.status).toBe('degraded');
  });

  it('while running: the periodic check finds the emptied table, and the break stays reported', async () => {
    const dir = exampleCopy();
    dirs.push(dir);
    const s = await start(dir);
    await decide(s, 4);
    expect(await s.server.core.logWatch!.check()).toBeNull();
    // One request at a time: each decision is a batch of its own.
    await s.server.core.db.query('DELETE FROM server_decision_batches WHERE first_seq >= 3');
    const found = await s.server.core.logWatch!.check();
    expect(found).toMatchObject({ kind: 'missing', from: 3, to: 4 });
    await expectBroken(s, 3, 4);
  });

  it('while running: each periodic check counts one window of the log (bounded), moving on and wrapping around, and finds a gap in the middle', async () => {
    const dir = exampleCopy();
    dirs.push(dir);
    // Windows of 3 decisions (the default is 50,000): the start's check reads the tables whole, later ones 3 decisions at a time.
    const s = await startInProcess(dir, { decisionLogCheckWindow: 3 });
    servers.push(s);
    await decide(s, 10); // one at a time: a batch each
    expect(await s.server.core.logWatch!.check()).toBeNull(); // decisions 1-3
    expect(await s.server.core.logWatch!.check()).toBeNull(); // 4-6
    // A decision behind the window removed over SQL: the next checks count 7-9 and 10, and do not see it.
    await s.server.core.db.query('DELETE FROM server_decision_batches WHERE first_seq = 2');
    expect(await s.server.core.logWatch!.check()).toBeNull();
    expect(await s.server.core.logWatch!.check()).toBeNull();
    // Back at the base: found.
    const found = await s.server.core.logWatch!.check();
    expect(found).toMatchObject({ kind: 'missing', problem: { code: 'storage.decision-log-gaps', params: { n: 1, from: 1, to: 3 } } });
    const health = await s.request('GET', '/v1/health', { token: s.tokens.viewer });
    expect(health.body.status).toBe('degraded');
    expect(health.body.problems[0]).toMatchObject({ code: 'storage.decision-log-gaps', params: { n: 1, from: 1, to: 3 } });
    expect((await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: decision(99) })).status).toBe(503);
    expect((await s.request('GET', '/v1/decision-log/verify', { token: s.tokens.viewer })).body.firstBreak).toMatchObject({ kind: 'deleted', seq: 2 });
  });

  it('while running: the table file truncated on disk under the bounded checks is counted whole and found', async () => {
    const dir = exampleCopy();
    dirs.push(dir);
    const s = await start(dir);
    await decide(s, 4);
    expect(await s.server.core.logWatch!.check()).toBeNull();
    const [rel] = await s.server.core.db.query<{ file: string }>("SELECT pg_relation_filepath('server_decision_batches') AS file");
    truncateSync(join(dir, '.chujing', 'db', rel!.file), 0);
    // The rows are still in the database's memory: looked up through the index they seem present; the file shrank.
    expect(await s.server.core.logWatch!.check()).toMatchObject({ kind: 'missing', from: 1, to: 4 });
  });

  it('while running: the head row and the table both emptied is found against the head this server saw', async () => {
    const dir = exampleCopy();
    dirs.push(dir);
    const s = await start(dir);
    await decide(s, 2);
    expect(await s.server.core.logWatch!.check()).toBeNull();
    await s.server.core.db.query('DELETE FROM server_decision_batches');
    await s.server.core.db.query('DELETE FROM server_decision_chain');
    const found = await s.server.core.logWatch!.check();
    expect(found).toMatchObject({ kind: 'rolled-back' });
    const health = await s.request('GET', '/v1/health', { token: s.tokens.viewer });
    expect(health.body.status).toBe('degraded');
    expect(health.body.problems[0].code).toBe('storage.decision-log-head-removed');
  });
});

describe('the decision log behind the workspace\'s signed anchor', { timeout: TIMEOUT }, () => {
  it('head row and table both emptied before a start: found against the anchor (health degraded, decisions refused)', async () => {
    const dir = exampleCopy();
    try {
      const first = await startInProcess(dir);
      await decide(first, 3);
      await first.close();
      const env = { CHUJING_HMAC_KEY: HMAC_KEY, DATABASE_URL: '' };
      const priv = join(dir, '..', `${dir.split('/').pop()}-anchor.pem`);
      expect((await runMain(['ledger', 'anchor-key', '-w', dir, '--out', priv], { cwd: dir, env })).code).toBe(0);
      const anchored = await runMain(['ledger', 'anchor', '-w', dir, '--signing-key', priv, '--json'], { cwd: dir, env });
      expect(anchored.code, anchored.stderr).toBe(0);
      expect(JSON.parse(anchored.stdout).body.decisionLog).toMatchObject({ seq: 3 });
      rmSync(priv);
      const store = (await openStore({ workspaceDir: dir, env: {} }))!;
      await store.query('DELETE FROM server_decision_batches');
      await store.query('DELETE FROM server_decision_chain');
      await store.close();
      const s = await restart(first);
      try {
        const health = await s.request('GET', '/v1/health', { token: s.tokens.viewer });
        expect(health.body.status).toBe('degraded');
        expect(health.body.problems[0]).toMatchObject({ code: 'storage.decision-log-behind-anchor', params: { head: 0, seq: 3 } });
        expect((await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: decision(7) })).status).toBe(503);
      } finally {
        await s.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});

describe('the decision log broken over SQL on PostgreSQL', { timeout: TIMEOUT }, () => {
  if (!PG_URL) {
    if (REQUIRE_PG) it('has its database', () => expect.fail('CI=true but CHUJING_TEST_DATABASE_URL is not set'));
    else it.skip('PostgreSQL: CHUJING_TEST_DATABASE_URL is not set', () => {});
    return;
  }
  const sql = async (url: string, text: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(text);
    await c.end();
  };

  for (const [what, attack, from, to] of [
    ['TRUNCATE of the decisions', 'TRUNCATE server_decision_batches', 1, 3],
    ['the newest decisions deleted', 'DELETE FROM server_decision_batches WHERE last_seq = 3', 3, 3],
    ['the oldest decisions deleted', 'DELETE FROM server_decision_batches WHERE first_seq <= 2', 1, 2],
  ] as const) {
    it(`${what}: degraded at start, decisions refused, verify names decisions ${from} to ${to}`, async () => {
      const db = await freshDatabase();
      const dir = exampleCopy();
      const env = { DATABASE_URL: db.url };
      try {
        const first = await startInProcess(dir, { env });
        await decide(first, 3);
        await first.close();
        await sql(db.url, attack);
        const s = await restart(first, { env });
        try {
          await expectBroken(s, from, to);
        } finally {
          await s.close();
        }
      } finally {
        removeDir(dir);
        await db.drop();
      }
    });
  }

  it('a head whose seal was forged (rows and head rewritten without the key): degraded, decisions refused', async () => {
    const db = await freshDatabase();
    const dir = exampleCopy();
    const env = { DATABASE_URL: db.url };
    try {
      const first = await startInProcess(dir, { env });
      await decide(first, 2);
      await first.close();
      await sql(db.url, "UPDATE server_decision_chain SET head_seal = decode(repeat('ab', 32), 'hex')");
      const s = await restart(first, { env });
      try {
        const health = await s.request('GET', '/v1/health', { token: s.tokens.viewer });
        expect(health.body.status).toBe('degraded');
        expect(health.body.problems[0].code).toBe('storage.decision-log-bad-seal');
        expect((await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: decision(9) })).status).toBe(503);
      } finally {
        await s.close();
      }
    } finally {
      removeDir(dir);
      await db.drop();
    }
  });
});
