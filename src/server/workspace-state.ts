/**
 * The workspace stays code: the server serves the YAML folder as it is on disk, reloads it when its
 * files change, and never serves a half-loaded workspace. A reload builds a complete new snapshot
 * (parsed, schema-checked, references and evidence paths checked — what `chujing validate` checks) and
 * swaps it in one assignment; when the change is invalid the last valid snapshot keeps serving and the
 * error is kept for /v1/health and the log.
 *
 * Seeing changes: files are replaced far more often than written in place (an API edit, `sed -i`, `mv`,
 * `git checkout`, most editors write a new file and rename it over the old one), and an inotify watch on
 * a file follows its inode, not its name. So the server watches the DIRECTORIES holding the workspace's
 * files (a directory keeps its inode when a file in it is replaced), re-arms those watches after every
 * reload (the set of folders may change), and, because watch events can be lost (network file systems,
 * overflowing queues, a folder itself replaced), also compares each file's identity (inode, size,
 * mtime) on a short interval. Either way, what decides is the CONTENT hash: a touch changes nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { badInput, ChujingError } from '../errors.js';
import { msg } from '../i18n/index.js';
import { checkWorkspaceEvidence } from '../evidence/check.js';
import type { Text } from '../i18n/index.js';
import type { MeasuredDataset, WorkingDayCalendar } from '../engine/types.js';
import { loadWorkspace, type LoadedWorkspace } from '../model/load.js';
import { checkReferences } from '../model/references.js';
import type { Transfer } from '../model/workspace.js';
import { AUTO_PACKS, selectPack } from '../rules/index.js';
import { yearOf } from '../model/dates.js';

export interface WorkspaceSnapshot {
  loaded: LoadedWorkspace;
  /** Content address of the workspace's YAML files: `sha256:<hex>` over their paths and bytes. */
  revision: string;
  /** The text of each YAML file as loaded (absolute path -> text): what edits start from. */
  texts: Map<string, string>;
  loadedAt: string;
  /** Workspace transfers per calendar year, in the engine's order (date, then id). */
  transfersByYear: Map<number, Transfer[]>;
  /** Evidence measured per automobile pack (thresholds differ by pack), filled on first use. */
  measured: Map<string, Promise<Record<string, MeasuredDataset> | undefined>>;
  /** The working-day calendar the engine uses (built-in years and .chujing/calendar.yaml), on first use. */
  calendar: Promise<WorkingDayCalendar> | null;
}

export interface ReloadError {
  at: string;
  code: string;
  message: Text;
  issues: ChujingError['issues'];
}

export interface StateLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WorkspaceStateOptions {
  target: string;
  cwd: string;
  env: Record<string, string | undefined>;
  log: StateLog;
  /** Called after a new snapshot (or new evidence) replaced the old one. */
  onChange?: (snapshot: WorkspaceSnapshot) => void;
  /** Quiet period after the last file event before reloading (editors write in several steps). */
  debounceMs?: number;
  /** Interval of the identity check that catches changes the watches missed (default 250 ms). */
  pollMs?: number;
}

function revisionOf(loaded: LoadedWorkspace): { revision: string; texts: Map<string, string> } {
  const h = createHash('sha256');
  const texts = new Map<string, string>();
  for (const file of [...loaded.files].sort()) {
    const text = readFileSync(file, 'utf8');
    texts.set(file, text);
    h.update(relative(loaded.dir, file).split(sep).join('/')).update('\0');
    h.update(text).update('\0');
  }
  return { revision: `sha256:${h.digest('hex')}`, texts };
}

function byYear(transfers: Transfer[]): Map<number, Transfer[]> {
  const sorted = [...transfers].sort((a, b) => (a.date === b.date ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.date < b.date ? -1 : 1));
  const out = new Map<number, Transfer[]>();
  for (const t of sorted) {
    const y = yearOf(t.date);
    let list = out.get(y);
    if (!list) out.set(y, (list = []));
    list.push(t);
  }
  return out;
}

/**
 * Everything `chujing validate` checks once the files are parsed: references between entries, and each
 * evidence path (exists, stays inside the workspace, right kind of file). `evidenceDir` is where the
 * evidence really is when the YAML was loaded from a scratch copy (an edit checked before it is written).
 */
export function checkLoaded(loaded: LoadedWorkspace, evidenceDir: string = loaded.dir): void {
  checkReferences(loaded);
  if (!loaded.workspace.datasets.some((d) => d.evidence.length > 0)) return;
  const issues = checkWorkspaceEvidence(evidenceDir === loaded.dir ? loaded : { ...loaded, dir: evidenceDir });
  if (issues.length > 0) throw badInput(msg('evidence.check.summary', { count: issues.length }), issues);
}

