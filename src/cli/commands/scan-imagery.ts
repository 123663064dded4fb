/**
 * `chujing scan images PATH…` and `chujing scan video PATH…`: faces and licence plates measured from the
 * pixels with the offline detectors (docs/evidence.md), against the thresholds of the rule pack in force.
 * onnxruntime, sharp and the detectors are loaded only when one of these runs.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import picomatch from 'picomatch';
import { badInput, formatIssue } from '../../errors.js';
import { msg, t, toJson, type Lang } from '../../i18n/index.js';
import { progressBar } from '../../evidence/progress.js';
import { boxThresholds } from '../../evidence/thresholds.js';
import { isIsoDate, todayInChina } from '../../model/dates.js';
import { loadWorkspace } from '../../model/load.js';
import { AUTO_PACKS, selectPack } from '../../rules/index.js';
import type { ImageryKind, ImageryScanResult, ScanTarget } from '../../evidence/imagery/scan.js';
import type { CliContext } from '../context.js';
import { formatBytes, widthOf } from './scan-annotations.js';

export const SCAN_IMAGERY_SCHEMA = 'chujing.scan-imagery/1';

interface Flags {
  json?: boolean;
  list?: boolean;
  workspace?: string;
  modelDir?: string;
  asOf?: string;
  pack?: string;
  boxMeasure?: string;
  reviewBand?: string;
  threads?: string;
  fps?: string;
  keyframes?: boolean;
  exhaustive?: boolean;
  queue?: string;
  queueExpire?: string;
}

const GLOB = /[*?[\]{}]/;

/** Command-line paths: files and folders as given; a quoted glob is expanded here (the shell did not). */
export function expandPaths(paths: string[], cwd: string): ScanTarget[] {
  const out: ScanTarget[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const display = isAbsolute(p) ? p : relative(process.cwd(), abs) || '.';
    if (existsSync(abs) || !GLOB.test(p)) {
      out.push({ path: abs, display });
      continue;
    }
    const { base, glob } = picomatch.scan(p);
    const root = resolve(cwd, base || '.');
    const match = picomatch(glob, { dot: false });
    const found: string[] = [];
    const walk = (dir: string) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (e.name.startsWith('.')) continue;
        const full = join(dir, e.name);
        const rel = relative(root, full).split(sep).join('/');
        if (e.isDirectory()) walk(full);
        else if (match(rel)) found.push(full);
      }
    };
    if (existsSync(root) && statSync(root).isDirectory()) walk(root);
    if (found.length === 0) {
      const m = msg('imagery.cli.no-match', { pattern: p });
      throw badInput(m, [{ file: p, message: m, expected: msg('imagery.cli.expected-paths') }]);
    }
    for (const f of found) out.push({ path: f, display: isAbsolute(p) ? f : relative(process.cwd(), f) });
  }
  return out;
}

function positive(value: string | undefined, field: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    const m = msg('imagery.cli.bad-number', { field, value });
    throw badInput(m, [{ field, message: m, expected: msg('imagery.cli.expected-number', { max }) }]);
  }
  return n;
}

function call(lang: Lang, c: ImageryScanResult['faceCall']): string {
  return t(lang, `imagery.call.${c}`);
}

export function humanImagery(lang: Lang, r: ImageryScanResult): string {
  const side = (b: { minSidePx: number; maxSidePx: number } | null) => (b === null ? '-' : `${b.minSidePx} / ${b.maxSidePx}`);
  const rows = [
    ['', t(lang, 'imagery.col.boxes'), t(lang, 'imagery.col.largest'), t(lang, 'imagery.col.call')],
    [t(lang, 'imagery.faces', { threshold: r.thresholds.face }), String(r.faceBoxes), side(r.largestFace), call(lang, r.faceCall)],
    [t(lang, 'imagery.plates', { threshold: r.thresholds.plate }), String(r.plateBoxes), side(r.largestPlate), call(lang, r.plateCall)],
  ];
  const widths = rows[0]!.map((_, c) => rows.reduce((m, row) => Math.max(m, widthOf(row[c]!)), 0));
  const table = rows.map((row) => '  ' + row.map((cell, c) => cell + ' '.repeat(Math.max(0, widths[c]! - widthOf(cell)))).join('   ').trimEnd()).join('\n');
  const lines = [
    t(lang, r.kind === 'images' ? 'imagery.title.images' : 'imagery.title.video', { files: r.files, measured: r.measuredFiles, bytes: formatBytes(r.bytes), frames: r.frames }),
    t(lang, 'imagery.thresholds', { rule: r.thresholdSource.rule, pack: r.thresholdSource.pack, measure: msg(`scan.annotations.measure.${r.boxMeasure}`), band: r.reviewBand }),
  ];
  if (r.kind === 'video') lines.push(t(lang, 'imagery.duration', { hours: r.videoHours.toFixed(6), seconds: (r.videoDurationUs / 1e6).toFixed(6) }));
  lines.push('', table, '', t(lang, 'imagery.files-at-review', { count: r.filesAtOrAboveReview }));
  let out = lines.join('\n') + '\n';
  if (r.errors.length) {
    out += `${t(lang, 'imagery.errors', { count: r.errors.length })}\n`;
    for (const e of r.errors) out += `  ${formatIssue({ file: e.file, message: e.reason }, lang)}\n`;
  }
  return out;
}

