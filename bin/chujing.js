#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ and bundled to dist/bundle/ by `npm run build` (run
// automatically by `npm install`). The bundle starts faster; the compiled modules are the fallback.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/bundle/chujing.js', import.meta.url);
const modules = new URL('../dist/cli/main.js', import.meta.url);
const entry = existsSync(fileURLToPath(bundle)) ? bundle : modules;
if (entry === modules && !existsSync(fileURLToPath(modules))) {
  process.stderr.write('chujing: the CLI is not built yet; run `npm install` (or `npm run build`) in the chujing folder first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
