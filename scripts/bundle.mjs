// Bundle the compiled CLI (dist/cli/main.js) into dist/bundle/: start-up reads a handful of files instead
// of ~300 (measured: `chujing --version` 2-3x faster; see bench/cli.bench.mjs). Commands' lazy imports
// become chunks, loaded when a command runs. If esbuild is missing (it is a development dependency), the
// launcher falls back to dist/cli/main.js: slower to start, same behaviour.
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
/** Pure JavaScript, needed at start-up or by the everyday commands (validate, assess, status). */
const BUNDLED = new Set(['commander', 'zod', 'js-yaml', 'yaml', 'picomatch']);
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
  // Only the dependencies every command's start-up needs are bundled; the others (database drivers,
  // document writers, the browser driver) stay in node_modules, where they find their own files.
  external: Object.keys(pkg.dependencies)
    .filter((name) => !BUNDLED.has(name))
    .flatMap((name) => [name, `${name}/*`]),
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies (commander, picomatch) call require() for Node's built-in modules.
  banner: { js: "import { createRequire as __chujingRequire } from 'node:module'; const require = __chujingRequire(import.meta.url);" },
  minifySyntax: true,
  minifyWhitespace: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});
