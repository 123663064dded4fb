/**
 * `chujing assess [WORKSPACE] [--json | --format human|json|junit|github] [--junit FILE] [--as-of DATE]
 * [--transfer ID]… [--dataset ID]…`: classify every dataset, determine the path for every transfer, list
 * what is missing. Exit 0 when every transfer is covered, 1 when some transfer needs a mechanism it lacks
 * or is prohibited (or the ledger holds entries the workspace does not account for), 2 on bad input.
 * With --transfer / --dataset the whole workspace is still judged, and the report and the exit code are
 * those of the named transfers only (a pipeline gated on its own transfer).
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { AssessReport } from '../../engine/types.js';
import { badInput } from '../../errors.js';
import { msg, t, toJson, type Lang } from '../../i18n/index.js';
import { loadWorkspace, type LoadedWorkspace } from '../../model/load.js';
import { checkReferences } from '../../model/references.js';
import { renderAssessHuman, writeAssessHuman } from '../../report/assess-human.js';
import { writeJsonStream } from '../../report/json-stream.js';
import { tableWidth } from '../../report/table.js';
import { renderGithub } from '../../report/github.js';
import { renderJunit, type Locate } from '../../report/junit.js';
import { selectAssessment, type SelectedReport } from '../../report/select.js';
import type { CliContext } from '../context.js';
import { collectList, parseAsOf, writeFileAtomically } from '../options.js';
import { assessLoaded, assessLoadedStream } from '../../produce/inputs.js';
import type { AssessmentStream } from '../../engine/assess.js';
import { streamedExitCode, streamedHuman, streamedJson } from '../../report/assess-stream.js';

/**
 * Above this many transfers `assess --json` and the human report stream the engine's results instead of
 * holding the report (each transfer is judged twice — once for the whole-year aggregates, once to write
 * it — and, for the human tables, once more per pass over the rows): docs/workspace-limits.md.
 */
export const STREAM_ABOVE = 50_000;

async function writeStreamed(ctx: CliContext, s: AssessmentStream, format: 'json' | 'human', lang: Lang): Promise<number> {
  if (format === 'json') await writeJsonStream(ctx.stdout, streamedJson(s), lang);
  else writeAssessHuman(ctx.stdout, streamedHuman(s), lang, { width: tableWidth(ctx.stdout, ctx.env) });
  return streamedExitCode(s);
}

export const ASSESS_FORMATS = ['human', 'json', 'junit', 'github'] as const;
export type AssessFormat = (typeof ASSESS_FORMATS)[number];

/** Exit code of an assessment: 0 when nothing needs a mechanism it lacks, 1 otherwise. */
export function assessExitCode(report: AssessReport): number {
  // A measurement awaiting a person's review (a detector's box just under a threshold) leaves the transfer unsettled.
  const unreviewed = report.datasets.some((d) => (d.measurementReview?.length ?? 0) > 0);
  const ok = !unreviewed && report.transfers.every((t) => t.covered && t.path !== 'prohibited') && (report.ledger?.findings.length ?? 0) === 0;
  return ok ? 0 : 1;
}

/** Where each transfer is written in the workspace YAML (for JUnit and GitHub annotations). */
export function transferLocator(loaded: LoadedWorkspace): Locate {
  const index = new Map(loaded.workspace.transfers.map((t, i) => [t.id, i]));
  return (id) => {
    const i = index.get(id);
    if (i === undefined) return {};
    const where = loaded.sources.locate(`transfers[${i}]`);
    return { file: where.file, ...(where.line !== undefined ? { line: where.line } : {}) };
  };
}

/** The report in the asked format (human text with the selection line when narrowed). */
export function renderAssessment(report: SelectedReport, format: AssessFormat, lang: Lang, locate: Locate): string {
  switch (format) {
    case 'json':
      return toJson(report, lang);
    case 'junit':
      return renderJunit(report, lang, locate);
    case 'github':
      return renderGithub(report, lang, locate);
    case 'human':
      return selectionHeader(report, lang) + renderAssessHuman(report, lang);
  }
}

