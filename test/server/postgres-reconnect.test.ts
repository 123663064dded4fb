/**
 * The PostgreSQL connection lost under a running server (src/store/postgres.ts, failure.ts): a restart,
 * a failover, an administrator or a proxy cutting it. Before, one lost connection made every later
 * statement fail — every decision answered 500 "internal error" until chujing itself was restarted,
 * while health said `ok`. Now the next statement connects again; while the server cannot be reached,
 * requests get 503 naming the database and health says `degraded`; and a transaction or held session
 * (the execution lock) whose connection is lost fails rather than going on over a new connection.
 * A table locked by another session (a DBA's LOCK TABLE) held every decision until the proxy gave up,
 * with health `ok`: now a request waits at most the lock timeout, then gets 503 storage.busy. A session
 * gone silent while it holds the execution lock or a transaction is ended by the database (several
 * servers: test/server/several-servers.test.ts), and an idle one outside them is left alone.
 * Runs when CHUJING_TEST_DATABASE_URL is set (CI sets it; under CI=true its absence fails).
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ChujingError } from '../../src/errors.js';
import { openStore } from '../../src/store/index.js';
import { openPostgres } from '../../src/store/postgres.js';
import { eventually, exampleCopy, freshDatabase, HMAC_KEY, PG_URL, removeDir, startInProcess, type InProcess } from './helpers.js';

const REQUIRE_PG = process.env.CI === 'true';
const question = { datasets: ['driver-trajectories'], recipient: 'acme-gmbh', purpose: 'driving-behaviour study', time: '2026-10-01', persons: 10, sensitivePersons: 10 };

/** Cut every connection chujing holds to database `name`, and wait until they are gone. */
async function terminate(name: string): Promise<number> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const r = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await eventually(async () => ((await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])).rows[0].n === 0 ? true : undefined));
    return r.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

/**
 * A TCP proxy in front of the PostgreSQL server: `cut()` closes it and every connection through it (the
 * network gone), `restore()` opens it again on the same port. `orphan()` ends the connections on the
 * database's side only and leaves the client's open and unaware, until it next sends (a server restarted
 * behind a proxy or NAT that has not said so yet); new connections go through.
 */
