/**
 * commander in the user's language. The language is chosen before the commands are registered (from
 * argv's `--lang` and the locale, `helpLang`), and after registration `localizeHelp` walks the command
 * tree and gives every command, argument and option the text of the help message table
 * (src/i18n/{en,zh}/help.ts), keyed by the command's path:
 *
 *   help.<path>                 the command's description (path: `assess`, `scan.annotations`, …)
 *   help.<path>.arg.<name>      an argument
 *   help.<path>.<--long>        an option
 *   help.option.<--long>        an option's text shared by several commands (used only where the
 *                               command's own English text is exactly that text, so nothing drifts)
 *
 * commander's own words (Usage:, Options:, "display help for command", "(default: …)") and the
 * placeholders of the usage lines (`[options]`, `<date>`) come from the same table. A command without a
 * key keeps its English text: the Chinese test (test/cli/chinese.test.ts) fails on it, naming the key.
 */
import type { Argument, Command, Help, Option } from 'commander';
import { hasMessage, langFromEnv, langOf, template, type Lang } from '../i18n/index.js';
import { displayWidth } from '../report/table.js';

/** The language of help and usage errors: a valid `--lang` on the command line, else the locale. */
export function helpLang(argv: readonly string[], env: Record<string, string | undefined>): Lang {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    const value = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice('--lang='.length) : undefined;
    if (value !== undefined) return langOf(value) ?? langFromEnv(env);
  }
  return langFromEnv(env);
}

function word(lang: Lang, code: string, params: Record<string, string> = {}): string {
  const tpl = template(lang, code) ?? template('en', code) ?? code;
  return tpl.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
}

/** A placeholder of a usage line or an option (`date` in `<date>`), in the language; unknown ones stay. */
export function placeholder(lang: Lang, name: string): string {
  const code = `help.placeholder.${name}`;
  return hasMessage(code) ? word(lang, code) : name;
}

/** `--as-of <date>` -> `--as-of <日期>`; `[options]` -> `[选项]`: brackets kept, the word translated. */
export function translatePlaceholders(lang: Lang, text: string): string {
  return text.replace(/([<[])([^\]>]+?)(\.\.\.)?([>\]])/g, (_, open: string, name: string, dots: string | undefined, close: string) => `${open}${placeholder(lang, name)}${dots ?? ''}${close}`);
}

/** Punctuation that must not start a line (Chinese line-breaking rule): kept with the text before it. */
const NO_LINE_START = /^[，。、；：？！）》」』】,.;:?!)\]]/;

/**
 * Wrap help text to a width, counting CJK characters as two columns and breaking between them as well
 * as at spaces (commander's own wrapping breaks only at spaces, which Chinese text does not have). A
 * short code span (`chmod 600 FILE`) stays on one line: it is what the reader types.
 */
