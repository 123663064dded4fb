/**
 * `chujing assess [WORKSPACE] [--json] [--as-of DATE]`: classify every dataset, determine the path for
 * every transfer, list what is missing. Exit 0 when every transfer is covered, 1 when some transfer
 * needs a mechanism it lacks or is prohibited, 2 on bad input.
 */
import type { Command } from 'commander';
import { assess } from '../../engine/assess.js';
import type { AssessReport } from '../../engine/types.js';
import { yearOf } from '../../model/dates.js';
import { loadWorkspace, type LoadedWorkspace } from '../../model/load.js';
import { checkReferences } from '../../model/references.js';
import { renderAssessHuman } from '../../report/assess-human.js';
import type { CliContext } from '../context.js';
import { parseAsOf, writeJson } from '../options.js';
import { gatherEvidence, gatherLedger, type InputsContext } from '../inputs.js';

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
      const loaded = loadWorkspace(target, ctx.cwd);
      const report = await assessReport(loaded, { asOf, evidence: opts.evidence, ledger: opts.ledger }, ctx);
      if (opts.json) writeJson(ctx.stdout, report);
      else ctx.stdout.write(renderAssessHuman(report, ctx.lang()));
      ctx.exitCode = assessExitCode(report);
    });
}

export interface AssessReportOptions {
  asOf: string;
  /** Measure the evidence files (default true; --no-evidence). */
  evidence: boolean;
  /** Start the year-to-date counters from the ledger (default true; --no-ledger). */
  ledger: boolean;
}

/**
 * What `assess --json` prints, for a loaded workspace: the CLI and the server (GET /v1/assessment) both
 * call this, so the two cannot disagree.
 */
export async function assessReport(loaded: LoadedWorkspace, opts: AssessReportOptions, inputs: InputsContext): Promise<AssessReport> {
  checkReferences(loaded);
  const ws = loaded.workspace;
  const asOf = opts.asOf;
  const measured = opts.evidence ? await gatherEvidence(loaded, inputs, asOf) : undefined;
  const years = [...new Set([yearOf(asOf), ...ws.transfers.map((t) => yearOf(t.date))])];
  const ledger = opts.ledger ? await gatherLedger(loaded, inputs, years) : undefined;
  return assess({ workspace: ws, asOf, ...(measured ? { measured } : {}), ...(ledger ? { ledger } : {}) });
}

/** 0 when every transfer is covered and none is prohibited, else 1 (the stable CLI contract). */
export function assessExitCode(report: AssessReport): number {
  return report.transfers.every((t) => t.covered && t.path !== 'prohibited') ? 0 : 1;
}
