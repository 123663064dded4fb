/** The life-cycle status of a workspace: what `chujing status --json` prints and GET /v1/status answers. */
import { ChujingError } from '../errors.js';
import { msg } from '../i18n/index.js';
import { checkReferences } from '../model/references.js';
import type { LoadedWorkspace } from '../model/load.js';
import { NATIONAL_PACKS, selectPack } from '../rules/index.js';
import { computeStatus, type StatusReport } from '../lifecycle/status.js';
import { assessLoaded, type AssessmentOptions } from './inputs.js';

/**
 * The status of a loaded workspace (what `status --json` prints). The same judgement as `assess`
 * (evidence, ledger, engine) decides which transfers lack an approval and which ledger entries the
 * workspace does not account for.
 */
export async function statusReport(loaded: LoadedWorkspace, options: AssessmentOptions & { soonDays: number }): Promise<StatusReport> {
  const { asOf, soonDays } = options;
  const national = selectPack(NATIONAL_PACKS, asOf)?.pack;
  if (!national?.periods) throw new ChujingError('internal', msg('cli.text', { text: 'the national rule pack has no life-cycle periods' }));
  checkReferences(loaded);
  const { report: assessed, calendar } = await assessLoaded(loaded, options);
  return computeStatus({
    workspace: loaded.workspace,
    periods: national.periods,
    thresholds: national.pathThresholds,
    calendar,
    asOf,
    soonDays,
    decisions: assessed.transfers,
    settings: assessed.settings,
    overrides: assessed.overrides,
    ledgerFindings: assessed.ledger?.findings ?? [],
  });
}
