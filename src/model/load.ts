/**
 * Load a workspace from disk: one YAML file, or a folder holding `chujing.yaml`, with `include:` globs
 * whose list entries are merged in. Every problem is reported with its file, line and field; nothing is
 * thrown as a bare stack trace.
 *
 * Bounded (docs/workspace-limits.md): the files' total size is checked before they are read, YAML
 * nesting and alias expansion are limited, and at most `maxIssues` problems are listed. Positions are
 * found only when an error needs them (`yaml.ts`), by re-reading the file: the loaded workspace keeps no
 * copy of the text and no tree of positions.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { ChujingError, badInput, type ErrorIssue } from '../errors.js';
import { hasMessage, msg, type Msg, type Text } from '../i18n/index.js';
import { expandIncludes } from './include.js';
import { limitsFromEnv, type LoadLimits } from './limits.js';
import { newBudget, parseYaml, readYamlText, topLevelEntries, yamlOffsets, type Position, type YamlPath } from './yaml.js';
import { validateWorkspace } from './validate.js';
import { MERGEABLE_KEYS, type Workspace } from './workspace.js';
import { WORKSPACE_FILE } from './workspace-file.js';

export { WORKSPACE_FILE };

/** Where each list entry came from, so a cross-reference error can name the right file and line. */
export interface SourceMap {
  /** `datasets[3]` -> the file it was written in, with line and column when they can be found. */
  locate(field: string): { file: string; line?: number; column?: number };
  /** Several fields at once: one pass over each file involved, however many fields. */
  locateAll(fields: readonly string[]): { file: string; line?: number; column?: number }[];
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

export interface LoadOptions {
  limits?: LoadLimits;
  /** Called after each stage with its wall and CPU time in ms (the benchmark's per-stage split). */
  onStage?: (stage: 'read' | 'parse' | 'validate', time: { wallMs: number; cpuMs: number }) => void;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** A file of the workspace: where it is, and how to find positions in it when an error needs them. */
interface SourceFile {
  abs: string;
  display: string;
  /** Size and modification time when read: positions are looked up only in the same text. */
  size: number;
  mtimeMs: number;
  /**
   * The text: held while loading, then dropped; read again (and kept) the first time a position is
   * asked for after the load (cross-references, evidence, JUnit).
   */
  text?: string;
  /** Where each entry of the top-level lists starts, and where each line starts: built on first use. */
  entries?: Map<string, Int32Array>;
  lineStarts?: Int32Array;
}

function textOf(source: SourceFile): string | undefined {
  if (source.text !== undefined) return source.text;
  try {
    const st = statSync(source.abs);
    if (st.size !== source.size || st.mtimeMs !== source.mtimeMs) return undefined;
    source.text = readYamlText(source.abs, source.display, newBudget({ ...limitsFromEnv(), totalBytes: Number.MAX_SAFE_INTEGER }));
    return source.text;
  } catch {
    return undefined;
  }
}

function lineStartsOf(source: SourceFile, text: string): Int32Array {
  if (!source.lineStarts) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    source.lineStarts = Int32Array.from(starts);
  }
  return source.lineStarts;
}

function positionAt(lineStarts: Int32Array, offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
}

/**
 * Positions of paths in a file. A path into an entry of a top-level list (`transfers[123].date`, the
 * common case) reads just that entry's text, found through an index of the entries built in one pass
 * on first use, so that asking for many positions one by one stays cheap; other paths are found in one
 * pass over the file together.
 */
function positionsIn(source: SourceFile, paths: readonly YamlPath[]): (Position | undefined)[] {
  const text = textOf(source);
  if (text === undefined) return paths.map(() => undefined);
  const lines = lineStartsOf(source, text);
  const offsets: (number | undefined)[] = paths.map(() => undefined);
  const rest: number[] = [];
  paths.forEach((path, i) => {
    const [key, entry, ...inside] = path;
    if (typeof key !== 'string' || typeof entry !== 'number' || !(MERGEABLE_KEYS as readonly string[]).includes(key)) return void rest.push(i);
    source.entries ??= topLevelEntries(text);
    const list = source.entries.get(key);
    const start = list?.[entry];
    if (list === undefined || start === undefined) return void rest.push(i);
    if (inside.length === 0) return void (offsets[i] = start);
    // The entry's own lines, from its "- " to the next entry, read as a one-entry list.
    const from = lines[positionAt(lines, start).line - 1]!;
    if (!/^[ \t]*-[ \t]/.test(text.slice(from, start))) return void rest.push(i);
    const next = list[entry + 1];
    const to = next === undefined ? text.length : lines[positionAt(lines, next).line - 1]!;
    const within = yamlOffsets(text.slice(from, to), [[0, ...inside]])[0];
    if (within === undefined) rest.push(i);
    else offsets[i] = from + within;
  });
  if (rest.length) {
    const found = yamlOffsets(text, rest.map((i) => paths[i]!));
    rest.forEach((i, k) => (offsets[i] = found[k]));
  }
  return offsets.map((o) => (o === undefined ? undefined : positionAt(lines, o)));
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function parseField(field: string): (string | number)[] {
  return (field.match(/[^.[\]]+/g) ?? []).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Resolve a CLI argument (file, folder or nothing; relative to `cwd`) to the root workspace file. */
export function resolveWorkspaceFile(target = '.', cwd = process.cwd()): string {
  const abs = resolve(cwd, target);
  if (!existsSync(abs)) {
    throw new ChujingError('not-found', msg('loader.no-workspace', { path: target }), [
      { file: target, message: msg('loader.no-such-path'), expected: msg('loader.workspace-expected', { file: WORKSPACE_FILE }) },
    ]);
  }
  if (statSync(abs).isDirectory()) {
    const file = join(abs, WORKSPACE_FILE);
    if (!existsSync(file)) {
      throw new ChujingError('not-found', msg('loader.no-workspace-file', { file: WORKSPACE_FILE, path: target }), [
        { file: target, message: msg('loader.folder-lacks-file', { file: WORKSPACE_FILE }), expected: msg('loader.init-expected', { file: WORKSPACE_FILE }) },
      ]);
    }
    return file;
  }
  return abs;
}

/** A run of a merged list that came from one file: entry `start + k` is entry `k` of that file's list. */
interface Segment {
  source: SourceFile;
  start: number;
}

/**
 * Read, merge and validate a workspace (schema only; cross-references are checked by
 * `checkReferences`, which needs the rule packs).
 */
export function loadWorkspace(target = '.', cwd = process.cwd(), options: LoadOptions = {}): LoadedWorkspace {
  const limits = options.limits ?? limitsFromEnv();
  const budget = newBudget(limits);
  const rootFile = resolveWorkspaceFile(target, cwd);
  const dir = dirname(rootFile);
  // Paths relative to where the user stands, unless that means climbing out of it.
  const display = (f: string) => {
    const rel = relative(cwd, f);
    return rel && !rel.startsWith('..') ? rel : f;
  };
  const read = { wallMs: 0, cpuMs: 0 };
  const parse = { wallMs: 0, cpuMs: 0 };
  const readAndParse = (abs: string, where: Partial<ErrorIssue> = {}): { source: SourceFile; data: unknown } => {
    const [t0, c0] = [performance.now(), cpuMs()];
    const shown = display(abs);
    const text = readYamlText(abs, shown, budget, where);
    const st = statSync(abs);
    const source: SourceFile = { abs, display: shown, size: st.size, mtimeMs: st.mtimeMs, text };
    const [t1, c1] = [performance.now(), cpuMs()];
    const data = parseYaml(text, shown, limits);
    read.wallMs += t1 - t0;
    read.cpuMs += c1 - c0;
    parse.wallMs += performance.now() - t1;
    parse.cpuMs += cpuMs() - c1;
    return { source, data };
  };
  const at = (source: SourceFile, path: YamlPath) => positionsIn(source, [path])[0] ?? {};

  const { source: root, data: rootData } = readAndParse(rootFile);
  if (rootData === null || typeof rootData !== 'object' || Array.isArray(rootData)) {
    throw badInput(msg('loader.root-not-mapping', { file: root.display }), [
      { file: root.display, line: 1, message: msg('loader.root-not-mapping-issue'), expected: msg('loader.root-expected') },
    ]);
  }
  const merged = rootData as Record<string, unknown>;
  const segments = new Map<string, Segment[]>();
  for (const key of MERGEABLE_KEYS) segments.set(key, [{ source: root, start: 0 }]);
  const sources: SourceFile[] = [root];
  const files = [rootFile];
  const includes = merged.include;
  if (includes !== undefined) {
    if (!Array.isArray(includes) || includes.some((p) => typeof p !== 'string')) {
      throw badInput(msg('loader.include.not-list'), [
        { file: root.display, field: 'include', ...at(root, ['include']), message: msg('loader.include.not-list-issue'), expected: msg('loader.include.not-list-expected') },
      ]);
    }
    const patterns = includes as string[];
    const included = expandIncludes({
      dir,
      patterns,
      exclude: [rootFile],
      where: (i) => ({ file: root.display, field: `include[${i}]`, ...at(root, ['include', i]) }),
    });
    for (const incFile of included) {
      const { source: inc, data } = readAndParse(incFile);
      sources.push(inc);
      files.push(incFile);
      if (data === null) continue;
      if (typeof data !== 'object' || Array.isArray(data)) {
        throw badInput(msg('loader.included-not-mapping', { file: inc.display }), [
          { file: inc.display, line: 1, message: msg('loader.included-not-mapping-issue'), expected: msg('loader.included-keys-expected', { keys: [...MERGEABLE_KEYS] }) },
        ]);
      }
      for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
        if (!(MERGEABLE_KEYS as readonly string[]).includes(key)) {
          throw badInput(msg('loader.included-key-not-mergeable', { file: inc.display, key }), [
            { file: inc.display, field: key, ...at(inc, [key]), message: msg('loader.included-key-not-mergeable-issue', { key }), expected: msg('loader.included-key-expected', { keys: [...MERGEABLE_KEYS] }) },
          ]);
        }
        if (!Array.isArray(value)) {
          throw badInput(msg('loader.included-not-list', { file: inc.display, key }), [
            { file: inc.display, field: key, ...at(inc, [key]), message: msg('loader.included-not-list-issue'), expected: msg('loader.included-list-expected') },
          ]);
        }
        const list = merged[key];
        const targetList = (Array.isArray(list) ? list : (merged[key] = [])) as unknown[];
        segments.get(key)!.push({ source: inc, start: targetList.length });
        // push(...value) would pass one argument per entry: too many for a large file.
        for (let i = 0; i < value.length; i++) targetList.push(value[i]);
      }
    }
  }

  const sourceMap: SourceMap = {
    locate: (field) => sourceMap.locateAll([field])[0]!,
    locateAll(fields) {
      // Group the fields by the file they point into, then one pass per file.
      const byFile = new Map<SourceFile, { index: number; path: YamlPath }[]>();
      const out: { file: string; line?: number; column?: number }[] = fields.map(() => ({ file: root.display }));
      fields.forEach((field, index) => {
        const path = parseField(field);
        const [key, entry, ...rest] = path;
        let source = root;
        let local: YamlPath = path;
        const segs = typeof key === 'string' ? segments.get(key) : undefined;
        if (segs && typeof entry === 'number') {
          let s = segs[0]!;
          for (const seg of segs) if (seg.start <= entry) s = seg;
          source = s.source;
          local = [key as string, entry - s.start, ...rest];
        }
        out[index] = { file: source.display };
        let group = byFile.get(source);
        if (!group) byFile.set(source, (group = []));
        group.push({ index, path: local });
      });
      for (const [source, group] of byFile) {
        const positions = positionsIn(source, group.map((g) => g.path));
        group.forEach((g, i) => {
          const p = positions[i];
          if (p) out[g.index] = { file: source.display, line: p.line, column: p.column };
        });
      }
      return out;
    },
  };

  options.onStage?.('read', read);
  options.onStage?.('parse', parse);
  const [t0, c0] = [performance.now(), cpuMs()];
  // Transfers one by one when there are many: the parsed copy is let go as the validated one is made.
  const result = validateWorkspace(merged);
  options.onStage?.('validate', { wallMs: performance.now() - t0, cpuMs: cpuMs() - c0 });
  if (!result.success) {
    throw badInput(msg('loader.format.mismatch', { file: root.display }), zodIssues(result.error, sourceMap, limits.maxIssues));
  }
  // The texts are read again if a position is asked for later: do not hold them (nor what was built from them).
  for (const s of sources) {
    delete s.text;
    delete s.entries;
    delete s.lineStarts;
  }
  return { workspace: result.data, file: rootFile, dir, files, sources: sourceMap };
}

const ZOD_DEFAULT = /^(Invalid |Too (big|small)|Unrecognized key)/;
const TYPE_CODES = new Set(['string', 'number', 'int', 'boolean', 'object', 'array', 'null', 'undefined', 'date']);
const typeMsg = (type: string): Msg => (TYPE_CODES.has(type) ? msg(`loader.type.${type}`) : msg('loader.type.other', { type }));
const UNITS: Record<string, string> = { array: 'loader.unit.items', set: 'loader.unit.items', string: 'loader.unit.characters', object: 'loader.unit.keys' };

/** One zod issue in the loader's words (zh and en). A message the schema wrote itself is kept. */
function issueWords(issue: z.core.$ZodIssue): { message: Text; expected?: Text } {
  const own = issue.message;
  if (hasMessage(own)) return { message: msg(own) };
  const custom = !ZOD_DEFAULT.test(own);
  switch (issue.code) {
    case 'invalid_type': {
      const exp = issue.expected as string;
      const received = /received (\w+)/.exec(own)?.[1];
      if (exp === 'nonoptional' || received === 'undefined') return { message: msg('loader.format.missing'), expected: exp === 'nonoptional' ? msg('loader.format.value-expected') : typeMsg(exp) };
      if (custom) return { message: own, expected: typeMsg(exp) };
      return { message: msg('loader.format.wrong-type', { expected: typeMsg(exp), received: typeMsg(received ?? 'other') }), expected: typeMsg(exp) };
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      const expected = values.length === 1 ? msg('loader.format.exactly', { value: values[0]! }) : msg('loader.format.one-of', { values });
      return { message: custom ? own : msg('loader.format.not-allowed'), expected };
    }
    case 'unrecognized_keys':
      return { message: msg('loader.format.unknown-fields', { keys: issue.keys.map((k) => `'${k}'`) }), expected: msg('loader.format.unknown-fields-expected') };
    case 'invalid_union':
      return { message: custom ? own : msg('loader.format.no-form-matches') };
    case 'too_small':
    case 'too_big': {
      if (custom) return { message: own };
      const small = issue.code === 'too_small';
      const bound = String(small ? issue.minimum : (issue as { maximum: number | bigint }).maximum);
      const unit = UNITS[issue.origin as string];
      if (unit) return { message: msg(small ? 'loader.format.too-small-size' : 'loader.format.too-big-size', { [small ? 'minimum' : 'maximum']: bound, unit: msg(unit) }) };
      const exclusive = issue.inclusive === false;
      const code = `loader.format.${small ? 'too-small' : 'too-big'}-number${exclusive ? '-exclusive' : ''}`;
      return { message: msg(code, { [small ? 'minimum' : 'maximum']: bound }) };
    }
    case 'invalid_format':
      return { message: custom ? own : msg('loader.format.pattern') };
    case 'not_multiple_of':
      return { message: custom ? own : msg('loader.format.multiple-of', { divisor: String(issue.divisor) }) };
    case 'invalid_key':
      return { message: custom ? own : msg('loader.format.invalid-key') };
    case 'invalid_element':
      return { message: custom ? own : msg('loader.format.invalid-element') };
    default:
      return { message: custom ? own : msg('loader.format.invalid') };
  }
}

/**
 * Zod's issues as error issues: field, file, line and column (all located in one pass per file), in the
 * loader's words. At most `maxIssues` are listed; a last line counts the rest.
 */
export function zodIssues(error: z.ZodError, sources?: SourceMap, maxIssues = limitsFromEnv().maxIssues): ErrorIssue[] {
  const shown = error.issues.slice(0, maxIssues);
  const fields = shown.map((issue) => formatPath(issue.path));
  const where = sources ? sources.locateAll(fields) : fields.map(() => ({}));
  const issues: ErrorIssue[] = shown.map((issue, i) => {
    const { message, expected } = issueWords(issue);
    return { ...where[i], field: fields[i] || undefined, message, ...(expected !== undefined ? { expected } : {}) };
  });
  if (error.issues.length > shown.length) issues.push({ message: msg('loader.limit.more-issues', { count: error.issues.length - shown.length, shown: shown.length }) });
  return issues;
}
