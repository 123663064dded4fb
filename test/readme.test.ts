/**
 * Every example of the README runs as written. The shell blocks (```sh) are read from README.md; each
 * `chujing …` / `npx chujing …` command runs in process (`main()`) in a temporary copy of the examples,
 * so nothing in the repository is written, with the `export`s of its block, and a `| jq …` pipe through
 * the real jq when it is installed. A command passes when it exits 0 or 1 (1 is a verdict: something
 * needs action) — never 2 (bad input) or 70 — and with exactly the exit code its comment names
 * (`# exit 0`). Not run: npm and git commands (installing, testing), and a block the README marks
 * `<!-- not run: … -->` (one needs a PostgreSQL server); those are listed by the test.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runMain } from './helpers/cli.js';
import { CHROMIUM, requireTools } from './helpers/tools.js';

interface Example {
  block: number;
  line: string;
  args: string[];
  env: Record<string, string>;
  pipe: string[] | null;
  exit: number | null;
}

/** POSIX-shell words of a line (quotes, no expansion); a word starting with # ends it. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      break;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function examples(readme: string): { run: Example[]; skipped: string[] } {
  const run: Example[] = [];
  const skipped: string[] = [];
  const blocks = [...readme.matchAll(/(?:(<!--[^>]*-->)\n)?```sh\n([\s\S]*?)```/g)];
  blocks.forEach((m, block) => {
    const lines = m[2]!.split('\n').filter((l) => l.trim());
    if (m[1]?.includes('not run')) {
      skipped.push(...lines.map((l) => `${l}   (${m[1]})`));
      return;
    }
    const env: Record<string, string> = {};
    for (const line of lines) {
      const comment = line.match(/\s#\s(.*)$/)?.[1] ?? '';
      // `# exit 0: …`, `# …: exit 1`, `# …; exit 1 = …`: the comment names the exit code.
      const exit = comment.match(/(?:^|[:;] )exit (\d)\b/);
      const words = shellWords(line);
      if (words[0] === 'export') {
        const [name, ...value] = words[1]!.split('=');
        env[name!] = value.join('=');
        continue;
      }
      for (const part of splitOn(words, '&&')) {
        const [command, pipe] = splitOn(part, '|');
        const args = command![0] === 'npx' ? command!.slice(1) : command!;
        if (args[0] !== 'chujing') {
          skipped.push(`${command!.join(' ')}   (not a chujing command)`);
          continue;
        }
        run.push({ block, line, args: args.slice(1), env: { ...env }, pipe: pipe ?? null, exit: exit ? Number(exit[1]) : null });
      }
    }
  });
  return { run, skipped };
}

function splitOn(words: string[], sep: string): string[][] {
  const out: string[][] = [[]];
  for (const w of words) if (w === sep) out.push([]);
  else out[out.length - 1]!.push(w);
  return out;
}

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const { run, skipped } = examples(README);
const hasJq = spawnSync('jq', ['--version']).status === 0;

/** An example that prints a PDF needs Chromium: skipped (one line) without it, a failure on CI. */
const printsPdf = (ex: Example) => ex.args[0] === 'report' && ex.args.some((a, i) => a.toLowerCase().endsWith('.pdf') || (a === '--format' && ex.args[i + 1] === 'pdf'));
const pdfExamples = run.filter(printsPdf);
const canPrint = pdfExamples.length === 0 || requireTools(`the README's PDF example (${pdfExamples.map((e) => e.line.trim()).join('; ')})`, CHROMIUM);

describe('README examples run as written', () => {
  // One copy of the examples for the whole README: examples build on each other (ledger import, then stats).
  const cwd = mkdtempSync(join(tmpdir(), 'chujing-readme-'));
  const home = mkdtempSync(join(tmpdir(), 'chujing-readme-home-'));
  cpSync(join(REPO_ROOT, 'examples'), join(cwd, 'examples'), { recursive: true });

  it('finds the examples', () => {
    expect(run.length).toBeGreaterThan(25);
    // What is not run, and why (shown in the test log).
    console.info(`not run:\n  ${skipped.join('\n  ')}`);
    expect(skipped.filter((s) => !/^(npm|git|cd) |not run/.test(s))).toEqual([]);
  });

  for (const ex of run) {
    it.skipIf(printsPdf(ex) && !canPrint)(ex.line.trim(), async () => {
      // `~` is a home folder of the test's own (the anchor key is written there, never overwritten).
      const args = ex.args.map((a) => a.replace(/^~(?=\/)/, home));
      const r = await runMain(args, { cwd, env: { LANG: 'en_US.UTF-8', DATABASE_URL: '', HOME: home, ...ex.env } });
      if (ex.exit !== null) expect(r.code, r.stderr).toBe(ex.exit);
      else expect([0, 1], r.stderr).toContain(r.code);
      expect(r.stderr).not.toMatch(/internal error/);
      if (ex.pipe && ex.pipe[0] === 'jq') {
        if (!hasJq) {
          expect(() => JSON.parse(r.stdout)).not.toThrow();
          return;
        }
        const jq = spawnSync('jq', ex.pipe.slice(1), { input: r.stdout, encoding: 'utf8' });
        expect(jq.status, jq.stderr).toBe(0);
        expect(jq.stdout.length).toBeGreaterThan(0);
      }
    });
  }
});
