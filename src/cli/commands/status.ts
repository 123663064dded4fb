/**
 * `chujing status [WORKSPACE] [--as-of DATE] [--json] [--ics FILE] [--lang zh|en] [--calendar FILE]`:
 * what expires when, which windows are open, filings overdue, transfers without a valid approval,
 * changes that need a new assessment or filing. Exit 1 when something needs action (for CI and cron),
 * 0 when nothing does, 2 on bad input.
 */
import { existsSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { ChujingError, badInput } from '../../errors.js';
import { isIsoDate, todayInChina } from '../../model/dates.js';
import { checkReferences } from '../../model/references.js';
import { USER_CALENDAR_FILE, assessLoaded, type AssessmentOptions } from '../inputs.js';
import { loadWorkspace, type LoadedWorkspace } from '../../model/load.js';
import { NATIONAL_PACKS, selectPack } from '../../rules/index.js';
import { statusToIcs } from '../../lifecycle/ics.js';
import { renderStatus } from '../../lifecycle/render.js';
import { computeStatus, DEFAULT_SOON_DAYS, type StatusReport } from '../../lifecycle/status.js';
import type { CliContext } from '../context.js';


interface StatusOptions {
  asOf?: string;
  json?: boolean;
  ics?: string;
  lang?: string;
  calendar?: string;
  soon?: string;
}

/** Write a whole file or nothing: a temporary file renamed into place. */
function writeAtomically(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw new ChujingError('bad-input', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, [
      { file: path, field: '--ics', message: 'file not writable', expected: 'a writable file path' },
    ]);
  }
}

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('approvals, expiry, open windows, overdue filings, uncovered transfers and scope changes (exit 1 when something needs action)')
    .argument('[workspace]', 'workspace file or folder', '.')
    .option('--as-of <date>', 'report as of this date YYYY-MM-DD (default: today in China)')
    .option('--json', 'print the report as JSON (stable shape: docs/lifecycle.md)')
    .option('--ics <file>', 'also write the deadlines as an iCalendar (.ics) file')
    .option('--lang <lang>', 'zh or en (default: from the locale)')
    .option('--calendar <file>', `extra working-day calendar years (default: ${USER_CALENDAR_FILE} in the workspace, when present)`)
    .option('--soon <days>', `list approvals expiring within this many days as expiring soon (default ${DEFAULT_SOON_DAYS})`)
    .action(async (target: string, opts: StatusOptions, command: Command) => {
      // --lang may land on the program (global option) or on this command, depending on where commander parses it.
      const langOption = opts.lang ?? (command.parent?.opts().lang as string | undefined);
      const asOf = opts.asOf ?? todayInChina();
      if (!isIsoDate(asOf)) throw badInput(`--as-of ${asOf} is not a date`, [{ field: '--as-of', message: `'${asOf}' is not a calendar date`, expected: 'a date YYYY-MM-DD' }]);
      if (langOption !== undefined && langOption !== 'zh' && langOption !== 'en') {
        throw badInput(`--lang ${langOption} is not supported`, [{ field: '--lang', message: `'${langOption}' is not a language chujing speaks`, expected: 'zh or en' }]);
      }
      let soonDays = DEFAULT_SOON_DAYS;
      if (opts.soon !== undefined) {
        soonDays = Number(opts.soon);
        if (!/^\d+$/.test(opts.soon)) throw badInput(`--soon ${opts.soon} is not a number of days`, [{ field: '--soon', message: `'${opts.soon}' is not a whole number`, expected: 'days, e.g. 90' }]);
      }
      const lang = langOption === 'zh' || langOption === 'en' ? langOption : ctx.lang();

      const loaded = loadWorkspace(resolve(ctx.cwd, target), ctx.cwd);
      const calendarFile = opts.calendar ? { path: resolve(ctx.cwd, opts.calendar), display: opts.calendar } : undefined;
      const report = await statusReport(loaded, { env: ctx.env, asOf, soonDays, ...(calendarFile ? { calendarFile } : {}) });

      // Everything computed before anything is written: a failure leaves no half-written file.
      if (opts.ics) {
        const path = resolve(ctx.cwd, opts.ics);
        if (!existsSync(dirname(path))) throw badInput(`cannot write ${opts.ics}: no such folder`, [{ file: opts.ics, field: '--ics', message: 'the folder does not exist', expected: 'a path in an existing folder' }]);
        // DTSTAMP: an explicit --as-of makes the file reproducible (midnight UTC of that day); otherwise now.
        const stamp = opts.asOf ? new Date(`${asOf}T00:00:00Z`) : new Date();
        writeAtomically(path, statusToIcs(report, { lang, stamp, name: `chujing — ${loaded.workspace.organization.name}` }));
      }
      ctx.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report, lang));
      ctx.exitCode = report.needsAction ? 1 : 0;
    });
}

/**
 * What `status --json` prints, for a loaded workspace: the CLI and the server (GET /v1/status) both call
 * this. The same judgement as `assess` (evidence, ledger, engine) decides which transfers lack an approval.
 */
export async function statusReport(loaded: LoadedWorkspace, options: AssessmentOptions & { soonDays: number }): Promise<StatusReport> {
  const { asOf, soonDays } = options;
  const national = selectPack(NATIONAL_PACKS, asOf)?.pack;
  if (!national?.periods) throw new ChujingError('internal', 'the national rule pack has no life-cycle periods');
  checkReferences(loaded);
  const { report: assessed, calendar } = await assessLoaded(loaded, options);
  return computeStatus({ workspace: loaded.workspace, periods: national.periods, thresholds: national.pathThresholds, calendar, asOf, soonDays, decisions: assessed.transfers, settings: assessed.settings, overrides: assessed.overrides });
}
