/**
 * PGlite runs inside one process: two processes opening the same data folder would corrupt it. A lock
 * file beside the data (`.chujing/db.lock`, holding the owner's pid and host) makes a second process
 * wait, then fail with 'database-in-use'. A lock left by a process that died (kill -9) is detected by
 * its pid no longer existing on this host, and taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChujingError } from '../errors.js';
import { STORE_MESSAGES } from './messages.js';

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export interface LockOptions {
  /** How long to wait for another process to finish before giving up (ms). */
  waitMs: number;
  pollMs?: number;
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

/** Take the lock or throw 'database-in-use'. Returns the release function. */
export async function acquireLock(file: string, options: LockOptions): Promise<() => void> {
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + options.waitMs;
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const owner = readOwner(file);
        if (owner && owner.pid === me.pid && owner.host === me.host) {
          try {
            unlinkSync(file);
          } catch {
            /* already gone */
          }
        }
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
    if (Date.now() >= deadline) {
      throw new ChujingError('database-in-use', STORE_MESSAGES.inUse(file, owner), [
        { file, message: owner ? `held by process ${owner.pid} on ${owner.host} since ${owner.since}` : 'held by another process', expected: 'the other chujing process to finish (or set CHUJING_DB_WAIT_MS to wait longer)' },
      ]);
    }
    await sleep(options.pollMs ?? 100);
  }
}
