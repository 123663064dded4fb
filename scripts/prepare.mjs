/**
 * `npm run prepare`: build the CLI (dist/) whenever npm prepares the package — after `npm install` in a
 * clone, before `npm pack`, and when npm installs it from a git URL.
 *
 * Why not just `npm run build`: `npm install -g git+https://…/chujing.git` has npm clone the repository
 * and install its dev dependencies (TypeScript) before `prepare`; npm 11 passes its global settings on to
 * that step, so the dev dependencies are never installed in the clone and the build cannot find `tsc`
 * (measured with npm 11.19; installing them into the clone from here races with npm, which is still
 * unpacking the runtime dependencies there). When the compiler is missing, the build runs in a private
 * copy of the sources with its own dev dependencies, and dist/ is copied back.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args, cwd, env = process.env) {
  const r = spawnSync(npm, args, { cwd, env, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (existsSync(join(root, 'node_modules', 'typescript', 'bin', 'tsc'))) {
  run(['run', 'build'], root);
} else {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_config_(global|prefix|location|omit|only|production|force)$/i.test(key)) delete env[key];
  const work = mkdtempSync(join(tmpdir(), 'chujing-build-'));
  try {
    for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts', 'bin']) {
      if (existsSync(join(root, entry))) cpSync(join(root, entry), join(work, entry), { recursive: true });
    }
    run(['install', '--include=dev', '--no-audit', '--no-fund', '--ignore-scripts', '--global=false'], work, env);
    run(['run', 'build'], work, env);
    rmSync(join(root, 'dist'), { recursive: true, force: true });
    cpSync(join(work, 'dist'), join(root, 'dist'), { recursive: true });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
