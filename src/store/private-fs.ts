/**
 * Everything chujing keeps under `.chujing/` holds keyed hashes and measurements of personal data:
 * folders 0700 and files 0600 whatever the umask (issue 14), and files replaced atomically (write a
 * temporary file beside the target, fsync, rename) so a crash never leaves half a file.
 */
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Create (if needed) a folder that only its owner can read; tighten it if it exists. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Make a whole tree owner-only (dirs 0700, files 0600); symlinks are left alone, never followed. */
export function privatiseTree(root: string): void {
  const st = lstatSync(root);
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    chmodSync(root, PRIVATE_DIR_MODE);
    for (const name of readdirSync(root)) privatiseTree(join(root, name));
  } else if (st.isFile()) chmodSync(root, PRIVATE_FILE_MODE);
}

/**
 * fsync every file and folder of a tree (files first, each folder after what it holds), before the tree
 * is renamed into place: a new PGlite database (pglite.ts), written without syncs while it was built.
 */
export function syncTree(root: string): void {
  const st = lstatSync(root);
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    for (const name of readdirSync(root)) syncTree(join(root, name));
    fsyncDir(root);
    return;
  }
  if (!st.isFile()) return;
  const fd = openSync(root, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync a folder so a rename inside it is durable (best effort where the platform refuses). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* not supported here: the rename is still atomic, only its durability is the OS's */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Write `data` to `file` atomically, owner-only: a reader sees the old file or the new one, never half. */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = PRIVATE_FILE_MODE): void {
  const tmp = join(dirname(file), `.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  chmodSync(tmp, mode);
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dirname(file));
}
