/**
 * `chujing report KIND [WORKSPACE] [--transfer ID | --recipient ID | --scenario S | --organization ID]
 * [--format docx|html|pdf|md|json] [--lang zh|en] [--out FILE] [--as-of DATE] [--calendar FILE]`:
 * the documents for the regulator (self-assessment, declaration, PIPIA, SC filing, plan, security
 * checklist, annual report section), drafted from the same evidence, ledger and engine as `assess`,
 * and the same life cycle as `status`. Exit 0 when written, 2 on bad input (an unknown transfer, a
 * transfer that needs no such document, an unknown kind or format, a --format the --out file name
 * contradicts, a Chromium that cannot start for a PDF); on any failure no file is written.
 */
import { existsSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { badInput } from '../../errors.js';
import { hasMessage, msg, parseLang, render } from '../../i18n/index.js';
import { DOCUMENT_FORMATS, DOCUMENT_KINDS, isDocumentKind, renderDocument, type DocumentFormat } from '../../report/documents/index.js';
import { documentInputFor } from '../../report/documents/input.js';
import type { CliContext } from '../context.js';
import { parseAsOf } from '../options.js';
import { USER_CALENDAR_FILE } from '../../produce/inputs.js';

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

const FORMAT_NAMES: Record<DocumentFormat, string> = { docx: 'DOCX', html: 'HTML', pdf: 'PDF', md: 'Markdown', json: 'JSON' };

/**
 * The output format: --format, else the --out file's extension, else Markdown (to stdout). A --format
 * the file name contradicts (`--format md --out x.pdf`) is refused, as is a file name that names no
 * format when --format is absent: a file must hold what its name says.
 */
function formatOf(opts: ReportOptions): DocumentFormat {
  const ext = opts.out !== undefined ? extname(opts.out).toLowerCase() : '';
  const implied = EXTENSIONS[ext];
  if (opts.format !== undefined) {
    if (!(DOCUMENT_FORMATS as readonly string[]).includes(opts.format)) {
      const m = msg('doc.cli.unknown-format', { format: opts.format });
      throw badInput(m, [{ field: '--format', message: m, expected: DOCUMENT_FORMATS.join(', ') }]);
    }
    const format = opts.format as DocumentFormat;
    if (implied && implied !== format) {
      const m = msg('doc.render.format-mismatch', { format, file: opts.out!, implied: FORMAT_NAMES[implied] });
      throw badInput(m, [{ file: opts.out!, field: '--format', message: m, expected: msg('doc.render.format-mismatch-expected', { format }) }]);
    }
    return format;
  }
  if (opts.out === undefined) return 'md';
  if (!implied) {
    const m = msg('doc.render.unknown-extension', { file: opts.out });
    throw badInput(m, [{ file: opts.out, field: '--out', message: m, expected: msg('doc.render.unknown-extension-expected', { extensions: Object.keys(EXTENSIONS).join(', ') }) }]);
  }
  return implied;
}

/** Write a whole file or nothing: a temporary file renamed into place. */
function writeAtomically(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    const code = (e as NodeJS.ErrnoException).code;
    // The system's reason in words (EISDIR, EACCES …), never its code.
    const reason = code && hasMessage(`doc.cli.errno.${code}`) ? msg(`doc.cli.errno.${code}`) : (code ?? (e as Error).message);
    const m = msg('doc.cli.cannot-write', { file: path, reason });
    throw badInput(m, [{ file: path, field: '--out', message: m, expected: msg('doc.cli.writable') }]);
  }
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
      // A folder named as --out: say so first (its name names no format, which would be the lesser reason).
      if (opts.out && statSync(resolve(ctx.cwd, opts.out), { throwIfNoEntry: false })?.isDirectory()) {
        const m = msg('doc.cli.cannot-write', { file: opts.out, reason: msg('doc.cli.errno.EISDIR') });
        throw badInput(m, [{ file: opts.out, field: '--out', message: m, expected: msg('doc.cli.writable') }]);
      }
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
