/**
 * `chujing check [WORKSPACE] --dataset ID… --recipient ID --purpose TEXT [--date DATE] [--kind KIND]
 * [--organization ID] [--id ID]`: may this one planned transfer go? The transfer given on the command line
 * is validated like a transfer of the YAML (the workspace schema, then the references: datasets,
 * recipient, organisation), added in memory to the loaded workspace — nothing is written — and judged by
 * the same `assessLoaded` as `assess`, so the year-to-date counts, the anti-splitting check and the
 * ledger see it among the rest. Exit 0: it may go (exempt, no mechanism needed, or covered by an
 * approval); 1: it needs a mechanism it lacks, or it is prohibited; 2: bad input.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { badInput, type ErrorIssue } from '../../errors.js';
import { pathLabel } from '../../engine/decide.js';
import type { AssessReport, DatasetResult, TransferResult } from '../../engine/types.js';
import { msg, render, t, toJson, type Lang } from '../../i18n/index.js';
import { loadWorkspace, zodIssues, type LoadedWorkspace } from '../../model/load.js';
import { checkReferences, referenceIssues } from '../../model/references.js';
import { TRANSFER_KINDS, workspaceSchema, type Transfer } from '../../model/workspace.js';
import { formatFinding } from '../../report/assess-human.js';
import { selectAssessment } from '../../report/select.js';
import type { CliContext } from '../context.js';
import { assessLoaded } from '../../produce/inputs.js';
import { collectList, parseAsOf } from '../options.js';
import { assessExitCode } from './assess.js';

export const CHECK_SCHEMA = 'chujing.check/1';
export const DEFAULT_CHECK_ID = 'check';

interface CheckOptions {
  dataset: string[];
  recipient?: string;
  purpose?: string;
  date?: string;
  kind: string;
  organization?: string;
  id: string;
  asOf?: string;
  json?: boolean;
  evidence: boolean;
  ledger: boolean;
}

/** The flag each field of the planned transfer came from, for error messages. */
const FLAG_OF: Record<string, string> = { id: '--id', date: '--date', kind: '--kind', datasets: '--dataset', recipient: '--recipient', purpose: '--purpose', organization: '--organization' };

function asFlag(issue: ErrorIssue, prefix: string): ErrorIssue {
  const rest = (issue.field ?? '').slice(prefix.length).replace(/^\./, '');
  const key = rest.match(/^[A-Za-z]+/)?.[0] ?? '';
  // The location is the command line, not a file: the field names the flag.
  const { file: _file, line: _line, column: _column, ...kept } = issue;
  return { ...kept, field: FLAG_OF[key] ?? (rest || undefined) };
}

/** The planned transfer, validated as the YAML would be; every problem names its flag. */
export function plannedTransfer(loaded: LoadedWorkspace, o: CheckOptions, date: string): Transfer {
  if (o.dataset.length === 0) {
    throw badInput(msg('cli.missing-option', { option: '--dataset' }), [{ field: '--dataset', message: msg('cli.missing-option', { option: '--dataset' }), expected: msg('cli.see-help', { command: 'chujing check' }) }]);
  }
  const candidate = {
    id: o.id,
    date,
    kind: o.kind,
    datasets: o.dataset,
    recipient: o.recipient ?? '',
    purpose: o.purpose ?? '',
    ...(o.organization !== undefined ? { organization: o.organization } : {}),
    status: 'planned',
  };
  const parsed = workspaceSchema.shape.transfers.unwrap().element.safeParse(candidate);
  if (!parsed.success) throw badInput(msg('check.bad-transfer'), zodIssues(parsed.error).map((i) => asFlag(i, '')));
  const ws = loaded.workspace;
  if (ws.transfers.some((x) => x.id === o.id)) {
    throw badInput(msg('check.bad-transfer'), [{ field: '--id', message: msg('check.duplicate-id', { id: o.id }), expected: msg('check.id-expected') }]);
  }
  const prefix = `transfers[${ws.transfers.length}]`;
  const issues = referenceIssues({ ...ws, transfers: [...ws.transfers, parsed.data] }).filter((i) => i.field?.startsWith(prefix));
  if (issues.length) throw badInput(msg('check.bad-transfer'), issues.map((i) => asFlag(i, prefix)));
  return parsed.data;
}

