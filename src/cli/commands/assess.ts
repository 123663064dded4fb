/**
 * `chujing assess [WORKSPACE] [--json] [--as-of DATE]`: classify every dataset, determine the path for
 * every transfer, list what is missing. Exit 0 when every transfer is covered, 1 when some transfer
 * needs a mechanism it lacks or is prohibited, 2 on bad input.
 */
import type { Command } from 'commander';
import type { AssessReport } from '../../engine/types.js';
import { yearOf } from '../../model/dates.js';
import type { CliContext } from '../context.js';
import { parseAsOf } from '../options.js';

export function registerAssess(program: Command, ctx: CliContext): void {
  program
    .command('assess')
    .description('classify datasets, determine the legal path of every transfer, and list what is missing')
    .argument('[workspace]', 'workspace file or folder', '.')
    .option('--json', 'print the machine-readable report (stable contract)')
    .option('--as-of <date>', 'assessment date YYYY-MM-DD (default: today in China)')
    .option('--no-evidence', 'use declared facts only; do not scan the evidence files')
    .option('--no-ledger', 'ignore the ledger\'s year-to-date counts')
    .action(async (target: string, opts: { json?: boolean; asOf?: string; evidence: boolean; ledger: boolean }) => {
      const asOf = parseAsOf(opts.asOf);
      // Loaded when the command runs, so that other commands start without them.
      const [{ assess }, { loadWorkspace }, { checkReferences }, { writeAssessHuman }, { writeJsonStream }, { tableWidth }, { gatherEvidence, gatherLedger }] = await Promise.all([
        import('../../engine/assess.js'),
        import('../../model/load.js'),
        import('../../model/references.js'),
        import('../../report/assess-human.js'),
        import('../../report/json-stream.js'),
        import('../../report/table.js'),
        import('../inputs.js'),
      ]);
      const loaded = loadWorkspace(target, ctx.cwd);
      checkReferences(loaded);
      const ws = loaded.workspace;
      const measured = opts.evidence ? await gatherEvidence(loaded, ctx, asOf) : undefined;
      const years = [...new Set([yearOf(asOf), ...ws.transfers.map((t) => yearOf(t.date))])];
      const ledger = opts.ledger ? await gatherLedger(loaded, ctx, years) : undefined;
      const report: AssessReport = assess({ workspace: ws, asOf, ...(measured ? { measured } : {}), ...(ledger ? { ledger } : {}) });
      // Written piece by piece: a large report is never one string.
      if (opts.json) await writeJsonStream(ctx.stdout, report, ctx.lang());
      else writeAssessHuman(ctx.stdout, report, ctx.lang(), { width: tableWidth(ctx.stdout, ctx.env) });
      ctx.exitCode = report.transfers.every((t) => t.covered && t.path !== 'prohibited') ? 0 : 1;
    });
}
