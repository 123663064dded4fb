/**
 * The two interchangeable storage back-ends the ledger conformance suite runs against. PGlite: a fresh
 * copy of the fixture workspace per test (its .chujing/db inside). PostgreSQL: a fresh database per
 * test on the server named by CHUJING_TEST_DATABASE_URL (CI sets it; locally the suite is skipped with
 * a message when it is unset, and FAILS when CI=true).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { main } from '../../src/cli/main.js';
import { openStore, type Store } from '../../src/store/index.js';
import { openPglite } from '../../src/store/pglite.js';
import { openPostgres } from '../../src/store/postgres.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/ledger/', import.meta.url));
export const TEST_KEY = 'ledger-test-key-0123456789abcdef';

export interface Ledgerspace {
  /** Workspace folder (a private copy of the fixture). */
  dir: string;
  /** Environment for the CLI (key, DATABASE_URL for the server back-end). */
  env: Record<string, string>;
  /** Open the same database directly (for SQL tampering and checks). */
  open(): Promise<Store>;
  /** Open it without running the migrations (to test them). */
  openRaw(): Promise<Store>;
  dispose(): Promise<void>;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  available: boolean;
  /** Why the back-end is not available (shown when skipping). */
  reason?: string;
  /** A fresh workspace copy; `empty`: without an embedded database yet (tests of its creation). */
  create(options?: { empty?: boolean }): Promise<Ledgerspace>;
}

const SERVER_URL = process.env.CHUJING_TEST_DATABASE_URL;
let counter = 0;

function workspaceCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-ledger-'));
  cpSync(join(FIXTURES, 'workspace'), dir, { recursive: true });
  return dir;
}

/**
 * Creating a PGlite database (initdb) costs seconds of CPU; its creation is tested on its own
 * (pglite-process.test.ts). Every other test starts from a copy of one freshly created, migrated,
 * empty database, made once per test process.
 */
let template: Promise<string> | null = null;
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-ledger-template-'));
    const store = (await openStore({ workspaceDir: dir, env: {} }))!;
    await store.close();
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return join(dir, '.chujing', 'db');
  })();
  return template;
}

const pglite: Backend = {
  name: 'pglite',
  available: true,
  async create(options = {}) {
    const dir = workspaceCopy();
    if (!options.empty) {
      mkdirSync(join(dir, '.chujing'), { recursive: true, mode: 0o700 });
      cpSync(await pgliteTemplate(), join(dir, '.chujing', 'db'), { recursive: true });
    }
    const env = { CHUJING_HMAC_KEY: TEST_KEY, DATABASE_URL: '' };
    return {
      dir,
      env,
      open: async () => (await openStore({ workspaceDir: dir, env: { CHUJING_DB_WAIT_MS: '60000' } }))!,
      openRaw: () => openPglite(dir, { waitMs: 60_000 }),
      async dispose() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: Backend = {
  name: 'postgres',
  available: !!SERVER_URL,
  reason: 'CHUJING_TEST_DATABASE_URL is not set (CI sets it; export it to run the PostgreSQL back-end locally)',
  async create() {
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    const db = `chujing_t_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
    const url = new URL(SERVER_URL!);
    url.pathname = `/${db}`;
    const dir = workspaceCopy();
    const env = { CHUJING_HMAC_KEY: TEST_KEY, DATABASE_URL: url.toString() };
    return {
      dir,
      env,
      open: async () => (await openStore({ workspaceDir: dir, env }))!,
      openRaw: () => openPostgres(url.toString()),
      async dispose() {
        rmSync(dir, { recursive: true, force: true });
        const a = new pg.Client({ connectionString: SERVER_URL });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
        await a.end();
      },
    };
  },
};

export const BACKENDS: Backend[] = [pglite, postgres];

/** In CI a missing server is a failure, not a skip. */
export const REQUIRE_ALL = process.env.CI === 'true';

/** A manifest of `n` persons (phones from `start`), every 10th sensitive, every 7th with a vehicle. */
export function manifestCsv(n: number, start = 0, options: { badRowAt?: number } = {}): string {
  const lines = ['phone,sensitive,vin'];
  for (let i = 0; i < n; i++) {
    const k = start + i;
    if (options.badRowAt === i) {
      lines.push(',,');
      continue;
    }
    lines.push(`139${String(k).padStart(8, '0')},${k % 10 === 0 ? 'yes' : 'no'},${k % 7 === 0 ? `LSVTEST${String(k).padStart(10, '0')}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Expected distinct counts of manifestCsv ranges (union of [start, start+n) ranges). */
export function expectedCounts(ranges: [number, number][]) {
  const ids = new Set<number>();
  for (const [start, n] of ranges) for (let i = 0; i < n; i++) ids.add(start + i);
  let sensitive = 0;
  let vehicles = 0;
  for (const k of ids) {
    if (k % 10 === 0) sensitive++;
    if (k % 7 === 0) vehicles++;
  }
  return { persons: ids.size, sensitivePersons: sensitive, chargingConsumptionPersons: 0, vehicles };
}

/** Run the CLI in-process (main from src/cli/main.ts), as the real binary would, without a process. */
export async function runMain(args: string[], options: { cwd: string; env: Record<string, string | undefined> }): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => void (stdout += s), isTTY: false },
    stderr: { write: (s: string) => void (stderr += s), isTTY: false },
    env: { LANG: 'en_US.UTF-8', ...options.env },
    cwd: options.cwd,
  });
  return { code, stdout, stderr };
}
