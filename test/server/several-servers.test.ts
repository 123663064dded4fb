/**
 * Two chujing servers on one PostgreSQL behind the shipped nginx gate (both in its upstream).
 *
 * One of them stops answering while it holds what the other needs: the execution lock (held between
 * statements) or its transaction's row locks. Before, its session kept them for as long as it stayed
 * paused (or, for a host gone from the network, until TCP noticed, hours): the other server's
 * executions waited, then failed with 503 storage.busy, so the gate was knocked out across the fleet by
 * one paused process. Now the database ends a session gone silent while holding locks (5 s,
 * SILENT_HOLDER_TIMEOUT_MS), and nginx's retry of the sub-request reaches the other server, which records
 * the transfer. The paused server, resumed, records nothing of it: the upload is counted once.
 *
 * A rolling restart (each server stopped and started again in turn) under a stream of uploads: every
 * upload passes, each is recorded once.
 *
 * Needs PostgreSQL (CHUJING_TEST_DATABASE_URL) and nginx; CI has both, and under CI=true their absence fails.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, eventually, exampleCopy, freshDatabase, PG_URL, removeDir, startProcess, type ServeProcess } from './helpers.js';
import { NGINX, startGateNginx, type GateNginx } from './nginx-gate.js';

/** nginx's default fail_timeout: how long it counts a server that failed as down. */
const NGINX_FAIL_TIMEOUT_MS = 10_000;

const missing = [!PG_URL && 'PostgreSQL (CHUJING_TEST_DATABASE_URL is not set)', !existsSync(NGINX) && `nginx (${NGINX})`].filter(Boolean).join(' and ');

