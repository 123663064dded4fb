/**
 * The evidence cache: a scan's result is kept under `<workspace>/.chujing/evidence-cache/`, keyed by
 * the content of the files scanned and everything that changes the result (scanner, options, rule-pack
 * thresholds, HMAC key fingerprint), so a second `assess` over unchanged files does not scan again.
 *
 * - Content hash: SHA-256 of the file's bytes; for a folder, SHA-256 of the sorted lines
 *   `relative/path<TAB>size<TAB>sha256` of every file under it (hidden entries skipped), so renaming,
 *   adding or editing any file changes it.
 * - Unchanged files are not re-read: the content hash of each file is remembered with its size, mtime,
 *   ctime, inode and device (nanoseconds). Any change to the file changes its ctime (which no user can
 *   set back), so a changed file never meets a stale hash. A file whose times are not at least
 *   `RACY_MS` older than the moment it was hashed is hashed again next time (the "racy clean" case of
 *   git: a write in the same clock tick as the hash would keep the same times).
 * - Exactly what was measured comes back: a result that JSON cannot carry exactly (a non-finite number)
 *   is never written, and an entry that does not read back as finite numbers is ignored (then the file
 *   is scanned again). Results go through JSON, which round-trips every finite double exactly.
 * - Entries are JSON (facts and counts only: no raw identifier is ever written) plus, for manifests and
 *   drive logs, a binary sidecar of keyed-hash digests, which lets several evidence files of one dataset
 *   be unioned exactly without scanning them again.
 * - It holds keyed hashes and measurements of personal data: folders are created 0700 and files 0600,
 *   whatever the umask; a `.chujing` or `evidence-cache` that is a symbolic link is refused (never
 *   written or read through); writes are atomic (a new temporary file, then rename).
 */
import { createHash, createHmac, type KeyObject } from 'node:crypto';
import { chmodSync, closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { badInput, ChujingError } from '../errors.js';
import { msg } from '../i18n/index.js';
import { listEvidenceFiles } from './files.js';
import { keyFingerprint } from './keyed-hash.js';
import { DigestSet } from './manifest/digest-set.js';
import { PersonTable } from './manifest/person-table.js';

export const CACHE_DIR = join('.chujing', 'evidence-cache');
/** Bump when a scanner's meaning or the entry format changes, so old entries are not reused. */
export const CACHE_VERSION = 2;
/** A file whose times are this close to the moment it was hashed is hashed again (see above). */
export const RACY_MS = 2000;

/** Stable JSON (sorted keys) so equal options always give the same cache key. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`)
    .join(',')}}`;
}

export interface CacheKeyParts {
  kind: string;
  contentHash: string;
  /** Scanner options, thresholds, column mapping... anything that changes the result. */
  options: unknown;
  /** keyFingerprint of the HMAC key, or null when no key was involved. */
  keyFingerprint: string | null;
}

export function cacheKey(parts: CacheKeyParts): string {
  return createHash('sha256')
    .update(stableJson({ v: CACHE_VERSION, ...parts }))
    .digest('hex');
}

/** Whether every number in `value` is finite (what JSON carries exactly). */
export function finiteDeep(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(finiteDeep);
  return Object.values(value as Record<string, unknown>).every(finiteDeep);
}

/** Digests stored beside an entry: a plain set (16-byte records) or a flagged person table (20-byte records). */
export type CachedSet = DigestSet | PersonTable;

export interface CacheEntry<R> {
  version: number;
  kind: string;
  contentHash: string;
  keyFingerprint: string | null;
  result: R;
  /** Sets stored in the sidecar, in order: name, type and byte length. */
  sets: { name: string; type: 'digests' | 'table'; bytes: number }[];
}

interface StatRecord {
  /** Path relative to the evidence path ('' for a single file). */
  rel: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
  dev: string;
  /** The file's digest: HMAC-SHA-256 under the organisation key when one was given, else SHA-256. */
  sha256: string;
  /** When hashing started (ms since the epoch). */
  hashedAtMs: number;
}

/** Domain prefix of a keyed file digest (never equal to the SHA-256 of the same bytes). */
const KEYED_FILE_PREFIX = 'chujing:evidence-file:v1\n';

function statKey(st: BigIntStats): Omit<StatRecord, 'rel' | 'sha256' | 'hashedAtMs'> {
  return { size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs), ino: String(st.ino), dev: String(st.dev) };
}

function sameStat(a: Omit<StatRecord, 'rel' | 'sha256' | 'hashedAtMs'>, b: Omit<StatRecord, 'rel' | 'sha256' | 'hashedAtMs'>): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino && a.dev === b.dev;
}

