/**
 * The YAML reader: positions found on demand agree with the `yaml` package's document tree (the
 * reference for positions), and hostile documents are refused as bad input.
 */
import fc from 'fast-check';
import { Document, LineCounter, parseDocument, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ChujingError } from '../../src/errors.js';
import { DEFAULT_LIMITS } from '../../src/model/limits.js';
import { parseYaml, yamlPositions, type YamlPath } from '../../src/model/yaml.js';

/** Position of the node at `path` by the `yaml` package (deepest existing ancestor). */
function reference(text: string, path: YamlPath): { line: number; column: number } | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) {
      const p = lines.linePos(node.range[0]);
      return { line: p.line, column: p.col };
    }
  }
  return undefined;
}

/** Every path to a value in a parsed document. */
function allPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => allPaths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) allPaths(v, [...prefix, k], out);
  return out;
}

const SAMPLE = `# a workspace
version: 1
organization: { id: acme, name: "ACME (China)", tags: [a, b] }
datasets:
  - id: d1
    facts:
      rawImageryHours: 12   # a comment
      'quoted key': "x"
    evidence:
      - kind: annotations
        path: data/x.json
  - &shared { id: d2, name: two }
  - *shared
  - [nested, [list, 3]]
transfers:
- id: t1
  date: 2026-03-01
  datasets: [d1,
    d2]
  purpose: >
    folded
    text
recipients: []
approvals:
  -   id: spaced
      covers:
        recipients:
          - r1
`;

describe('yamlPositions', () => {
  it('agrees with the yaml package on every value of a varied document', () => {
    const data = parseYaml(SAMPLE, 'x.yaml', DEFAULT_LIMITS);
    const paths = allPaths(data).filter((p) => p.length > 0);
    const ours = yamlPositions(SAMPLE, paths);
    paths.forEach((p, i) => expect(ours[i], p.join('.')).toEqual(reference(SAMPLE, p)));
  });

  it('a missing field is reported at its parent, an empty value at its key', () => {
    const text = 'a:\n  b: 1\nempty:\nc: [1]\n';
    const [missing, empty] = yamlPositions(text, [['a', 'zzz'], ['empty']]);
    expect(missing).toEqual({ line: 2, column: 3 });
    expect(empty).toEqual({ line: 3, column: 1 });
  });

  it('agrees with the yaml package on generated block and flow documents', () => {
    const scalar = fc.oneof(fc.integer({ min: 0, max: 999 }), fc.constantFrom('x', 'two words', 'k: v', '#', '- a'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c d', 'id'), tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(value, fc.boolean(), (v, flow) => {
        const text = new Document({ root: v }).toString({ collectionStyle: flow ? 'flow' : 'block' });
        const data = parseYaml(text, 'g.yaml', DEFAULT_LIMITS);
        const paths = allPaths(data);
        const ours = yamlPositions(text, paths);
        paths.forEach((p, i) => expect(ours[i], `${p.join('.')} in\n${text}`).toEqual(reference(text, p)));
      }),
      { numRuns: 150 },
    );
  });
});

function badInput(fn: () => unknown): ChujingError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ChujingError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseYaml refuses hostile documents as bad input', () => {
  it('an alias bomb (billion laughs)', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const e = badInput(() => parseYaml(lines.join('\n'), 'bomb.yaml', DEFAULT_LIMITS));
    expect(e.code).toBe('bad-input');
    expect(e.issues[0]).toMatchObject({ file: 'bomb.yaml', message: { code: 'loader.limit.aliases' } });
  });

  it('an alias that contains itself', () => {
    const e = badInput(() => parseYaml('a: &x [1, *x]\n', 'cycle.yaml', DEFAULT_LIMITS));
    expect(e.issues[0]).toMatchObject({ file: 'cycle.yaml', message: { code: 'loader.limit.alias-cycle' } });
  });

  it('nesting beyond the limit', () => {
    const e = badInput(() => parseYaml(`${'['.repeat(5000)}${']'.repeat(5000)}`, 'deep.yaml', DEFAULT_LIMITS));
    expect(e.issues[0]).toMatchObject({ file: 'deep.yaml', line: 1, message: { code: 'loader.limit.depth' } });
  });

  it('a few aliases that repeat values are fine', () => {
    expect(parseYaml('base: &b {x: 1}\nlist: [*b, *b, *b]\nname: R&D\n', 'ok.yaml', DEFAULT_LIMITS)).toEqual({ base: { x: 1 }, list: [{ x: 1 }, { x: 1 }, { x: 1 }], name: 'R&D' });
  });

  it('duplicate keys, with line and column', () => {
    const e = badInput(() => parseYaml('a: 1\nb: 2\na: 3\n', 'dup.yaml', DEFAULT_LIMITS));
    expect(e.issues[0]).toMatchObject({ file: 'dup.yaml', line: 3, message: { code: 'loader.yaml.duplicate-key' } });
  });

  it('an empty file is null; dates stay text', () => {
    expect(parseYaml('# nothing\n', 'e.yaml', DEFAULT_LIMITS)).toBeNull();
    expect(parseYaml('d: 2026-03-01\n', 'e.yaml', DEFAULT_LIMITS)).toEqual({ d: '2026-03-01' });
  });
});

describe('loaded workspaces locate fields one by one, each from its entry alone', () => {
  it('agrees with the yaml package on every field of every list entry, block and flow', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { loadWorkspace } = await import('../../src/model/load.js');
    const text = `version: 1
organization: { id: acme, name: ACME, processorType: oem }
datasets:
  - id: crm   # the CRM
    name: "CRM, all"
    scenario: other
    dataType: customers
    personalInfo:
      persons: 10
  - { id: d2, name: two, scenario: other, dataType: customers }
recipients: [{ id: hq, name: HQ, country: DE }, { id: r2, name: R2, country: FR }]
transfers:
- id: t1
  date: 2026-03-01
  datasets:
    - crm
    - d2
  recipient: hq
  purpose: >
    a folded
    purpose
- { id: t2, date: 2026-03-02, datasets: [crm], recipient: r2, purpose: p }
approvals:
  - id: sc
    mechanism: standard-contract
    effective: 2026-01-01
    covers: { datasets: [crm] }
`;
    const dir = mkdtempSync(join(tmpdir(), 'chujing-locate-'));
    writeFileSync(join(dir, 'chujing.yaml'), text);
    const loaded = loadWorkspace(dir, dir);
    const data = parseYaml(text, 'x', DEFAULT_LIMITS) as Record<string, unknown>;
    const paths = allPaths(data).filter((p) => p.length >= 2 && ['datasets', 'recipients', 'transfers', 'approvals'].includes(String(p[0])));
    const field = (p: (string | number)[]) => p.map((x, i) => (typeof x === 'number' ? `[${x}]` : i ? `.${x}` : x)).join('');
    for (const p of paths) {
      const one = loaded.sources.locate(field(p));
      const ref = reference(text, p)!;
      expect({ line: one.line, column: one.column }, field(p)).toEqual(ref);
    }
    const all = loaded.sources.locateAll(paths.map(field));
    all.forEach((w, i) => expect({ line: w.line, column: w.column }, field(paths[i]!)).toEqual(reference(text, paths[i]!)));
  });
});
