/**
 * Issue 19: a damaged database is the user's problem to act on, said plainly (exit 3 / HTTP 503 naming
 * the database and what to do), never "internal error (please report)" (exit 70 / HTTP 500).
 *
 * PGlite: random bytes over the real file of every table and index of a ledger that the server filled
 * (tokens, decisions, executions), then the CLI and the server meet the damage. PostgreSQL (when
 * CHUJING_TEST_DATABASE_URL is set): what an attacker with SQL access does — a table dropped, the
 * migration record dropped, a column dropped.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChujingError, exitCodeFor } from '../../src/errors.js';
import { createServer } from '../../src/server/app.js';
import { openStore } from '../../src/store/index.js';
import { runMain } from '../ledger/backends.js';
import { HMAC_KEY, PG_URL, exampleCopy, freshDatabase, removeDir, startInProcess } from './helpers.js';

const REQUIRE_PG = process.env.CI === 'true';
const TIMEOUT = 600_000;

interface Outcome {
  probe: string;
  code: number;
  text: string;
}

const execution = (i: number) => ({
  datasets: ['fleet-diagnostics'],
  recipient: 'acme-gmbh',
  purpose: 'warranty analysis',
  kind: 'remote-access',
  time: '2026-11-05',
  execute: true,
  idempotencyKey: `damage-${i}`,
});

/**
 * Each way the server and the CLI read and write the database, in turn, until one meets the damage:
 * the server first (its start reads the tokens, the ledger's counters and the decision log; a decision
 * with its execution writes every table the server writes), then the CLI's readers.
 */
async function probes(dir: string, env: Record<string, string>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const failed = (probe: string, e: unknown) => outcomes.push({ probe, code: e instanceof ChujingError ? exitCodeFor(e.code) : 70, text: (e as Error).message });
  let server;
  try {
    server = await createServer({ workspace: dir, watch: false, logLevel: 'silent', port: 0, env });
  } catch (e) {
    failed('serve (start)', e);
    return outcomes;
  }
  try {
    const { createToken } = await import('../../src/server/tokens.js');
    let token: string | null = null;
    try {
      token = (await createToken(server.core.db, 'damage-probe', 'admin')).token;
      await server.core.auth.refresh();
    } catch (e) {
      failed('token create', e);
      if (outcomes.at(-1)!.code === 3) return outcomes;
    }
    if (token) {
      for (const [probe, method, url, body] of [
        ['POST /v1/decisions', 'POST', '/v1/decisions', execution(99)],
        ['GET /v1/decisions', 'GET', '/v1/decisions', undefined],
        ['GET /v1/decision-log/verify', 'GET', '/v1/decision-log/verify', undefined],
      ] as const) {
        const res = await server.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
        const code = res.statusCode === 503 ? 3 : res.statusCode >= 500 ? 70 : 0;
        outcomes.push({ probe, code, text: res.body });
        if (code === 3) return outcomes;
      }
    }
  } finally {
    await server.close().catch(() => {});
  }
  const cli = async (probe: string, args: string[]) => {
    const r = await runMain(args, { cwd: dir, env });
    outcomes.push({ probe, code: r.code, text: r.stderr + r.stdout });
    return r.code;
  };
  if ((await cli('ledger verify', ['ledger', 'verify', '--json', '-w', dir])) === 3) return outcomes;
  await cli('token list', ['token', 'list', '-w', dir]);
  return outcomes;
}

