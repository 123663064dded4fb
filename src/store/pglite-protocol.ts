/** Messages between the main thread and the embedded database's thread (pglite-thread.ts). */

export interface ThreadStart {
  dataDir: string;
  /** The compiled WebAssembly module (compiled once per process, shared with the thread). */
  wasmModule?: unknown;
  /** PGlite's file bundle, read by the thread itself. */
  fsBundlePath?: string;
}

export type ThreadRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; csv?: string; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'close' }
  /** The thread's count of disk syncs (pglite-durable.ts), for the tests that hold commits durable. */
  | { id: number; op: 'syncs' };

export interface SerialisedError {
  /** WebAssembly's RuntimeError (PGlite aborted) or any other error. */
  kind: 'RuntimeError' | 'Error';
  name: string;
  message: string;
  stack?: string;
  /** The driver's fields (SQLSTATE `code`, `severity`, `detail`, …), as far as they can be copied. */
  props: Record<string, unknown>;
}

export type ThreadReply = { id: number; ok: true; rows: Record<string, unknown>[] } | { id: number; ok: false; error: SerialisedError };

/** An error as a plain object a message can carry (the driver's fields kept, the statement's parameters not). */
export function serialiseError(e: unknown): SerialisedError {
  if (!(e instanceof Error)) return { kind: 'Error', name: 'Error', message: String(e), props: {} };
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'params' || k === 'queryOptions') continue;
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) props[k] = v;
  }
  return { kind: e instanceof wasmRuntimeError() ? 'RuntimeError' : 'Error', name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}), props };
}

/** The error again on the main thread, of the class that damage detection recognises. */
export function deserialiseError(s: SerialisedError): Error {
  const RuntimeError = wasmRuntimeError();
  const e = s.kind === 'RuntimeError' ? new RuntimeError(s.message) : new Error(s.message);
  Object.assign(e, s.props);
  if (e.name !== s.name) e.name = s.name;
  if (s.stack) e.stack = s.stack;
  return e;
}

/** (node's WebAssembly global; the project's TypeScript lib has no DOM types for it) */
function wasmRuntimeError(): new (m: string) => Error {
  return (globalThis as unknown as { WebAssembly: { RuntimeError: new (m: string) => Error } }).WebAssembly.RuntimeError;
}
