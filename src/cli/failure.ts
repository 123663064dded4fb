/**
 * How a failed command line ends: one place maps every error to its exit code and its words.
 *
 * - A ChujingError prints its summary and issues (file, line, field, expected) and exits with its code
 *   (2 for bad input). commander's usage errors (unknown option, missing argument…) are turned into the
 *   same shape, in the user's language, with a pointer to `--help`.
 * - With `--json` (or `--format json`) on the command line, the error is one JSON object on stdout —
 *   `{schema: "chujing.error/1", error: {code, exitCode, message, issues: [{file, line, column, field,
 *   message, expected}]}}`, every message `{code, params, text}` — and nothing is written to stderr, so a
 *   pipeline reads one document whatever happened (docs/cli.md).
 * - Anything else is a bug: exit 70, said plainly, with the stack only under CHUJING_DEBUG.
 */
import { CommanderError, type Command } from 'commander';
import { ChujingError, exitCodeFor, formatIssue, type ErrorCode, type ErrorIssue } from '../errors.js';
import { isMsg, langFromEnv, msg, text, toJson, type Lang, type Msg, type Text } from '../i18n/index.js';
import type { CliContext } from './context.js';
import { translatePlaceholders } from './help.js';

export const ERROR_SCHEMA = 'chujing.error/1';

/** commander's outcomes that are not failures. */
const NOT_FAILURES = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/** Whether the command line asks for JSON output (then errors are JSON too). */
export function wantsJson(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--json' || a === '--format=json' || (a === '--format' && argv[i + 1] === 'json')) return true;
  }
  return false;
}

/** The command a command line names (`chujing scan annotations`), for the pointer to its --help. */
export function commandPathOf(program: Command, argv: readonly string[]): string {
  let command = program;
  const path = [program.name()];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('-')) {
      const option = [...command.options, ...program.options].find((o) => o.long === a || o.short === a);
      if (option && (option.required || option.optional) && !a.includes('=')) i++;
      continue;
    }
    const sub = command.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (!sub) break;
    command = sub;
    path.push(sub.name());
  }
  return path.join(' ');
}

const quoted = (s: string) => s.replace(/^'|'$/g, '');

/** commander's English usage error as a message with its parts (flags with their placeholders translated). */
export function usageError(err: CommanderError, lang: Lang, command: string): { summary: Msg; issues: ErrorIssue[] } {
  const m = err.message.replace(/^error: /, '');
  const flag = (f: string) => translatePlaceholders(lang, f);
  const suggestion = (s: string | undefined) => (s ? s.split(/,\s*/).map((x) => x.trim()) : []);
  /** Values the user types, shown as code. */
  const code = (values: string[]) => values.map((v) => `\`${v}\``);
  const help = msg('cli.see-help', { command });
  let match: RegExpMatchArray | null;
  const one = (message: Msg, field: string | undefined, expected: Msg) => ({ summary: message, issues: [{ ...(field ? { field } : {}), message, expected }] });

  switch (err.code) {
    case 'commander.unknownOption':
      if ((match = m.match(/^unknown option '(.+?)'(?:\s*\(Did you mean (?:one of )?(.+?)\?\))?$/s))) {
        const near = suggestion(match[2]);
        return one(msg('cli.unknown-option', { option: match[1]! }), match[1], near.length ? msg('ref.did-you-mean', { names: near }) : msg('cli.options-expected', { command }));
      }
      break;
    case 'commander.unknownCommand':
      if ((match = m.match(/^unknown command '(.+?)'(?:\s*\(Did you mean (?:one of )?(.+?)\?\))?$/s))) {
        const near = suggestion(match[2]);
        return one(msg('cli.unknown-command', { command: match[1]! }), undefined, near.length ? msg('ref.did-you-mean', { names: near }) : msg('cli.commands-expected', { command }));
      }
      break;
    case 'commander.missingArgument':
      if ((match = m.match(/^missing required argument '(.+)'$/))) return one(msg('cli.missing-argument', { argument: flag(`<${match[1]}>`) }), undefined, help);
      break;
    case 'commander.optionMissingArgument':
      if ((match = m.match(/^option '(.+)' argument missing$/))) return one(msg('cli.option-missing-value', { option: flag(match[1]!) }), match[1]!.split(/[ ,]/).find((f) => f.startsWith('--')), help);
      break;
    case 'commander.missingMandatoryOptionValue':
      if ((match = m.match(/^required option '(.+)' not specified$/))) return one(msg('cli.missing-option', { option: flag(match[1]!) }), match[1]!.split(/[ ,]/).find((f) => f.startsWith('--')), help);
      break;
    case 'commander.excessArguments':
      if ((match = m.match(/^too many arguments(?: for '(.+?)')?\. Expected (\d+) arguments? but got (\d+)\.$/))) {
        return one(msg('cli.excess-arguments', { command, expected: Number(match[2]), received: Number(match[3]) }), undefined, help);
      }
      break;
    case 'commander.invalidArgument':
      if ((match = m.match(/^option '(.+?)' argument '(.*)' is invalid\.\s*(?:Allowed choices are (.+)\.)?/s))) {
        const choices = suggestion(match[3]);
        return one(msg('cli.invalid-value', { option: flag(match[1]!), value: quoted(match[2]!) }), match[1]!.split(/[ ,]/).find((f) => f.startsWith('--')), choices.length ? msg('ref.one-of', { names: code(choices) }) : help);
      }
      if ((match = m.match(/^command-argument value '(.*)' is invalid for argument '(.+?)'\.\s*(?:Allowed choices are (.+)\.)?/s))) {
        const choices = suggestion(match[3]);
        return one(msg('cli.invalid-value', { option: flag(`<${match[2]}>`), value: match[1]! }), undefined, choices.length ? msg('ref.one-of', { names: code(choices) }) : help);
      }
      break;
    case 'commander.conflictingOption':
      if ((match = m.match(/^(.+) cannot be used with (.+)$/))) return one(msg('cli.conflicting-options', { a: quoted(match[1]!), b: quoted(match[2]!) }), undefined, help);
      break;
  }
  // A commander error this table does not know yet: its own (English) words, rather than nothing.
  return one(msg('cli.text', { text: m }), undefined, help);
}