/** Read, validate and prepare a workspace; throws the loader's error when it is not valid. */
export function loadSnapshot(target: string, cwd: string, evidenceDir?: string): WorkspaceSnapshot {
  const loaded = loadWorkspace(target, cwd);
  checkLoaded(loaded, evidenceDir);
  return {
    loaded,
    ...revisionOf(loaded),
    loadedAt: new Date().toISOString(),
    transfersByYear: byYear(loaded.workspace.transfers),
    measured: new Map(),
    calendar: null,
  };
}

function asReloadError(e: unknown): ReloadError {
  if (e instanceof ChujingError) return { at: new Date().toISOString(), code: e.code, message: e.summary, issues: e.issues };
  return { at: new Date().toISOString(), code: 'internal', message: (e as Error)?.message ?? String(e), issues: [] };
}

/** What identifies a file's current version without reading it: inode, size, mtime (ns); '' when missing. */
function identityOf(file: string): string {
  try {
    const st = statSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return '';
  }
}

/** `sha256:` over the files' current bytes (same formula as a snapshot's revision); null if one is unreadable. */
function contentRevision(dir: string, files: string[]): string | null {
  const h = createHash('sha256');
  try {
    for (const file of [...files].sort()) {
      h.update(relative(dir, file).split(sep).join('/')).update('\0');
      h.update(readFileSync(file, 'utf8')).update('\0');
    }
  } catch {
    return null;
  }
  return `sha256:${h.digest('hex')}`;
}

export interface DiskState {
  /** Content hash of the served snapshot's files as they are on disk now (null: one is missing). */
  revision: string | null;
  /** The files on disk are the ones served. */
  inSync: boolean;
  checkedAt: string;
}

export class WorkspaceState {
  current: WorkspaceSnapshot;
  lastError: ReloadError | null = null;
  private watchers = new Map<string, FSWatcher>();
  private treeWatcher: FSWatcher | null = null;
  private poller: NodeJS.Timeout | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pendingEvidenceChange = false;
  /** File identities when last looked at (a reload or a check): a change means "look again". */
  private identities = new Map<string, string>();
  private disk: DiskState;

  constructor(readonly options: WorkspaceStateOptions) {
    this.current = loadSnapshot(options.target, options.cwd);
    this.rememberIdentities();
    this.disk = { revision: this.current.revision, inSync: true, checkedAt: this.current.loadedAt };
  }

  get dir(): string {
    return this.current.loaded.dir;
  }

  /**
   * The served files' content hash on disk now (for /v1/health: the revision served vs. the files). A
   * file changed since it was last looked at is loaded first (or its rejection recorded), so the answer
   * is never older than the call.
   */
  onDisk(): DiskState {
    this.checkNow('changed on disk (seen by /v1/health)');
    return this.disk;
  }

  private rememberIdentities(): void {
    this.identities = new Map(this.current.loaded.files.map((f) => [f, identityOf(f)]));
  }
  /** Evidence measured under the automobile pack in force on `asOf` (as `assess` measures it). */
  measured(asOf: string): Promise<Record<string, MeasuredDataset> | undefined> {
    const snap = this.current;
    const ws = snap.loaded.workspace;
    if (!ws.datasets.some((d) => d.evidence.length > 0)) return Promise.resolve(undefined);
    const pack = selectPack(AUTO_PACKS, asOf, ws.rulePack)!.pack;
    let p = snap.measured.get(pack.id);
    if (!p) {
      p = import('../evidence/measure.js').then(({ measureWorkspaceEvidence }) => measureWorkspaceEvidence(snap.loaded, { env: this.options.env, packForDataset: () => pack }));
      // A failed measurement is not cached: the next request tries again (and reports the error).
      p.catch(() => snap.measured.delete(pack.id));
      snap.measured.set(pack.id, p);
    }
    return p;
  }

  /** The engine's working-day calendar, as `assess` builds it for this workspace. */
  calendar(): Promise<WorkingDayCalendar> {
    const snap = this.current;
    if (!snap.calendar) {
      snap.calendar = (async () => {
        const [{ workspaceCalendar }, { engineCalendar }] = await Promise.all([import('../produce/inputs.js'), import('../lifecycle/calendar.js')]);
        return engineCalendar(await workspaceCalendar(snap.loaded));
      })();
      snap.calendar.catch(() => {
        snap.calendar = null;
      });
    }
    return snap.calendar;
  }

