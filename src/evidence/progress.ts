/**
 * A one-line progress bar on stderr for long scans. Only drawn when stderr is a terminal, so piped
 * output and CI logs stay clean; redraws at most a few times a second.
 */
import type { Output } from '../output.js';

export interface ProgressBar {
  update(done: number, total: number): void;
  /** Clear the line (call before printing results). */
  finish(): void;
}

const WIDTH = 30;
const MIN_INTERVAL_MS = 150;

function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(0)} KB`;
  return `${n} B`;
}

/** Render one frame (pure, for tests). */
export function renderProgress(label: string, done: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * WIDTH);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${formatBytes(done)} / ${formatBytes(total)}`;
}

export function progressBar(stream: Output, label: string, now: () => number = Date.now): ProgressBar {
  if (!stream.isTTY) return { update() {}, finish() {} };
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const t = now();
      if (t - last < MIN_INTERVAL_MS && done < total) return;
      last = t;
      drawn = true;
      stream.write(`\r${renderProgress(label, done, total)}`);
    },
    finish() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
