/**
 * Load a workspace from disk: one YAML file, or a folder holding `chujing.yaml`, with `include:` globs
 * whose list entries are merged in. Every problem is reported with its file, line and field; nothing is
 * thrown as a bare stack trace.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { LineCounter, YAMLError, parse, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { ChujingError, badInput, type ErrorIssue } from '../errors.js';
import { MERGEABLE_KEYS, workspaceSchema, type Workspace } from './workspace.js';

export const WORKSPACE_FILE = 'chujing.yaml';

/** Where each list entry came from, so a cross-reference error can name the right file and line. */
export interface SourceMap {
  /** `datasets[3]` -> { file, doc, index in that file's list } */
  locate(field: string): { file: string; line?: number; column?: number };
}

export interface LoadedWorkspace {
  workspace: Workspace;
  /** Absolute path of the root YAML file. */
  file: string;
  /** Folder that relative paths (evidence, .chujing/) resolve against. */
  dir: string;
  files: string[];
  sources: SourceMap;
}

interface ParsedFile {
  file: string;
  data: unknown;
  /** The document tree with positions, built only when an error needs a line (it is large). */
  tree(): { doc: Document.Parsed; lines: LineCounter };
}

function parseYamlFile(file: string, display: string): ParsedFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ChujingError('not-found', `cannot read ${display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, [
      { file: display, message: 'file not readable' },
    ]);
  }
  let cached: { doc: Document.Parsed; lines: LineCounter } | undefined;
  const tree = () => {
    if (!cached) {
      const lines = new LineCounter();
      cached = { doc: parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }), lines };
    }
    return cached;
  };
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: false, uniqueKeys: true, maxAliasCount: 1000 });
  } catch (e) {
    if (!(e instanceof YAMLError)) throw e;
    const { doc, lines } = tree();
    const errors = doc.errors.length ? doc.errors : [e];
    const issues: ErrorIssue[] = errors.map((err) => {
      const pos = lines.linePos(err.pos[0]);
      return { file: display, line: pos.line, column: pos.col, message: `malformed YAML: ${err.message.split('\n')[0]}`, expected: 'valid YAML' };
    });
    throw badInput(`${display} is not valid YAML`, issues);
  }
  return { file: display, data, tree };
}

function nodePosition(parsed: ParsedFile, path: (string | number)[]): { line?: number; column?: number } {
  const { doc, lines } = parsed.tree();
  // Walk down as far as the path exists: a missing field is reported at its parent.
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) {
      const pos = lines.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** Minimal glob: `*` and `?` within a path segment, `**` across segments. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  const p = pattern.split(sep).join('/');
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') {
      if (p[i + 1] === '*') {
        const slash = p[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string, base: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, base, out);
    else out.push(relative(base, full).split(sep).join('/'));
  }
}

function expandIncludes(dir: string, patterns: string[], rootFile: string): string[] {
  const all: string[] = [];
  walk(dir, dir, all);
  const matched = new Set<string>();
  for (const pattern of patterns) {
    const re = globToRegExp(pattern);
    for (const f of all) if (re.test(f) && /\.ya?ml$/i.test(f)) matched.add(resolve(dir, f));
  }
  matched.delete(rootFile);
  return [...matched].sort();
}

/** Resolve a CLI argument (file, folder or nothing) to the root workspace file. */
export function resolveWorkspaceFile(target = '.'): string {
  const abs = resolve(target);
  if (!existsSync(abs)) {
    throw new ChujingError('not-found', `no workspace at ${target}`, [{ file: target, message: 'no such file or folder', expected: `a ${WORKSPACE_FILE} file or a folder holding one` }]);
  }
  if (statSync(abs).isDirectory()) {
    const file = join(abs, WORKSPACE_FILE);
    if (!existsSync(file)) {
      throw new ChujingError('not-found', `no ${WORKSPACE_FILE} in ${target}`, [{ file: target, message: `the folder has no ${WORKSPACE_FILE}`, expected: `a ${WORKSPACE_FILE} (run \`chujing init\` to start one)` }]);
    }
    return file;
  }
  return abs;
}

/**
 * Read, merge and validate a workspace (schema only; cross-references are checked by
 * `checkReferences`, which needs the rule packs).
 */
