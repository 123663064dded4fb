/**
 * Debian's nginx with the shipped gate configuration (examples/nginx), for tests: this test's addresses
 * in place of the example's, the gateway token file the operator writes, and the transfer date pinned
 * (the approvals' dates). Nothing else in the shipped files is changed except what a test names.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as netServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';
import { eventually, removeDir } from './helpers.js';

export const NGINX = '/usr/sbin/nginx';

export async function freePort(): Promise<number> {
  const s = netServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface GateNginx {
  /** http://127.0.0.1:PORT: where uploaders send. */
  front: string;
  /** nginx's error log so far (warnings and errors: why it gave up on a server). */
  errorLog(): string;
  stop(): Promise<void>;
}

export async function startGateNginx(options: {
  /** host:port of each chujing server (the upstream's servers, in this order). */
  chujing: string[];
  exportPort: number;
  gatewayToken: string;
  /** The shipped `proxy_read_timeout 15s;` replaced (tests that pause chujing wait for it). */
  readTimeout?: string;
}): Promise<GateNginx> {
  const port = await freePort();
  const conf = mkdtempSync(join(tmpdir(), 'chujing-nginx-'));
  const shipped = join(REPO_ROOT, 'examples', 'nginx');
  const gate = readFileSync(join(shipped, 'chujing-gate.conf'), 'utf8')
    .replace(/server 127\.0\.0\.1:8080;/, options.chujing.map((h) => `server ${h};`).join('\n    '))
    .replace('server 127.0.0.1:9000;', `server 127.0.0.1:${options.exportPort};`)
    .replace(/listen 8088;/, `listen 127.0.0.1:${port};`);
  if (gate.includes('127.0.0.1:8080') || gate.includes('127.0.0.1:9000')) throw new Error('the shipped chujing-gate.conf no longer names the addresses this test replaces');
  writeFileSync(join(conf, 'chujing-gate.conf'), gate);
  const common = readFileSync(join(shipped, 'chujing-gate-common.conf'), 'utf8');
  if (!common.includes('proxy_read_timeout 15s;')) throw new Error('the shipped chujing-gate-common.conf no longer says proxy_read_timeout 15s');
  writeFileSync(join(conf, 'chujing-gate-common.conf'), options.readTimeout ? common.replace('proxy_read_timeout 15s;', `proxy_read_timeout ${options.readTimeout};`) : common);
  writeFileSync(join(conf, 'chujing-gateway-token.conf'), `proxy_set_header Authorization "Bearer ${options.gatewayToken}";\nproxy_set_header X-Chujing-Time "2026-11-05";\n`);
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(conf, d));
  writeFileSync(
    join(conf, 'nginx.conf'),
    `daemon off;
master_process off;
worker_processes 1;
pid ${conf}/nginx.pid;
error_log ${conf}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${conf}/body;
  proxy_temp_path ${conf}/proxy;
  fastcgi_temp_path ${conf}/fastcgi;
  uwsgi_temp_path ${conf}/uwsgi;
  scgi_temp_path ${conf}/scgi;
  include ${conf}/chujing-gate.conf;
}
`,
  );
  const nginx: ChildProcess = spawn(NGINX, ['-p', conf, '-c', join(conf, 'nginx.conf'), '-e', join(conf, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let nginxErr = '';
  nginx.stderr!.on('data', (d) => (nginxErr += d));
  const front = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    if (nginx.exitCode !== null) throw new Error(`nginx exited: ${nginxErr}${existsSync(join(conf, 'error.log')) ? readFileSync(join(conf, 'error.log'), 'utf8') : ''}`);
    try {
      await fetch(`${front}/`);
      return true;
    } catch {
      return undefined;
    }
  });
  return {
    front,
    errorLog: () => (existsSync(join(conf, 'error.log')) ? readFileSync(join(conf, 'error.log'), 'utf8') : ''),
    async stop() {
      if (nginx.exitCode === null) {
        nginx.kill('SIGTERM');
        await new Promise((r) => nginx.once('exit', r));
      }
      removeDir(conf);
    },
  };
}
