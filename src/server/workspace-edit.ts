/**
 * Writes from the API go back into the workspace's YAML files: an edited entry in the file that holds
 * it, a new one in the file that holds its kind's latest entries (for a transfer: the file with the
 * transfers of its year), each with comments and layout kept (workspace-yaml.ts).
 *
 * Order of work, under one lock: read the files fresh from disk; check If-Match against the entry as it
 * is on disk (412 when someone else changed it; 428 when the edit names no version); validate the body
 * against the workspace format; validate the WHOLE resulting workspace with the real loader (schema and
 * references, in a scratch copy of the YAML files); only then write, atomically (a temporary file
 * renamed over the old one, after checking the file did not change meanwhile), and reload.
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { ChujingError, badInput, type ErrorIssue } from '../errors.js';
import { msg } from '../i18n/index.js';
import { canonicalJson } from '../ledger/canonical.js';
import { isInside } from '../model/paths.js';
import { HttpError } from './errors.js';
import { validate } from './http.js';
import { Mutex } from './mutex.js';
import { ENTRY_SCHEMAS, type Collection } from './schemas.js';
import { appendEntry, removeEntry, replaceEntry, YamlEditError } from './workspace-yaml.js';
import { loadSnapshot, type WorkspaceSnapshot, type WorkspaceState } from './workspace-state.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface EntryView {
  collection: Collection;
  id: string;
  etag: string;
  /** The file holding it, relative to the workspace folder. */
  file: string;
  line: number;
  /** The entry as written in the YAML (before defaults). */
  entry: Json;
}

interface Located extends EntryView {
  abs: string;
  /** Index within its file's list. */
  local: number;
  /** Index in the merged list (what the loader's field paths use). */
  merged: number;
}

export function etagOf(entry: unknown): string {
  return `"${createHash('sha256').update(canonicalJson(entry)).digest('hex').slice(0, 32)}"`;
}

