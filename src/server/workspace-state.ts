/**
 * The workspace stays code: the server serves the YAML folder as it is on disk, reloads it when its
 * files change, and never serves a half-loaded workspace. A reload builds a complete new snapshot
 * (parsed, schema-checked, references checked) and swaps it in one assignment; when the change is
 * invalid the last valid snapshot keeps serving and the error is kept for /v1/health and the log.
 */
import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { relative, sep } from 'node:path';
import { ChujingError } from '../errors.js';
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

/** Read, validate and prepare a workspace; throws the loader's error when it is not valid. */
export function loadSnapshot(target: string, cwd: string): WorkspaceSnapshot {
  const loaded = loadWorkspace(target, cwd);
  checkReferences(loaded);
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

export class WorkspaceState {
  current: WorkspaceSnapshot;
  lastError: ReloadError | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pendingEvidenceChange = false;

  constructor(readonly options: WorkspaceStateOptions) {
    this.current = loadSnapshot(options.target, options.cwd);
  }

  get dir(): string {
    return this.current.loaded.dir;
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
      this.options.log.error({ event: 'workspace-reload-failed', reason, error: this.lastError, serving: this.current.revision }, 'workspace change rejected; still serving the last valid version');
      return false;
    }
    this.lastError = null;
    const evidence = this.pendingEvidenceChange;
    this.pendingEvidenceChange = false;
    if (next.revision === this.current.revision && !evidence) return false;
    this.current = next;
    this.options.log.info({ event: 'workspace-reloaded', reason, revision: next.revision }, 'workspace reloaded');
    this.options.onChange?.(next);
    return true;
  }

  /** Watch the workspace folder (everything but .chujing/ and dot folders) and reload on changes. */
  watch(): void {
    if (this.watcher) return;
    const debounce = this.options.debounceMs ?? 150;
    try {
      this.watcher = watch(this.dir, { recursive: true, persistent: false }, (_event, filename) => {
        const name = (filename ?? '').toString().split(sep).join('/');
        if (name.split('/').some((part) => part.startsWith('.') || part === 'node_modules')) return;
        if (!/\.ya?ml$/i.test(name)) this.pendingEvidenceChange = true;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.timer = null;
          this.reload(`changed: ${name || '(unknown file)'}`);
        }, debounce);
        this.timer.unref();
      });
      this.watcher.on('error', (e) => this.options.log.warn({ event: 'workspace-watch-error', error: (e as Error).message }, 'cannot watch the workspace folder; edits on disk need a restart'));
    } catch (e) {
      this.options.log.warn({ event: 'workspace-watch-error', error: (e as Error).message }, 'cannot watch the workspace folder; edits on disk need a restart');
    }
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
