/**
 * The files of an evidence path: the file itself, or every matching file under a folder (recursive,
 * sorted by name, hidden entries skipped). One walk for the scanners and the cache's content hash, so
 * both always see the same list.
 *
 * Symbolic links are followed (a folder of labels is often a tree of links), but inside a workspace
 * (`root`) every file and folder reached — the path itself and everything the walk meets — must resolve
 * inside the workspace: a link that leads out is bad input, never read (a workspace is shared and
 * reviewed like code; it must not make chujing read files elsewhere). Link cycles are walked once.
 */
import { readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { badInput, ChujingError } from '../errors.js';
import { msg } from '../i18n/index.js';
import { isInside } from '../model/paths.js';

export interface FoundFile {
  /** Absolute path (as reached, links not resolved). */
  file: string;
  /** Path relative to the scanned folder, with '/' separators ('' root: the file's own name). */
  relative: string;
  size: number;
}

export interface WalkOptions {
  /** Which file names belong (a folder's other files are ignored). */
  accept: (name: string) => boolean;
  /** The workspace folder everything must stay inside (undefined: a path the user gave on the command line). */
  root?: string;
  /** The path as shown to the user. */
  display?: string;
}

function outside(display: string): ChujingError {
  const m = msg('path.outside-workspace', { path: display });
  return badInput(m, [{ file: display, message: m, expected: msg('path.inside-workspace-expected') }]);
}

function statOrThrow(path: string, display: string): Stats {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    const m = msg(code === 'ENOENT' ? 'evidence.file.missing' : 'evidence.file.unreadable', { path: display, code });
    throw new ChujingError(code === 'ENOENT' ? 'not-found' : 'bad-input', m, [{ file: display, message: m, expected: msg('evidence.file.expected') }]);
  }
}

/** Check that `path` (and what it links to) stays inside `root`. */
export function checkInside(root: string, path: string, display: string): void {
  if (!isInside(root, path)) throw outside(display);
}

/** The files of `path`: itself when a file, else the accepted files under it. */
export function listEvidenceFiles(path: string, options: WalkOptions): { files: FoundFile[]; isDirectory: boolean } {
  const display = options.display ?? path;
  if (options.root !== undefined) checkInside(options.root, path, display);
  const st = statOrThrow(path, display);
  if (!st.isDirectory()) {
    const name = path.slice(path.lastIndexOf(sep) + 1);
    return { files: [{ file: path, relative: name, size: st.size }], isDirectory: false };
  }
  const out: FoundFile[] = [];
  const visited = new Set<string>([realpathSync(path)]);
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      const rel = relative(path, full).split(sep).join('/');
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      let size = -1;
      if (e.isSymbolicLink()) {
        const shown = `${display}/${rel}`;
        if (options.root !== undefined) checkInside(options.root, full, shown);
        const target = statOrThrow(full, shown);
        isDir = target.isDirectory();
        isFile = target.isFile();
        size = target.size;
      }
      if (isDir) {
        const real = realpathSync(full);
        if (visited.has(real)) continue;
        visited.add(real);
        walk(full);
      } else if (isFile && options.accept(e.name)) {
        out.push({ file: full, relative: rel, size: size >= 0 ? size : statSync(full).size });
      }
    }
  };
  walk(path);
  return { files: out, isDirectory: true };
}
