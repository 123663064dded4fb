/**
 * Limits on what the workspace loader reads, so that a hostile or mistaken file is refused with a clear
 * message instead of exhausting memory or time (docs/workspace-limits.md explains each one).
 */

const MiB = 1024 * 1024;

export interface LoadLimits {
  /** Bytes of YAML read for one workspace, all files together (the root, includes, a calendar file). */
  totalBytes: number;
  /** Nesting of lists and mappings, as written. */
  maxDepth: number;
  /**
   * Aliases (`*name`) may repeat values, but the values a file expands to must stay within
   * `aliasFactor` times the values written plus `aliasAllowance`: an "alias bomb" (billion laughs)
   * expands exponentially and is refused before anything walks it.
   */
  aliasFactor: number;
  aliasAllowance: number;
  /** Problems listed in one error; the rest are counted. */
  maxIssues: number;
}

/**
 * 256 MiB of YAML is about 2.5 million transfers written one per line: well above what an organisation
 * declares in a year, and a size whose parsed form still fits in a few GB of memory. A V8 string cannot
 * exceed 512 MiB, so the limit also keeps well away from that.
 */
export const DEFAULT_LIMITS: LoadLimits = {
  totalBytes: 256 * MiB,
  maxDepth: 64,
  aliasFactor: 2,
  aliasAllowance: 10_000,
  maxIssues: 100,
};

/** `CHUJING_MAX_WORKSPACE_MB` raises or lowers the size limit (for a machine with more memory, or tests). */
export function limitsFromEnv(env: Record<string, string | undefined> = process.env): LoadLimits {
  const mb = env.CHUJING_MAX_WORKSPACE_MB;
  if (mb === undefined || mb === '') return DEFAULT_LIMITS;
  const n = Number(mb);
  if (!Number.isFinite(n) || n <= 0) return DEFAULT_LIMITS;
  // A string longer than V8's maximum cannot be read at all: stay below it whatever is asked.
  return { ...DEFAULT_LIMITS, totalBytes: Math.min(Math.floor(n * MiB), 500 * MiB) };
}

export const toMiB = (bytes: number): string => (bytes / MiB).toFixed(bytes < MiB ? 2 : 1);
