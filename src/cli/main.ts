/**
 * The `chujing` command line. Each command lives in commands/<name>.ts and registers itself here.
 * Errors are mapped in one place: a ChujingError prints its issues (file, line, field, expected) and
 * exits with its code (2 for bad input); anything else is a bug and says so.
 */
import { Command, CommanderError } from 'commander';
import { ChujingError, exitCodeFor, formatIssue } from '../errors.js';
import { langFromEnv, parseLang, t, text, type Lang } from '../i18n/index.js';
import type { CliContext } from './context.js';
import { registerAssess } from './commands/assess.js';
import { registerValidate } from './commands/validate.js';
import { registerInit } from './commands/init.js';
import { registerExplain } from './commands/explain.js';
import { registerRules } from './commands/rules.js';
import { registerSchema } from './commands/schema.js';
import { registerScan } from './commands/scan.js';
import { registerLedger } from './commands/ledger.js';
import { registerStatus } from './commands/status.js';
import { registerServe } from './commands/serve.js';
import { registerToken } from './commands/token.js';
import { registerReport } from './commands/report.js';

export const VERSION = '0.1.0';

export interface MainOptions {
  stdout?: CliContext['stdout'];
  stderr?: CliContext['stderr'];
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? { write: (s: string) => void process.stdout.write(s), isTTY: Boolean(process.stdout.isTTY) };
  const stderr = options.stderr ?? { write: (s: string) => void process.stderr.write(s), isTTY: Boolean(process.stderr.isTTY) };
  const program = new Command('chujing');
  const ctx: CliContext = {
    stdout,
    stderr,
    env,
    cwd: options.cwd ?? process.cwd(),
    exitCode: 0,
    lang: () => parseLang(program.opts().lang as string | undefined, env),
  };
  program
    .description('China outbound data transfer compliance (automobile data first): 出境')
    .version(VERSION)
    .option('--lang <lang>', 'language of human output: zh or en (default: from the locale)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });

  for (const register of [registerAssess, registerValidate, registerInit, registerExplain, registerRules, registerSchema, registerScan, registerLedger, registerStatus, registerReport, registerServe, registerToken]) {
    register(program, ctx);
  }
  // Every sub-command inherits the error handling above.
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    return reportError(err, ctx);
  }
}

export function reportError(err: unknown, ctx: CliContext): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return 2; // commander already printed the usage error
  }
  let lang: Lang = 'en';
  try {
    lang = ctx.lang();
  } catch {
    lang = langFromEnv(ctx.env); // the error may be about --lang itself
  }
  if (err instanceof ChujingError) {
    ctx.stderr.write(`chujing: ${text(lang, err.summary)}\n`);
    for (const issue of err.issues) ctx.stderr.write(`  ${formatIssue(issue, lang)}\n`);
    return exitCodeFor(err.code);
  }
  const e = err as Error;
  ctx.stderr.write(`chujing: ${t(lang, 'error.internal', { detail: e?.message ?? String(err) })}\n`);
  if (ctx.env.CHUJING_DEBUG) ctx.stderr.write(`${e?.stack ?? ''}\n`);
  return 70;
}
