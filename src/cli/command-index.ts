/**
 * What `--help` needs to list a command without loading its module: name, description, arguments and
 * whether it has options. The build writes it from the real commands (scripts/command-index.mjs →
 * dist/cli/command-index.json); running from the sources (tests), there is none and every command is
 * loaded for real.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';

export interface IndexedCommand {
  description: string;
  arguments: { name: string; required: boolean; variadic: boolean }[];
  options: number;
}

export type CommandIndex = Record<string, IndexedCommand>;

/** The index as the build wrote it, read from beside the compiled CLI (or the bundle's parent folder). */
export function readCommandIndex(): CommandIndex | undefined {
  for (const rel of ['./command-index.json', '../cli/command-index.json']) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as CommandIndex;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The index entry of every command of a registered program (for the build). */
export function indexOf(program: Command): CommandIndex {
  const index: CommandIndex = {};
  for (const c of program.commands) {
    index[c.name()] = { description: c.description(), arguments: c.registeredArguments.map((a) => ({ name: a.name(), required: a.required, variadic: a.variadic })), options: c.options.length };
  }
  return index;
}

/** A command that `--help` lists as the real one (same name, arguments, "[options]"), without its module. */
export function registerStandIn(program: Command, name: string, entry: IndexedCommand): void {
  const command = program.command(name).description(entry.description);
  for (const a of entry.arguments) command.argument(a.required ? `<${a.name}${a.variadic ? '...' : ''}>` : `[${a.name}${a.variadic ? '...' : ''}]`);
  if (entry.options > 0) command.addOption(new Option('--chujing-stand-in').hideHelp());
}
