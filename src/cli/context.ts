/**
 * What every command gets: output streams, language, environment and working directory — passed in so
 * that tests can run the CLI in-process and the commands never reach for globals.
 */
import type { Lang } from '../i18n/index.js';

import type { Output } from '../output.js';

export type { Lang, Output };

export interface CliContext {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Set by a command to report its outcome (0 by default); errors are mapped in main. */
  exitCode: number;
  lang(): Lang;
}

export { langFromEnv, parseLang } from '../i18n/index.js';
