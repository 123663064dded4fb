/**
 * `chujing serve [WORKSPACE] [--port 8080] [--host 127.0.0.1]`: the HTTP API (src/server). Loopback by
 * default; on loopback it prints a one-time login link for the browser. SIGTERM / SIGINT: stop
 * accepting, finish in-flight requests, write the decision log, close the database, exit 0.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { badInput } from '../../errors.js';
import { msg, t } from '../../i18n/index.js';
import type { CliContext } from '../context.js';

function port(v: string): number {
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw badInput(msg('server.cli.bad-port', { port: v }), [{ field: '--port', message: msg('server.cli.bad-port', { port: v }), expected: '0-65535 (0: any free port)' }]);
  return Number(v);
}

function seconds(v: string): number {
  if (!/^\d{1,6}(\.\d{1,3})?$/.test(v.trim())) throw badInput(msg('server.cli.bad-seconds', { value: v }), [{ field: '--database-lock-timeout', message: msg('server.cli.bad-seconds', { value: v }), expected: msg('server.cli.seconds-expected') }]);
  return Math.round(Number(v) * 1000);
}

function bytes(v: string): number {
  const m = /^(\d+)\s*(k|m|kb|mb|kib|mib)?$/i.exec(v.trim());
  if (!m) throw badInput(msg('server.cli.bad-size', { size: v }), [{ field: '--body-limit', message: msg('server.cli.bad-size', { size: v }), expected: 'bytes, e.g. 1048576 or 4m' }]);
  const unit = (m[2] ?? '').toLowerCase();
  return Number(m[1]) * (unit.startsWith('m') ? 1024 * 1024 : unit.startsWith('k') ? 1024 : 1);
}

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the workspace over HTTP: assessment, status, rules, ledger, decisions for the egress point, edits of the YAML (docs/server.md)')
    .argument('[workspace]', 'workspace file or folder', '.')
    .option('--port <port>', 'TCP port (0: any free port)', port, 8080)
    .option('--host <host>', 'address to listen on (loopback by default; anything else needs tokens and TLS in front)', '127.0.0.1')
    .option('--cors-origin <origin>', 'allow browser calls from this origin (repeatable); none by default', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--body-limit <bytes>', 'largest request body (default 1m)', bytes, 1024 * 1024)
    .option('--key-file <file>', "file holding the organisation's HMAC key (default: the variable named by settings.hmacKeyEnv)")
    .option('--allow-readable-key-file', 'accept a key file that group or others can read (anyone on this machine could then take the key): refused otherwise, `chmod 600` it')
    .option('--accept-broken-decision-log', 'keep deciding when the decision log is found broken (default: refuse with 503, fail closed)')
    .option('--database-lock-timeout <seconds>', 'PostgreSQL: refuse a request (503) after waiting this many seconds for a lock another session holds (default 10); 0 waits as long as it takes', seconds)
    .option('--trust-proxy <addresses>', 'take the client address from X-Forwarded-For when the request comes from these proxies (e.g. 127.0.0.1)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or silent', 'info')
    .option('--no-watch', 'do not reload the workspace when its files change')
    .option('--no-login-link', 'do not print the one-time login link')
    .action(async (target: string, opts: { port: number; host: string; corsOrigin: string[]; bodyLimit: number; keyFile?: string; allowReadableKeyFile?: boolean; acceptBrokenDecisionLog?: boolean; databaseLockTimeout?: number; trustProxy?: string; logLevel: string; watch: boolean; loginLink: boolean }) => {
      const lang = ctx.lang();
      const { createServer, isLoopback } = await import('../../server/app.js');
      const server = await createServer({
        workspace: resolve(ctx.cwd, target),
        cwd: ctx.cwd,
        env: ctx.env,
        host: opts.host,
        port: opts.port,
        corsOrigins: opts.corsOrigin,
        bodyLimit: opts.bodyLimit,
        logLevel: opts.logLevel,
        watch: opts.watch,
        ...(opts.keyFile ? { keyFile: opts.keyFile } : {}),
        ...(opts.allowReadableKeyFile ? { allowReadableKeyFile: true } : {}),
        ...(opts.acceptBrokenDecisionLog ? { acceptBrokenDecisionLog: true } : {}),
        ...(opts.databaseLockTimeout !== undefined ? { databaseLockTimeoutMs: opts.databaseLockTimeout } : {}),
        ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}),
        logStream: { write: (line: string) => ctx.stderr.write(line) },
      });
      let url: string;
      try {
        url = await server.listen();
      } catch (e) {
        await server.close();
        const err = e as NodeJS.ErrnoException;
        throw badInput(msg('server.cli.cannot-listen', { host: opts.host, port: opts.port, why: err.code ?? err.message }), [{ field: '--port', message: msg('server.cli.cannot-listen', { host: opts.host, port: opts.port, why: err.code ?? err.message }), expected: msg('server.cli.free-port') }]);
      }
      const snap = server.core.state.current;
      ctx.stdout.write(`${t(lang, 'server.cli.serving', { workspace: snap.loaded.dir, url, revision: snap.revision.slice(0, 19) })}\n`);
      if (isLoopback(opts.host) && opts.loginLink) ctx.stdout.write(`${t(lang, 'server.cli.login', { url: server.loginLink(url) })}\n`);
      if (!isLoopback(opts.host)) ctx.stderr.write(`${t(lang, 'server.cli.not-loopback', { host: opts.host })}\n`);
      if (!server.core.key) ctx.stderr.write(`${t(lang, 'server.cli.no-key')}\n`);

      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          ctx.stderr.write(`${t(lang, 'server.cli.stopping')}\n`);
          void server.close().then(done, done);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
      ctx.stderr.write(`${t(lang, 'server.cli.stopped')}\n`);
    });
}
