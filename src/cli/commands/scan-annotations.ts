/**
 * `chujing scan annotations PATH --format F`: measure face / licence-plate boxes against the DRAFT-J6
 * thresholds of the rule pack in force (product.md contract for --json).
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { badInput } from '../../errors.js';
import { ANNOTATION_FORMATS, isAnnotationFormat, scanAnnotations, type AnnotationScanDetails, type BoxMeasure } from '../../evidence/annotations/index.js';
import { boxThresholds } from '../../evidence/thresholds.js';
import { progressBar } from '../../evidence/progress.js';
import { isIsoDate, todayInChina } from '../../model/dates.js';
import { loadWorkspace } from '../../model/load.js';
import type { Overrides } from '../../model/workspace.js';
import { AUTO_PACKS, selectPack } from '../../rules/index.js';
import type { CliContext } from '../context.js';

const MSG = {
  description: 'measure face / licence-plate bounding boxes against the pack thresholds (DRAFT-J6)',
  title: (format: string, files: number, bytes: string) => `Annotations (${format}): ${files} file(s), ${bytes}`,
  thresholds: (face: number, plate: number, rule: string, pack: string, measure: string) =>
    `Thresholds: face >= ${face} px, plate >= ${plate} px (${rule}, ${pack}; measure: ${measure})`,
  header: ['', 'boxes', 'qualifying', 'largest px'],
  faces: 'face boxes',
  plates: 'plate boxes',
  others: 'other boxes',
  excluded: 'excluded by option',
  images: (n: number, q: number) => `Images: ${n}; with a qualifying box: ${q}`,
  skipped: (n: number) => `Skipped records: ${n}`,
  badDate: 'bad --as-of date',
  badPack: 'unknown automobile rule pack',
  badOption: 'bad --option',
  badMeasure: 'bad --box-measure',
  badFormat: 'unknown annotation format',
} as const;

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
const collect = (v: string, prev: string[]) => [...prev, v];

/** `k=v` -> typed value (numbers and booleans are recognised; everything else stays a string). */
export function parseOptionPairs(pairs: string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw badInput(MSG.badOption, [{ field: '--option', message: `"${pair}" is not key=value`, expected: 'key=value, e.g. invalid=skip' }]);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    out[key] = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}

