/**
 * `chujing models fetch` / `chujing models list`: the detector weights `scan images` and `scan video`
 * use, downloaded from their upstream repositories at pinned commits and checked against pinned SHA-256
 * (src/evidence/imagery/models.ts). The only command that reaches the network, and only when asked.
 */
import type { Command } from 'commander';
import { t, toJson } from '../../i18n/index.js';
import type { CliContext } from '../context.js';

interface Flags {
  modelDir?: string;
  baseUrl?: string;
  json?: boolean;
}

export function registerModels(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('the face and licence-plate detector models of scan images / scan video');
  models.exitOverride();
  models
    .command('fetch')
    .description('download the pinned detector models (upstream repositories, pinned commits, SHA-256 checked)')
    .option('--model-dir <path>', 'folder to write them to (default: CHUJING_MODEL_DIR, else the per-user cache)')
    .option('--base-url <url>', 'where raw repository files are served (default: CHUJING_MODEL_BASE_URL, else https://raw.githubusercontent.com)')
    .option('--json', 'machine-readable output')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .action(async (flags: Flags) => {
      const lang = ctx.lang();
      const { DEFAULT_MODEL_BASE_URL, fetchModels, modelDir } = await import('../../evidence/imagery/models.js');
      const dir = modelDir(ctx.env, flags.modelDir, ctx.cwd);
      const base = flags.baseUrl ?? ctx.env.CHUJING_MODEL_BASE_URL ?? DEFAULT_MODEL_BASE_URL;
      const results = await fetchModels(dir, base);
      if (flags.json) ctx.stdout.write(toJson({ schema: 'chujing.models-fetch/1', dir, models: results }, lang));
      else for (const r of results) ctx.stdout.write(`${t(lang, `imagery.models.${r.status}`, { file: r.file, url: r.url })}\n`);
      ctx.exitCode = 0;
    });
  models
    .command('list')
    .description('the pinned detector models: upstream, licence, training data and whether each is present')
    .option('--model-dir <path>', 'folder to look in (default: CHUJING_MODEL_DIR, else the per-user cache)')
    .option('--json', 'machine-readable output')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .action(async (flags: Flags) => {
      const lang = ctx.lang();
      const { existsSync, readFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { PINNED_MODELS, modelDir, sha256 } = await import('../../evidence/imagery/models.js');
      const dir = modelDir(ctx.env, flags.modelDir, ctx.cwd);
      const rows = PINNED_MODELS.map((m) => {
        const file = join(dir, m.file);
        const status = !existsSync(file) ? 'missing' : sha256(readFileSync(file)) === m.sha256 ? 'ok' : 'differs';
        return { ...m, location: file, status };
      });
      if (flags.json) ctx.stdout.write(toJson({ schema: 'chujing.models-list/1', dir, models: rows }, lang));
      else for (const r of rows) ctx.stdout.write(`${t(lang, 'imagery.models.list-line', { file: r.location, status: t(lang, `imagery.models.status.${r.status as 'ok' | 'missing' | 'differs'}`), repo: r.repo, commit: r.commit, licence: r.licence, trainedOn: r.trainedOn })}\n`);
      ctx.exitCode = rows.every((r) => r.status === 'ok') ? 0 : 1;
    });
}