/** Every entry of every list, in the loader's merge order (root file first, then the included files). */
function indexOf(snapshot: WorkspaceSnapshot): Map<Collection, Located[]> {
  const out = new Map<Collection, Located[]>((Object.keys(ENTRY_SCHEMAS) as Collection[]).map((c) => [c, []]));
  const dir = snapshot.loaded.dir;
  for (const abs of snapshot.loaded.files) {
    const text = snapshot.texts.get(abs) ?? readFileSync(abs, 'utf8');
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
    if (!isMap(doc.contents)) continue;
    for (const pair of doc.contents.items as Pair[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const list = out.get(key as Collection);
      if (!list || !isSeq(pair.value)) continue;
      pair.value.items.forEach((item, local) => {
        const entry = (item as Node).toJSON() as Json;
        const id = entry && typeof entry === 'object' && !Array.isArray(entry) && typeof entry.id === 'string' ? entry.id : '';
        const range = (item as Node).range;
        list.push({
          collection: key as Collection,
          id,
          etag: etagOf(entry),
          file: relative(dir, abs).split(sep).join('/'),
          line: range ? lines.linePos(range[0]).line : 1,
          entry,
          abs,
          local,
          merged: list.length,
        });
      });
    }
  }
  return out;
}

function view(l: Located): EntryView {
  return { collection: l.collection, id: l.id, etag: l.etag, file: l.file, line: l.line, entry: l.entry };
}

/** If-Match: one or more entity tags, or `*`; weak tags are compared by their value. */
function matches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

export class WorkspaceEditor {
  private readonly mutex = new Mutex();
  private cache: { revision: string; index: Map<Collection, Located[]> } | null = null;

  constructor(private readonly state: WorkspaceState) {}

  private served(): Map<Collection, Located[]> {
    // What the form shows is what an edit will be checked against: the files as they are now (a change
    // on disk the watches have not reported yet is picked up here, so an ETag is never stale on arrival).
    this.state.checkNow('changed on disk (seen by a workspace read)');
    const snap = this.state.current;
    if (this.cache?.revision !== snap.revision) this.cache = { revision: snap.revision, index: indexOf(snap) };
    return this.cache.index;
  }

  list(collection: Collection): EntryView[] {
    return this.served().get(collection)!.map(view);
  }

  get(collection: Collection, id: string): EntryView {
    const found = this.served().get(collection)!.find((e) => e.id === id);
    if (!found) throw notFound(collection, id);
    return view(found);
  }

  update(collection: Collection, id: string, body: unknown, ifMatch: string | undefined): Promise<EntryView> {
    return this.mutex.run(() => {
      const fresh = this.fresh();
      const current = indexOf(fresh).get(collection)!.find((e) => e.id === id);
      if (!current) throw notFound(collection, id);
      checkPrecondition(ifMatch, current.etag);
      const entry = this.checkBody(collection, body);
      if ((entry as { id?: unknown }).id !== id) {
        throw badInput(msg('server.edit.id-mismatch', { id }), [{ field: 'body.id', message: msg('server.edit.id-mismatch', { id }), expected: id }]);
      }
      const text = fresh.texts.get(current.abs)!;
      const next = edit(() => replaceEntry(text, collection, current.local, entry));
      return this.commit(fresh, current.abs, text, next, collection, id);
    });
  }

  create(collection: Collection, body: unknown): Promise<EntryView> {
    return this.mutex.run(() => {
      const fresh = this.fresh();
      const entry = this.checkBody(collection, body);
      const id = (entry as { id: string }).id;
      const all = indexOf(fresh).get(collection)!;
      const existing = all.find((e) => e.id === id);
      if (existing) {
        throw new ChujingError('conflict', msg('server.edit.exists', { collection, id }), [{ field: 'body.id', file: existing.file, line: existing.line, message: msg('server.edit.exists', { collection, id }), expected: msg('server.edit.new-id') }]);
      }
      const abs = targetFile(fresh, collection, all, entry);
      const text = fresh.texts.get(abs)!;
      const next = edit(() => appendEntry(text, collection, entry));
      return this.commit(fresh, abs, text, next, collection, id);
    });
  }

  remove(collection: Collection, id: string, ifMatch: string | undefined): Promise<void> {
    return this.mutex.run(async () => {
      const fresh = this.fresh();
      const current = indexOf(fresh).get(collection)!.find((e) => e.id === id);
      if (!current) throw notFound(collection, id);
      checkPrecondition(ifMatch, current.etag);
      const text = fresh.texts.get(current.abs)!;
      const next = edit(() => removeEntry(text, collection, current.local));
      await this.commit(fresh, current.abs, text, next, collection, null);
    });
  }

  /** The workspace as it is on disk now; an invalid one cannot be edited safely. */
  private fresh(): WorkspaceSnapshot {
    try {
      return loadSnapshot(this.state.options.target, this.state.options.cwd);
    } catch (e) {
      if (e instanceof ChujingError) {
        throw new ChujingError('conflict', msg('server.edit.disk-invalid'), e.issues.length ? e.issues : [{ message: e.summary }]);
      }
      throw e;
    }
  }

  private checkBody(collection: Collection, body: unknown): Json {
    // Validated with the format's own schema; what is written is the body as given (no defaults added).
    validate(ENTRY_SCHEMAS[collection] as never, body, 'body');
    return body as Json;
  }

  private async commit(fresh: WorkspaceSnapshot, abs: string, before: string, next: string, collection: Collection, id: string | null): Promise<EntryView> {
    validateWhole(fresh, abs, next, collection, id);
    writeIfUnchanged(fresh.loaded.dir, abs, before, next);
    this.state.reload('edited through the API');
    // Acknowledged only when served: the next decision must never use a revision older than this write.
    // (Another file changed on disk into something invalid between the check and the write: the write
    // is on disk, but not served, and the caller is told so.)
    if (this.state.current.texts.get(abs) !== next) {
      const e = this.state.lastError;
      throw new ChujingError('conflict', msg('server.edit.disk-invalid'), e?.issues.length ? e.issues : [{ message: msg('server.edit.disk-invalid') }]);
    }
    if (id === null) return undefined as unknown as EntryView;
    return this.get(collection, id);
  }
}

function notFound(collection: Collection, id: string): ChujingError {
  return new ChujingError('not-found', msg('server.edit.not-found', { collection, id }), [{ field: 'params.id', message: msg('server.edit.not-found', { collection, id }) }]);
}

function checkPrecondition(ifMatch: string | undefined, etag: string): void {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new HttpError('precondition-required', msg('server.edit.if-match-required'), [{ field: 'header.if-match', message: msg('server.edit.if-match-required'), expected: msg('server.edit.etag-expected') }]);
  }
  if (!matches(ifMatch, etag)) {
    throw new HttpError('precondition-failed', msg('server.edit.stale'), [{ field: 'header.if-match', message: msg('server.edit.stale'), expected: etag }]);
  }
}

function edit(fn: () => string): string {
  try {
    return fn();
  } catch (e) {
    if (e instanceof YamlEditError) throw new ChujingError('internal', msg('server.edit.cannot-write', { detail: e.message }));
    throw e;
  }
}