function humanCheck(lang: Lang, tr: TransferResult, datasets: DatasetResult[], report: AssessReport): string {
  const L = (code: string, params = {}) => t(lang, code as never, params);
  const out: string[] = [];
  out.push(L('check.title', { transfer: tr.id, datasets: tr.datasets, recipient: tr.recipient, country: tr.country, date: tr.date, kind: msg(`check.kind.${tr.kind}`) }));
  out.push('');
  const why = tr.explanation;
  if (tr.path === 'prohibited') out.push(L('check.prohibited', { why }));
  else if (!tr.covered) out.push(L('check.needs', { needed: msg(`missing.${tr.path}`), why }));
  else if (tr.coveredBy) out.push(L('check.may-go-covered', { approval: tr.coveredBy, why }));
  else out.push(L('check.may-go', { why }));
  out.push(`  ${render(lang, pathLabel(tr.path, tr.exemption))}${tr.exemption && tr.exemption !== 'FREE-1' ? ` (${tr.exemption})` : ''} [${tr.rules.join(' ')}]`);
  for (const m of tr.missing) out.push(`  - ${render(lang, m)}`);
  out.push('');
  out.push(L('check.datasets'));
  for (const d of datasets) {
    const findings = d.findings.map((f) => formatFinding(lang, f)).join('; ');
    out.push(`  ${L('check.dataset-line', { id: d.id, level: msg(`level.${d.level}`), findings: findings ? ` — ${findings}` : '' })}`);
  }
  out.push(L('check.ytd', { persons: tr.yearToDate.persons, sensitive: tr.yearToDate.sensitivePersons }));
  if (tr.duties.length) {
    out.push('', L('check.duties'));
    for (const d of tr.duties) out.push(`  - ${render(lang, d)}`);
  }
  if (tr.legalReview.length) {
    out.push('', L('check.review'));
    for (const r of tr.legalReview) out.push(`  - ${render(lang, r)}`);
  }
  for (const w of report.warnings) out.push(`  ! ${render(lang, w)}`);
  return out.join('\n') + '\n';
}

export function registerCheck(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description('answer one planned transfer given on the command line: may it go? (exit 0 it may; 1 it needs a mechanism it lacks or is prohibited; 2 bad input)')
    .argument('[workspace]', 'workspace file or folder', '.')
    .option('--dataset <id>', 'a dataset the transfer carries (repeatable, at least one)', collectList, [])
    .requiredOption('--recipient <id>', 'the recipient abroad (a recipients id of the workspace)')
    .requiredOption('--purpose <text>', 'purpose of the transfer')
    .option('--date <date>', 'date of the transfer YYYY-MM-DD (default: today in China)')
    .addOption(new Option('--kind <kind>', 'transmit, remote-access or offshore-processing').default('transmit').choices(TRANSFER_KINDS))
    .option('--organization <id>', 'the sending entity (default: the main organisation)')
    .option('--id <id>', 'id of the planned transfer in the report', DEFAULT_CHECK_ID)
    .option('--as-of <date>', "assessment date YYYY-MM-DD (default: the transfer's date)")
    .option('--json', 'print the answer as JSON (chujing.check/1); errors too are JSON, on stdout')
    .option('--no-evidence', 'use declared facts only; do not scan the evidence files')
    .option('--no-ledger', "ignore the ledger's year-to-date counts")
    .action(async (target: string, o: CheckOptions) => {
      const date = parseAsOf(o.date, '--date');
      const asOf = o.asOf === undefined ? date : parseAsOf(o.asOf);
      const loaded = loadWorkspace(resolve(ctx.cwd, target), ctx.cwd);
      checkReferences(loaded); // the workspace itself first: its own errors name its files and lines
      const planned = plannedTransfer(loaded, o, date);
      const withPlanned: LoadedWorkspace = { ...loaded, workspace: { ...loaded.workspace, transfers: [...loaded.workspace.transfers, planned] } };
      const { report: whole } = await assessLoaded(withPlanned, { env: ctx.env, asOf, evidence: o.evidence, ledger: o.ledger });
      const report = selectAssessment(whole, { transfers: [planned.id], datasets: [] });
      const transfer = report.transfers[0]!;
      const datasets = report.datasets.filter((d) => transfer.datasets.includes(d.id));
      const exitCode = assessExitCode(report);
      const lang = ctx.lang();
      if (o.json) {
        ctx.stdout.write(
          toJson(
            { schema: CHECK_SCHEMA, asOf: report.asOf, mayGo: exitCode === 0, transfer, datasets, actions: report.actions, packs: report.packs, settings: report.settings, overrides: report.overrides, warnings: report.warnings, ledger: report.ledger },
            lang,
          ),
        );
      } else ctx.stdout.write(humanCheck(lang, transfer, datasets, report));
      ctx.exitCode = exitCode;
    });
}
