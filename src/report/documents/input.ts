/**
 * The documents' input from a workspace on disk, gathered as `assess` and `status` gather theirs —
 * evidence, ledger, engine (`assessLoaded`), life cycle (`computeStatus`) — plus `ledger verify` when
 * the security checklist asks for it. The CLI and the server call this; the builders never do I/O.
 */
import { resolve } from 'node:path';
import { ChujingError } from '../../errors.js';
import { assessLoaded } from '../../produce/inputs.js';
import { computeStatus } from '../../lifecycle/status.js';
import { loadWorkspace, type LoadedWorkspace } from '../../model/load.js';
import { checkReferences } from '../../model/references.js';
import { NATIONAL_PACKS, selectPack } from '../../rules/index.js';
import { documentsView } from './adapter.js';
import type { DocumentInput } from './index.js';
import type { LedgerView } from './view.js';

export interface Environment {
  /** Folder relative paths are resolved from (the user's working directory). */
  cwd: string;
  env: Record<string, string | undefined>;
}

/** `ledger verify` for the security checklist's log evidence; null when there is no ledger to verify. */
async function verifyLedgerOf(loaded: LoadedWorkspace, ctx: Pick<Environment, 'env'>): Promise<LedgerView['verification']> {
  const [{ openStore }, { verifyLedger }, { closeLedgerStore }] = await Promise.all([import('../../store/index.js'), import('../../ledger/verify.js'), import('../../ledger/summary.js')]);
  const store = await openStore({ workspaceDir: loaded.dir, env: ctx.env, mustExist: true });
  if (!store) return null;
  try {
    const report = await verifyLedger(store, {});
    const entries = report.organizations.reduce((n, o) => n + o.entries, 0);
    const checkpoints = report.organizations.reduce((n, o) => n + o.checkpoints, 0);
    const b = report.firstBreak;
    return { intact: report.intact, entries, checkpoints, firstBreak: b ? `${b.organization}#${b.seq ?? '-'} ${b.kind}` : null };
  } finally {
    // Leaves the summary behind, so the next `assess` does not have to open the database.
    await closeLedgerStore(store);
  }
}

/**
 * @example
 * const input = await documentInputFor('examples/acme-auto', { cwd: process.cwd(), env: process.env }, { asOf: '2026-11-23' });
 * const pdf = await renderDocument(input, { kind: 'self-assessment', format: 'pdf', lang: 'zh' });
 */
export async function documentInputFor(target: string, ctx: Environment, options: DocumentInputOptions): Promise<DocumentInput> {
  const loaded = loadWorkspace(resolve(ctx.cwd, target), ctx.cwd);
  checkReferences(loaded);
  return documentInputOf(loaded, ctx, options);
}

export interface DocumentInputOptions {
  asOf: string;
  /** An extra working-day calendar file (`--calendar`), besides .chujing/calendar.yaml. */
  calendar?: string;
  /** Run `ledger verify` for the security checklist's log evidence. */
  verify?: boolean;
}

/** The same, for a workspace already loaded and checked (the server keeps them loaded). */
export async function documentInputOf(loaded: LoadedWorkspace, ctx: Environment, options: DocumentInputOptions): Promise<DocumentInput> {
  const { asOf } = options;
  const national = selectPack(NATIONAL_PACKS, asOf)?.pack;
  if (!national?.periods) throw new ChujingError('internal', 'the national rule pack has no life-cycle periods');
  const calendarFile = options.calendar ? { path: resolve(ctx.cwd, options.calendar), display: options.calendar } : undefined;
  // The one function behind `assess` and `status`: the documents show exactly what they show.
  const { report, calendar } = await assessLoaded(loaded, { env: ctx.env, asOf, ...(calendarFile ? { calendarFile } : {}) });
  const status = computeStatus({ workspace: loaded.workspace, periods: national.periods, thresholds: national.pathThresholds, calendar, asOf, decisions: report.transfers, settings: report.settings, overrides: report.overrides });
  const verification = options.verify ? await verifyLedgerOf(loaded, ctx) : null;
  return { view: documentsView({ report, workspace: loaded.workspace, status, periods: national.periods, verification }), calendar };
}
