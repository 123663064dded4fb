/**
 * Run the CLI in-process through `main()`, as the binary does, capturing what it prints. Faster than a
 * child process and as faithful for everything but start-up and exit behaviour.
 */
import { main } from '../../src/cli/main.js';

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runMain(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; columns?: number; tty?: boolean } = {}): Promise<MainResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => void (stdout += s), isTTY: options.tty ?? false, ...(options.columns !== undefined ? { columns: options.columns } : {}) },
    stderr: { write: (s: string) => void (stderr += s), isTTY: false },
    env: { LANG: 'en_US.UTF-8', ...options.env },
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}
