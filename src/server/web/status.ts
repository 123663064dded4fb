/**
 * The life cycle (what `chujing status` reports) computed from the server's memoised assessment, as
 * `statusReport` computes it from a fresh one: the same `computeStatus` over the same decisions, without
 * judging every transfer a second time (on 10,000 transfers that is seconds). Memoised like the
 * assessment (per workspace revision and ledger version).
 */
import { workspaceCalendar } from '../../produce/inputs.js';
import { badInput } from '../../errors.js';
import { msg } from '../../i18n/index.js';
import { computeStatus, DEFAULT_SOON_DAYS } from '../../lifecycle/status.js';
import { NATIONAL_PACKS, selectPack } from '../../rules/index.js';
import type { ServerCore } from '../app.js';
import { assessment } from '../routes/reads.js';

export function lifecycleOf(core: ServerCore, asOf: string) {
  return core.memo(`web-lifecycle|${asOf}`, async () => {
    const loaded = core.state.current.loaded;
    const national = selectPack(NATIONAL_PACKS, asOf)?.pack;
    if (!national?.periods) throw badInput(msg('web.server.no-periods', { asOf }), [{ field: 'query.asOf', message: msg('web.server.no-periods', { asOf }) }]);
    const [report, calendar] = await Promise.all([assessment(core, asOf), workspaceCalendar(loaded)]);
    const status = computeStatus({
      workspace: loaded.workspace,
      periods: national.periods,
      thresholds: national.pathThresholds,
      calendar,
      asOf,
      soonDays: DEFAULT_SOON_DAYS,
      decisions: report.transfers,
      settings: report.settings,
      overrides: report.overrides,
    });
    return { report, status, calendar, periods: national.periods };
  });
}
