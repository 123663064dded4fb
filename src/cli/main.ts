/**
 * The `chujing` command line. Each command lives in commands/<name>.ts and registers itself here.
 * Errors are mapped in one place: a ChujingError prints its issues (file, line, field, expected) and
 * exits with its code (2 for bad input); anything else is a bug and says so.
 */
import { Command, CommanderError } from 'commander';
import { ChujingError, exitCodeFor, formatIssue } from '../errors.js';
import { langFromEnv, parseLang, t, text, type Lang } from '../i18n/index.js';
import type { CliContext } from './context.js';
import { GROUP_SUMMARIES } from './summaries.js';
import { registerAssess } from './commands/assess.js';
import { registerValidate } from './commands/validate.js';
import { registerInit } from './commands/init.js';
import { registerExplain } from './commands/explain.js';
import { registerRules } from './commands/rules.js';
import { registerSchema } from './commands/schema.js';
import { registerStatus } from './commands/status.js';
import { registerReport } from './commands/report.js';

type Register = (program: Command, ctx: CliContext) => void;

/**
 * Every command in the order `--help` lists them. The `scan` and `ledger` modules load the scanners, the
 * ledger and the database drivers when imported, so they are imported (`load`) only when the command
 * line runs them (or asks for their help); otherwise a stand-in with the same name and summary is
 * registered, enough for `--help`, `--version` and "did you mean" (start-up time, issue 9). The other
 * commands import what they need when they run.
 */
const COMMANDS: { name: string; register?: Register; load?: () => Promise<Register> }[] = [
  { name: 'assess', register: registerAssess },
  { name: 'validate', register: registerValidate },
  { name: 'init', register: registerInit },
  { name: 'explain', register: registerExplain },
  { name: 'rules', register: registerRules },
  { name: 'schema', register: registerSchema },
  { name: 'scan', load: async () => (await import('./commands/scan.js')).registerScan },
  { name: 'ledger', load: async () => (await import('./commands/ledger.js')).registerLedger },
  { name: 'status', register: registerStatus },
  { name: 'report', register: registerReport },
];

/** The command a command line runs (the first word that is not a global option or its value), or the one `help` is asked about. */
export function commandNameOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--lang') i++;
    else if (a === 'help') return argv.slice(i + 1).find((x) => !x.startsWith('-')) ?? 'help';
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** Register every command; `scan` and `ledger` for real only when `runs` names them (or `all`). */
export async function registerCommands(program: Command, ctx: CliContext, runs: string | undefined, all = false): Promise<void> {
  for (const command of COMMANDS) {
    if (command.register) command.register(program, ctx);
    else if (all || runs === command.name) (await command.load!())(program, ctx);
    else program.command(command.name).description(GROUP_SUMMARIES[command.name as keyof typeof GROUP_SUMMARIES]);
  }
}

export const VERSION = '0.1.0';

export interface MainOptions {
  stdout?: CliContext['stdout'];
  stderr?: CliContext['stderr'];
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? { write: (s: string) => void process.stdout.write(s), isTTY: Boolean(process.stdout.isTTY), columns: process.stdout.columns };
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

  await registerCommands(program, ctx, commandNameOf(argv));
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