  /**
   * Load the files again. A valid change replaces the snapshot; an invalid one keeps the old snapshot
   * and is kept in `lastError`. Returns whether the snapshot changed.
   */
  reload(reason = 'files changed'): boolean {
    let next: WorkspaceSnapshot;
    try {
      next = loadSnapshot(this.options.target, this.options.cwd);
    } catch (e) {
      this.lastError = asReloadError(e);
      this.rememberIdentities();
      this.updateDisk();
      this.options.log.error({ event: 'workspace-reload-failed', reason, error: this.lastError, serving: this.current.revision }, 'workspace change rejected; still serving the last valid version');
      return false;
    }
    this.lastError = null;
    const evidence = this.pendingEvidenceChange;
    this.pendingEvidenceChange = false;
    if (next.revision === this.current.revision && !evidence) {
      this.rememberIdentities();
      this.updateDisk();
      return false;
    }
    this.current = next;
    this.rememberIdentities();
    this.updateDisk();
    if (this.watching) this.armDirectories();
    this.options.log.info({ event: 'workspace-reloaded', reason, revision: next.revision }, 'workspace reloaded');
    this.options.onChange?.(next);
    return true;
  }

  private updateDisk(): void {
    const revision = contentRevision(this.dir, this.current.loaded.files);
    this.disk = { revision, inSync: revision === this.current.revision, checkedAt: new Date().toISOString() };
  }

  /**
   * Look at the files now (synchronously): when one of them was replaced or written since it was last
   * seen, reload. Cheap when nothing changed (one stat per file). Returns whether the snapshot changed.
   */
  checkNow(reason = 'changed on disk'): boolean {
    let changed = false;
    for (const [file, was] of this.identities) {
      if (identityOf(file) !== was) {
        changed = true;
        break;
      }
    }
    if (!changed) return false;
    return this.reload(reason);
  }

  private watching = false;

  /**
   * Watch the workspace: its directories (non-recursive watches survive files replaced by rename), the
   * whole tree for evidence files and new YAML files (best effort), and a periodic identity check.
   */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    this.armDirectories();
    try {
      this.treeWatcher = watch(this.dir, { recursive: true, persistent: false }, (_event, filename) => {
        const name = (filename ?? '').toString().split(sep).join('/');
        if (name.split('/').some((part) => part.startsWith('.') || part === 'node_modules')) return;
        if (!/\.ya?ml$/i.test(name)) this.pendingEvidenceChange = true;
        this.schedule(name);
      });
      this.treeWatcher.on('error', (e) => this.watchError(e));
    } catch (e) {
      this.watchError(e);
    }
    const every = this.options.pollMs ?? 250;
    this.poller = setInterval(() => this.checkNow('changed on disk (seen by the periodic check)'), every);
    this.poller.unref();
  }

  /** One watch per directory holding a workspace file (and the root folder), re-armed after reloads. */
  private armDirectories(): void {
    const dirs = new Set([this.dir, ...this.current.loaded.files.map((f) => dirname(f))]);
    for (const [d, w] of this.watchers) {
      if (!dirs.has(d)) {
        w.close();
        this.watchers.delete(d);
      }
    }
    for (const d of dirs) {
      if (this.watchers.has(d)) continue;
      try {
        const w = watch(d, { persistent: false }, (_event, filename) => {
          const name = (filename ?? '').toString();
          if (name.startsWith('.') && !name.endsWith('.yaml') && !name.endsWith('.yml')) return;
          this.schedule(relative(this.dir, `${d}${sep}${name}`).split(sep).join('/'));
        });
        w.on('error', (e) => {
          // The folder itself went away (replaced, removed): forget the watch; the next reload or
          // periodic check arms it again.
          this.watchers.delete(d);
          w.close();
          this.watchError(e);
        });
        this.watchers.set(d, w);
      } catch (e) {
        this.watchError(e);
      }
    }
  }

  private schedule(name: string): void {
    const debounce = this.options.debounceMs ?? 100;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.reload(`changed: ${name || '(unknown file)'}`);
      if (this.watching) this.armDirectories();
    }, debounce);
    this.timer.unref();
  }

  private watchError(e: unknown): void {
    this.options.log.warn({ event: 'workspace-watch-error', error: (e as Error)?.message ?? String(e) }, 'a workspace folder cannot be watched; the periodic check still sees changes');
  }

  close(): void {
    this.watching = false;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.treeWatcher?.close();
    this.treeWatcher = null;
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
