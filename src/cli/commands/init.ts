/**
 * `chujing init [DIR]`: write a commented starter workspace (in the user's language) that validates and
 * assesses as it is, and a .gitignore that keeps `.chujing/`'s local state out of git.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ChujingError } from '../../errors.js';
import { msg, t } from '../../i18n/index.js';
import { WORKSPACE_FILE } from '../../model/load.js';
import type { CliContext } from '../context.js';
import { displayPath, writeFileAtomically } from '../options.js';
import { gitignoreBlock, gitignoreMentionsChujing, starterWorkspace } from './init-templates.js';

export { STARTER_WORKSPACE } from './init-templates.js';

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description(`write a commented starter ${WORKSPACE_FILE} and a .gitignore for .chujing/`)
    .argument('[dir]', 'folder to create it in', '.')
    .option('--force', `overwrite an existing ${WORKSPACE_FILE}`)
    .action((dir: string, opts: { force?: boolean }) => {
      const lang = ctx.lang();
      const folder = resolve(ctx.cwd, dir);
      const file = join(folder, WORKSPACE_FILE);
      const display = (p: string) => displayPath(ctx.cwd, p);
      if (existsSync(file) && !opts.force) {
        throw new ChujingError('bad-input', msg('init.exists', { file: display(file) }), [{ file: display(file), message: msg('init.refuse'), expected: msg('init.exists-expected') }]);
      }
      mkdirSync(folder, { recursive: true });
      // The .gitignore first: a workspace never exists without it. An existing one is appended to, once.
      const gitignore = join(folder, '.gitignore');
      const before = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
      const kept = gitignoreMentionsChujing(before);
      if (!kept) writeFileAtomically(gitignore, display(gitignore), before + (before && !before.endsWith('\n') ? '\n' : '') + (before ? '\n' : '') + gitignoreBlock(lang), '.gitignore');
      writeFileAtomically(file, display(file), starterWorkspace(lang), WORKSPACE_FILE);
      ctx.stdout.write(`${t(lang, kept ? 'init.wrote-kept' : 'init.wrote', { file: display(file), gitignore: display(gitignore), dir })}\n`);
    });
}