function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KB`;
  return `${n} B`;
}

function humanSummary(r: AnnotationScanDetails): string {
  const px = (v: number | null) => (v === null ? '-' : String(v));
  const rows: string[][] = [
    MSG.header.slice(),
    [MSG.faces, String(r.faceBoxes), String(r.qualifyingFaceBoxes), px(r.maxFaceBoxMinSidePx)],
    [MSG.plates, String(r.plateBoxes), String(r.qualifyingPlateBoxes), px(r.maxPlateBoxMinSidePx)],
    [MSG.others, String(r.boxes - r.faceBoxes - r.plateBoxes - r.excludedBoxes), '', ''],
  ];
  if (r.excludedBoxes > 0) rows.push([MSG.excluded, String(r.excludedBoxes), '', '']);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const table = rows.map((row) => '  ' + row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   ')).join('\n');
  const lines = [
    MSG.title(r.format, r.files, formatBytes(r.bytes)),
    MSG.thresholds(r.thresholds.face, r.thresholds.plate, r.thresholdSource.rule, r.thresholdSource.pack, r.boxMeasure),
    '',
    table,
    '',
    MSG.images(r.images, r.imagesWithQualifyingBox),
    MSG.skipped(r.skippedCount),
  ];
  for (const s of r.skipped.slice(0, 20)) lines.push(`  ${s.file}${s.line !== undefined ? `:${s.line}` : ''}${s.offset !== undefined ? ` @byte ${s.offset}` : ''}: ${s.reason}`);
  if (r.skippedCount > 20) lines.push(`  … (${r.skippedCount - 20} more; use --json for the list)`);
  return lines.join('\n') + '\n';
}

interface Flags {
  format: string;
  json?: boolean;
  list?: boolean;
  faceClass?: string[];
  plateClass?: string[];
  keepGoing?: boolean;
  asOf?: string;
  pack?: string;
  workspace?: string;
  option: string[];
  boxMeasure?: string;
}

export function registerScanAnnotations(scan: Command, ctx: CliContext): void {
  scan
    .command('annotations')
    .description(MSG.description)
    .argument('<path>', 'annotation file or folder (searched recursively)')
    .requiredOption('--format <format>', `one of ${ANNOTATION_FORMATS.join(', ')}`)
    .option('--json', 'print one JSON object (product.md contract)')
    .option('--list', 'print each image with a qualifying box, one a line (for anonymisation)')
    .option('--face-class <names>', 'comma-separated class names counted as faces (replaces the defaults)', list)
    .option('--plate-class <names>', 'comma-separated class names counted as licence plates (replaces the defaults)', list)
    .option('--keep-going', 'skip, count and list bad records instead of stopping')
    .option('--as-of <date>', 'date whose rule pack applies (default: today in China)')
    .option('--pack <id>', 'pin the automobile rule pack, e.g. cn-auto@2025-draft')
    .option('--workspace <path>', 'workspace whose threshold overrides and settings.boxMeasure apply')
    .option('--box-measure <measure>', 'min-side (default) or max-side; overrides the workspace setting')
    .option('--option <key=value>', 'format option, repeatable (see docs/annotation-formats.md)', collect, [])
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .action(async (path: string, flags: Flags) => {
      if (!isAnnotationFormat(flags.format)) {
        throw badInput(MSG.badFormat, [{ field: '--format', message: `got ${flags.format}`, expected: `one of ${ANNOTATION_FORMATS.join(', ')}` }]);
      }
      const asOf = flags.asOf ?? todayInChina();
      if (!isIsoDate(asOf)) throw badInput(MSG.badDate, [{ field: '--as-of', message: `got ${asOf}`, expected: 'a date YYYY-MM-DD' }]);
      let overrides: Pick<Overrides, 'thresholds'> | undefined;
      let boxMeasure: BoxMeasure = 'min-side';
      let pin = flags.pack;
      if (flags.workspace) {
        const { workspace } = loadWorkspace(resolve(ctx.cwd, flags.workspace), ctx.cwd);
        overrides = workspace.overrides;
        boxMeasure = workspace.settings.boxMeasure;
        if (!pin && workspace.rulePack && AUTO_PACKS.some((p) => p.id === workspace.rulePack)) pin = workspace.rulePack;
      }
      if (flags.boxMeasure !== undefined) {
        if (flags.boxMeasure !== 'min-side' && flags.boxMeasure !== 'max-side') throw badInput(MSG.badMeasure, [{ field: '--box-measure', message: `got ${flags.boxMeasure}`, expected: 'min-side or max-side' }]);
        boxMeasure = flags.boxMeasure;
      }
      const choice = selectPack(AUTO_PACKS, asOf, pin);
      if (!choice) throw badInput(MSG.badPack, [{ field: '--pack', message: `got ${pin}`, expected: `one of ${AUTO_PACKS.map((p) => p.id).join(', ')}` }]);
      const thresholds = boxThresholds(choice.pack, overrides);

      const qualifyingImages: string[] = [];
      const bar = progressBar(ctx.stderr, 'scanning');
      let result: AnnotationScanDetails;
      try {
        // Relative to the process so that messages name the file as the user typed it.
        const target = isAbsolute(path) ? path : relative(process.cwd(), resolve(ctx.cwd, path)) || '.';
        result = await scanAnnotations(target, {
          format: flags.format,
          classes: { face: flags.faceClass ?? [], plate: flags.plateClass ?? [] },
          thresholds,
          boxMeasure,
          keepGoing: flags.keepGoing ?? false,
          options: parseOptionPairs(flags.option),
          onProgress: (d, t) => bar.update(d, t),
          ...(flags.list ? { onQualifyingImage: (image: string) => void qualifyingImages.push(image) } : {}),
        });
      } finally {
        bar.finish();
      }
      if (flags.json) {
        const out: Record<string, unknown> = { ...result, asOf, packChoice: choice.reason };
        if (flags.list) out.qualifyingImages = qualifyingImages;
        ctx.stdout.write(JSON.stringify(out, null, 2) + '\n');
      } else if (flags.list) {
        ctx.stdout.write(qualifyingImages.map((i) => i + '\n').join(''));
      } else {
        ctx.stdout.write(humanSummary(result));
      }
      ctx.exitCode = 0;
    });
}
