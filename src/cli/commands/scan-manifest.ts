/**
 * `chujing scan manifest PATH` and `chujing scan drivelog PATH`: distinct vehicles and persons from
 * identifier manifests (keyed hashes only), and hours / km / pictures / vehicles from clip manifests.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatCount, msg, t, toJson, type Lang, type Msg } from '../../i18n/index.js';
import { resolveHmacKey } from '../../evidence/keyed-hash.js';
import { encodingLabel, parseEncoding, type DecodedFileInfo } from '../../evidence/decode.js';
import { parseColumnOptions, tabularFormatOf, type TabularFormat } from '../../evidence/tabular.js';
import { scanManifest, type ManifestScanResult } from '../../evidence/manifest/index.js';
import { scanDrivelog, type DrivelogScanResult } from '../../evidence/drivelog/index.js';
import { progressBar } from '../../evidence/progress.js';
import { skippedLines } from '../../evidence/render.js';
import { widthOf } from './scan-annotations.js';

const DEFAULT_KEY_ENV = 'CHUJING_HMAC_KEY';
/** `--json` contract versions (docs/evidence.md). */
export const SCAN_MANIFEST_SCHEMA = 'chujing.scan-manifest/1';
export const SCAN_DRIVELOG_SCHEMA = 'chujing.scan-drivelog/1';

const collect = (v: string, prev: string[]) => [...prev, v];

function formatOption(path: string, format: string | undefined): TabularFormat | undefined {
  // Validates --format early (a folder's files are typed by extension when it is absent).
  return format ? tabularFormatOf(path, format) : undefined;
}

function row(lang: Lang, label: string, value: string | number | Msg): string {
  const v = typeof value === 'number' ? formatCount(lang, value) : typeof value === 'string' ? value : t(lang, value.code as never, value.params);
  return `  ${label}${' '.repeat(Math.max(1, 44 - widthOf(label)))} ${v}\n`;
}

/** One line per file read in an encoding other than plain UTF-8 (detected or chosen), so a reader knows. */
function encodingLines(lang: Lang, encodings: Record<string, DecodedFileInfo>): string {
  let out = '';
  for (const [file, e] of Object.entries(encodings)) {
    if (e.by === 'default') continue;
    out += row(lang, t(lang, 'scan.encoding'), msg(`scan.encoding.${e.by}`, { encoding: encodingLabel(e.encoding), file }));
  }
  return out;
}

function humanManifest(lang: Lang, r: ManifestScanResult): string {
  const l = (code: string) => t(lang, code as never);
  return (
    `${t(lang, 'scan.manifest.title', { path: r.path })}\n` +
    row(lang, l('scan.manifest.records'), r.records) +
    row(lang, l('scan.manifest.identifiers'), r.identifiers) +
    row(lang, l('scan.manifest.vehicles'), r.distinctVehicles) +
    row(lang, l('scan.manifest.persons'), r.distinctPersons) +
    row(lang, l('scan.manifest.sensitive'), r.distinctSensitivePersons) +
    row(lang, l('scan.manifest.charging'), r.chargingConsumptionPersons) +
    row(lang, l('scan.manifest.by-vehicle'), r.distinctPersonsIdentifiableByVehicleIds) +
    row(lang, l('scan.key'), r.keyFingerprint) +
    encodingLines(lang, r.encodings) +
    skippedLines(lang, r.skipped, r.skippedCount)
  );
}

function humanDrivelog(lang: Lang, r: DrivelogScanResult): string {
  const l = (code: string) => t(lang, code as never);
  const notMeasured = msg('scan.drivelog.not-measured');
  return (
    `${t(lang, 'scan.drivelog.title', { path: r.path })}\n` +
    row(lang, l('scan.drivelog.clips'), `${formatCount(lang, r.clips)} (${formatCount(lang, r.videoClips)} / ${formatCount(lang, r.imageClips)})`) +
    row(lang, l('scan.drivelog.hours'), r.rawImageryHours) +
    row(lang, l('scan.drivelog.km'), r.rawImageryKm ?? notMeasured) +
    row(lang, l('scan.drivelog.pictures'), r.rawPictures) +
    row(lang, l('scan.drivelog.vehicles'), r.distinctVehicles ?? notMeasured) +
    (r.clipsWithoutDistance ? row(lang, l('scan.drivelog.without-distance'), r.clipsWithoutDistance) : '') +
    (r.keyFingerprint ? row(lang, l('scan.key'), r.keyFingerprint) : '') +
    encodingLines(lang, r.encodings) +
    skippedLines(lang, r.skipped, r.skippedCount)
  );
}

