/**
 * `chujing scan annotations PATH --format F`: measure face / licence-plate boxes against the DRAFT-J6
 * thresholds of the rule pack in force (product.md contract for --json).
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { badInput } from '../../errors.js';
import { formatCount, msg, t, text, toJson, type Lang } from '../../i18n/index.js';
import { ANNOTATION_FORMATS, isAnnotationFormat, scanAnnotations, type AnnotationScanDetails, type BoxMeasure } from '../../evidence/annotations/index.js';
import { boxThresholds } from '../../evidence/thresholds.js';
import { progressBar } from '../../evidence/progress.js';
import { skippedLines } from '../../evidence/render.js';
import { isIsoDate, todayInChina } from '../../model/dates.js';
import { loadWorkspace } from '../../model/load.js';
import type { Overrides } from '../../model/workspace.js';
import { AUTO_PACKS, selectPack } from '../../rules/index.js';
import type { CliContext } from '../context.js';

/** `--json` contract version (docs/annotation-formats.md). */
export const SCAN_ANNOTATIONS_SCHEMA = 'chujing.scan-annotations/1';
/** What `--fail-on` accepts: exit 1 when a box reaches a threshold (a pre-export check in CI). */
const FAIL_ON = ['qualifying'] as const;

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
const collect = (v: string, prev: string[]) => [...prev, v];

/** `k=v` -> typed value (numbers and booleans are recognised; everything else stays a string). */
export function parseOptionPairs(pairs: string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw badInput(msg('evidence.option.bad-pair', { value: pair }), [{ field: '--option', message: msg('evidence.option.bad-pair', { value: pair }), expected: msg('evidence.option.expected-pair') }]);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    out[key] = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KB`;
  return `${n} B`;
}

/** Display width (CJK characters take two columns), so tables line up in Chinese too. */
export function widthOf(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const padEnd = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - widthOf(s)));
const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - widthOf(s))) + s;

function humanSummary(lang: Lang, r: AnnotationScanDetails): string {
  const n = (v: number) => formatCount(lang, v);
  const px = (v: number | null) => (v === null ? '-' : String(v));
  const rows: string[][] = [
    ['', t(lang, 'scan.annotations.col.boxes'), t(lang, 'scan.annotations.col.qualifying'), t(lang, 'scan.annotations.col.largest')],
    [t(lang, 'scan.annotations.faces'), n(r.faceBoxes), n(r.qualifyingFaceBoxes), px(r.maxFaceBoxMinSidePx)],
    [t(lang, 'scan.annotations.plates'), n(r.plateBoxes), n(r.qualifyingPlateBoxes), px(r.maxPlateBoxMinSidePx)],
    [t(lang, 'scan.annotations.others'), n(r.boxes - r.faceBoxes - r.plateBoxes - r.excludedBoxes), '', ''],
  ];
  if (r.excludedBoxes > 0) rows.push([t(lang, 'scan.annotations.excluded'), n(r.excludedBoxes), '', '']);
  const widths = rows[0]!.map((_, c) => rows.reduce((m, row) => Math.max(m, widthOf(row[c]!)), 0));
  const table = rows.map((row) => '  ' + row.map((cell, c) => (c === 0 ? padEnd(cell, widths[c]!) : padStart(cell, widths[c]!))).join('   ')).join('\n');
  const lines = [
    t(lang, 'scan.annotations.title', { format: r.format, files: r.files, bytes: formatBytes(r.bytes) }),
    t(lang, 'scan.annotations.thresholds', {
      face: r.thresholds.face,
      plate: r.thresholds.plate,
      rule: r.thresholdSource.rule,
      pack: r.thresholdSource.pack,
      measure: msg(`scan.annotations.measure.${r.boxMeasure}`),
    }),
    '',
    table,
    '',
    t(lang, 'scan.annotations.images', { images: r.images, qualifying: r.imagesWithQualifyingBox }),
  ];
  return lines.join('\n') + '\n' + skippedLines(lang, r.skipped, r.skippedCount);
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
  failOn?: string;
}

export function registerScanAnnotations(scan: Command, ctx: CliContext): void {
  scan
    .command('annotations')
    .description('measure face / licence-plate bounding boxes against the pack thresholds (DRAFT-J6)')
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
    .option('--fail-on <condition>', 'exit 1 when the condition holds: qualifying (a face or plate box reaches its threshold)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .action(async (path: string, flags: Flags) => {
      const lang = ctx.lang();
      if (!isAnnotationFormat(flags.format)) {
        const m = msg('evidence.annotations.unknown-format', { format: flags.format });
        throw badInput(m, [{ field: '--format', message: m, expected: msg('evidence.expected.one-of', { values: ANNOTATION_FORMATS.join(', ') }) }]);
      }
      if (flags.failOn !== undefined && !(FAIL_ON as readonly string[]).includes(flags.failOn)) {
        const m = msg('scan.fail-on.unknown', { value: flags.failOn });
        throw badInput(m, [{ field: '--fail-on', message: m, expected: msg('evidence.expected.one-of', { values: FAIL_ON.join(', ') }) }]);
      }
      const asOf = flags.asOf ?? todayInChina();
      if (!isIsoDate(asOf)) throw badInput(msg('scan.bad-date', { value: asOf }), [{ field: '--as-of', message: msg('scan.bad-date', { value: asOf }), expected: msg('scan.expected-date') }]);
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
        if (flags.boxMeasure !== 'min-side' && flags.boxMeasure !== 'max-side') {
          const m = msg('scan.bad-measure', { value: flags.boxMeasure });
          throw badInput(m, [{ field: '--box-measure', message: m, expected: msg('evidence.expected.one-of', { values: 'min-side, max-side' }) }]);
        }
        boxMeasure = flags.boxMeasure;
      }
      const choice = selectPack(AUTO_PACKS, asOf, pin);
      if (!choice) {
        const m = msg('scan.bad-pack', { value: String(pin) });
        throw badInput(m, [{ field: '--pack', message: m, expected: msg('evidence.expected.one-of', { values: AUTO_PACKS.map((p) => p.id).join(', ') }) }]);
      }
      const thresholds = boxThresholds(choice.pack, overrides);

      const qualifyingImages: string[] = [];
      const bar = progressBar(ctx.stderr, t(lang, 'scan.progress'));
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
      const qualifying = result.qualifyingFaceBoxes + result.qualifyingPlateBoxes > 0;
      const failed = flags.failOn === 'qualifying' && qualifying;
      if (flags.json) {
        const out: Record<string, unknown> = { schema: SCAN_ANNOTATIONS_SCHEMA, ...result, asOf, packChoice: choice.reason };
        if (flags.list) out.qualifyingImages = qualifyingImages;
        if (flags.failOn) out.failOn = { condition: flags.failOn, failed };
        ctx.stdout.write(toJson(out, lang));
      } else if (flags.list) {
        ctx.stdout.write(qualifyingImages.map((i) => i + '\n').join(''));
      } else {
        ctx.stdout.write(humanSummary(lang, result));
      }
      if (failed) {
        ctx.stderr.write(`chujing: ${text(lang, msg('scan.fail-on.qualifying', { faces: result.qualifyingFaceBoxes, plates: result.qualifyingPlateBoxes }))}\n`);
      }
      ctx.exitCode = failed ? 1 : 0;
    });
}
