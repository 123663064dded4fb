/**
 * PGlite runs inside one process: two processes opening the same data folder would corrupt it. A lock
 * file beside the data (`.chujing/db.lock`, holding the owner's pid, host, role and — for a server — the
 * URL it serves) makes a second process wait, then fail with 'database-in-use'. A lock left by a process
 * that died (kill -9) is detected by its pid no longer existing on this host, and taken over.
 *
 * A server (`chujing serve`) owns the embedded database for its whole life: waiting for it is useless,
 * so a CLI finding a live server's lock fails at once and says to go through the server at its URL.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChujingError } from '../errors.js';
import { msg } from '../i18n/index.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE, writeFileAtomic } from './private-fs.js';

export type LockRole = 'cli' | 'server';

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  /** Who holds it: a CLI command (short-lived) or a server (holds it until it stops). Absent: 'cli'. */
  role?: LockRole;
  /** A server's address, for the message telling others to go through it. */
  url?: string;
}

export interface LockOptions {
  /** How long to wait for another process to finish before giving up (ms). */
  waitMs: number;
  pollMs?: number;
  /** Who is taking the lock (default: a CLI command). */
  role?: LockRole;
  url?: string;
}

export interface Lock {
  release(): void;
  /** Update what the owner says about itself (a server learns its URL after it listens). */
  announce(info: { role?: LockRole; url?: string }): void;
}

function readOwner(file: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return null; // vanished or half-written: treated as "try again"
  }
}

/** @internal exported for tests */
export function isOwnerAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // cannot tell for another machine: assume alive
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(file: string, owner: LockOwner | null): ChujingError {
  if (owner?.role === 'server') {
    const url = owner.url ?? msg('store.server-url-unknown');
    return new ChujingError('database-in-use', msg('store.in-use-server', { url, pid: owner.pid }), [
      { file, message: msg('store.held-by', { pid: owner.pid, host: owner.host, since: owner.since }), expected: msg('store.in-use-server-expected', { url }) },
    ]);
  }
  return new ChujingError('database-in-use', msg('store.in-use', { file, pid: owner ? owner.pid : '?' }), [
    {
      file,
      message: owner ? msg('store.held-by', { pid: owner.pid, host: owner.host, since: owner.since }) : msg('store.held-by-unknown'),
      expected: msg('store.in-use-expected'),
    },
  ]);
}

/** Take the lock or throw 'database-in-use'. */
export async function acquireLock(file: string, options: LockOptions): Promise<Lock> {
  ensurePrivateDir(dirname(file));
  const deadline = Date.now() + options.waitMs;
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), role: options.role ?? 'cli', ...(options.url ? { url: options.url } : {}) };
  for (;;) {
    try {
      const fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      const mine = () => {
        const owner = readOwner(file);
        return !!owner && owner.pid === me.pid && owner.host === me.host && owner.since === me.since;
      };
      return {
        release() {
          if (released) return;
          released = true;
          if (mine()) {
            try {
              unlinkSync(file);
            } catch {
              /* already gone */
            }
          }
        },
        announce(info) {
          if (released || !mine()) return;
          if (info.role) me.role = info.role;
          if (info.url) me.url = info.url;
          writeFileAtomic(file, JSON.stringify(me)); // replaced whole: readers never see half of it
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = readOwner(file);
    if (owner && !isOwnerAlive(owner)) {
      // Stale: its process is gone. Remove only if it is still that same stale file.
      const again = readOwner(file);
      if (again && again.pid === owner.pid && again.since === owner.since) {
        try {
          unlinkSync(file);
        } catch {
          /* another process took it over first */
        }
      }
      continue;
    }
    // A live server keeps the database until it stops: waiting would only delay the same answer.
    if (owner?.role === 'server' || Date.now() >= deadline) throw inUse(file, owner);
    await sleep(options.pollMs ?? 100);
  }
}
