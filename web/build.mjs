// Builds the web UI into dist/web (run by `npm run build`, hence by `npm install`): the entry script,
// one chunk per page (loaded when the page is first opened: esbuild's code splitting) and one style
// sheet, content-hashed, and index.html naming the entry. esbuild bundles the TypeScript of web/src
// together with the parts of src/ the browser shares with the CLI (the message tables and render(),
// the workspace schema the forms validate with). Nothing is fetched at run time.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, 'dist', 'web');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

// zod re-exports its ~40 locale tables as `z.locales`; the forms never use them (their messages come
// from our own tables), and bundling them would add ~300 KiB to every page load. English (zod's
// default, imported separately) stays.
const noZodLocales = {
  name: 'no-zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (args.importer.includes(`${'node_modules'}/zod/`) ? { path: 'zod-locales', namespace: 'stub' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

const result = await build({
  plugins: [noZodLocales],
  absWorkingDir: root,
  entryPoints: { app: 'web/src/main.tsx', style: 'web/src/style.css' },
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  splitting: true,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  tsconfig: 'web/tsconfig.json',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const script = outputs.find((f) => f.startsWith('app-') && f.endsWith('.js'));
const style = outputs.find((f) => f.startsWith('style-') && f.endsWith('.css'));
if (!script || !style) throw new Error(`web build: missing outputs (${outputs.join(', ')})`);
const icon = readFileSync(join(root, 'web', 'icon.svg'));
writeFileSync(join(out, 'assets', 'icon.svg'), icon);

const html = readFileSync(join(root, 'web', 'index.html'), 'utf8')
  .replace('%SCRIPT%', `/assets/${script}`)
  .replace('%STYLE%', `/assets/${style}`)
  .replace('%ICON%', '/assets/icon.svg');
writeFileSync(join(out, 'index.html'), html);
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
const entry = result.metafile.outputs[Object.keys(result.metafile.outputs).find((p) => basename(p) === script)];
console.log(`web: dist/web (${script}, ${style}, ${outputs.length - 2} chunks; ${(bytes / 1024).toFixed(0)} KiB in all, entry ${(entry.bytes / 1024).toFixed(0)} KiB)`);
