/**
 * `chujing assess [WORKSPACE] [--json] [--as-of DATE]`: classify every dataset, determine the path for
 * every transfer, list what is missing. Exit 0 when every transfer is covered, 1 when some transfer
 * needs a mechanism it lacks or is prohibited (or the ledger holds entries the workspace does not
 * account for), 2 on bad input.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { AssessReport } from '../../engine/types.js';
import { toJson } from '../../i18n/index.js';
import { loadWorkspace } from '../../model/load.js';
import { checkReferences } from '../../model/references.js';
import { renderAssessHuman } from '../../report/assess-human.js';
import type { CliContext } from '../context.js';
import { parseAsOf } from '../options.js';
import { assessLoaded } from '../inputs.js';

/** Exit code of an assessment: 0 when nothing needs a mechanism it lacks, 1 otherwise. */
export function assessExitCode(report: AssessReport): number {
  const ok = report.transfers.every((t) => t.covered && t.path !== 'prohibited') && (report.ledger?.findings.length ?? 0) === 0;
  return ok ? 0 : 1;
}

export function registerAssess(program: Command, ctx: CliContext): void {
  program
    .command('assess')
    .description('classify datasets, determine the legal path of every transfer, and list what is missing')
    .argument('[workspace]', 'workspace file or folder', '.')
    .option('--json', 'print the machine-readable report (stable contract, docs/assess-json.md)')
    .option('--as-of <date>', 'assessment date YYYY-MM-DD (default: today in China)')
    .option('--no-evidence', 'use declared facts only; do not scan the evidence files')
    .option('--no-ledger', 'ignore the ledger\'s year-to-date counts')
    .action(async (target: string, opts: { json?: boolean; asOf?: string; evidence: boolean; ledger: boolean }) => {
      const asOf = parseAsOf(opts.asOf);
      const loaded = loadWorkspace(resolve(ctx.cwd, target), ctx.cwd);
      checkReferences(loaded);
      const { report } = await assessLoaded(loaded, { env: ctx.env, asOf, evidence: opts.evidence, ledger: opts.ledger });
      const lang = ctx.lang();
      ctx.stdout.write(opts.json ? toJson(report, lang) : renderAssessHuman(report, lang));
      ctx.exitCode = assessExitCode(report);
    });
}
