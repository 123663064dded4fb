// Write dist/cli/command-index.json: every command's name, description, arguments and whether it has
// options, from the real registrations, so that the CLI can list in --help the commands it does not load
// (src/cli/command-index.ts). Run by `npm run build` after the TypeScript compiler.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

const dist = fileURLToPath(new URL('../dist/cli/', import.meta.url));
const { COMMAND_REGISTRATIONS } = await import(`${dist}commands/all.js`);
const { COMMAND_MODULES } = await import(`${dist}commands/index.js`);
const { indexOf } = await import(`${dist}command-index.js`);
const program = new Command('chujing');
const ctx = { stdout: { write() {}, isTTY: false }, stderr: { write() {}, isTTY: false }, env: {}, cwd: process.cwd(), exitCode: 0, lang: () => 'en' };
for (const register of COMMAND_REGISTRATIONS) register(program, ctx);
const index = indexOf(program);
const names = Object.keys(index);
const modules = COMMAND_MODULES.map((m) => m.name);
if (names.join() !== modules.join()) {
  console.error(`chujing build: commands/all.ts (${names.join(', ')}) and commands/index.ts (${modules.join(', ')}) list different commands`);
  process.exit(1);
}
writeFileSync(`${dist}command-index.json`, `${JSON.stringify(index, null, 1)}\n`);
