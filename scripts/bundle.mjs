// Bundle the compiled CLI (dist/cli/main.js) into dist/bundle/: start-up reads a handful of files instead
// of ~300 (measured: `chujing --version` 2-3x faster; see bench/cli.bench.mjs). Commands' lazy imports
// become chunks, loaded when a command runs. The database drivers stay outside the bundle (PGlite loads
// its WebAssembly and data files relative to its own package). If esbuild is missing (it is a
// development dependency), the launcher falls back to dist/cli/main.js: slower to start, same behaviour.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.warn('chujing: esbuild is not installed; the CLI runs unbundled (slower start-up).');
  process.exit(0);
}
await esbuild.build({
  entryPoints: { chujing: `${root}dist/cli/main.js` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@electric-sql/pglite', 'pg-native', 'pg-cloudflare'],
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies (commander, picomatch) call require() for Node's built-in modules.
  banner: { js: "import { createRequire as __chujingRequire } from 'node:module'; const require = __chujingRequire(import.meta.url);" },
  minifySyntax: true,
  minifyWhitespace: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});