describe('two servers behind nginx on one PostgreSQL', { timeout: 180_000 }, () => {
  if (missing) {
    if (process.env.CI === 'true') it('has what it needs', () => expect.fail(`CI=true but ${missing} is missing`));
    else it.skip(`needs ${missing}`, () => {});
    return;
  }

  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let dir: string;
  let env: Record<string, string>;
  let servers: ServeProcess[] = [];
  let gateway: string;
  let exportService: Server;
  const received: string[] = [];
  let viewer: string;
  let admin: pg.Client;

  beforeAll(async () => {
    db = await freshDatabase();
    dir = exampleCopy();
    env = { DATABASE_URL: db.url };
    gateway = JSON.parse((await cli(['token', 'create', '--role', 'gateway', '--name', 'nginx', '-w', dir, '--json'], env)).stdout).token;
    viewer = JSON.parse((await cli(['token', 'create', '--role', 'viewer', '--name', 'audit', '-w', dir, '--json'], env)).stdout).token;
    servers.push(await startProcess(dir, env), await startProcess(dir, env));
    exportService = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(req.headers['x-chujing-decision'] as string);
        res.end('stored');
      });
    });
    await new Promise<void>((r) => exportService.listen(0, '127.0.0.1', r));
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    for (const s of servers) {
      if (s.child.exitCode === null) {
        s.child.kill('SIGCONT');
        s.child.kill('SIGTERM');
        await s.exited;
      }
    }
    exportService?.close();
    if (dir) removeDir(dir);
    await db?.drop();
  });

  /**
   * The shipped configuration, both servers in its upstream; a new nginx for each test (nginx counts a
   * server that timed out as down for 10 s: fail_timeout). The read timeout is shortened: the shipped
   * 15 s would only make the test wait longer for nginx to try the other server. It stays above the
   * 5 s after which the database ends the paused server's session, and below the other server's lock
   * timeout (10 s), which it would reach without that.
   */
  const startNginx = () =>
    startGateNginx({ chujing: servers.map((s) => new URL(s.url).host), exportPort: (exportService.address() as AddressInfo).port, gatewayToken: gateway, readTimeout: '8s' });
  const upload = (nginx: GateNginx, name: string) => fetch(`${nginx.front}/export/adas/${name}`, { method: 'POST', body: 'imagery' });
  const asViewer = async (s: ServeProcess, path: string) => (await (await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${viewer}` } })).json()) as any;

  /** The chujing server whose session holds the execution lock while it waits for `table`, once one does, and that session's pid. */
  const holderWaitingFor = (table: string) =>
    eventually(async () => {
      const { rows } = await admin.query<{ app: string; pid: number }>(
        `SELECT a.application_name AS app, a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()
            AND EXISTS (SELECT 1 FROM pg_locks w WHERE w.pid = l.pid AND NOT w.granted AND w.relation = $1::regclass)`,
        [table],
      );
      if (!rows[0]) return undefined;
      const pid = Number(/^chujing serve pid (\d+)$/.exec(rows[0].app)?.[1]);
      const server = servers.find((s) => s.child.pid === pid) ?? expect.fail(`the lock's holder ${rows[0].app} is not one of the test's servers`);
      return { server, session: rows[0].pid };
    });

  // The other server waits for the lock; the holder paused (SIGSTOP) just after it took it (the table
  // it reads next was locked by the test, then released once it was paused).
  for (const [where, table] of [
    ['between statements, holding the execution lock', 'ledger_chains'],
    ['inside its transaction, holding the chain heads', 'server_decision_chain'],
  ] as const) {
    it(`the other server records the upload; the paused one, resumed, records nothing of it (${where})`, async () => {
      const nginx = await startNginx();
      try {
        await oneServerPaused(nginx);
      } finally {
        await nginx.stop();
      }
    });

    async function oneServerPaused(nginx: GateNginx) {
      const before = received.length;
      const entriesBefore = (await asViewer(servers[0]!, '/v1/ledger/stats')).counts[0]?.entries ?? 0;
      await admin.query('BEGIN');
      await admin.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      const name = `batch-${table}.tar`;
      const sent = upload(nginx, name);
      const { server: holder, session } = await holderWaitingFor(table);
      holder.child.kill('SIGSTOP');
      let answer: Response;
      try {
        await admin.query('ROLLBACK');
        // The database ends the paused server's silent session (its locks released, its transaction
        // rolled back); nginx gives up on the paused server at its read timeout and asks the other.
        answer = await sent;
        expect(answer.status).toBe(200);
        expect(await answer.text()).toBe('stored');
        expect((await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [session])).rowCount).toBe(0);
      } finally {
        holder.child.kill('SIGCONT');
      }
      expect(received.length).toBe(before + 1);
      const decision = received.at(-1)!;
      expect(decision).toMatch(/^dec-[0-9a-f]{32}$/);

      // The resumed server finds its session gone: its request fails and is rolled back, then it
      // connects again. The upload stays recorded once.
      const [other] = servers.filter((s) => s !== holder);
      await eventually(async () => ((await fetch(`${holder.url}/v1/health`)).status === 200 ? true : undefined));
      const stats = await asViewer(other!, '/v1/ledger/stats');
      expect(stats.counts).toEqual([expect.objectContaining({ organization: 'acme-cn', entries: entriesBefore + 1 })]);
      expect(await asViewer(holder, `/v1/decisions/${decision}`)).toMatchObject({ result: 'allow', executed: true });
      const verify = await asViewer(holder, '/v1/decision-log/verify');
      expect(verify).toMatchObject({ intact: true });
      expect(holder.stderr()).toMatch(/database-failing/);

      // The resumed server decides and records again (asked directly: nginx counts it as down for 10 s).
      const again = await fetch(`${holder.url}/v1/gate`, {
        headers: { authorization: `Bearer ${gateway}`, 'x-chujing-datasets': 'adas-road-test', 'x-chujing-recipient': 'acme-gmbh', 'x-chujing-purpose': 'training of the global perception model', 'x-chujing-time': '2026-11-05', 'x-chujing-request-id': `again-${table}` },
      });
      expect(again.status).toBe(204);
      expect((await asViewer(other!, '/v1/ledger/stats')).counts[0].entries).toBe(entriesBefore + 2);
      expect(await asViewer(other!, '/v1/decisions')).toMatchObject({ counts: { allow: entriesBefore + 2, deny: 0 } });
    }
  }

  it('a rolling restart under a stream of uploads: every upload passes, each recorded once', async () => {
    const nginx = await startNginx();
    try {
      const before = received.length;
      const entriesBefore = (await asViewer(servers[0]!, '/v1/ledger/stats')).counts[0]?.entries ?? 0;
      const statuses: number[] = [];
      const failures: string[] = [];
      let streaming = true;
      // Four uploaders, one upload at a time each, until both servers have been restarted.
      const uploaders = [0, 1, 2, 3].map(async (u) => {
        for (let n = 0; streaming || n === 0; n++) {
          const r = await upload(nginx, `rolling-${u}-${n}.tar`);
          statuses.push(r.status);
          if (r.status !== 200) failures.push(`${r.status} ${r.headers.get('x-chujing-reason')} ${(await r.text()).slice(-80)}`);
        }
      });
      // One server at a time, as docs/server.md says: the next only once the restarted one answers and
      // nginx's fail_timeout (10 s, its default) has passed since it counted the stopped one as down.
      for (let i = 0; i < servers.length; i++) {
        const old = servers[i]!;
        const port = new URL(old.url).port;
        const uploadsBefore = statuses.length;
        old.child.kill('SIGTERM');
        expect(await old.exited).toBe(0);
        // Uploads go on while it is down (through the other server).
        await eventually(() => (statuses.length > uploadsBefore + 4 ? true : undefined));
        const restarted = await startProcess(dir, env, ['--port', port]);
        servers = servers.map((s) => (s === old ? restarted : s));
        await new Promise((r) => setTimeout(r, NGINX_FAIL_TIMEOUT_MS + 1000));
      }
      streaming = false;
      await Promise.all(uploaders);
      expect([...new Set(failures)], `${statuses.length} uploads; nginx: ${nginx.errorLog()}`).toEqual([]);
      expect(received.length - before).toBe(statuses.length);
      expect((await asViewer(servers[1]!, '/v1/ledger/stats')).counts[0].entries).toBe(entriesBefore + statuses.length);
      expect(await asViewer(servers[0]!, '/v1/decision-log/verify')).toMatchObject({ intact: true });
      expect(new Set(received.slice(before)).size).toBe(statuses.length);
    } finally {
      await nginx.stop();
    }
  });
});