describe('a damaged embedded database (random bytes over its real files)', { timeout: TIMEOUT }, () => {
  let filled: string;
  let relations: { name: string; file: string; kind: string }[];
  const env = { CHUJING_HMAC_KEY: HMAC_KEY, DATABASE_URL: '', LANG: 'en_US.UTF-8' };

  beforeAll(async () => {
    filled = exampleCopy();
    const s = await startInProcess(filled, { env });
    for (let i = 0; i < 3; i++) expect((await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: execution(i) })).status).toBe(201);
    await s.close();
    const store = (await openStore({ workspaceDir: filled, env: {} }))!;
    relations = await store.query<{ name: string; file: string; kind: string }>(
      `SELECT c.relname AS name, pg_relation_filepath(c.oid) AS file, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') ORDER BY c.relname`,
    );
    await store.close();
  }, TIMEOUT);
  afterAll(() => removeDir(filled));

  it('finds every table and index of the schema on disk', () => {
    expect(relations.map((r) => r.name)).toEqual(expect.arrayContaining(['server_tokens', 'server_decisions', 'server_decision_batches', 'server_decision_chain', 'ledger_entries', 'ledger_person_hashes', 'ledger_chains', 'chujing_migrations']));
  });

  it('`chujing serve` and the CLI on a tokens table overwritten with random bytes: exit 3 naming the database, never exit 70', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-damaged-'));
    try {
      cpSync(filled, dir, { recursive: true });
      const tokens = relations.find((r) => r.name === 'server_tokens')!;
      const file = join(dir, '.chujing', 'db', tokens.file);
      writeFileSync(file, randomBytes(Math.max(8192, statSync(file).size)));
      const { runCli } = await import('../helpers/cli.js');
      for (const args of [['serve', dir, '--port', '0', '--log-level', 'silent'], ['token', 'list', '-w', dir]]) {
        const r = runCli(args, { env });
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(3);
        expect(r.stderr).toContain(`pglite:${join(dir, '.chujing', 'db')} is damaged`);
        expect(r.stderr).toContain('restore it from a backup');
        expect(r.stderr).not.toContain('internal error');
      }
    } finally {
      removeDir(dir);
    }
  });

  // Every table; of the indexes (met only when written or used for a look-up), those of the tables the
  // server writes on each request — all of them would double the test's time for little more.
  const INDEXES = ['server_tokens_pkey', 'server_decision_batches_pkey'];

  it('every table and the written indexes: each reader or writer that meets the damage answers exit 3 / 503; none answers 70 / 500', async () => {
    const noticed: Record<string, string> = {};
    const damaged = relations.filter((r) => r.kind === 'r' || INDEXES.includes(r.name));
    const filledTables = new Set<string>();
    for (const rel of damaged) {
      const dir = mkdtempSync(join(tmpdir(), 'chujing-damaged-'));
      try {
        cpSync(filled, dir, { recursive: true });
        const file = join(dir, '.chujing', 'db', rel.file);
        const before = readFileSync(file);
        if (before.length) filledTables.add(rel.name);
        // The first page (or a page, for a file still empty) replaced by random bytes.
        const page = randomBytes(8192);
        writeFileSync(file, Buffer.concat([page, before.subarray(8192)]));
        const outcomes = await probes(dir, env);
        for (const o of outcomes) expect(o.code, `${rel.name}: ${o.probe}\n${o.text}`).not.toBe(70);
        const hit = outcomes.find((o) => o.code === 3);
        if (hit) {
          expect(hit.text, `${rel.name}: ${hit.probe}`).toMatch(/is damaged/);
          noticed[rel.name] = hit.probe;
        }
      } finally {
        removeDir(dir);
      }
    }
    // Every table holding rows is read by some command (bytes after the end of an empty table are
    // never read: nothing is there to damage); the indexes are met when the server writes.
    for (const rel of damaged) if (filledTables.has(rel.name)) expect(noticed[rel.name], `${rel.name} was never noticed`).toBeTruthy();
    expect([...filledTables]).toEqual(expect.arrayContaining(['server_tokens', 'server_decision_batches', 'server_decision_chain', 'ledger_entries', 'ledger_chains', 'server_tokens_pkey', 'server_decision_batches_pkey']));
  });
});

describe('a damaged PostgreSQL database (an attacker with SQL access)', { timeout: TIMEOUT }, () => {
  if (!PG_URL) {
    if (REQUIRE_PG) it('has its database', () => expect.fail('CI=true but CHUJING_TEST_DATABASE_URL is not set'));
    else it.skip('PostgreSQL: CHUJING_TEST_DATABASE_URL is not set', () => {});
    return;
  }

  const attacks: [string, string][] = [
    ['drops the tokens table', 'DROP TABLE server_tokens'],
    ['drops the ledger entries', 'DROP TABLE ledger_entries CASCADE'],
    ['drops the decision log', 'DROP TABLE server_decision_batches'],
    ['drops the migration record (the next start would try to re-create every table)', 'DROP TABLE chujing_migrations'],
    ['drops a column of the person hashes', 'ALTER TABLE ledger_person_hashes DROP COLUMN first_seq'],
  ];
  for (const [what, sql] of attacks) {
    it(`${what}: the CLI and the server answer exit 3 naming the database`, async () => {
      const db = await freshDatabase();
      const dir = exampleCopy();
      try {
        const env = { CHUJING_HMAC_KEY: HMAC_KEY, DATABASE_URL: db.url, LANG: 'en_US.UTF-8' };
        const s = await startInProcess(dir, { env });
        expect((await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: execution(1) })).status).toBe(201);
        await s.close();
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        await c.query(sql);
        await c.end();
        const outcomes = await probes(dir, env);
        for (const o of outcomes) expect(o.code, `${o.probe}\n${o.text}`).not.toBe(70);
        const hit = outcomes.find((o) => o.code === 3);
        expect(hit, JSON.stringify(outcomes, null, 1)).toBeTruthy();
        expect(hit!.text).toMatch(/postgres:\/\/.* is damaged/);
      } finally {
        removeDir(dir);
        await db.drop();
      }
    });
  }
});