/** The line saying which transfers a narrowed report shows (and a blank line), or nothing. */
function selectionHeader(report: SelectedReport, lang: Lang): string {
  if (!report.selection) return '';
  const s = report.selection;
  const line = s.selectedTransfers.length
    ? t(lang, 'select.line', { selected: s.selectedTransfers, count: s.selectedTransfers.length, total: s.workspaceTransfers })
    : t(lang, 'select.none', { datasets: s.datasets });
  return `${line}\n\n`;
}

interface AssessOptions {
  json?: boolean;
  format?: AssessFormat;
  junit?: string;
  asOf?: string;
  evidence: boolean;
  ledger: boolean;
  transfer: string[];
  dataset: string[];
}

export function registerAssess(program: Command, ctx: CliContext): void {
  program
    .command('assess')
    .description('classify datasets, determine the legal path of every transfer, and list what is missing')
    .argument('[workspace]', 'workspace file or folder', '.')
    .option('--json', 'print the machine-readable report (stable contract, docs/assess-json.md); errors too are JSON, on stdout')
    .addOption(new Option('--format <format>', 'output: human (default), json (as --json), junit (JUnit XML) or github (GitHub Actions annotations)').choices(ASSESS_FORMATS))
    .option('--junit <file>', 'also write a JUnit XML report to this file: one testcase per transfer')
    .option('--transfer <id>', 'report and set the exit code for this transfer only (repeatable); the whole workspace is still judged', collectList, [])
    .option('--dataset <id>', 'report and set the exit code for the transfers carrying this dataset only (repeatable)', collectList, [])
    .option('--as-of <date>', 'assessment date YYYY-MM-DD (default: today in China)')
    .option('--no-evidence', 'use declared facts only; do not scan the evidence files')
    .option('--no-ledger', "ignore the ledger's year-to-date counts")
    .action(async (target: string, opts: AssessOptions) => {
      if (opts.json && opts.format && opts.format !== 'json') {
        throw badInput(msg('ci.format-conflict', { format: opts.format }), [{ field: '--format', message: msg('ci.format-conflict', { format: opts.format }), expected: msg('ci.format-conflict-expected') }]);
      }
      const format: AssessFormat = opts.json ? 'json' : (opts.format ?? 'human');
      const asOf = parseAsOf(opts.asOf);
      const loaded = loadWorkspace(resolve(ctx.cwd, target), ctx.cwd);
      checkReferences(loaded);
      const lang = ctx.lang();
      const inputs = { env: ctx.env, asOf, evidence: opts.evidence, ledger: opts.ledger };
      // A large workspace's report is never held whole: its transfers are judged and written one by one.
      const streamAbove = Number(ctx.env.CHUJING_STREAM_ABOVE ?? STREAM_ABOVE);
      if (loaded.workspace.transfers.length > streamAbove && !opts.junit && opts.transfer.length === 0 && opts.dataset.length === 0 && (format === 'json' || format === 'human')) {
        ctx.exitCode = await writeStreamed(ctx, await assessLoadedStream(loaded, inputs), format, lang);
        return;
      }
      const { report: whole } = await assessLoaded(loaded, inputs);
      const report = selectAssessment(whole, { transfers: opts.transfer, datasets: opts.dataset });
      const locate = transferLocator(loaded);
      // The JUnit file first: if it cannot be written, nothing was printed that claims success.
      if (opts.junit) writeFileAtomically(resolve(ctx.cwd, opts.junit), opts.junit, renderJunit(report, lang, locate), '--junit');
      // JSON and tables are written piece by piece: a large report is never one string; tables fit the terminal.
      if (format === 'json') await writeJsonStream(ctx.stdout, report, lang);
      else if (format === 'human') {
        ctx.stdout.write(selectionHeader(report, lang));
        writeAssessHuman(ctx.stdout, report, lang, { width: tableWidth(ctx.stdout, ctx.env) });
      } else ctx.stdout.write(renderAssessment(report, format, lang, locate));
      ctx.exitCode = assessExitCode(report);
    });
}
