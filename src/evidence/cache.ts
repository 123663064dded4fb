/**
 * The evidence cache: a scan's result is kept under `<workspace>/.chujing/evidence-cache/`, keyed by
 * the content of the files scanned and everything that changes the result (scanner, options, rule-pack
 * thresholds, HMAC key fingerprint), so a second `assess` over unchanged files does not scan again.
 *
 * - Content hash: SHA-256 of the file's bytes; for a folder, SHA-256 of the sorted lines
 *   `relative/path<TAB>size<TAB>sha256` of every file under it (hidden entries skipped), so renaming,
 *   adding or editing any file changes it.
 * - Entries are JSON (facts and counts only: no raw identifier is ever written) plus, for manifests and
 *   drive logs, a binary sidecar of the keyed-hash digest sets (16 bytes per member), which lets several
 *   evidence files of one dataset be unioned exactly without scanning them again.
 * - Writes are atomic (temporary file in the same folder, then rename): a crash never leaves half an
 *   entry, and two concurrent runs at worst both write the same entry.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DigestSet } from './manifest/digest-set.js';

export const CACHE_DIR = join('.chujing', 'evidence-cache');
/** Bump when a scanner's meaning changes, so old entries are not reused. */
export const CACHE_VERSION = 1;

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function listFiles(dir: string, base: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) listFiles(full, base, out);
    else if (e.isFile()) out.push(relative(base, full).split(sep).join('/'));
  }
}

/** SHA-256 (hex) of a file's bytes, or of a folder's sorted (relative path, size, content hash) list. */
export async function contentHash(path: string): Promise<string> {
  if (!statSync(path).isDirectory()) return sha256File(path);
  const files: string[] = [];
  listFiles(path, path, files);
  files.sort();
  const list = createHash('sha256');
  for (const f of files) {
    const full = join(path, f);
    list.update(`${f}\t${statSync(full).size}\t${await sha256File(full)}\n`);
  }
  return list.digest('hex');
}

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

export interface CacheEntry<R> {
  version: number;
  kind: string;
  contentHash: string;
  keyFingerprint: string | null;
  result: R;
  /** Names of the digest sets stored in the sidecar, in order. */
  sets: string[];
}

export class EvidenceCache {
  readonly dir: string;

  constructor(workspaceDir: string) {
    this.dir = join(workspaceDir, CACHE_DIR);
  }

  private paths(key: string) {
    return { json: join(this.dir, `${key}.json`), bin: join(this.dir, `${key}.sets.bin`) };
  }

  /** The entry and its digest sets, or undefined when absent or unreadable (then the file is scanned). */
  get<R>(key: string): { entry: CacheEntry<R>; sets: Record<string, DigestSet> } | undefined {
    const p = this.paths(key);
    try {
      const entry = JSON.parse(readFileSync(p.json, 'utf8')) as CacheEntry<R>;
      if (entry.version !== CACHE_VERSION) return undefined;
      const sets: Record<string, DigestSet> = {};
      if (entry.sets.length > 0) {
        const bin = readFileSync(p.bin);
        let at = 0;
        for (const name of entry.sets) {
          const bytes = bin.readUInt32LE(at) * 16;
          at += 4;
          sets[name] = DigestSet.fromBytes(new Uint8Array(bin.buffer, bin.byteOffset + at, bytes));
          at += bytes;
        }
        if (at !== bin.length) return undefined;
      }
      return { entry, sets };
    } catch {
      return undefined;
    }
  }

  /** Write an entry atomically (sidecar first, then the JSON that refers to it). */
  put<R>(key: string, entry: Omit<CacheEntry<R>, 'version' | 'sets'>, sets: Record<string, DigestSet> = {}): void {
    mkdirSync(this.dir, { recursive: true });
    const p = this.paths(key);
    const tmp = (f: string) => `${f}.${process.pid}.${Date.now()}.tmp`;
    const names = Object.keys(sets).sort();
    if (names.length > 0) {
      const parts: Uint8Array[] = [];
      for (const name of names) {
        const bytes = sets[name]!.toBytes();
        const len = Buffer.alloc(4);
        len.writeUInt32LE(bytes.byteLength / 16);
        parts.push(len, bytes);
      }
      const t = tmp(p.bin);
      writeFileSync(t, Buffer.concat(parts));
      renameSync(t, p.bin);
    }
    const t = tmp(p.json);
    writeFileSync(t, `${JSON.stringify({ version: CACHE_VERSION, ...entry, sets: names }, null, 1)}\n`);
    renameSync(t, p.json);
  }

  /** Remove the whole cache (e.g. after a key rotation). */
  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
