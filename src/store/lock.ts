/**
 * PGlite runs inside one process: two processes opening the same data folder would corrupt it. A lock
 * file beside the data (`.chujing/db.lock`, holding the owner's pid, host, role and — for a server — the
 * URL it serves) makes a second process wait, then fail with 'database-in-use'. A lock left by a process
 * that died (kill -9) is detected by its pid no longer existing on this host, and taken over; so is a
 * lock holding no owner (issue 19: empty, left by a crash of an older chujing between creating and
 * writing it). The lock is created whole, so a live owner's lock is never seen empty.
 *
 * A server (`chujing serve`) owns the embedded database for its whole life: waiting for it is useless,
 * so a CLI finding a live server's lock fails at once and says to go through the server at its URL.
 */
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChujingError } from '../errors.js';
import { msg, type Msg } from '../i18n/index.js';
import { ensurePrivateDir, fsyncDir, PRIVATE_FILE_MODE, writeFileAtomic } from './private-fs.js';

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
  /** Told when a stale lock (its owner cannot exist) is taken over, to say so to the user. */
  onNotice?: (notice: Msg) => void;
}

export interface Lock {
  release(): void;
  /** Update what the owner says about itself (a server learns its URL after it listens). */
  announce(info: { role?: LockRole; url?: string }): void;
}

/**
 * What a lock file says: its owner; 'gone' when there is no file; 'unreadable' when it holds no owner
 * (empty or not JSON). Locks are created whole (a complete temporary file hard-linked into place), so
 * an unreadable lock was left by a crash of an older chujing between creating and writing it — or by
 * damage — and no live process can be behind it.
 */
function readLock(file: string): LockOwner | 'gone' | 'unreadable' | 'inaccessible' {
  let body: string;
  try {
    body = readFileSync(file, 'utf8');
  } catch (e) {
    // Not ours to read (another user's): never taken over, reported as in use.
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'inaccessible';
  }
  try {
    const owner = JSON.parse(body) as LockOwner;
    return owner && typeof owner === 'object' && Number.isInteger(owner.pid) && typeof owner.host === 'string' ? owner : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function readOwner(file: string): LockOwner | null {
  const l = readLock(file);
  return typeof l === 'object' ? l : null;
}

/**
 * Create `file` holding `body`, only if it does not exist, never visible half-written: write a
 * temporary file, fsync, then hard-link it to the lock's name (link fails when the name exists, as an
 * exclusive create does; rename would replace another process's lock). Returns false when it exists.
 */
function createWhole(file: string, body: string): boolean {
  const tmp = join(dirname(file), `.db.lock.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  const fd = openSync(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    const buf = Buffer.from(body, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    fsyncDir(dirname(file));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
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
    if (createWhole(file, JSON.stringify(me))) {
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
    }
    const found = readLock(file);
    if (found === 'gone') continue;
    const owner = typeof found === 'object' ? found : null;
    if (found === 'unreadable' || (owner && !isOwnerAlive(owner))) {
      // Stale: its owner cannot exist (no owner written, or its process is gone from this host).
      // Remove it only if it is still that same stale file, and say so.
      const again = readLock(file);
      const same = owner ? typeof again === 'object' && again.pid === owner.pid && again.since === owner.since : again === 'unreadable';
      if (same) {
        try {
          unlinkSync(file);
          options.onNotice?.(
            owner ? msg('storage.lock-stale-dead', { file, pid: owner.pid, host: owner.host, since: owner.since }) : msg('storage.lock-stale-empty', { file }),
          );
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