/** SHA-256 of a file's bytes, or with `key` their HMAC-SHA-256 (prefixed), read in 1 MiB blocks. */
export function digestFile(path: string, key: KeyObject | null): string {
  const hash = key ? createHmac('sha256', key).update(KEYED_FILE_PREFIX) : createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}


export interface ContentHashOptions {
  /** Workspace folder the path and everything under it must stay inside. */
  root?: string;
  /** Files of a folder that count (default: all, hidden entries skipped). */
  accept?: (name: string) => boolean;
  /** The path as shown to the user. */
  display?: string;
  /**
   * The organisation key: each file's digest is then HMAC-SHA-256 under it, and only that keyed digest
   * is remembered in `.chujing/` (issue 19: an unkeyed SHA-256 of a small manifest lets whoever reads
   * the cache confirm a guess of its content, identifiers included).
   */
  key?: KeyObject | null;
  /**
   * Without a key: whether the per-file memo may keep an unkeyed SHA-256 (default true). False for
   * evidence that holds identifiers (a drive log's VINs): every file is then hashed again each time.
   */
  unkeyedMemo?: boolean;
}

/** A content hash, and the stat memo that would save re-reading: written only by `remember()`. */
export interface EvidenceHash {
  hash: string;
  /** Keep the per-file memo: call once the scan succeeded (a failed scan leaves nothing behind). */
  remember(): void;
}

export interface CacheOptions {
  /** Clock (ms since the epoch), for the racy-clean check; tests move it. */
  now?: () => number;
}

export class EvidenceCache {
  readonly dir: string;
  /** Files whose bytes were hashed (not taken from the stat index) since this cache was opened. */
  filesHashed = 0;
  private readonly now: () => number;
  private checked = false;

  constructor(
    private readonly workspaceDir: string,
    options: CacheOptions = {},
  ) {
    this.dir = join(workspaceDir, CACHE_DIR);
    this.now = options.now ?? Date.now;
  }

  private paths(key: string) {
    return { json: join(this.dir, `${key}.json`), bin: join(this.dir, `${key}.sets.bin`) };
  }

  /**
   * `.chujing` and the cache folder must be real folders (not links): refused with bad input otherwise.
   * Returns whether the cache folder exists. With `create`, makes both (0700) and tightens the cache
   * folder's mode to 0700 if an older run left it looser.
   */
  private ensureDir(create: boolean): boolean {
    const parent = join(this.workspaceDir, '.chujing');
    for (const [p, shown] of [
      [parent, '.chujing'],
      [this.dir, '.chujing/evidence-cache'],
    ] as const) {
      let st;
      try {
        st = lstatSync(p);
      } catch {
        if (!create) return false;
        mkdirSync(p, { mode: 0o700 });
        chmodSync(p, 0o700);
        continue;
      }
      if (st.isSymbolicLink() || !st.isDirectory()) {
        const m = msg('evidence.cache.not-a-folder', { path: shown });
        throw badInput(m, [{ file: shown, message: m, expected: msg('evidence.cache.expected-folder') }]);
      }
      if (create && p === this.dir && (st.mode & 0o077) !== 0) chmodSync(p, 0o700);
    }
    return true;
  }

  /**
   * Content hash of an evidence path (file or folder), re-reading only the files whose size, times,
   * inode or device changed since they were last hashed. Remembers the per-file memo at once: scanners
   * use `hashEvidence`, which remembers only after a successful scan.
   */
  contentHash(path: string, options: ContentHashOptions = {}): string {
    const h = this.hashEvidence(path, options);
    h.remember();
    return h.hash;
  }

