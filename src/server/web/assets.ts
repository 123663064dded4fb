/**
 * The built web UI (`npm run build` → dist/web: index.html and content-hashed assets), read once into
 * memory at start. Nothing is fetched from elsewhere at run time: the page, its script and its styles
 * come from this server, and fonts are the system's (Noto CJK on Debian).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

export interface Asset {
  body: Buffer;
  type: string;
}

export interface WebAssets {
  /** index.html's text, or null when the UI was not built. */
  index: string | null;
  /** URL path (`/assets/app-3F2A.js`) → content. */
  files: Map<string, Asset>;
  dir: string;
}

/** dist/web of this package, from src/server/web (tests) and dist/server/web (the CLI) alike. */
export function defaultWebDir(): string {
  return fileURLToPath(new URL('../../../dist/web/', import.meta.url));
}

export function loadWebAssets(dir = defaultWebDir()): WebAssets {
  const files = new Map<string, Asset>();
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) return { index: null, files, dir };
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const type = TYPES[extname(name)];
        if (type && name !== 'index.html') files.set(`/${relative(dir, full).split(sep).join('/')}`, { body: readFileSync(full), type });
      }
    }
  };
  walk(dir);
  return { index: readFileSync(indexFile, 'utf8'), files, dir };
}
