/**
 * `include:` patterns of a workspace: glob patterns (picomatch syntax: `*`, `**`, `?`, `[ab]`,
 * `{a,b}`, extglobs; a leading `!` excludes) relative to the workspace folder, matching `.yaml`/`.yml`
 * files inside it.
 *
 * A workspace is shared and reviewed like code and must not make chujing read files elsewhere: a pattern
 * with `..` or an absolute path is refused, and so is a match (or a folder on the way) whose real path —
 * symbolic links followed — is outside the workspace. A literal path that does not exist and a pattern
 * that matches nothing are errors too: an include that silently adds nothing hides data from the
 * assessment. Folders starting with `.` and `node_modules` are not searched (as before).
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import picomatch from 'picomatch';
import { badInput, type ErrorLocation } from '../errors.js';
import { msg } from '../i18n/index.js';
import { isInside } from './paths.js';

const YAML_FILE = /\.ya?ml$/i;

interface Candidate {
  /** Path relative to the workspace folder, with `/`. */
  rel: string;
  abs: string;
  /** Real path outside the workspace (a symbolic link leading out). */
  outside: boolean;
}

export interface IncludeOptions {
  /** Workspace folder (real path taken here). */
  dir: string;
  patterns: readonly string[];
  /** Files never included (the root file itself). */
  exclude: readonly string[];
  /** Where include[i] is written, for errors. */
  where: (index: number) => ErrorLocation;
}

/** The files the patterns include, in a stable order (sorted by path), each once. */
export function expandIncludes({ dir, patterns, exclude, where }: IncludeOptions): string[] {
  const root = realpathSync(dir);
  const outside = (i: number, pattern: string) =>
    badInput(msg('loader.include.outside', { pattern }), [{ ...where(i), message: msg('loader.include.outside', { pattern }), expected: msg('loader.include.outside-expected') }]);
  const linkOutside = (i: number, pattern: string, file: string) =>
    badInput(msg('loader.include.link-outside', { pattern, file }), [{ ...where(i), message: msg('loader.include.link-outside', { pattern, file }), expected: msg('loader.include.link-outside-expected') }]);

  const positives: { index: number; pattern: string; body: string }[] = [];
  const negatives: ((rel: string) => boolean)[] = [];
  patterns.forEach((pattern, index) => {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    const segments = body.split(/[\\/]+/);
    if (body === '' || isAbsolute(body) || /^[A-Za-z]:/.test(body) || segments.includes('..')) throw outside(index, pattern);
    if (negated) negatives.push(picomatch(body, { dot: false }));
    else positives.push({ index, pattern, body });
  });

  const excluded = new Set(exclude.map((f) => safeRealpath(f) ?? resolve(f)));
  const chosen = new Map<string, string>(); // real path -> path as found
  const walks = new Map<string, Candidate[]>();
  for (const { index, pattern, body } of positives) {
    const scan = picomatch.scan(body);
    const matched: Candidate[] = [];
    if (!scan.isGlob) {
      // A literal path: it must exist.
      const unescaped = body.replace(/\\(.)/g, '$1');
      const abs = resolve(dir, unescaped);
      const real = safeRealpath(abs);
      if (real === undefined) {
        throw badInput(msg('loader.include.missing', { pattern }), [{ ...where(index), message: msg('loader.include.missing', { pattern }), expected: msg('loader.include.match-expected') }]);
      }
      if (!isInside(root, real)) throw linkOutside(index, pattern, unescaped);
      matched.push({ rel: unescaped, abs, outside: false });
    } else {
      let isMatch: (rel: string) => boolean;
      try {
        isMatch = picomatch(body, { dot: false });
      } catch {
        throw badInput(msg('loader.include.bad-pattern', { pattern }), [{ ...where(index), message: msg('loader.include.bad-pattern', { pattern }), expected: msg('loader.include.match-expected') }]);
      }
      const base = scan.base;
      const baseAbs = resolve(dir, base);
      const baseReal = safeRealpath(baseAbs);
      if (baseReal !== undefined && !isInside(root, baseReal)) throw linkOutside(index, pattern, base);
      // Without `**`, a pattern cannot match deeper than its own segments: do not walk further.
      const depth = scan.glob.includes('**') ? Infinity : scan.glob.split('/').length;
      const key = `${base}\u0000${depth}`;
      let candidates = walks.get(key);
      if (!candidates) {
        candidates = baseReal !== undefined && statSync(baseReal).isDirectory() ? walk(root, baseAbs, base, depth) : [];
        walks.set(key, candidates);
      }
      for (const c of candidates) {
        if (!YAML_FILE.test(c.rel) || !isMatch(c.rel)) continue;
        if (c.outside) throw linkOutside(index, pattern, c.rel);
        matched.push(c);
      }
    }
    const kept = matched.filter((c) => !excluded.has(safeRealpath(c.abs) ?? c.abs));
    if (kept.length === 0 && matched.length === 0) {
      throw badInput(msg('loader.include.no-match', { pattern }), [{ ...where(index), message: msg('loader.include.no-match', { pattern }), expected: msg('loader.include.match-expected') }]);
    }
    for (const c of kept) {
      if (negatives.some((n) => n(c.rel))) continue;
      const real = safeRealpath(c.abs) ?? c.abs;
      if (!chosen.has(real)) chosen.set(real, c.abs);
    }
  }
  return [...chosen.values()].sort();
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Files under `start` (relative paths from the workspace folder). Symbolic links are followed only while
 * they stay inside the workspace; one that leads out is listed as `outside` (so that a pattern matching
 * it is refused by name) and never entered. Each real folder is entered once (no loops).
 */
function walk(root: string, startAbs: string, startRel: string, maxDepth: number): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const prefix = startRel === '' ? '' : `${startRel.replace(/\/+$/, '')}/`;
  const visit = (abs: string, rel: string, depth: number) => {
    const real = safeRealpath(abs);
    if (real === undefined || seen.has(real)) return;
    seen.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const childAbs = join(abs, entry.name);
      const childRel = `${rel}${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = safeRealpath(childAbs);
        if (target === undefined) continue;
        if (!isInside(root, target)) {
          out.push({ rel: childRel, abs: childAbs, outside: true });
          continue;
        }
        const st = statSync(target);
        isDir = st.isDirectory();
        isFile = st.isFile();
      }
      if (isDir && depth + 1 < maxDepth) visit(childAbs, `${childRel}/`, depth + 1);
      else if (isFile) out.push({ rel: childRel, abs: childAbs, outside: false });
    }
  };
  visit(startAbs, prefix, 0);
  return out;
}
