/**
 * PGlite in a worker thread, for the server. PGlite is PostgreSQL compiled to WebAssembly: every
 * statement and every commit runs on the thread that called it. On the server's own thread the decision
 * log's commits took the event loop from the HTTP work — 280–360 µs of CPU per logged decision, measured
 * with `npm run bench -- server` (docs/server.md) — while the machine's second core idled. In a thread
 * of its own the database works beside the requests: the main thread only posts statements and reads
 * answers. The CLI keeps PGlite in its own thread (one command, nothing to overlap).
 *
 * The object below has the shape of the PGlite instance pglite.ts wraps (query, exec, transaction,
 * close, waitReady), so locks, damage detection and the schema work as before.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deserialiseError, type ThreadReply, type ThreadRequest, type ThreadStart } from './pglite-protocol.js';

type Request = ThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Results<T> {
  rows: T[];
}

interface RemoteTransaction {
  query<T>(sql: string, params?: unknown[]): Promise<Results<T>>;
  exec(sql: string): Promise<unknown>;
}

/**
 * The compiled worker (dist/store/pglite-thread.js) from wherever this module runs: compiled, bundled
 * into dist/bundle/, or as TypeScript under the test runner. Null when it is not built (the caller
 * then keeps PGlite on its own thread).
 */
export function pgliteThreadEntry(from: string = fileURLToPath(import.meta.url)): string | null {
  let dir = dirname(from);
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'chujing') {
          const entry = join(dir, 'dist', 'store', 'pglite-thread.js');
          return existsSync(entry) ? entry : null;
        }
      } catch {
        return null;
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

export class ThreadPglite {
  readonly waitReady: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (rows: Record<string, unknown>[]) => void; reject: (e: unknown) => void }>();
  private nextId = 1;
  /** Set once the thread is gone: every later statement fails with it (as a dead PGlite would). */
  private fatal: Error | null = null;

  constructor(entry: string, start: ThreadStart) {
    this.worker = new Worker(entry, { workerData: start });
    // The thread keeps the process alive only while a statement waits for it (see call()).
    this.worker.unref();
    let ready!: () => void;
    let failed!: (e: unknown) => void;
    this.waitReady = new Promise<void>((res, rej) => {
      ready = res;
      failed = rej;
    });
    this.pending.set(0, { resolve: () => ready(), reject: (e) => failed(e) });
    this.worker.ref();
    this.worker.on('message', (m: ThreadReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.ok) p.resolve(m.rows);
      else p.reject(deserialiseError(m.error));
    });
    const die = (e: Error) => {
      this.fatal ??= e;
      for (const p of this.pending.values()) p.reject(this.fatal);
      this.pending.clear();
    };
    // An uncaught abort inside the WebAssembly ends the thread: the statements waiting get its error.
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`the database thread stopped (exit code ${code})`)));
  }

  /** Post one request; `id` also names a transaction for the requests inside it (its `begin`'s id). */
  private call(request: Request, id = this.nextId++): Promise<Record<string, unknown>[]> {
    if (this.fatal) return Promise.reject(this.fatal);
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } as ThreadRequest);
    });
  }

  async query<T>(sql: string, params?: unknown[], options?: { blob?: Blob }): Promise<Results<T>> {
    const csv = options?.blob ? await options.blob.text() : undefined;
    return { rows: (await this.call({ op: 'query', sql, ...(params ? { params } : {}), ...(csv !== undefined ? { csv } : {}) })) as T[] };
  }

  async exec(sql: string): Promise<unknown> {
    return this.call({ op: 'exec', sql });
  }

  /** Committed when `fn` resolves, rolled back when it throws (as PGlite's own transaction). */
  async transaction<T>(fn: (tx: RemoteTransaction) => Promise<T>): Promise<T> {
    const tx = this.nextId++;
    await this.call({ op: 'begin' }, tx);
    const handle: RemoteTransaction = {
      query: async <R>(sql: string, params?: unknown[], options?: { blob?: Blob }) => {
        const csv = options?.blob ? await options.blob.text() : undefined;
        return { rows: (await this.call({ op: 'query', sql, tx, ...(params ? { params } : {}), ...(csv !== undefined ? { csv } : {}) })) as R[] };
      },
      exec: (sql: string) => this.call({ op: 'exec', sql, tx }),
    };
    let out: T;
    try {
      out = await fn(handle);
    } catch (e) {
      await this.call({ op: 'rollback', tx }).catch(() => {});
      throw e;
    }
    await this.call({ op: 'commit', tx });
    return out;
  }

  /** The thread's count of disk syncs (pglite-durable.ts). */
  async syncs(): Promise<{ log: number; files: number; folders: number }> {
    return (await this.call({ op: 'syncs' }))[0] as { log: number; files: number; folders: number };
  }

  async close(): Promise<void> {
    try {
      if (!this.fatal) await this.call({ op: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }
}
