/**
 * The impure inputs of `assess`, gathered by the CLI (and the server) before calling the pure engine:
 * facts measured from evidence files, and year-to-date counts from the ledger.
 */
import type { LoadedWorkspace } from '../model/load.js';
import type { LedgerBaseline, MeasuredDataset } from '../engine/types.js';
import type { CliContext } from './context.js';
import { AUTO_PACKS, selectPack } from '../rules/index.js';

/** Datasets are classified under the automobile pack in force on the as-of date (or the pin), so their
 * evidence is measured against that pack's thresholds. */
export async function gatherEvidence(loaded: LoadedWorkspace, ctx: CliContext, asOf: string): Promise<Record<string, MeasuredDataset> | undefined> {
  if (!loaded.workspace.datasets.some((d) => d.evidence.length > 0)) return undefined;
  const { measureWorkspaceEvidence } = await import('../evidence/measure.js');
  const pack = selectPack(AUTO_PACKS, asOf, loaded.workspace.rulePack)!.pack;
  return measureWorkspaceEvidence(loaded, { env: ctx.env, packForDataset: () => pack });
}

export async function gatherLedger(loaded: LoadedWorkspace, ctx: CliContext, years: number[]): Promise<LedgerBaseline | undefined> {
  const { loadLedgerBaseline } = await import('../ledger/baseline.js');
  const ws = loaded.workspace;
  const baseline = await loadLedgerBaseline({ workspaceDir: loaded.dir, env: ctx.env, organizations: [ws.organization.id, ...ws.affiliates.map((a) => a.id)], years });
  return baseline ?? undefined;
}