/**
 * Where a new entry goes: a transfer into the file holding the latest transfer of its year, anything
 * else (or a transfer of a new year) into the file holding the kind's last entry; the root file when
 * the workspace has none yet.
 */
function targetFile(fresh: WorkspaceSnapshot, collection: Collection, all: Located[], entry: Json): string {
  if (collection === 'transfers' && entry && typeof entry === 'object' && !Array.isArray(entry) && typeof entry.date === 'string') {
    const year = entry.date.slice(0, 4);
    const sameYear = all.filter((e) => e.entry && typeof e.entry === 'object' && !Array.isArray(e.entry) && typeof e.entry.date === 'string' && e.entry.date.startsWith(year));
    if (sameYear.length) {
      sameYear.sort((a, b) => String((a.entry as { date: string }).date).localeCompare(String((b.entry as { date: string }).date)));
      return sameYear[sameYear.length - 1]!.abs;
    }
  }
  return all.length ? all[all.length - 1]!.abs : fresh.loaded.file;
}

/** Load the workspace as it would be after the edit, with the real loader, in a scratch copy. */
function validateWhole(fresh: WorkspaceSnapshot, changed: string, text: string, collection: Collection, id: string | null): void {
  const dir = fresh.loaded.dir;
  const scratch = mkdtempSync(join(tmpdir(), 'chujing-edit-'));
  try {
    for (const abs of fresh.loaded.files) {
      const to = join(scratch, relative(dir, abs));
      mkdirSync(dirname(to), { recursive: true });
      if (abs === changed) writeFileSync(to, text);
      else copyFileSync(abs, to);
    }
    const root = join(scratch, relative(dir, fresh.loaded.file));
    try {
      // Evidence paths are checked against the real workspace folder (the scratch copy holds the YAML only).
      loadSnapshot(root, scratch, dir);
    } catch (e) {
      if (!(e instanceof ChujingError)) throw e;
      // Name the request's own fields as body.*; problems elsewhere keep their file and line.
      const merged = id === null ? -1 : mergedIndexIn(scratch, root, collection, id);
      const prefix = `${collection}[${merged}]`;
      const issues: ErrorIssue[] = e.issues.map((i) => {
        if (merged >= 0 && i.field && (i.field === prefix || i.field.startsWith(`${prefix}.`) || i.field.startsWith(`${prefix}[`))) {
          const { file: _f, line: _l, column: _c, ...rest } = i;
          return { ...rest, field: `body${i.field.slice(prefix.length)}` };
        }
        return i;
      });
      throw new ChujingError('bad-input', msg('server.edit.invalid-result'), issues);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The entry's index in the merged list of the scratch workspace (found by parsing its files again). */
function mergedIndexIn(scratchDir: string, root: string, collection: Collection, id: string): number {
  // The loader failed, so this reads the files directly in its merge order (root, then includes by path).
  const files = [root, ...listYaml(scratchDir).filter((f) => f !== root).sort()];
  let n = 0;
  for (const f of files) {
    const doc = parseDocument(readFileSync(f, 'utf8'));
    const list = doc.toJSON()?.[collection];
    if (!Array.isArray(list)) continue;
    for (const e of list) {
      if (e && typeof e === 'object' && (e as { id?: unknown }).id === id) return n;
      n++;
    }
  }
  return -1;
}

function listYaml(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSafe(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/i.test(name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

function readdirSafe(d: string): string[] {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}

/** Replace the file atomically, unless it changed since it was read (then 412: someone edited it). */
function writeIfUnchanged(dir: string, abs: string, before: string, next: string): void {
  const real = realpathSync(abs);
  if (!isInside(dir, real)) throw badInput(msg('path.outside-workspace', { path: abs }), [{ file: abs, message: msg('path.outside-workspace', { path: abs }), expected: msg('path.inside-workspace-expected') }]);
  const now = readFileSync(real, 'utf8');
  if (now !== before) throw new HttpError('precondition-failed', msg('server.edit.changed-on-disk'), [{ file: relative(dir, abs), message: msg('server.edit.changed-on-disk'), expected: msg('server.edit.retry') }]);
  const tmp = join(dirname(real), `.${Date.now()}.${process.pid}.chujing-edit.tmp`);
  try {
    writeFileSync(tmp, next, { mode: statSync(real).mode & 0o777 });
    chmodSync(tmp, statSync(real).mode & 0o777);
    renameSync(tmp, real);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* not created */
    }
    throw e;
  }
}
