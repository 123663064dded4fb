/** Run the CLI in-process (`main()`), capturing its output: for tests where the process boundary is not the point. */
import { main } from '../../src/cli/main.js';

export async function cli(args: string[], env: Record<string, string> = {}, cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (s) => void (stdout += s), isTTY: false }, stderr: { write: (s) => void (stderr += s), isTTY: false }, env: { LANG: 'en_US.UTF-8', ...env }, cwd });
  return { code, stdout, stderr };
}