async function proxyTo(target: URL) {
  const sockets = new Set<net.Socket>();
  const pairs = new Set<[net.Socket, net.Socket]>();
  let server: net.Server;
  const open = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        const pair: [net.Socket, net.Socket] = [client, upstream];
        pairs.add(pair);
        client.on('close', () => pairs.delete(pair));
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  const port = await open(0);
  return {
    port,
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    restore: () => open(port),
    orphan() {
      for (const pair of [...pairs]) {
        const [client, upstream] = pair;
        pairs.delete(pair);
        client.unpipe(upstream);
        upstream.unpipe(client);
        upstream.destroy();
        client.once('data', () => client.destroy());
        client.resume(); // unpipe paused it
      }
    },
    close: () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}

describe('a PostgreSQL connection lost under a running server', { timeout: 300_000 }, () => {
  if (!PG_URL) {
    if (REQUIRE_PG) it('has its database', () => expect.fail('CI=true but CHUJING_TEST_DATABASE_URL is not set'));
    else it.skip('PostgreSQL: CHUJING_TEST_DATABASE_URL is not set', () => {});
    return;
  }

  // Each test its own database and workspace.
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let dir: string;
  let s: InProcess;
  const lines: Record<string, unknown>[] = [];
  let allowed = 0;
  const cleanups: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    db = await freshDatabase();
    dir = exampleCopy();
    const [d, w] = [db, dir];
    cleanups.push(async () => {
      await d.drop();
      removeDir(w);
    });
  });
  afterAll(async () => {
    for (const c of cleanups) await c();
  });
  const name = () => new URL(db.url).pathname.slice(1);
  const decide = () => s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: question, headers: { prefer: 'return=minimal' } });

  it('connects again after the connection was cut between requests, and after it was cut under a burst', async () => {
    const logStream = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    s = await startInProcess(dir, { decisionLog: true, logLevel: 'info', logStream, env: { CHUJING_HMAC_KEY: HMAC_KEY, DATABASE_URL: db.url } });
    expect((await decide()).status).toBe(200);
    allowed++;
    expect(await terminate(name())).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      const a = await decide();
      expect(a.status, a.text).toBe(200);
      allowed++;
    }

    // Cut while 48 decisions are in flight: each is answered, 200 or 503, never an internal error.
    const burst = Promise.all(Array.from({ length: 48 }, () => decide()));
    await terminate(name());
    const answers = await burst;
    for (const a of answers) expect([200, 503], a.text).toContain(a.status);
    for (const a of answers.filter((x) => x.status === 503)) expect(a.body.error.code).toBe('database-unavailable');
    allowed += answers.filter((a) => a.status === 200).length;
    const after = await decide();
    expect(after.status, after.text).toBe(200);
    allowed++;
    expect(lines.filter((l) => l.msg === 'internal error')).toEqual([]);
    expect((await s.request('GET', '/v1/health', { token: s.tokens.admin })).body.status).toBe('ok');

    // Every decision answered 200 is in the log, whole. (A batch whose commit was cut after it reached
    // the server may be there too, though its requests got 503: the log may hold more, never fewer.)
    const verify = await s.request('GET', '/v1/decision-log/verify', { token: s.tokens.admin });
    expect(verify.body.intact, JSON.stringify(verify.body)).toBe(true);
    expect(verify.body.entries).toBeGreaterThanOrEqual(allowed);
    expect(verify.body.entries).toBeLessThanOrEqual(allowed + answers.length);
    await s.close();
  });

  it('answers 503 and reports degraded while the server cannot be reached, and recovers by itself', async () => {
    lines.length = 0;
    const proxy = await proxyTo(new URL(db.url));
    const through = new URL(db.url);
    through.hostname = '127.0.0.1';
    through.port = String(proxy.port);
    const logStream = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    s = await startInProcess(dir, { decisionLog: true, logLevel: 'info', logStream, env: { CHUJING_HMAC_KEY: HMAC_KEY, DATABASE_URL: through.toString() } });
    try {
      expect((await decide()).status).toBe(200);
      await proxy.cut();
      for (let i = 0; i < 12; i++) {
        const a = await decide();
        expect(a.status, a.text).toBe(503);
        expect(a.body.error.code).toBe('database-unavailable');
        expect(a.body.error.message.code).toBe('storage.unreachable');
        expect(a.body.error.issues[0].expected.code).toBe('storage.unreachable-expected');
      }
      const health = await s.request('GET', '/v1/health', { token: s.tokens.admin });
      expect(health.body.status).toBe('degraded');
      const problem = health.body.problems.find((p: { code: string }) => p.code === 'server.health.database-failing');
      expect(problem.params.problem.code).toBe('storage.unreachable');
      // Once when it began, not per request.
      expect(lines.filter((l) => l.event === 'database-failing').length).toBe(1);
      expect(lines.filter((l) => l.msg === 'internal error')).toEqual([]);

      await proxy.restore();
      const back = await decide();
      expect(back.status, back.text).toBe(200);
      expect((await s.request('GET', '/v1/health', { token: s.tokens.admin })).body.status).toBe('ok');
      const recovered = lines.filter((l) => l.event === 'database-recovered');
      expect(recovered.length).toBe(1);
      expect(recovered[0]!.failures).toBeGreaterThanOrEqual(12);
    } finally {
      await s.close();
      await proxy.close();
    }
  });

  it('fails a transaction or a held session whose connection is lost, instead of going on over a new one', async () => {
    const store = await openPostgres(db.url);
    try {
      await store.exec('CREATE TABLE reconnect_probe (n int)');
      const inTx = store.transaction(async (tx) => {
        await tx.query('INSERT INTO reconnect_probe VALUES (1)');
        await terminate(name());
        await tx.query('INSERT INTO reconnect_probe VALUES (2)');
      });
      await expect(inTx).rejects.toSatisfy((e: unknown) => e instanceof ChujingError && e.code === 'database-unavailable');
      // The next statement connects again; nothing of the lost transaction was committed.
      expect(await store.query('SELECT count(*)::int AS n FROM reconnect_probe')).toEqual([{ n: 0 }]);

      const held = store.holdingSession!(async () => {
        await store.query('SELECT pg_advisory_lock(4242)');
        await terminate(name());
        // Were this run over a new connection, the lock would be gone unseen.
        await store.query('INSERT INTO reconnect_probe VALUES (3)');
      });
      await expect(held).rejects.toSatisfy((e: unknown) => e instanceof ChujingError && e.code === 'database-unavailable');
      expect(await store.query('SELECT count(*)::int AS n FROM reconnect_probe')).toEqual([{ n: 0 }]);
      expect(store.health!.current()).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('asks the database to end a silent holder: a server after 5 s, a CLI command after 30 s', async () => {
    const timeoutOf = async (q: { query<T>(sql: string): Promise<T[]> }) =>
      (await q.query<{ t: string; app: string }>("SELECT current_setting('idle_in_transaction_session_timeout') AS t, current_setting('application_name') AS app"))[0];
    const cliStore = (await openStore({ workspaceDir: dir, env: { DATABASE_URL: db.url } }))!;
    try {
      expect(await timeoutOf(cliStore)).toEqual({ t: '30s', app: `chujing cli pid ${process.pid}` });
    } finally {
      await cliStore.close();
    }
    s = await startInProcess(dir, { env: { CHUJING_HMAC_KEY: HMAC_KEY, DATABASE_URL: db.url } });
    expect(await timeoutOf(s.server.core.db)).toEqual({ t: '5s', app: `chujing serve pid ${process.pid}` });
    await s.close();
  });

  it('begins a transaction or a held session on a new connection when the old one turns out lost at its first statement', async () => {
    const proxy = await proxyTo(new URL(db.url));
    const url = new URL(db.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const store = await openPostgres(url.toString());
    try {
      await store.exec('CREATE TABLE opening_probe (n int)');
      // The database's side of the connection gone; the client learns it only when it sends BEGIN.
      proxy.orphan();
      await store.transaction((tx) => tx.query('INSERT INTO opening_probe VALUES (1)'));
      // The same for the execution lock's statement.
      proxy.orphan();
      await store.withSessionLock!(4244, () => store.query('INSERT INTO opening_probe VALUES (2)'));
      expect(await store.query('SELECT count(*)::int AS n FROM opening_probe')).toEqual([{ n: 2 }]);
      // Inside a transaction, a connection lost is not replaced: nothing runs on two sessions.
      const inTx = store.transaction(async (tx) => {
        await tx.query('INSERT INTO opening_probe VALUES (3)');
        proxy.orphan();
        await tx.query('INSERT INTO opening_probe VALUES (4)');
      });
      await expect(inTx).rejects.toSatisfy((e: unknown) => e instanceof ChujingError && e.code === 'database-unavailable');
      expect(await store.query('SELECT count(*)::int AS n FROM opening_probe')).toEqual([{ n: 2 }]);
    } finally {
      await store.close();
      await proxy.close();
    }
  });

  it('ends a session gone silent while it holds a lock or a transaction, and only then', async () => {
    // A short limit, for the test (the server's is 5 s). Waiting past it is a lower bound, not a timing.
    const store = await openPostgres(db.url, { silentHolderTimeoutMs: 500, processRole: 'serve' });
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      const [me] = await store.query<{ pid: number; app: string }>('SELECT pg_backend_pid() AS pid, current_setting(\'application_name\') AS app');
      expect(me!.app).toBe(`chujing serve pid ${process.pid}`);
      // Idle between requests, outside any lock: left alone.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await store.query('SELECT pg_backend_pid() AS pid')).toEqual([{ pid: me!.pid }]);

      // Silent while holding the session lock: ended, and the lock is free for another session.
      await store.exec('CREATE TABLE silent_probe (n int)');
      const held = store.withSessionLock!(4243, async () => {
        await store.query('INSERT INTO silent_probe VALUES (1)');
        await new Promise((r) => setTimeout(r, 1500));
        await store.query('INSERT INTO silent_probe VALUES (2)');
      });
      await expect(held).rejects.toSatisfy((e: unknown) => e instanceof ChujingError && e.code === 'database-unavailable');
      expect((await other.query('SELECT pg_try_advisory_lock(4243) AS got')).rows).toEqual([{ got: true }]);
      await other.query('SELECT pg_advisory_unlock(4243)');
      // The statement before the silence had committed (it ran outside a transaction); the one after never ran.
      expect(await store.query('SELECT count(*)::int AS n FROM silent_probe')).toEqual([{ n: 1 }]);

      // Silent inside a transaction: ended, rolled back.
      const inTx = store.transaction(async (tx) => {
        await tx.query('INSERT INTO silent_probe VALUES (3)');
        await new Promise((r) => setTimeout(r, 1500));
        await tx.query('INSERT INTO silent_probe VALUES (4)');
      });
      await expect(inTx).rejects.toSatisfy((e: unknown) => e instanceof ChujingError && e.code === 'database-unavailable');
      expect(await store.query('SELECT count(*)::int AS n FROM silent_probe')).toEqual([{ n: 1 }]);

      // A lock released clears the limit: the session idles afterwards and is kept.
      await store.withSessionLock!(4243, async () => {
        await store.query('INSERT INTO silent_probe VALUES (5)');
      });
      const [after] = await store.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await new Promise((r) => setTimeout(r, 1500));
      expect(await store.query('SELECT pg_backend_pid() AS pid')).toEqual([after]);
    } finally {
      await other.end();
      await store.close();
    }
  });

  it('refuses (503 busy) rather than holds decisions while another session locks the decision log, and goes on once it is released', async () => {
    lines.length = 0;
    const logStream = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    s = await startInProcess(dir, { decisionLog: true, logLevel: 'info', logStream, databaseLockTimeoutMs: 300, env: { CHUJING_HMAC_KEY: HMAC_KEY, DATABASE_URL: db.url } });
    const dba = new pg.Client({ connectionString: db.url });
    await dba.connect();
    try {
      expect((await decide()).status).toBe(200);
      // An administrator's maintenance: the table locked inside an open transaction.
      await dba.query('BEGIN');
      await dba.query('LOCK TABLE server_decision_batches IN ACCESS EXCLUSIVE MODE');
      const answers = await Promise.all(Array.from({ length: 8 }, () => decide()));
      for (const a of answers) {
        expect(a.status, a.text).toBe(503);
        expect(a.body.error.code).toBe('database-unavailable');
        expect(a.body.error.message.code).toBe('storage.busy');
        expect(a.body.error.issues[0].expected.code).toBe('storage.busy-expected');
      }
      const zh = await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: question, headers: { 'accept-language': 'zh-CN' } });
      expect(zh.status).toBe(503);
      expect(zh.body.error.message.text).toContain('锁住了它的表');
      const health = await s.request('GET', '/v1/health', { token: s.tokens.admin });
      expect(health.body.status).toBe('degraded');
      expect(health.body.problems.find((p: { code: string }) => p.code === 'server.health.database-failing').params.problem.code).toBe('storage.busy');
      expect(lines.filter((l) => l.event === 'database-failing').length).toBe(1);
      expect(lines.filter((l) => l.msg === 'internal error')).toEqual([]);
      // The server's heartbeat (fleet.ts) writes a row of its own every second meanwhile: that success
      // says nothing of the locked table, so health stays degraded and the episode is logged once.
      const beat = async () => (await dba.query('SELECT seen_at FROM server_instances')).rows[0].seen_at.getTime();
      const first = await beat();
      await eventually(async () => ((await beat()) > first ? true : undefined));
      expect((await s.request('GET', '/v1/health', { token: s.tokens.admin })).body.status).toBe('degraded');
      expect(lines.filter((l) => l.event === 'database-failing').length).toBe(1);
      expect(lines.filter((l) => l.event === 'database-recovered').length).toBe(0);

      await dba.query('COMMIT');
      const back = await decide();
      expect(back.status, back.text).toBe(200);
      expect((await s.request('GET', '/v1/health', { token: s.tokens.admin })).body.status).toBe('ok');
      expect(lines.filter((l) => l.event === 'database-recovered').length).toBe(1);
      const verify = await s.request('GET', '/v1/decision-log/verify', { token: s.tokens.admin });
      expect(verify.body.intact, JSON.stringify(verify.body)).toBe(true);
      expect(verify.body.entries).toBe(2);
    } finally {
      await dba.end();
      await s.close();
    }
  });
});
