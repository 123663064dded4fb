/**
 * Tests that need a program the README's `npm test` cannot assume on a fresh clone with only Node:
 * Chromium (PDFs, the HTML in a browser, the web UI), LibreOffice (opening the DOCX as an officer's
 * office suite does), poppler (reading PDFs back). Such a test file asks for its tools once:
 *
 *   const ready = requireTools('PDF printing', CHROMIUM, POPPLER);
 *   describe.skipIf(!ready)(…)
 *
 * When one is missing the file is skipped with ONE line that names what is missing and how to get it;
 * under CI (CI=true, as .ci/run sets it, which installs them all) a missing tool fails the file instead.
 * A tool is found the way the code finds it: Chromium at CHUJING_CHROMIUM or /usr/bin/chromium, the
 * others on PATH (so a fresh machine is simulated with CHUJING_CHROMIUM=/nonexistent or a short PATH).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromiumPath } from '../../src/report/documents/writers/pdf.js';

export interface Tool {
  name: string;
  /** Where it was looked for (a path, or program names on PATH). */
  where: string;
  /** How to get it. */
  install: string;
  available(): boolean;
}

function executable(path: string): boolean {
  try {
    if (!existsSync(path) || !statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether every program is on PATH. */
export function onPath(...programs: string[]): boolean {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return programs.every((p) => dirs.some((d) => executable(join(d, p))));
}

export const CHROMIUM: Tool = {
  name: 'Chromium',
  get where() {
    return chromiumPath();
  },
  install: "Debian's chromium package, or CHUJING_CHROMIUM naming a Chromium executable",
  available: () => executable(chromiumPath()),
};

export const POPPLER: Tool = {
  name: 'poppler',
  where: 'pdftotext, pdfinfo, pdffonts, pdftoppm, pdftohtml on PATH',
  install: "Debian's poppler-utils package",
  available: () => onPath('pdftotext', 'pdfinfo', 'pdffonts', 'pdftoppm', 'pdftohtml'),
};

export const LIBREOFFICE: Tool = {
  name: 'LibreOffice',
  where: 'soffice on PATH',
  install: "Debian's libreoffice-writer-nogui package",
  available: () => onPath('soffice'),
};

/** strace, allowed to trace here (a container without ptrace has the program but cannot use it). */
export const STRACE: Tool = {
  name: 'strace',
  where: 'strace on PATH, able to trace a child process',
  install: "Debian's strace package (and ptrace allowed)",
  available: () => onPath('strace') && spawnSync('strace', ['-f', '-o', '/dev/null', 'true']).status === 0,
};

/**
 * A small file system of its own, to fill up: mounting a tmpfs needs root (CAP_SYS_ADMIN), as `.ci/run`
 * has. Tried once with a 1 MB tmpfs, mounted and unmounted at once.
 */
export const TMPFS_MOUNT: Tool = {
  name: 'a tmpfs mount',
  where: 'mount -t tmpfs and umount, as root',
  install: 'root (or CAP_SYS_ADMIN) and util-linux mount',
  available: () => {
    if (process.platform !== 'linux' || !onPath('mount', 'umount')) return false;
    const dir = mkdtempSync(join(tmpdir(), 'chujing-tmpfs-probe-'));
    try {
      if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]).status !== 0) return false;
      return spawnSync('umount', [dir]).status === 0;
    } finally {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // Still mounted (umount failed): the probe said so already.
      }
    }
  },
};

/** The TrueType Chinese fonts the PDFs are set in (docs/documents.md#fonts), as fontconfig lists them. */
export const PDF_FONTS: Tool = {
  name: 'the TrueType Chinese fonts',
  where: 'AR PL UMing CN, AR PL UKai CN, WenQuanYi Zen Hei in fc-list',
  install: "Debian's fonts-arphic-uming, fonts-arphic-ukai and fonts-wqy-zenhei packages",
  available: () => {
    const r = spawnSync('fc-list', [':', 'family'], { encoding: 'utf8' });
    const families = new Set((r.stdout ?? '').split(/[\n,]/).map((f) => f.trim()));
    return ['AR PL UMing CN', 'AR PL UKai CN', 'WenQuanYi Zen Hei'].every((f) => families.has(f));
  },
};

/** CI must run every test: there a missing tool is a failure, never a skip. */
export const ON_CI = process.env.CI === 'true' || process.env.CI === '1';

/** The one line that says what is missing, or null when every tool is there. */
export function missingTools(...tools: Tool[]): string | null {
  const missing = [...new Set(tools)].filter((t) => !t.available());
  if (!missing.length) return null;
  return missing.map((t) => `${t.name} (${t.where}: not found; install ${t.install})`).join(', ');
}

/**
 * True when every tool is there. Otherwise: on CI, throws (the test file fails); elsewhere prints one
 * line, `skipped: <what> needs …`, and returns false for `describe.skipIf(!ready)`.
 */
export function requireTools(what: string, ...tools: Tool[]): boolean {
  return requireToolSets(what, { all: tools }).all;
}

/**
 * For a file whose groups of tests need different tools: which groups can run, with one line for the
 * whole file naming every missing tool (and, on CI, a failure).
 */
export function requireToolSets<K extends string>(what: string, sets: Record<K, Tool[]>): Record<K, boolean> {
  const ready = {} as Record<K, boolean>;
  for (const k of Object.keys(sets) as K[]) ready[k] = sets[k].every((t) => t.available());
  const missing = missingTools(...Object.values<Tool[]>(sets).flat());
  if (missing) {
    const line = `${what} needs ${missing}`;
    if (ON_CI) throw new Error(`${line} — CI installs every tool (.ci/run)`);
    console.warn(`skipped: ${line}`);
  }
  return ready;
}
