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
import { readCommandIndex, registerStandIn } from './command-index.js';
import { COMMAND_MODULES } from './commands/index.js';

export const VERSION = '0.1.0';

/** The command a command line runs (the first word that is not a global option or its value), or the one `help` is asked about. */
export function commandNameOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return undefined;
    if (a === '--lang') i++;
    else if (a === 'help') return argv.slice(i + 1).find((x) => !x.startsWith('-')) ?? 'help';
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

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

  // Only the command being run is loaded; the others are stand-ins from the build's index, enough for
  // --help, --version and "did you mean" (without an index, from the sources, all are loaded).
  const runs = commandNameOf(argv);
  const index = readCommandIndex();
  for (const command of COMMAND_MODULES) {
    const entry = index?.[command.name];
    if (entry && command.name !== runs) registerStandIn(program, command.name, entry);
    else (await command.load())(program, ctx);
  }
  localizeHelp(program, lang);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    return report(err, ctx, { json: wantsJson(argv), command: commandPathOf(program, argv) });
  }
}
