/**
 * Paths a workspace names (includes, evidence files, the .chujing folder) must stay inside the
 * workspace: a workspace is shared and reviewed like code, and must not be able to make chujing read or
 * write files elsewhere. Real paths are compared, so `..`, absolute paths and symlinks that lead out are
 * all refused the same way.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { badInput, type ErrorLocation } from '../errors.js';
import { msg } from '../i18n/index.js';

/** Real path of `p`, or of its nearest existing ancestor joined with the rest (for files not yet created). */
export function realPathOf(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  if (parent === abs) return abs;
  return resolve(realPathOf(parent), relative(parent, abs));
}

export function isInside(dir: string, p: string): boolean {
  const rel = relative(realPathOf(dir), realPathOf(p));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolve `target` (relative to `base`, itself inside `workspaceDir`) and refuse it when it leads
 * outside the workspace. `where` names the field/file/line that gave the path.
 */
export function resolveInside(workspaceDir: string, base: string, target: string, where: ErrorLocation = {}): string {
  const abs = resolve(base, target);
  if (!isInside(workspaceDir, abs)) {
    throw badInput(msg('path.outside-workspace', { path: target }), [
      { ...where, message: msg('path.outside-workspace', { path: target }), expected: msg('path.inside-workspace-expected') },
    ]);
  }
  return abs;
}
