/**
 * `chujing token create --role viewer|officer|gateway|admin --name N`, `token list`, `token revoke ID|NAME`:
 * API tokens for `chujing serve`, stored as hashes in the workspace's database (or DATABASE_URL's). The
 * token is printed once. While a server owns the embedded database, use the server's /v1/tokens (admin).
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { t, text } from '../../i18n/index.js';
import { loadWorkspace } from '../../model/load.js';
import type { Store } from '../../store/index.js';
import { ROLES, type Role } from '../../server/roles.js';
import type { CliContext } from '../context.js';

// The database and the token functions are loaded only when a token command runs (start-up time).
const tokens = () => import('../../server/tokens.js');

async function withStore<T>(ctx: CliContext, workspace: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const loaded = loadWorkspace(resolve(ctx.cwd, workspace), ctx.cwd);
  const { openStore } = await import('../../store/index.js');
  const store = (await openStore({ workspaceDir: loaded.dir, env: ctx.env, onNotice: (m) => ctx.stderr.write(`chujing: ${text(ctx.lang(), m)}\n`) }))!;
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function registerToken(program: Command, ctx: CliContext): void {
  const token = program.command('token').description('API tokens for `chujing serve` (printed once, stored only as a hash)');
  const common = (c: Command) => c.option('-w, --workspace <path>', 'workspace file or folder (its .chujing/ holds the embedded database)', '.').option('--json', 'machine-readable output');

  common(token.command('create'))
    .description('create a token and print it (the only time it is shown)')
    .addOption(new Option('--role <role>', 'what the token may do').choices([...ROLES]).makeOptionMandatory())
    .requiredOption('--name <name>', 'a name for who holds it (unique among active tokens)')
    .action(async (o: { workspace: string; json?: boolean; role: Role; name: string }) => {
      const { createToken } = await tokens();
      const created = await withStore(ctx, o.workspace, (s) => createToken(s, o.name, o.role));
      if (o.json) ctx.stdout.write(`${JSON.stringify({ schema: 'chujing.token/1', ...created }, null, 2)}\n`);
      else ctx.stdout.write(`${t(ctx.lang(), 'server.token.created', { name: created.name, role: created.role, id: created.id })}\n${created.token}\n`);
    });

  common(token.command('list'))
    .description('list the tokens (never their secrets)')
    .action(async (o: { workspace: string; json?: boolean }) => {
      const { listTokens } = await tokens();
      const list = await withStore(ctx, o.workspace, (s) => listTokens(s));
      const lang = ctx.lang();
      if (o.json) ctx.stdout.write(`${JSON.stringify({ schema: 'chujing.tokens/1', tokens: list }, null, 2)}\n`);
      else if (list.length === 0) ctx.stdout.write(`${t(lang, 'server.token.none')}\n`);
      else {
        ctx.stdout.write(`${t(lang, 'server.token.header')}\n`);
        for (const x of list) ctx.stdout.write(`${[x.id, x.name, x.role, x.createdAt, x.revokedAt ?? t(lang, 'server.token.active')].join('\t')}\n`);
      }
    });

  common(token.command('revoke'))
    .description('revoke a token by id or name')
    .argument('<token>', 'id or name of the token')
    .action(async (id: string, o: { workspace: string; json?: boolean }) => {
      const { revokeToken } = await tokens();
      const r = await withStore(ctx, o.workspace, (s) => revokeToken(s, id));
      if (o.json) ctx.stdout.write(`${JSON.stringify({ schema: 'chujing.token/1', ...r }, null, 2)}\n`);
      else ctx.stdout.write(`${t(ctx.lang(), 'server.token.revoked', { name: r.name, id: r.id })}\n`);
    });
}
