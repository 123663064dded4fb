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

/** Seconds as `1:05:09` / `5:09`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Render one frame (pure, for tests); with `etaSeconds`, the time left is shown after the sizes. */
export function renderProgress(label: string, done: number, total: number, etaSeconds?: number, unit: 'bytes' | 'count' = 'bytes'): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * WIDTH);
  const eta = etaSeconds === undefined ? '' : ` ETA ${formatEta(etaSeconds)}`;
  const amount = unit === 'bytes' ? `${formatBytes(done)} / ${formatBytes(total)}` : `${done} / ${total}`;
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${amount}${eta}`;
}

/** With `eta`, the time left is estimated from the rate so far (shown once some work is done). */
export function progressBar(stream: Output, label: string, now: () => number = Date.now, options: { eta?: boolean; unit?: 'bytes' | 'count' } = {}): ProgressBar {
  if (!stream.isTTY) return { update() {}, finish() {} };
  let last = 0;
  let drawn = false;
  const started = now();
  return {
    update(done, total) {
      const t = now();
      if (t - last < MIN_INTERVAL_MS && done < total) return;
      last = t;
      drawn = true;
      const eta = options.eta && done > 0 && total > done ? ((t - started) / 1000) * ((total - done) / done) : undefined;
      stream.write(`\r${renderProgress(label, done, total, eta, options.unit)}`);
    },
    finish() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
