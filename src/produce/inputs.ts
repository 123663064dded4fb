/**
 * The impure inputs of `assess`, gathered before calling the pure engine (the CLI, the server and the
 * documents all call these): facts measured from evidence files, and year-to-date counts from the ledger.
 */
import { resolve } from 'node:path';
import { yearOf } from '../model/dates.js';
import type { LoadedWorkspace } from '../model/load.js';
import type { PlannedTransferHashes } from '../ledger/planned.js';
import type { LedgerBaseline, MeasuredDataset } from '../engine/types.js';
import type { Store } from '../store/index.js';
import { AUTO_PACKS, selectPack } from '../rules/index.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AssessInput, AssessReport } from '../engine/types.js';
import type { AssessmentStream } from '../engine/assess.js';

/** What gathering needs from its caller: the environment, and the server's open store when there is one. */
export interface InputsContext {
  env: Record<string, string | undefined>;
  store?: Store;
}

/** The user's own calendar years, found beside the workspace. */
export const USER_CALENDAR_FILE = join('.chujing', 'calendar.yaml');

export interface AssessmentOptions {
  env: Record<string, string | undefined>;
  asOf: string;
  /** Measure evidence files (default true). */
  evidence?: boolean;
  /** Read the ledger's baseline (default true). */
  ledger?: boolean;
  /** An extra calendar file (--calendar), besides .chujing/calendar.yaml in the workspace. */
  calendarFile?: { path: string; display: string };
  /** The server's open store (it owns the embedded database); the CLI opens its own. */
  store?: Store;
}

/** The working-day calendar: built-in years, the workspace's .chujing/calendar.yaml, --calendar. */
export async function workspaceCalendar(loaded: LoadedWorkspace, extra?: { path: string; display: string }) {
  const { loadCalendar } = await import('../lifecycle/calendar.js');
  const files: { path: string; display: string }[] = [];
  const beside = join(loaded.dir, USER_CALENDAR_FILE);
  if (existsSync(beside)) files.push({ path: beside, display: USER_CALENDAR_FILE });
  if (extra) files.push(extra);
  return loadCalendar(files);
}

/**
 * Everything `assess` needs, gathered, then the pure engine: the one function behind `assess`,
 * `status`, `check`, the reports and the server, so they can never disagree.
 */
export async function assessLoaded(loaded: LoadedWorkspace, options: AssessmentOptions): Promise<{ report: AssessReport; calendar: Awaited<ReturnType<typeof workspaceCalendar>> }> {
  const { assess } = await import('../engine/assess.js');
  const { input, calendar } = await assessInput(loaded, options);
  return { report: assess(input), calendar };
}

/** The same, as a stream that never holds the transfers' results (`assess` on a million transfers). */
export async function assessLoadedStream(loaded: LoadedWorkspace, options: AssessmentOptions): Promise<AssessmentStream> {
  const { assessStream } = await import('../engine/assess.js');
  return assessStream((await assessInput(loaded, options)).input);
}

/** Everything the pure engine takes, gathered: evidence, the ledger's baseline, the calendar. */
export async function assessInput(loaded: LoadedWorkspace, options: AssessmentOptions): Promise<{ input: AssessInput; calendar: Awaited<ReturnType<typeof workspaceCalendar>> }> {
  const { engineCalendar } = await import('../lifecycle/calendar.js');
  const ctx: InputsContext = { env: options.env, ...(options.store ? { store: options.store } : {}) };
  const ws = loaded.workspace;
  const calendar = await workspaceCalendar(loaded, options.calendarFile);
  const measured = options.evidence === false ? undefined : await gatherEvidence(loaded, ctx, options.asOf);
  const years = [...new Set([yearOf(options.asOf), ...ws.transfers.map((t) => yearOf(t.date))])];
  const ledger = options.ledger === false ? undefined : await gatherLedger(loaded, ctx, years);
  return { input: { workspace: ws, asOf: options.asOf, calendar: engineCalendar(calendar), ...(measured ? { measured } : {}), ...(ledger ? { ledger } : {}) }, calendar };
}

/** Datasets are classified under the automobile pack in force on the as-of date (or the pin), so their
 * evidence is measured against that pack's thresholds. */
export async function gatherEvidence(loaded: LoadedWorkspace, ctx: InputsContext, asOf: string): Promise<Record<string, MeasuredDataset> | undefined> {
  if (!loaded.workspace.datasets.some((d) => d.evidence.length > 0)) return undefined;
  const { measureWorkspaceEvidence } = await import('../evidence/measure.js');
  const pack = selectPack(AUTO_PACKS, asOf, loaded.workspace.rulePack)!.pack;
  return measureWorkspaceEvidence(loaded, { env: ctx.env, packForDataset: () => pack });
}

export async function gatherLedger(loaded: LoadedWorkspace, ctx: InputsContext, years: number[]): Promise<LedgerBaseline | undefined> {
  const { loadLedgerBaseline, baselineFromStore } = await import('../ledger/baseline.js');
  const ws = loaded.workspace;
  const organizations = [ws.organization.id, ...ws.affiliates.map((a) => a.id)];
  const planned = await plannedHashes(loaded, ctx);
  // The server holds the database open for its whole life and reads it directly.
  if (ctx.store) return baselineFromStore(ctx.store, { organizations, years, ...(planned ? { planned } : {}) });
  const baseline = await loadLedgerBaseline({ workspaceDir: loaded.dir, env: ctx.env, organizations, years, ...(planned ? { planned } : {}) });
  return baseline ?? undefined;
}

/**
 * Planned transfers whose every dataset has a manifest among its evidence: their person hashes are
 * known, so the ledger can say exactly how many persons each adds (CNT-1 de-duplication). Other
 * transfers are judged on their declared counts added in full (a conservative sum).
 */
async function plannedHashes(loaded: LoadedWorkspace, ctx: InputsContext): Promise<PlannedTransferHashes[] | undefined> {
  const ws = loaded.workspace;
  const manifests = new Map(ws.datasets.map((d) => [d.id, d.evidence.filter((e) => e.kind === 'manifest')]));
  const eligible = ws.transfers.filter((t) => t.status === 'planned' && t.datasets.every((id) => (manifests.get(id)?.length ?? 0) > 0));
  if (eligible.length === 0) return undefined;
  const [{ manifestHashes }, { formatFromPath }, { resolveHmacKey }] = await Promise.all([
    import('../ledger/manifest.js'),
    import('../ledger/tabular.js'),
    import('../evidence/keyed-hash.js'),
  ]);
  const key = resolveHmacKey({ env: ctx.env, envVar: ws.settings.hmacKeyEnv });
  return eligible.map((t) => ({
    transferId: t.id,
    organization: t.organization ?? ws.organization.id,
    year: yearOf(t.date),
    hashes: (async function* () {
      for (const id of t.datasets) {
        for (const m of manifests.get(id)!) {
          if (m.kind !== 'manifest') continue;
          const file = resolve(loaded.dir, m.path);
          const columns = m.columns ?? {};
          yield* manifestHashes({ file, display: m.path, format: m.format ?? formatFromPath(file) ?? 'csv', columns, key });
        }
      }
    })(),
  }));
}