export function loadWorkspace(target = '.', cwd = process.cwd()): LoadedWorkspace {
  const rootFile = resolveWorkspaceFile(target);
  const dir = dirname(rootFile);
  // Paths relative to where the user stands, unless that means climbing out of it.
  const display = (f: string) => {
    const rel = relative(cwd, f);
    return rel && !rel.startsWith('..') ? rel : f;
  };
  const root = parseYamlFile(rootFile, display(rootFile));
  if (root.data === null || typeof root.data !== 'object' || Array.isArray(root.data)) {
    throw badInput(`${root.file} must be a YAML mapping`, [{ file: root.file, line: 1, message: 'the document is not a mapping of fields', expected: 'version: 1, organization: ..., datasets: [...]' }]);
  }
  const merged = structuredClone(root.data) as Record<string, unknown>;
  // origin[key][i] = [parsed file, index within that file's list]
  const origin = new Map<string, [ParsedFile, number][]>();
  for (const key of MERGEABLE_KEYS) {
    const list = merged[key];
    origin.set(key, Array.isArray(list) ? list.map((_, i) => [root, i] as [ParsedFile, number]) : []);
  }
  const files = [rootFile];
  const includes = merged.include;
  if (includes !== undefined) {
    if (!Array.isArray(includes) || includes.some((p) => typeof p !== 'string')) {
      throw badInput('include must be a list of glob patterns', [{ file: root.file, field: 'include', ...nodePosition(root, ['include']), message: 'not a list of strings', expected: 'e.g. include: ["datasets/*.yaml"]' }]);
    }
    for (const incFile of expandIncludes(dir, includes as string[], rootFile)) {
      const inc = parseYamlFile(incFile, display(incFile));
      files.push(incFile);
      if (inc.data === null || inc.data === undefined) continue;
      if (typeof inc.data !== 'object' || Array.isArray(inc.data)) {
        throw badInput(`${inc.file} must be a YAML mapping`, [{ file: inc.file, line: 1, message: 'an included file holds a mapping of lists', expected: `keys among ${MERGEABLE_KEYS.join(', ')}` }]);
      }
      for (const [key, value] of Object.entries(inc.data as Record<string, unknown>)) {
        if (!(MERGEABLE_KEYS as readonly string[]).includes(key)) {
          throw badInput(`${inc.file}: ${key} cannot be set in an included file`, [
            { file: inc.file, field: key, ...nodePosition(inc, [key]), message: `unknown or non-mergeable key '${key}'`, expected: `one of ${MERGEABLE_KEYS.join(', ')}` },
          ]);
        }
        if (!Array.isArray(value)) {
          throw badInput(`${inc.file}: ${key} must be a list`, [{ file: inc.file, field: key, ...nodePosition(inc, [key]), message: 'not a list', expected: 'a YAML list (- id: ...)' }]);
        }
        const target = (merged[key] ??= []) as unknown[];
        const map = origin.get(key)!;
        value.forEach((v, i) => {
          target.push(v);
          map.push([inc, i]);
        });
      }
    }
  }

  const sources: SourceMap = {
    locate(field: string) {
      const parts = field.match(/[^.[\]]+/g) ?? [];
      const path = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      const [key, index, ...rest] = path;
      const entries = typeof key === 'string' ? origin.get(key) : undefined;
      if (entries && typeof index === 'number' && entries[index]) {
        const [pf, local] = entries[index]!;
        return { file: pf.file, ...nodePosition(pf, [key as string, local, ...rest]) };
      }
      return { file: root.file, ...nodePosition(root, path) };
    },
  };

  const result = workspaceSchema.safeParse(merged);
  if (!result.success) {
    throw badInput(`${root.file}: the workspace does not match the format (see \`chujing schema\`)`, zodIssues(result.error, sources));
  }
  return { workspace: result.data, file: rootFile, dir, files, sources };
}

export function zodIssues(error: z.ZodError, sources?: SourceMap): ErrorIssue[] {
  return error.issues.map((issue) => {
    const field = formatPath(issue.path);
    const where = sources ? sources.locate(field) : {};
    let expected: string | undefined;
    let message = issue.message;
    if (issue.code === 'invalid_value' && 'values' in issue) expected = `one of ${(issue.values as unknown[]).map(String).join(', ')}`;
    if (issue.code === 'unrecognized_keys' && 'keys' in issue) {
      message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
      expected = 'only the fields documented by `chujing schema`';
    }
    if (issue.code === 'invalid_type') {
      const exp = (issue as { expected?: string }).expected;
      if (exp) expected = exp === 'nonoptional' ? 'a value' : `a ${exp}`;
      if (message.includes('received undefined')) message = 'required field is missing';
    }
    if (issue.code === 'invalid_union') message = 'no accepted form matches';
    return { ...where, field: field || undefined, message, expected };
  });
}
