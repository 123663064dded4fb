/**
 * The `chujing` command line. Each command lives in commands/<name>.ts and registers itself here.
 * The language is chosen before the commands are registered (argv's --lang, else the locale), so that
 * --help and usage errors are in it too (help.ts). Errors are mapped in one place (failure.ts): a
 * ChujingError prints its issues (file, line, field, expected) and exits with its code (2 for bad
 * input), as JSON on stdout when --json was asked for; anything else is a bug and says so.
 */
import { Command } from 'commander';
import { parseLang } from '../i18n/index.js';
import type { CliContext } from './context.js';
import { commandPathOf, reportError as report, wantsJson } from './failure.js';
import { configureProgramHelp, helpLang, localizeHelp } from './help.js';
import { registerAssess } from './commands/assess.js';
import { registerValidate } from './commands/validate.js';
import { registerInit } from './commands/init.js';
import { registerExplain } from './commands/explain.js';
import { registerRules } from './commands/rules.js';
import { registerSchema } from './commands/schema.js';
import { registerScan } from './commands/scan.js';
import { registerLedger } from './commands/ledger.js';
import { registerStatus } from './commands/status.js';
import { registerCheck } from './commands/check.js';
import { registerExport } from './commands/export.js';
import { registerReport } from './commands/report.js';
import { registerServe } from './commands/serve.js';
import { registerToken } from './commands/token.js';

export const VERSION = '0.1.0';

/** Every command, in the order `--help` lists them. */
export const COMMAND_REGISTRATIONS: ((program: Command, ctx: CliContext) => void)[] = [
  registerAssess,
  registerCheck,
  registerValidate,
  registerInit,
  registerExplain,
  registerRules,
  registerSchema,
  registerScan,
  registerLedger,
  registerStatus,
  registerReport,
  registerExport,
  registerServe,
  registerToken,
];

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
  const lang = helpLang(argv, env);
  // Settings every sub-command inherits: set before the commands are registered.
  configureProgramHelp(program, lang);
  program
    .version(VERSION, '-V, --version')
    .option('--lang <lang>')
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s), outputError: () => {} });

  for (const register of COMMAND_REGISTRATIONS) register(program, ctx);
  localizeHelp(program, lang);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    return report(err, ctx, { json: wantsJson(argv), command: commandPathOf(program, argv) });
  }
}
