/**
 * `chujing worker --queue postgres://…`: measure the files `scan images|video --queue` put into the job
 * queue, one at a time, until SIGTERM / SIGINT (then it finishes the file in hand). Run as many as there
 * are cores, on any machine that sees the files at the same paths (docs/evidence.md, Kubernetes).
 */
import type { Command } from 'commander';
import { t } from '../../i18n/index.js';
import type { CliContext } from '../context.js';

interface Flags {
  queue: string;
  modelDir?: string;
  threads?: string;
}

export function registerWorker(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('measure queued image and video files (scan images|video --queue) until stopped')
    .requiredOption('--queue <url>', 'postgres://… of the job queue')
    .option('--model-dir <path>', 'folder of the detector models (default: CHUJING_MODEL_DIR, else the per-user cache)')
    .option('--threads <n>', 'onnxruntime threads per detector (default 1)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .action(async (flags: Flags) => {
      const lang = ctx.lang();
      const { createDetector } = await import('../../evidence/imagery/evidence.js');
      const { modelDir } = await import('../../evidence/imagery/models.js');
      const { runWorker } = await import('../../evidence/imagery/queue.js');
      const threads = Math.max(1, Math.min(64, Math.floor(Number(flags.threads ?? 1)) || 1));
      const detector = await createDetector(modelDir(ctx.env, flags.modelDir, ctx.cwd), threads);
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      ctx.stderr.write(`${t(lang, 'imagery.worker.ready')}\n`);
      try {
        await runWorker(flags.queue, detector, { signal: stop.signal, onJob: (path) => ctx.stderr.write(`${t(lang, 'imagery.worker.job', { path })}\n`) });
      } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        await detector.release();
      }
      ctx.exitCode = 0;
    });
}
