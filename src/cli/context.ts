/**
 * What every command gets: output streams, language, environment and working directory — passed in so
 * that tests can run the CLI in-process and the commands never reach for globals.
 */
export type Lang = 'zh' | 'en';

export interface Output {
  write(text: string): void;
  /** Whether this stream is a terminal (colours, progress bars). */
  isTTY: boolean;
}

export interface CliContext {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Set by a command to report its outcome (0 by default); errors are mapped in main. */
  exitCode: number;
  lang(): Lang;
}

/** Default language from the locale (LC_ALL, LC_MESSAGES, LANG): zh* => Chinese, else English. */
export function langFromEnv(env: Record<string, string | undefined>): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh' : 'en';
}

export function parseLang(value: string | undefined, env: Record<string, string | undefined>): Lang {
  if (value === 'zh' || value === 'en') return value;
  return langFromEnv(env);
}
