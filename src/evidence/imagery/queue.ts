/**
 * A fleet's footage does not fit one machine: `scan images|video --queue postgres://…` puts one job per
 * file into a pg-boss queue in PostgreSQL, `chujing worker --queue …` (on any number of machines that see
 * the same paths) takes jobs, measures the file and writes its result under the job's key; the scan waits
 * for every key and merges exactly as one process would (summarise(): maxima of box sides, sums of counts
 * and durations, per file of the listing).
 *
 * Exactly once: a result row is keyed by SHA-256 of (kind, options, the file's content hash) and written
 * with ON CONFLICT DO NOTHING, in the same statement that completes nothing else — a worker killed mid-file
 * writes nothing, pg-boss hands its expired job to another worker, and a file measured twice (a retry
 * after a slow worker) still has one result. Results of a key are reused by later scans of the same bytes.
 */
import { createHash } from 'node:crypto';
import type { Msg } from '../../i18n/index.js';
import { stableJson } from '../cache.js';
import type { Detector } from './detect.js';
import { scanImagery, type ImageryFileError, type ImageryFileResult, type ImageryScanOptions } from './scan.js';

export const QUEUE_NAME = 'chujing-imagery';
const RESULTS = 'chujing_imagery_result';

type Boss = import('pg-boss');

export interface QueueJob {
  key: string;
  kind: ImageryScanOptions['kind'];
  /** Absolute path, as the workers see it (shared storage). */
  path: string;
  sha256: string;
  options: Pick<ImageryScanOptions, 'thresholds' | 'boxMeasure' | 'reviewBand' | 'fps' | 'keyframes' | 'exhaustive'>;
}

type Stored = { result: Omit<ImageryFileResult, 'file'> } | { error: Msg };

export function jobKey(job: Omit<QueueJob, 'key' | 'path'>): string {
  return createHash('sha256').update(stableJson({ v: 1, kind: job.kind, sha256: job.sha256, options: job.options })).digest('hex');
}

async function connect(url: string, worker: boolean): Promise<Boss> {
  const { default: PgBoss } = await import('pg-boss');
  // Workers supervise: expired jobs (a worker killed mid-file) go back to the queue within seconds.
  const boss = new PgBoss({ connectionString: url, supervise: worker, schedule: false, maintenanceIntervalSeconds: 5, max: 2 });
  boss.on('error', () => {
    /* reported by the failing call itself */
  });
  await boss.start();
  const db = boss.getDb();
  await db.executeSql(`CREATE TABLE IF NOT EXISTS ${RESULTS} (key text PRIMARY KEY, stored jsonb NOT NULL, measured_at timestamptz NOT NULL DEFAULT now())`, []);
  return boss;
}

async function storedResults(boss: Boss, keys: string[]): Promise<Map<string, Stored>> {
  const out = new Map<string, Stored>();
  if (keys.length === 0) return out;
  const r = (await boss.getDb().executeSql(`SELECT key, stored FROM ${RESULTS} WHERE key = ANY($1::text[])`, [keys])) as { rows: { key: string; stored: Stored }[] };
  for (const row of r.rows) out.set(row.key, row.stored);
  return out;
}

/**
 * Enqueue the files not measured yet and wait until every one has a result; returns per-file results and
 * errors in the order of `files` (so the merge equals a one-process scan of the same listing).
 * `expireInSeconds`: how long a worker may take for one file before its job is given to another.
 */
export async function scanThroughQueue(
  url: string,
  /** Each file with its content hash, or the error found before queueing (unreadable, outside the workspace). */
  files: { file: string; display: string; sha256: string | null; error?: Msg }[],
  kind: QueueJob['kind'],
  options: QueueJob['options'],
  settings: { expireInSeconds: number; onProgress?: (done: number, total: number) => void; pollMs?: number },
): Promise<{ perFile: ImageryFileResult[]; errors: ImageryFileError[] }> {
  const boss = await connect(url, false);
  try {
    await boss.createQueue(QUEUE_NAME, { name: QUEUE_NAME, retryLimit: 5, expireInSeconds: settings.expireInSeconds });
    const jobs = files.map((f) => {
      if (f.sha256 === null) return null;
      const base = { kind, sha256: f.sha256, options };
      return { ...base, key: jobKey(base), path: f.file } satisfies QueueJob;
    });
    const keys = [...new Set(jobs.flatMap((j) => (j ? [j.key] : [])))];
    const have = await storedResults(boss, keys);
    const queued = new Set<string>();
    for (const job of jobs) {
      if (!job || have.has(job.key) || queued.has(job.key)) continue;
      queued.add(job.key);
      await boss.send(QUEUE_NAME, job, { singletonKey: job.key, expireInSeconds: settings.expireInSeconds, retryLimit: 5 });
    }
    let results = have;
    for (;;) {
      results = await storedResults(boss, keys);
      settings.onProgress?.(results.size, keys.length);
      if (results.size === keys.length) break;
      await new Promise((r) => setTimeout(r, settings.pollMs ?? 1000));
    }
    const perFile: ImageryFileResult[] = [];
    const errors: ImageryFileError[] = [];
    for (const [i, job] of jobs.entries()) {
      if (!job) {
        errors.push({ file: files[i]!.display, reason: files[i]!.error! });
        continue;
      }
      const stored = results.get(job.key)!;
      if ('error' in stored) errors.push({ file: files[i]!.display, reason: stored.error });
      else perFile.push({ file: files[i]!.display, ...stored.result });
    }
    return { perFile, errors };
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/** Take jobs one at a time until stopped; `onJob` is told each file as it starts (for logs). */
export async function runWorker(url: string, detector: Detector, hooks: { onJob?: (path: string) => void; signal?: AbortSignal } = {}): Promise<void> {
  const boss = await connect(url, true);
  await boss.createQueue(QUEUE_NAME, { name: QUEUE_NAME, retryLimit: 5 });
  const db = boss.getDb();
  await boss.work<QueueJob>(QUEUE_NAME, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
    const data = job!.data;
    hooks.onJob?.(data.path);
    const { sha256File } = await import('./scan.js');
    let stored: Stored;
    let actual: string | null = null;
    try {
      actual = sha256File(data.path);
    } catch {
      actual = null;
    }
    if (actual !== data.sha256) {
      const { msg } = await import('../../i18n/index.js');
      stored = { error: msg('imagery.queue.changed', { path: data.path }) };
    } else {
      const r = await scanImagery([{ file: data.path, display: data.path, size: 0 }], detector, { kind: data.kind, ...data.options }, { face: '', plate: '' });
      stored = r.perFile[0] ? { result: withoutFile(r.perFile[0]) } : { error: r.errors[0]!.reason };
    }
    await db.executeSql(`INSERT INTO ${RESULTS} (key, stored) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`, [data.key, JSON.stringify(stored)]);
  });
  await new Promise<void>((resolve) => {
    if (hooks.signal?.aborted) resolve();
    hooks.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await boss.stop({ graceful: true, wait: true });
}

function withoutFile(r: ImageryFileResult): Omit<ImageryFileResult, 'file'> {
  const { file: _file, ...rest } = r;
  return rest;
}