function asMsg(value: Text): Msg {
  return isMsg(value) ? value : msg('cli.text', { text: value });
}

/** An error issue for JSON: every text a message, every location field as it is. */
function jsonIssue(issue: ErrorIssue) {
  const { message, expected, ...where } = issue;
  return { ...where, message: asMsg(message), ...(expected !== undefined ? { expected: asMsg(expected) } : {}) };
}

interface Failure {
  code: ErrorCode;
  exitCode: number;
  summary: Text;
  issues: ErrorIssue[];
  /** Shown after the issues in human output (a pointer to --help). */
  hint?: Msg;
}

function failureOf(err: unknown, lang: Lang, command: string): Failure | null {
  if (err instanceof CommanderError) {
    if (NOT_FAILURES.has(err.code)) return null;
    const { summary, issues } = usageError(err, lang, command);
    return { code: 'bad-input', exitCode: 2, summary, issues, hint: msg('cli.see-help', { command }) };
  }
  if (err instanceof ChujingError) return { code: err.code, exitCode: exitCodeFor(err.code), summary: err.summary, issues: err.issues };
  const e = err as Error;
  return { code: 'internal', exitCode: 70, summary: msg('error.internal', { detail: e?.message ?? String(err) }), issues: [] };
}

/** Print an error the way the command line asked (human on stderr, or JSON on stdout) and return the exit code. */
export function reportError(err: unknown, ctx: CliContext, options: { json: boolean; command: string }): number {
  let lang: Lang;
  try {
    lang = ctx.lang();
  } catch {
    lang = langFromEnv(ctx.env); // the error may be about --lang itself
  }
  const failure = failureOf(err, lang, options.command);
  if (!failure) return 0;
  if (options.json) {
    const error = { code: failure.code, exitCode: failure.exitCode, message: asMsg(failure.summary), issues: failure.issues.map(jsonIssue) };
    ctx.stdout.write(toJson({ schema: ERROR_SCHEMA, error }, lang));
  } else {
    ctx.stderr.write(`chujing: ${text(lang, failure.summary)}\n`);
    // A usage error has one issue that repeats the summary: show only what it adds.
    for (const issue of failure.issues) {
      if (!failure.hint) ctx.stderr.write(`  ${formatIssue(issue, lang)}\n`);
      else if (issue.expected && !(isMsg(issue.expected) && issue.expected.code === 'cli.see-help')) ctx.stderr.write(`  ${text(lang, issue.expected)}\n`);
    }
    if (failure.hint) ctx.stderr.write(`  ${text(lang, failure.hint)}\n`);
  }
  if (failure.code === 'internal' && ctx.env.CHUJING_DEBUG) ctx.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  return failure.exitCode;
}
