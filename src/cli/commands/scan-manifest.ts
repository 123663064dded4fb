/**
 * `chujing scan manifest PATH` and `chujing scan drivelog PATH`: distinct vehicles and persons from
 * identifier manifests (keyed hashes only), and hours / km / pictures / vehicles from clip manifests.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { resolveHmacKey } from '../../evidence/keyed-hash.js';
import { parseColumnOptions, tabularFormatOf, type TabularFormat } from '../../evidence/tabular.js';
import { scanManifest, type ManifestScanResult } from '../../evidence/manifest/index.js';
import { scanDrivelog, type DrivelogScanResult } from '../../evidence/drivelog/index.js';
import type { SkippedRecord } from '../../evidence/types.js';
import { progressBar } from '../../evidence/progress.js';

const DEFAULT_KEY_ENV = 'CHUJING_HMAC_KEY';

const TEXT = {
  manifest: {
    title: 'Manifest',
    records: 'records',
    identifiers: 'identifiers hashed',
    vehicles: 'distinct vehicles (VIN)',
    persons: 'distinct persons',
    sensitive: 'distinct persons with sensitive PI',
    charging: 'persons with charging consumption data',
    byVehicle: 'persons identifiable by VIN / ICCID / IMSI',
  },
  drivelog: {
    title: 'Drive log',
    clips: 'clips (video / image)',
    hours: 'raw imagery hours',
    km: 'raw imagery km',
    pictures: 'raw pictures',
    vehicles: 'distinct vehicles (VIN)',
    withoutDistance: 'clips without distance (counted 0 km)',
    notMeasured: 'not measured',
  },
  key: 'key fingerprint',
  skipped: (n: number) => `${n} bad record(s) skipped:`,
  more: (n: number) => `... and ${n} more`,
} as const;

const collect = (v: string, prev: string[]) => [...prev, v];

function formatOption(path: string, format: string | undefined): TabularFormat | undefined {
  // Validates --format early (a folder's files are typed by extension when it is absent).
  return format ? tabularFormatOf(path, format) : undefined;
}

function row(label: string, value: string | number): string {
  return `  ${label.padEnd(44)} ${typeof value === 'number' ? value.toLocaleString('en-US') : value}\n`;
}

function skippedLines(skipped: SkippedRecord[], total: number): string {
  if (total === 0) return '';
  let out = `${TEXT.skipped(total)}\n`;
  for (const s of skipped.slice(0, 20)) out += `  ${s.file}${s.line !== undefined ? `:${s.line}` : ''}: ${s.reason}\n`;
  if (total > 20) out += `  ${TEXT.more(total - 20)}\n`;
  return out;
}

function humanManifest(r: ManifestScanResult): string {
  const t = TEXT.manifest;
  return (
    `${t.title} ${r.path}\n` +
    row(t.records, r.records) +
    row(t.identifiers, r.identifiers) +
    row(t.vehicles, r.distinctVehicles) +
    row(t.persons, r.distinctPersons) +
    row(t.sensitive, r.distinctSensitivePersons) +
    row(t.charging, r.chargingConsumptionPersons) +
    row(t.byVehicle, r.distinctPersonsIdentifiableByVehicleIds) +
    row(TEXT.key, r.keyFingerprint) +
    skippedLines(r.skipped, r.skippedCount)
  );
}

function humanDrivelog(r: DrivelogScanResult): string {
  const t = TEXT.drivelog;
  return (
    `${t.title} ${r.path}\n` +
    row(t.clips, `${r.clips.toLocaleString('en-US')} (${r.videoClips.toLocaleString('en-US')} / ${r.imageClips.toLocaleString('en-US')})`) +
    row(t.hours, r.rawImageryHours) +
    row(t.km, r.rawImageryKm ?? t.notMeasured) +
    row(t.pictures, r.rawPictures) +
    row(t.vehicles, r.distinctVehicles ?? t.notMeasured) +
    (r.clipsWithoutDistance ? row(t.withoutDistance, r.clipsWithoutDistance) : '') +
    (r.keyFingerprint ? row(TEXT.key, r.keyFingerprint) : '') +
    skippedLines(r.skipped, r.skippedCount)
  );
}

interface ScanOpts {
  format?: string;
  column: string[];
  keyEnv?: string;
  keyFile?: string;
  keepGoing?: boolean;
  json?: boolean;
  vehicles?: boolean;
}

export function registerScanManifest(scan: Command, ctx: CliContext): void {
  const keySource = (o: ScanOpts) => ({ env: ctx.env, envVar: o.keyEnv ?? DEFAULT_KEY_ENV, ...(o.keyFile ? { keyFile: resolve(ctx.cwd, o.keyFile) } : {}) });

  scan
    .command('manifest')
    .description('exact distinct vehicles and persons in CSV / JSONL manifests (identifiers hashed with HMAC-SHA-256, never kept)')
    .argument('<path>', 'manifest file, or a folder of .csv / .jsonl files')
    .option('--format <format>', 'csv or jsonl (default: from the file extension)')
    .option('--column <category=name>', 'column of a category: vin, iccid, imsi, personId, phone, sensitive, charging (repeatable)', collect, [])
    .option('--key-env <var>', `environment variable holding the HMAC key (default ${DEFAULT_KEY_ENV})`)
    .option('--key-file <file>', 'file whose first line is the HMAC key')
    .option('--keep-going', 'skip bad records (counted and listed) instead of stopping at the first')
    .option('--json', 'machine-readable output')
    .action(async (path: string, o: ScanOpts) => {
      const columns = parseColumnOptions(o.column);
      const format = formatOption(path, o.format);
      const key = resolveHmacKey(keySource(o));
      const bar = progressBar(ctx.stderr, path);
      const { result } = await scanManifest(resolve(ctx.cwd, path), {
        key,
        columns,
        keepGoing: o.keepGoing ?? false,
        display: path,
        onProgress: (done, total) => bar.update(done, total),
        ...(format ? { format } : {}),
      }).finally(() => bar.finish());
      ctx.stdout.write(o.json ? `${JSON.stringify(result, null, 2)}\n` : humanManifest(result));
    });

  scan
    .command('drivelog')
    .description('raw imagery hours, km, pictures and distinct vehicles from clip manifests (CSV / JSONL)')
    .argument('<path>', 'drive-log file, or a folder of .csv / .jsonl files')
    .option('--format <format>', 'csv or jsonl (default: from the file extension)')
    .option('--column <category=name>', 'column of a category: clipId, vin, duration, start, end, distance, frames, kind (repeatable)', collect, [])
    .option('--key-env <var>', `environment variable holding the HMAC key for VINs (default ${DEFAULT_KEY_ENV})`)
    .option('--key-file <file>', 'file whose first line is the HMAC key')
    .option('--no-vehicles', 'do not count VINs (no key needed; distinctVehicles is null)')
    .option('--keep-going', 'skip bad records (counted and listed) instead of stopping at the first')
    .option('--json', 'machine-readable output')
    .action(async (path: string, o: ScanOpts) => {
      const columns = parseColumnOptions(o.column);
      const format = formatOption(path, o.format);
      const bar = progressBar(ctx.stderr, path);
      const { result } = await scanDrivelog(resolve(ctx.cwd, path), {
        key: () => resolveHmacKey(keySource(o)),
        countVehicles: o.vehicles !== false,
        columns,
        keepGoing: o.keepGoing ?? false,
        display: path,
        onProgress: (done, total) => bar.update(done, total),
        ...(format ? { format } : {}),
      }).finally(() => bar.finish());
      ctx.stdout.write(o.json ? `${JSON.stringify(result, null, 2)}\n` : humanDrivelog(result));
    });
}