function register(scan: Command, ctx: CliContext, kind: ImageryKind): void {
  const cmd = scan
    .command(kind)
    .description(kind === 'images' ? 'measure faces and licence plates in images with the offline detectors (DRAFT-J6)' : 'measure faces and licence plates in video and its exact duration (DRAFT-J6, IMP-DA-R4)')
    .argument('<paths...>', kind === 'images' ? 'image files, folders (searched recursively) or quoted globs' : 'video files, folders (searched recursively) or quoted globs')
    .option('--json', 'print one JSON object (per file and in total)')
    .option('--list', 'print each file whose largest face or plate is at or above the review band, one a line (for anonymisation)')
    .option('--workspace <path>', 'workspace whose threshold overrides and settings apply; files must be inside it')
    .option('--model-dir <path>', 'folder of the detector models (default: CHUJING_MODEL_DIR, else the per-user cache)')
    .option('--as-of <date>', 'date whose rule pack applies (default: today in China)')
    .option('--pack <id>', 'pin the automobile rule pack, e.g. cn-auto@2025-draft')
    .option('--box-measure <measure>', 'min-side (default) or max-side; overrides the workspace setting')
    .option('--review-band <fraction>', 'fraction of a threshold from which a smaller box needs review (default: settings.detectorReviewBand, 0.7)')
    .option('--threads <n>', 'onnxruntime threads per detector (default 1)')
    .option('--queue <url>', 'postgres://… : measure the files with `chujing worker` processes through a job queue in PostgreSQL, then merge')
    .option('--queue-expire <seconds>', 'with --queue: time one file may take before its job goes to another worker (default 3600)');
  if (kind === 'video') {
    cmd
      .option('--fps <n>', 'frames per second of video measured (default 1)')
      .option('--keyframes', 'measure keyframes only')
      .option('--exhaustive', 'decode every sampled frame even after both thresholds are reached');
  }
  cmd
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .action(async (paths: string[], flags: Flags) => {
      const lang = ctx.lang();
      const asOf = flags.asOf ?? todayInChina();
      if (!isIsoDate(asOf)) throw badInput(msg('scan.bad-date', { value: asOf }), [{ field: '--as-of', message: msg('scan.bad-date', { value: asOf }), expected: msg('scan.expected-date') }]);
      let pin = flags.pack;
      let overrides;
      let boxMeasure: 'min-side' | 'max-side' = 'min-side';
      let reviewBand = 0.7;
      let root: string | undefined;
      if (flags.workspace) {
        const loaded = loadWorkspace(resolve(ctx.cwd, flags.workspace), ctx.cwd);
        overrides = loaded.workspace.overrides;
        boxMeasure = loaded.workspace.settings.boxMeasure;
        reviewBand = loaded.workspace.settings.detectorReviewBand;
        root = loaded.dir;
        if (!pin && loaded.workspace.rulePack && AUTO_PACKS.some((p) => p.id === loaded.workspace.rulePack)) pin = loaded.workspace.rulePack;
      }
      if (flags.boxMeasure !== undefined) {
        if (flags.boxMeasure !== 'min-side' && flags.boxMeasure !== 'max-side') {
          const m = msg('scan.bad-measure', { value: flags.boxMeasure });
          throw badInput(m, [{ field: '--box-measure', message: m, expected: msg('evidence.expected.one-of', { values: 'min-side, max-side' }) }]);
        }
        boxMeasure = flags.boxMeasure;
      }
      reviewBand = positive(flags.reviewBand, '--review-band', 1) ?? reviewBand;
      const threads = positive(flags.threads, '--threads', 64) ?? 1;
      const fps = positive(flags.fps, '--fps', 60);
      const choice = selectPack(AUTO_PACKS, asOf, pin);
      if (!choice) {
        const m = msg('scan.bad-pack', { value: String(pin) });
        throw badInput(m, [{ field: '--pack', message: m, expected: msg('evidence.expected.one-of', { values: AUTO_PACKS.map((p) => p.id).join(', ') }) }]);
      }
      const thresholds = boxThresholds(choice.pack, overrides);

      const { listTargets, scanImagery } = await import('../../evidence/imagery/scan.js');
      const { FACE_MODEL, PLATE_MODEL, modelDir } = await import('../../evidence/imagery/models.js');
      const { createDetector } = await import('../../evidence/imagery/evidence.js');
      const files = listTargets(expandPaths(paths, ctx.cwd), kind);
      if (files.length === 0) {
        const m = msg('imagery.cli.no-files', { paths: paths.join(' ') });
        throw badInput(m, [{ file: paths.join(' '), message: m, expected: msg(`imagery.expected-files.${kind}`) }]);
      }
      if (kind === 'video') {
        const { ffmpegAvailable } = await import('../../evidence/imagery/video.js');
        if (!ffmpegAvailable()) throw badInput(msg('imagery.cli.no-ffmpeg'), [{ message: msg('imagery.cli.no-ffmpeg'), expected: msg('imagery.cli.expected-ffmpeg') }]);
      }
      const scanOptions = {
        kind,
        thresholds,
        boxMeasure,
        reviewBand,
        ...(fps !== undefined ? { fps } : {}),
        keyframes: flags.keyframes ?? false,
        exhaustive: flags.exhaustive ?? false,
      };
      const detectors = { face: FACE_MODEL.sha256, plate: PLATE_MODEL.sha256 };
      // Locally progress is in bytes read; through the queue, in files measured.
      const bar = progressBar(ctx.stderr, t(lang, 'scan.progress'), Date.now, { eta: true, unit: flags.queue !== undefined ? 'count' : 'bytes' });
      let result: ImageryScanResult;
      if (flags.queue !== undefined) {
        const expire = positive(flags.queueExpire, '--queue-expire', 24 * 3600) ?? 3600;
        const { scanThroughQueue } = await import('../../evidence/imagery/queue.js');
        const { sha256File, summarise } = await import('../../evidence/imagery/scan.js');
        const { isInside } = await import('../../model/paths.js');
        const hashed = files.map((f) => {
          if (root !== undefined && !isInside(root, f.file)) return { file: f.file, display: f.display, sha256: null, error: msg('imagery.error.outside-workspace') };
          try {
            return { file: f.file, display: f.display, sha256: sha256File(f.file) };
          } catch (e) {
            return { file: f.file, display: f.display, sha256: null, error: msg('imagery.error.unreadable', { detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message }) };
          }
        });
        try {
          const merged = await scanThroughQueue(flags.queue, hashed, kind, scanOptions, { expireInSeconds: Math.round(expire), onProgress: (d, n) => bar.update(d, n) });
          result = summarise(merged.perFile, merged.errors, files.length, scanOptions, detectors);
        } finally {
          bar.finish();
        }
      } else {
        const detector = await createDetector(modelDir(ctx.env, flags.modelDir, ctx.cwd), threads);
        try {
          result = await scanImagery(files, detector, { ...scanOptions, ...(root !== undefined ? { root } : {}), onProgress: (d, n) => bar.update(d, n) }, detectors);
        } finally {
          bar.finish();
          await detector.release();
        }
      }
      const atReview = (f: ImageryScanResult['perFile'][number]) =>
        (f.largestFace !== null && (boxMeasure === 'max-side' ? f.largestFace.maxSidePx : f.largestFace.minSidePx) >= thresholds.face * reviewBand) ||
        (f.largestPlate !== null && (boxMeasure === 'max-side' ? f.largestPlate.maxSidePx : f.largestPlate.minSidePx) >= thresholds.plate * reviewBand);
      if (flags.json) {
        const out: Record<string, unknown> = { schema: SCAN_IMAGERY_SCHEMA, ...result, asOf, packChoice: choice.reason };
        if (flags.list) out.listed = result.perFile.filter(atReview).map((f) => f.file);
        ctx.stdout.write(toJson(out, lang));
      } else if (flags.list) {
        ctx.stdout.write(result.perFile.filter(atReview).map((f) => `${f.file}\n`).join(''));
        for (const e of result.errors) ctx.stderr.write(`chujing: ${formatIssue({ file: e.file, message: e.reason }, lang)}\n`);
      } else {
        ctx.stdout.write(humanImagery(lang, result));
      }
      if (result.measuredFiles === 0) {
        ctx.stderr.write(`chujing: ${t(lang, 'imagery.cli.nothing-measured', { count: result.errors.length })}\n`);
        ctx.exitCode = 2;
      } else ctx.exitCode = 0;
    });
}

export function registerScanImagery(scan: Command, ctx: CliContext): void {
  register(scan, ctx, 'images');
  register(scan, ctx, 'video');
}