export function wrapText(text: string, width: number): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const chunks = line.match(/\s*(?:`[^`]{1,40}`|[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[^\s\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+)/g);
      if (!chunks) return '';
      const lines: string[] = [];
      let current = chunks.shift()!;
      for (const chunk of chunks) {
        if (displayWidth(current) + displayWidth(chunk) <= width || NO_LINE_START.test(chunk)) current += chunk;
        else {
          lines.push(current);
          current = chunk.trimStart();
        }
      }
      lines.push(current);
      return lines.join('\n');
    })
    .join('\n');
}

const TITLES: Record<string, string> = {
  'Usage:': 'help.title.usage',
  'Options:': 'help.title.options',
  'Commands:': 'help.title.commands',
  'Arguments:': 'help.title.arguments',
  'Global Options:': 'help.title.global-options',
};

/** A value the user types, shown as code. */
const code = (value: string) => `\`${value}\``;

/** Program-wide settings every sub-command inherits (set before the commands are registered). */
export function configureProgramHelp(program: Command, lang: Lang): void {
  const extras = (items: string[], description: string) => (items.length === 0 ? description : `${description}${word(lang, 'help.extra', { items: items.join(word(lang, 'help.extra.separator')) })}`.trim());
  program
    .helpOption('-h, --help', word(lang, 'help.builtin.help-option'))
    .helpCommand('help [command]', word(lang, 'help.builtin.help-command'))
    .configureHelp({
      showGlobalOptions: true,
      displayWidth: (text: string) => displayWidth(text.replace(/\x1b\[\d*(;\d*)*m/g, '')),
      boxWrap: (text: string, width: number) => wrapText(text, width),
      styleTitle: (title: string) => (TITLES[title] ? word(lang, TITLES[title]!) : title),
      styleUsage: (usage: string) => translatePlaceholders(lang, usage),
      subcommandTerm(cmd: Command) {
        const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' ');
        return translatePlaceholders(lang, [cmd.name(), cmd.options.length ? '[options]' : '', args].filter(Boolean).join(' '));
      },
      optionTerm: (option: Option) => translatePlaceholders(lang, option.flags),
      argumentTerm: (argument: Argument) => placeholder(lang, argument.name()),
      optionDescription(option: Option) {
        const items: string[] = [];
        if (option.argChoices) items.push(word(lang, 'help.extra.choices', { values: option.argChoices.map(code).join(word(lang, 'help.extra.values-separator')) }));
        // A repeatable option's empty list is no default worth showing.
        const emptyList = Array.isArray(option.defaultValue) && option.defaultValue.length === 0;
        const showDefault = option.defaultValue !== undefined && !emptyList && (option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean'));
        if (showDefault) items.push(word(lang, 'help.extra.default', { value: option.defaultValueDescription ?? code(String(option.defaultValue)) }));
        if (option.envVar !== undefined) items.push(word(lang, 'help.extra.env', { name: option.envVar }));
        return extras(items, option.description);
      },
      argumentDescription(argument: Argument) {
        const items: string[] = [];
        if (argument.argChoices) items.push(word(lang, 'help.extra.choices', { values: argument.argChoices.map(code).join(word(lang, 'help.extra.values-separator')) }));
        if (argument.defaultValue !== undefined) items.push(word(lang, 'help.extra.default', { value: argument.defaultValueDescription ?? code(String(argument.defaultValue)) }));
        return extras(items, argument.description);
      },
    } satisfies Partial<Help>);
}

/** The message code of a command's own help text, and of its arguments and options. */
export function helpKeys(path: string[]): { command: string; argument: (name: string) => string; option: (long: string) => string } {
  const base = path.length === 0 ? 'help.program' : `help.${path.join('.')}`;
  return { command: base, argument: (name) => `${base}.arg.${name}`, option: (long) => `${base}.${long}` };
}

/** The help key that gives an option its text, or undefined when the table has none. */
export function optionKey(path: string[], option: Option): string | undefined {
  const long = option.long ?? option.short ?? option.flags;
  const own = helpKeys(path).option(long);
  if (hasMessage(own)) return own;
  const shared = `help.option.${long}`;
  return hasMessage(shared) && template('en', shared) === option.description ? shared : undefined;
}

/** The help key that gives an argument its text, or undefined when the table has none. */
export function argumentKey(path: string[], argument: Argument): string | undefined {
  const own = helpKeys(path).argument(argument.name());
  if (hasMessage(own)) return own;
  const shared = `help.arg.${argument.name()}`;
  return hasMessage(shared) && template('en', shared) === argument.description ? shared : undefined;
}

/** Every command of the tree with its path (the program's path is empty). */
export function commandTree(program: Command): { path: string[]; command: Command }[] {
  const out: { path: string[]; command: Command }[] = [];
  const walk = (command: Command, path: string[]) => {
    out.push({ path, command });
    for (const sub of command.commands) walk(sub, [...path, sub.name()]);
  };
  walk(program, []);
  return out;
}

/** Give every command, argument and option its text from the help table, in `lang`. */
export function localizeHelp(program: Command, lang: Lang): void {
  for (const { path, command } of commandTree(program)) {
    const keys = helpKeys(path);
    if (hasMessage(keys.command)) command.description(word(lang, keys.command));
    for (const argument of command.registeredArguments) {
      const code = argumentKey(path, argument);
      if (code) argument.description = word(lang, code);
    }
    for (const option of command.options) {
      const code = optionKey(path, option);
      if (code) option.description = word(lang, code);
    }
  }
}
