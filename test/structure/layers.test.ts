/**
 * The layers follow the flow (README, "Layout"): the CLI and the server are thin peers over the same
 * producers (src/produce), so nothing but the CLI imports src/cli, and the producers import no surface.
 * Every static import, re-export and dynamic import() with a literal path is checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** `from '…'`, `import '…'` and `import('…')` specifiers, comments removed first. */
function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) found.push(m[1]!);
  return found;
}

/** The layer (top folder under src/) of each relative import, per file ('' for a file directly in src/). */
const graph = sourceFiles(SRC).map((file) => {
  const from = relative(SRC, file);
  const targets = specifiers(readFileSync(file, 'utf8'))
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(SRC, resolve(dirname(file), s)));
  return { from, targets };
});
const layerOf = (path: string) => (path.includes('/') ? path.split('/')[0]! : '');

function importsOf(layer: string, forbidden: string[]) {
  return graph
    .filter((f) => layerOf(f.from) === layer)
    .flatMap((f) => f.targets.filter((t) => forbidden.includes(layerOf(t))).map((t) => `${f.from} → ${t}`));
}

describe('layers', () => {
  it('reads the imports it checks (the server reaches the producers, the CLI its commands)', () => {
    const edges = graph.flatMap((f) => f.targets.map((t) => `${f.from} → ${t}`));
    expect(edges).toContain('server/routes/reads.ts → produce/inputs.js');
    expect(edges).toContain('report/documents/input.ts → produce/inputs.js');
    expect(edges.some((e) => e.startsWith('cli/') && e.includes('→ produce/'))).toBe(true);
    // dynamic import() counts too
    expect(edges).toContain('server/workspace-state.ts → produce/inputs.js');
  });

  it('nothing outside src/cli imports src/cli (the server, documents and life cycle call src/produce)', () => {
    const offenders = graph.filter((f) => layerOf(f.from) !== 'cli').flatMap((f) => f.targets.filter((t) => layerOf(t) === 'cli').map((t) => `${f.from} → ${t}`));
    expect(offenders).toEqual([]);
  });

  it('the producers import no surface (cli, server, report, web)', () => {
    expect(importsOf('produce', ['cli', 'server', 'report', 'web'])).toEqual([]);
  });

  it('the engine, the rules and the model import nothing downstream of them', () => {
    const downstream = ['evidence', 'ledger', 'store', 'lifecycle', 'produce', 'report', 'cli', 'server'];
    expect([...importsOf('engine', downstream), ...importsOf('rules', downstream.concat('engine')), ...importsOf('model', downstream.concat('engine'))]).toEqual([]);
  });
});
