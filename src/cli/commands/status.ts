/**
 * `chujing status [WORKSPACE] [--as-of DATE] [--json] [--ics FILE] [--calendar FILE]`: what expires when,
 * which windows are open, filings overdue or undated, deadlines the calendar cannot compute, transfers
 * without a valid approval, ledger entries the workspace does not account for, changes that need a new
 * assessment or filing. Exit 1 when something needs action (for CI and cron), 0 when nothing does, 2 on
 * bad input. The language is the global --lang (or the locale).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { t, toJson } from '../../i18n/index.js';
import { USER_CALENDAR_FILE } from '../../produce/inputs.js';
import { loadWorkspace } from '../../model/load.js';
import { statusToIcs } from '../../lifecycle/ics.js';
import { renderStatus } from '../../lifecycle/render.js';
import { tableWidth } from '../../report/table.js';
import { DEFAULT_SOON_DAYS } from '../../lifecycle/status.js';
import type { CliContext } from '../context.js';
import { statusReport } from '../../produce/status.js';
import { parseAsOf, parseWholeNumber, writeFileAtomically } from '../options.js';

interface StatusOptions {
  asOf?: string;
  json?: boolean;
  ics?: string;
  calendar?: string;
  soon?: string;
}

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('approvals, expiry, open windows, overdue filings, uncovered transfers, ledger findings and scope changes (exit 1 when something needs action)')
    .argument('[workspace]', 'workspace file or folder', '.')
    .option('--as-of <date>', 'report as of this date YYYY-MM-DD (default: today in China)')
    .option('--json', 'print the report as JSON (chujing.status/2, docs/lifecycle.md); errors too are JSON, on stdout')
    .option('--ics <file>', 'also write the deadlines as an iCalendar (.ics) file, with a reminder before each')
    .option('--calendar <file>', `extra working-day calendar years (default: ${USER_CALENDAR_FILE} in the workspace, when present)`)
    .option('--soon <days>', `list approvals expiring within this many days as expiring soon (default ${DEFAULT_SOON_DAYS})`)
    .action(async (target: string, opts: StatusOptions) => {
      const asOf = parseAsOf(opts.asOf);
      const soonDays = opts.soon === undefined ? DEFAULT_SOON_DAYS : parseWholeNumber(opts.soon, '--soon', '90');
      const lang = ctx.lang();
      const loaded = loadWorkspace(resolve(ctx.cwd, target), ctx.cwd);
      const calendarFile = opts.calendar ? { path: resolve(ctx.cwd, opts.calendar), display: opts.calendar } : undefined;
      const report = await statusReport(loaded, { env: ctx.env, asOf, soonDays, ...(calendarFile ? { calendarFile } : {}) });

      // Everything computed before anything is written: a failure leaves no half-written file.
      if (opts.ics) {
        // DTSTAMP (and so SEQUENCE): an explicit --as-of makes the file reproducible (midnight UTC of that day); otherwise now.
        const stamp = opts.asOf ? new Date(`${asOf}T00:00:00Z`) : new Date();
        const name = t(lang, 'status.ics.calendar-name', { organization: loaded.workspace.organization.name });
        writeFileAtomically(resolve(ctx.cwd, opts.ics), opts.ics, statusToIcs(report, { lang, stamp, name }), '--ics');
      }
      ctx.stdout.write(opts.json ? toJson(report, lang) : renderStatus(report, lang, { width: tableWidth(ctx.stdout, ctx.env) }));
      ctx.exitCode = report.needsAction ? 1 : 0;
    });
}
