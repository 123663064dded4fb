/**
 * Test helpers for the server: a private copy of an example workspace, the server in-process (requests
 * through Fastify's inject: no sockets, fast on a busy machine) or as a real `chujing serve` process,
 * and fresh PostgreSQL databases when CHUJING_TEST_DATABASE_URL is set. Readiness is awaited by polling
 * /v1/health, never by sleeping a fixed time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createServer, type ChujingServer, type ServerOptions } from '../../src/server/app.js';
import { createToken } from '../../src/server/tokens.js';
import type { Role } from '../../src/server/roles.js';
import { BIN, REPO_ROOT } from '../helpers/cli.js';

export const HMAC_KEY = 'server-test-key-0123456789abcdef';
export const PG_URL = process.env.CHUJING_TEST_DATABASE_URL;

/** A private copy of examples/<name> (without any .chujing/ folder). */
export function exampleCopy(name = 'acme-auto'): string {
  const dir = mkdtempSync(join(tmpdir(), `chujing-server-${name}-`));
  cpSync(join(REPO_ROOT, 'examples', name), dir, { recursive: true, filter: (src) => !src.includes('.chujing') });
  return dir;
}

/** A fresh, empty PostgreSQL database; its URL, and a function that drops it. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const name = `chujing_srv_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface InProcess {
  server: ChujingServer;
  dir: string;
  tokens: Record<Role, string>;
  request(method: string, url: string, options?: { token?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any; text: string }>;
  close(): Promise<void>;
}

/** The server in this process, with one token of each role. */
export async function startInProcess(dir: string, options: Partial<ServerOptions> & { env?: Record<string, string | undefined>; tokens?: Record<Role, string> } = {}): Promise<InProcess> {
  const { tokens: given, ...rest } = options;
  const env = { CHUJING_HMAC_KEY: HMAC_KEY, ...(options.env ?? {}) };
  const server = await createServer({ workspace: dir, watch: false, logLevel: 'silent', port: 0, ...rest, env });
  // `tokens`: another server's on the same PostgreSQL (tokens live in the database).
  const tokens = given ?? ({} as Record<Role, string>);
  if (!given) for (const role of ['viewer', 'officer', 'gateway', 'admin'] as Role[]) tokens[role] = (await createToken(server.core.db, `${role}-test`, role)).token;
  await server.core.auth.refresh();
  return {
    server,
    dir,
    tokens,
    async request(method, url, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token !== null && o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
      let payload: string | undefined = o.raw;
      if (o.body !== undefined) {
        payload = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await server.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
      let body: unknown = undefined;
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

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  loginLink: string | null;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/** `chujing serve DIR --port 0` as a real process; resolves once it answers /v1/health. */
export async function startProcess(dir: string, env: Record<string, string | undefined>, args: string[] = [], prefix: string[] = []): Promise<ServeProcess> {
  // `prefix`: a program that runs the server (strace); `child` is then that program.
  const command = [...prefix, process.execPath, BIN, 'serve', dir, '--port', '0', '--log-level', 'warn', ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: REPO_ROOT,
    env: { ...process.env, LANG: 'en_US.UTF-8', CHUJING_HMAC_KEY: HMAC_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let exitedYet = false;
  void exited.then(() => (exitedYet = true));
  // The URL is printed once the server listens.
  for (;;) {
    const m = /at (http:\/\/[^\s]+)/.exec(out);
    if (m) break;
    if (exitedYet) throw new Error(`chujing serve exited before listening:\n${err}`);
    await sleep(50);
  }
  const url = /at (http:\/\/[^\s]+)/.exec(out)![1]!;
  await waitForHealth(url, () => exitedYet, () => err);
  const login = /(http:\/\/\S+\/login\?token=\S+)/.exec(out);
  return { child, url, loginLink: login ? login[1]! : null, stdout: () => out, stderr: () => err, exited };
}

/** Poll /v1/health until it answers 200 (or the process is gone); with a token, its full answer. */
export async function waitForHealth(url: string, gone: () => boolean = () => false, why: () => string = () => '', token?: string): Promise<any> {
  for (;;) {
    if (gone()) throw new Error(`the server stopped:\n${why()}`);
    try {
      const r = await fetch(`${url}/v1/health`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      if (r.status === 200) return await r.json();
    } catch {
      /* not yet */
    }
    await sleep(50);
  }
}

/** Poll `check` until it returns a value that is not undefined. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    await sleep(50);
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Drop `text` from every message {code, params, text} (surfaces add it; codes are the contract). */
export function withoutTexts(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (k, v) => (v && typeof v === 'object' && !Array.isArray(v) && typeof v.code === 'string' && 'params' in v && 'text' in v ? { code: v.code, params: v.params } : v));
}

/** The CLI in this process (main), its output captured. */
export async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => void (stdout += s), isTTY: false },
    stderr: { write: (s: string) => void (stderr += s), isTTY: false },
    env: { LANG: 'en_US.UTF-8', CHUJING_HMAC_KEY: HMAC_KEY, ...env },
    cwd: REPO_ROOT,
  });
  return { code, stdout, stderr };
}