interface ScanOpts {
  format?: string;
  column: string[];
  keyEnv?: string;
  keyFile?: string;
  allowReadableKeyFile?: boolean;
  keepGoing?: boolean;
  json?: boolean;
  vehicles?: boolean;
  encoding?: string;
}

export function registerScanManifest(scan: Command, ctx: CliContext): void {
  const keySource = (o: ScanOpts) => ({ env: ctx.env, envVar: o.keyEnv ?? DEFAULT_KEY_ENV, ...(o.keyFile ? { keyFile: resolve(ctx.cwd, o.keyFile), allowReadableKeyFile: !!o.allowReadableKeyFile } : {}) });

  scan
    .command('manifest')
    .description('exact distinct vehicles and persons in CSV / JSONL manifests (identifiers hashed with HMAC-SHA-256, never kept)')
    .argument('<path>', 'manifest file, or a folder of .csv / .jsonl files')
    .option('--format <format>', 'csv or jsonl (default: from the file extension)')
    .option('--column <category=name>', 'column of a category: vin, iccid, imsi, personId, phone, sensitive, charging (repeatable)', collect, [])
    .option('--key-env <var>', `environment variable holding the HMAC key (default ${DEFAULT_KEY_ENV})`)
    .option('--key-file <file>', 'file whose first line is the HMAC key')
    .option('--allow-readable-key-file', 'accept a key file that group or others can read (anyone on this machine could then take the key): refused otherwise, `chmod 600` it')
    .option('--encoding <encoding>', 'utf-8, gb18030 (gbk), utf-16le or utf-16be (default: BOM, else UTF-8, else GB18030 detected from the header)')
    .option('--keep-going', 'skip bad records (counted and listed) instead of stopping at the first')
    .option('--json', 'machine-readable output')
    .action(async (path: string, o: ScanOpts) => {
      const lang = ctx.lang();
      const columns = parseColumnOptions(o.column);
      const format = formatOption(path, o.format);
      const encoding = o.encoding !== undefined ? parseEncoding(o.encoding) : undefined;
      const key = resolveHmacKey(keySource(o));
      const bar = progressBar(ctx.stderr, path);
      const { result } = await scanManifest(resolve(ctx.cwd, path), {
        key,
        columns,
        ...(encoding ? { encoding } : {}),
        keepGoing: o.keepGoing ?? false,
        display: path,
        onProgress: (done, total) => bar.update(done, total),
        ...(format ? { format } : {}),
      }).finally(() => bar.finish());
      ctx.stdout.write(o.json ? toJson({ schema: SCAN_MANIFEST_SCHEMA, ...result }, lang) : humanManifest(lang, result));
    });

  scan
    .command('drivelog')
    .description('raw imagery hours, km, pictures and distinct vehicles from clip manifests (CSV / JSONL)')
    .argument('<path>', 'drive-log file, or a folder of .csv / .jsonl files')
    .option('--format <format>', 'csv or jsonl (default: from the file extension)')
    .option('--column <category=name>', 'column of a category: clipId, vin, duration, start, end, distance, frames, kind (repeatable)', collect, [])
    .option('--key-env <var>', `environment variable holding the HMAC key for VINs (default ${DEFAULT_KEY_ENV})`)
    .option('--key-file <file>', 'file whose first line is the HMAC key')
    .option('--allow-readable-key-file', 'accept a key file that group or others can read (anyone on this machine could then take the key): refused otherwise, `chmod 600` it')
    .option('--no-vehicles', 'do not count VINs (no key needed; distinctVehicles is null)')
    .option('--encoding <encoding>', 'utf-8, gb18030 (gbk), utf-16le or utf-16be (default: BOM, else UTF-8, else GB18030 detected from the header)')
    .option('--keep-going', 'skip bad records (counted and listed) instead of stopping at the first')
    .option('--json', 'machine-readable output')
    .action(async (path: string, o: ScanOpts) => {
      const lang = ctx.lang();
      const columns = parseColumnOptions(o.column);
      const format = formatOption(path, o.format);
      const encoding = o.encoding !== undefined ? parseEncoding(o.encoding) : undefined;
      const bar = progressBar(ctx.stderr, path);
      const { result } = await scanDrivelog(resolve(ctx.cwd, path), {
        ...(encoding ? { encoding } : {}),
        key: () => resolveHmacKey(keySource(o)),
        countVehicles: o.vehicles !== false,
        columns,
        keepGoing: o.keepGoing ?? false,
        display: path,
        onProgress: (done, total) => bar.update(done, total),
        ...(format ? { format } : {}),
      }).finally(() => bar.finish());
      ctx.stdout.write(o.json ? toJson({ schema: SCAN_DRIVELOG_SCHEMA, ...result }, lang) : humanDrivelog(lang, result));
    });
}
