/**
 * Run the built CLI (bin/chujing.js -> dist/) as a real child process, as a user would.
 * `npm test` builds first, so dist/ is current.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/chujing.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, LANG: 'en_US.UTF-8', ...options.env },
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Async variant, for tests that run several CLI processes at once. */
export function runCliAsync(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, LANG: 'en_US.UTF-8', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Run the CLI in this process (`main()` with captured streams): the same code path as the binary,
 * without paying for a node start per assertion. Use `runCli` where the process boundary matters.
 */
export async function runMain(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => void (stdout += s), isTTY: false },
    stderr: { write: (s: string) => void (stderr += s), isTTY: false },
    env: { LANG: 'en_US.UTF-8', ...options.env },
    cwd: options.cwd ?? REPO_ROOT,
  });
  return { code, stdout, stderr };
}

/**
 * What an error says, whether it was printed for people (stderr) or, with --json, as a JSON document on
 * stdout (`chujing.error/1`): one text in the human layout (`file:line:column field: message (expected
 * …)`) to search, so a test of an error's content holds for both.
 */
export function errorText(r: { stdout: string; stderr: string }): string {
  let out = r.stderr;
  try {
    const j = JSON.parse(r.stdout) as { schema?: string; error?: { message: { text: string }; issues: Record<string, unknown>[] } };
    if (j.schema !== 'chujing.error/1' || !j.error) return out;
    out += `chujing: ${j.error.message.text}\n`;
    for (const i of j.error.issues as { file?: string; line?: number; column?: number; offset?: number; field?: string; message: { text: string }; expected?: { text: string } }[]) {
      let where = i.file ?? '';
      if (i.line !== undefined) where += `${where ? ':' : 'line '}${i.line}`;
      if (i.column !== undefined) where += `:${i.column}`;
      if (i.offset !== undefined) where += `${where ? ' ' : ''}@byte ${i.offset}`;
      out += `  ${where}${i.field ? `${where ? ' ' : ''}${i.field}` : ''}${where || i.field ? ': ' : ''}${i.message.text}${i.expected ? ` (expected ${i.expected.text})` : ''}\n`;
    }
  } catch {
    // not JSON: the human error is on stderr
  }
  return out;
}
