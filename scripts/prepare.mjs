/**
 * `npm run prepare`: build the CLI (dist/) whenever npm prepares the package — after `npm install` in a
 * clone, before `npm pack`, and when npm installs it from a git URL.
 *
 * Why not just `npm run build`: `npm install -g git+https://…/chujing.git` has npm clone the repository
 * and install its dev dependencies (TypeScript) before `prepare`; npm 11 passes its global settings on
 * to that step, so nothing is installed in the clone and the build cannot find `tsc` (measured with npm
 * 11.19). When the compiler is missing, it is installed here, in the package folder, with those settings
 * taken out — then the build runs as always.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args, env = process.env) {
  const r = spawnSync(npm, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync(fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)))) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_config_(global|prefix|location|omit|only|production)$/i.test(key)) delete env[key];
  run(['install', '--include=dev', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--global=false'], env);
}
run(['run', 'build']);