  /** Content hash of an evidence path; its per-file memo is written by `remember()` (see ContentHashOptions). */
  hashEvidence(path: string, options: ContentHashOptions = {}): EvidenceHash {
    const display = options.display ?? path;
    const key = options.key ?? null;
    const fingerprint = key ? keyFingerprint(key) : null;
    // Without a key, evidence holding identifiers keeps no memo at all.
    const memo = key !== null || options.unkeyedMemo !== false;
    const { files, isDirectory } = listEvidenceFiles(path, { accept: options.accept ?? (() => true), display, ...(options.root !== undefined ? { root: options.root } : {}) });
    const indexFile = join(this.dir, `stat-${createHash('sha256').update(path).digest('hex')}.json`);
    const known = new Map<string, StatRecord>();
    if (memo && this.ensureDir(false)) {
      const index = this.readJson<{ files: StatRecord[]; keyFingerprint?: string | null }>(indexFile);
      // Digests made under another key (or none) are not this run's digests.
      if (index && (index.keyFingerprint ?? null) === fingerprint) for (const r of index.files ?? []) known.set(r.rel, r);
    }
    const records: StatRecord[] = [];
    let changed = false;
    for (const f of files) {
      const rel = isDirectory ? f.relative : '';
      const before = statKey(statSync(f.file, { bigint: true }));
      const old = known.get(rel);
      const oldTimesMs = old ? Math.max(Number(BigInt(old.mtimeNs) / 1_000_000n), Number(BigInt(old.ctimeNs) / 1_000_000n)) : 0;
      if (old && sameStat(old, before) && oldTimesMs < old.hashedAtMs - RACY_MS) {
        records.push(old);
        continue;
      }
      const hashedAtMs = this.now();
      const sha256 = digestFile(f.file, key);
      this.filesHashed++;
      changed = true;
      const after = statKey(statSync(f.file, { bigint: true }));
      // A file that changed while it was read is hashed again next time (its record is not trusted).
      records.push({ rel, ...after, sha256, hashedAtMs: sameStat(before, after) ? hashedAtMs : 0 });
    }
    let hash: string;
    if (!isDirectory) hash = records[0]!.sha256;
    else {
      const list = createHash('sha256');
      for (const r of records) list.update(`${r.rel}\t${r.size}\t${r.sha256}\n`);
      hash = list.digest('hex');
    }
    let remembered = false;
    const remember = () => {
      if (remembered || !memo || !(changed || known.size !== records.length)) return;
      remembered = true;
      try {
        this.ensureDir(true);
        this.writeAtomic(indexFile, `${JSON.stringify({ version: CACHE_VERSION, path, keyFingerprint: fingerprint, files: records })}\n`);
      } catch (e) {
        if (e instanceof ChujingError) throw e;
        // The stat index only saves time: a folder we cannot write to means hashing again next time.
      }
    };
    return { hash, remember };
  }

  private readJson<T>(file: string): T | undefined {
    try {
      return JSON.parse(this.readNoFollow(file).toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** Read a file of the cache, refusing a symbolic link in its place. */
  private readNoFollow(file: string): Buffer {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** A new file (never an existing one or a link), 0600, then renamed over the target. */
  private writeAtomic(target: string, data: string | Uint8Array): void {
    const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      fchmodSync(fd, 0o600);
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  }

  /** The entry and its sets, or undefined when absent, unreadable or not exactly as written. */
  get<R>(key: string): { entry: CacheEntry<R>; sets: Record<string, CachedSet> } | undefined {
    if (!this.ensureDir(false)) return undefined;
    const p = this.paths(key);
    const entry = this.readJson<CacheEntry<R>>(p.json);
    if (!entry || entry.version !== CACHE_VERSION || !Array.isArray(entry.sets) || !finiteDeep(entry.result)) return undefined;
    const sets: Record<string, CachedSet> = {};
    if (entry.sets.length > 0) {
      try {
        const bin = this.readNoFollow(p.bin);
        let at = 0;
        for (const s of entry.sets) {
          const bytes = new Uint8Array(bin.buffer, bin.byteOffset + at, s.bytes);
          sets[s.name] = s.type === 'table' ? PersonTable.fromBytes(bytes) : DigestSet.fromBytes(bytes);
          at += s.bytes;
        }
        if (at !== bin.length) return undefined;
      } catch {
        return undefined;
      }
    }
    return { entry, sets };
  }

  /** Write an entry atomically (sidecar first, then the JSON that refers to it). */
  put<R>(key: string, entry: Omit<CacheEntry<R>, 'version' | 'sets'>, sets: Record<string, CachedSet> = {}): void {
    if (!finiteDeep(entry.result)) {
      // Scanners never return a non-finite number (they reject the record); if one does, it is a bug,
      // and caching it would change the answer of the next run.
      throw new ChujingError('internal', msg('evidence.cache.not-finite'));
    }
    this.ensureDir(true);
    const p = this.paths(key);
    const names = Object.keys(sets).sort();
    const meta: CacheEntry<R>['sets'] = [];
    if (names.length > 0) {
      const parts: Uint8Array[] = [];
      for (const name of names) {
        const set = sets[name]!;
        const bytes = set.toBytes();
        parts.push(bytes);
        meta.push({ name, type: set instanceof PersonTable ? 'table' : 'digests', bytes: bytes.byteLength });
      }
      this.writeAtomic(p.bin, Buffer.concat(parts));
    }
    this.writeAtomic(p.json, `${JSON.stringify({ version: CACHE_VERSION, ...entry, sets: meta }, null, 1)}\n`);
  }

  /** Remove the whole cache (e.g. after a key rotation). */
  clear(): void {
    if (this.ensureDir(false)) rmSync(this.dir, { recursive: true, force: true });
  }
}
