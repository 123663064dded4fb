/**
 * `chujing report KIND [WORKSPACE] [--transfer ID | --recipient ID | --scenario S | --organization ID]
 * [--format docx|html|pdf|md|json] [--lang zh|en] [--out FILE] [--as-of DATE] [--calendar FILE]`:
 * the documents for the regulator (self-assessment, declaration, PIPIA, SC filing, plan, security
 * checklist, annual report section), drafted from the same evidence, ledger and engine as `assess`,
 * and the same life cycle as `status`. Exit 0 when written, 2 on bad input (an unknown transfer, a
 * transfer that needs no such document, an unknown kind or format).
 */
import { existsSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { ChujingError, badInput } from '../../errors.js';
import { msg, parseLang, render } from '../../i18n/index.js';
import { loadWorkspace } from '../../model/load.js';
import { checkReferences } from '../../model/references.js';
import { NATIONAL_PACKS, selectPack } from '../../rules/index.js';
import { computeStatus } from '../../lifecycle/status.js';
import { DOCUMENT_FORMATS, DOCUMENT_KINDS, documentsView, isDocumentKind, renderDocument, type DocumentFormat, type DocumentInput } from '../../report/documents/index.js';
import type { LedgerView } from '../../report/documents/view.js';
import type { LoadedWorkspace } from '../../model/load.js';
import type { CliContext } from '../context.js';
import { parseAsOf } from '../options.js';
import { USER_CALENDAR_FILE, assessLoaded } from '../inputs.js';

interface ReportOptions {
  transfer?: string;
  recipient?: string;
  scenario?: string;
  organization?: string;
  format?: string;
  lang?: string;
  out?: string;
  asOf?: string;
  calendar?: string;
}

const BINARY: ReadonlySet<DocumentFormat> = new Set(['docx', 'pdf']);
const EXTENSIONS: Record<string, DocumentFormat> = { '.docx': 'docx', '.html': 'html', '.htm': 'html', '.pdf': 'pdf', '.md': 'md', '.markdown': 'md', '.json': 'json' };

function formatOf(opts: ReportOptions): DocumentFormat {
  if (opts.format !== undefined) {
    if (!(DOCUMENT_FORMATS as readonly string[]).includes(opts.format)) {
      const m = msg('doc.cli.unknown-format', { format: opts.format });
      throw badInput(m, [{ field: '--format', message: m, expected: DOCUMENT_FORMATS.join(', ') }]);
    }
    return opts.format as DocumentFormat;
  }
  return (opts.out && EXTENSIONS[extname(opts.out).toLowerCase()]) || 'md';
}

/** Write a whole file or nothing: a temporary file renamed into place. */
function writeAtomically(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    const m = msg('doc.cli.cannot-write', { file: path, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    throw badInput(m, [{ file: path, field: '--out', message: m, expected: msg('doc.cli.writable') }]);
  }
}

/** `ledger verify` for the security checklist's log evidence; null when there is no ledger to verify. */
async function verifyLedgerOf(loaded: LoadedWorkspace, ctx: Pick<CliContext, 'env'>): Promise<LedgerView['verification']> {
  const [{ openStore }, { verifyLedger }] = await Promise.all([import('../../store/index.js'), import('../../ledger/verify.js')]);
  const store = await openStore({ workspaceDir: loaded.dir, env: ctx.env, mustExist: true });
  if (!store) return null;
  try {
    const report = await verifyLedger(store, {});
    const entries = report.organizations.reduce((n, o) => n + o.entries, 0);
    const checkpoints = report.organizations.reduce((n, o) => n + o.checkpoints, 0);
    const b = report.firstBreak;
    return { intact: report.intact, entries, checkpoints, firstBreak: b ? `${b.organization}#${b.seq ?? '-'} ${b.kind}` : null };
  } finally {
    await store.close();
  }
}

/**
 * The documents' input from a workspace, gathered as `assess` and `status` gather theirs: evidence,
 * ledger, engine, life cycle (and `ledger verify` when asked, for the security checklist).
 */
export async function documentInputFor(target: string, ctx: Pick<CliContext, 'cwd' | 'env'>, options: { asOf: string; calendar?: string; verify?: boolean }): Promise<DocumentInput> {
  const { asOf } = options;
  const loaded = loadWorkspace(resolve(ctx.cwd, target), ctx.cwd);
  checkReferences(loaded);
  const national = selectPack(NATIONAL_PACKS, asOf)?.pack;
  if (!national?.periods) throw new ChujingError('internal', 'the national rule pack has no life-cycle periods');
  const calendarFile = options.calendar ? { path: resolve(ctx.cwd, options.calendar), display: options.calendar } : undefined;
  // The one function behind `assess` and `status`: the documents show exactly what they show.
  const { report, calendar } = await assessLoaded(loaded, { env: ctx.env, asOf, ...(calendarFile ? { calendarFile } : {}) });
  const status = computeStatus({ workspace: loaded.workspace, periods: national.periods, thresholds: national.pathThresholds, calendar, asOf, decisions: report.transfers, settings: report.settings, overrides: report.overrides });
  const verification = options.verify ? await verifyLedgerOf(loaded, ctx) : null;
  return { view: documentsView({ report, workspace: loaded.workspace, status, periods: national.periods, verification }), calendar };
}

export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description(`draft a document for the regulator: ${DOCUMENT_KINDS.join(', ')} (docs/documents.md)`)
    .argument('<kind>', DOCUMENT_KINDS.join(' | '))
    .argument('[workspace]', 'workspace file or folder', '.')
    .option('--transfer <id>', 'only this transfer')
    .option('--recipient <id>', 'only transfers to this recipient')
    .option('--scenario <scenario>', 'only transfers of datasets of this scenario')
    .option('--organization <id>', 'only transfers sent by this entity (organisation or affiliate)')
    .option('--format <format>', `${DOCUMENT_FORMATS.join(' | ')} (default: from --out, else md)`)
    .option('--lang <lang>', 'zh or en (default: from the locale)')
    .option('--out <file>', 'write to this file (required for docx and pdf)')
    .option('--as-of <date>', 'report as of this date YYYY-MM-DD (default: today in China)')
    .option('--calendar <file>', `extra working-day calendar years (default: ${USER_CALENDAR_FILE} in the workspace, when present)`)
    .action(async (kind: string, target: string, opts: ReportOptions, command: Command) => {
      if (!isDocumentKind(kind)) {
        const m = msg('doc.cli.unknown-kind', { kind });
        throw badInput(m, [{ field: 'KIND', message: m, expected: DOCUMENT_KINDS.join(', ') }]);
      }
      const lang = parseLang(opts.lang ?? (command.parent?.opts().lang as string | undefined), ctx.env);
      const format = formatOf(opts);
      const asOf = parseAsOf(opts.asOf);
      if (BINARY.has(format) && !opts.out) {
        const m = msg('doc.cli.binary-needs-out', { format });
        throw badInput(m, [{ field: '--out', message: m, expected: msg('doc.cli.out-expected', { format }) }]);
      }
      const out = opts.out ? resolve(ctx.cwd, opts.out) : null;
      if (out && !existsSync(dirname(out))) {
        const m = msg('doc.cli.no-folder', { file: opts.out! });
        throw badInput(m, [{ file: opts.out!, field: '--out', message: m, expected: msg('doc.cli.writable') }]);
      }

      const input = await documentInputFor(target, ctx, { asOf, ...(opts.calendar ? { calendar: opts.calendar } : {}), verify: kind === 'security-checklist' });
      const selection = { transfer: opts.transfer, recipient: opts.recipient, scenario: opts.scenario, organization: opts.organization };
      const rendered = await renderDocument(input, { kind, format, lang, selection });
      if (out) {
        writeAtomically(out, rendered.bytes);
        ctx.stderr.write(`${render(lang, msg('doc.cli.written', { file: opts.out!, kind: msg(`doc.kind.${kind}`), bytes: rendered.bytes.length }))}\n`);
      } else {
        ctx.stdout.write(new TextDecoder().decode(rendered.bytes));
      }
      ctx.exitCode = 0;
    });
}
