/**
 * `chujing ledger …`: record executed transfers (SEC-LOG-1), show the exact year-to-date counts
 * (CNT-1..3), verify the hash chain, export for auditors, prune beyond the retention.
 * The database is the workspace's embedded PGlite (.chujing/db) or DATABASE_URL's PostgreSQL server.
 */
import type { KeyObject } from 'node:crypto';
import { readFileSync, statSync, createWriteStream } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ChujingError } from '../../errors.js';
import { keyFingerprint, resolveHmacKey } from '../../evidence/keyed-hash.js';
import { parseEncoding } from '../../evidence/decode.js';
import { isIsoDate, todayInChina } from '../../model/dates.js';
import { loadWorkspace, type LoadedWorkspace } from '../../model/load.js';
import { openStore, type Queryable, type Store } from '../../store/index.js';
import {
  LEDGER_CATEGORIES,
  contentFromTransfer,
  entriesFromJson,
  exportLedger,
  formatFromPath,
  manifestHashes,
  parseColumnMapping,
  pruneLedger,
  recordEntries,
  verifyLedger,
  yearToDateCounts,
  type RecordOutcome,
  type RecordProgress,
  type VerifyReport,
} from '../../ledger/index.js';
import { VERIFY_KIND_TEXT } from '../../ledger/messages.js';
import type { CliContext } from '../context.js';

/** Human output of the ledger commands (one table, so a zh one can sit beside it). */
const TEXT = {
  recorded: (o: RecordOutcome) =>
    `recorded ${o.id} (${o.organization} #${o.seq}): +${o.added.persons} persons, +${o.added.sensitivePersons} sensitive, +${o.added.chargingConsumptionPersons} charging-consumption, +${o.added.vehicles} vehicles this year`,
  unchanged: (o: RecordOutcome) => `unchanged ${o.id} (${o.organization} #${o.seq}): already recorded with the same content`,
  progress: (p: RecordProgress) => `chujing: ${p.id}: ${p.staged} identifier hashes staged\n`,
  noLedger: 'no ledger entries yet',
  statsHeader: 'organisation\tyear\tentries\tpersons\tsensitive\tcharging\tvehicles',
  intact: (r: VerifyReport) =>
    `ledger intact: ${r.organizations.map((o) => `${o.organization} ${o.entries} entries, head #${o.headSeq} ${o.headHash.slice(0, 16)}${o.headSealed === null ? ' (seal not checked: no key)' : ''}${o.checkpoints ? `, ${o.checkpoints} checkpoint(s)` : ''}`).join('; ') || 'empty'}`,
  broken: (r: VerifyReport) => {
    const b = r.firstBreak!;
    return `ledger BROKEN: ${b.organization}${b.seq !== null ? ` entry #${b.seq}` : ''}${b.id ? ` (${b.id})` : ''}: ${b.kind} — ${VERIFY_KIND_TEXT[b.kind]}: ${b.detail}`;
  },
  pruned: (org: string, n: number, seq: number | null) => (n ? `pruned ${n} entries of ${org} up to #${seq}; signed checkpoint written` : `nothing to prune for ${org}`),
  exported: (n: number, file: string) => `exported ${n} entries to ${file}`,
};

interface CommonOptions {
  workspace: string;
  keyFile?: string;
  json?: boolean;
}

function withCommon(cmd: Command): Command {
  return cmd
    .option('-w, --workspace <path>', 'workspace file or folder (its .chujing/ holds the embedded database)', '.')
    .option('--key-file <file>', "file holding the organisation's HMAC key (default: the environment variable named by settings.hmacKeyEnv)")
    .option('--json', 'machine-readable output');
}

function load(ctx: CliContext, o: CommonOptions): LoadedWorkspace {
  return loadWorkspace(resolve(ctx.cwd, o.workspace), ctx.cwd);
}

function key(ctx: CliContext, ws: LoadedWorkspace, o: CommonOptions) {
  return resolveHmacKey({ env: ctx.env, envVar: ws.workspace.settings.hmacKeyEnv, keyFile: o.keyFile ? resolve(ctx.cwd, o.keyFile) : undefined });
}

async function withStore<T>(ctx: CliContext, ws: LoadedWorkspace, mustExist: boolean, fn: (s: Store) => Promise<T>): Promise<T | null> {
  const store = await openStore({ workspaceDir: ws.dir, env: ctx.env, mustExist });
  if (!store) return null;
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function int(name: string) {
  return (v: string) => {
    if (!/^\d+$/.test(v)) throw new ChujingError('bad-input', `${name} must be a whole number`, [{ field: name, message: v, expected: 'a whole number' }]);
    return Number(v);
  };
}

/** Progress on stderr: the first batch at once, then at most once a second. */
function progressReporter(ctx: CliContext) {
  let last = 0;
  return (p: RecordProgress) => {
    const now = Date.now();
    if (last !== 0 && now - last < 1000) return;
    last = now;
    ctx.stderr.write(TEXT.progress(p));
  };
}

function printOutcomes(ctx: CliContext, outcomes: RecordOutcome[], json?: boolean) {
  if (json) ctx.stdout.write(`${JSON.stringify({ entries: outcomes }, null, 2)}\n`);
  else for (const o of outcomes) ctx.stdout.write(`${o.status === 'recorded' ? TEXT.recorded(o) : TEXT.unchanged(o)}\n`);
}

export function registerLedger(program: Command, ctx: CliContext): void {
  const ledger = program.command('ledger').description('tamper-evident record of executed outbound transfers and exact year-to-date counts (SEC-LOG-1, CNT-1..3)');

  withCommon(ledger.command('record').argument('[file]', "JSON entries (one, a list, or { entries: [...] }); '-' or nothing reads stdin"))
    .description('record executed transfers from JSON; identifiers given as TYPE:VALUE are hashed on reading')
    .action(async (file: string | undefined, o: CommonOptions) => {
      const ws = load(ctx, o);
      const k = key(ctx, ws, o);
      const display = !file || file === '-' ? '(stdin)' : relative(ctx.cwd, resolve(ctx.cwd, file)) || file;
      let text: string;
      try {
        text = readFileSync(!file || file === '-' ? 0 : resolve(ctx.cwd, file), 'utf8');
      } catch (e) {
        throw new ChujingError('not-found', `cannot read ${display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, [{ file: display, message: 'file not readable' }]);
      }
      const items = entriesFromJson(text, display, ws.workspace, k);
      const outcomes = await withStore(ctx, ws, false, (s) => recordEntries(s, items, { keyFingerprint: keyFingerprint(k), key: k, onProgress: progressReporter(ctx) }));
      printOutcomes(ctx, outcomes ?? [], o.json);
    });

  withCommon(ledger.command('import').argument('<manifest>', 'CSV or JSONL manifest: one row per person and/or vehicle'))
    .description('record one executed workspace transfer with the persons and vehicles of its manifest (one transaction)')
    .requiredOption('--transfer <id>', 'the workspace transfer this manifest was sent under (its id becomes the entry id)')
    .addOption(new Option('--format <format>', 'manifest format (default: from the extension)').choices(['csv', 'jsonl']))
    .option('--column <category=column>', 'map a category (personId, phone, vin, sensitive, charging) to a column; repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--encoding <encoding>', 'utf-8, gb18030 (gbk), utf-16le or utf-16be (default: BOM, else UTF-8, else GB18030 detected from the header)')
    .option('--time <time>', "when it was sent: YYYY-MM-DD (China) or date-time with offset (default: the transfer's date)")
    .option('--approval <id>', 'workspace approval it was sent under (mechanism and reference)')
    .option('--operator <name>', 'who sent it (SEC-LOG-1)')
    .option('--records <n>', 'records sent (default: manifest rows)', int('--records'))
    .option('--bytes <n>', 'bytes sent', int('--bytes'))
    .action(async (manifest: string, o: CommonOptions & { transfer: string; format?: 'csv' | 'jsonl'; column: string[]; encoding?: string; time?: string; approval?: string; operator?: string; records?: number; bytes?: number }) => {
      const ws = load(ctx, o);
      const file = resolve(ctx.cwd, manifest);
      const display = relative(ctx.cwd, file) || manifest;
      const format = o.format ?? formatFromPath(file);
      if (!format) throw new ChujingError('bad-input', `cannot tell the format of ${display}`, [{ file: display, field: '--format', message: 'unknown extension', expected: '.csv, .jsonl or --format csv|jsonl' }]);
      try {
        if (!statSync(file).isFile()) throw new Error('not a file');
      } catch (e) {
        throw new ChujingError('not-found', `cannot read ${display}`, [{ file: display, message: (e as NodeJS.ErrnoException).code ?? (e as Error).message, expected: 'a manifest file' }]);
      }
      const columns = parseColumnMapping(o.column);
      const k = key(ctx, ws, o);
      const base = contentFromTransfer(ws.workspace, { transferId: o.transfer, time: o.time, approvalId: o.approval, operator: o.operator, records: o.records, bytes: o.bytes });
      let rows = 0;
      const encoding = o.encoding !== undefined ? parseEncoding(o.encoding) : undefined;
      const hashes = manifestHashes({ file, display, format, columns, key: k, onRow: () => rows++, ...(encoding ? { encoding } : {}) });
      const report = progressReporter(ctx);
      const outcomes = await withStore(ctx, ws, false, (s) =>
        recordEntries(s, [{ content: () => ({ ...base, records: o.records ?? rows }), hashes }], {
          keyFingerprint: keyFingerprint(k),
          key: k,
          onProgress: (p) => report({ ...p, id: base.id }),
        }),
      );
      printOutcomes(ctx, outcomes ?? [], o.json);
    });

  withCommon(ledger.command('stats'))
    .description('exact year-to-date distinct persons, sensitive persons, charging-consumption persons and vehicles per organisation and year (CNT-1, CNT-2)')
    .option('--year <year>', 'only this calendar year', int('--year'))
    .option('--organization <id>', 'only this organisation')
    .action(async (o: CommonOptions & { year?: number; organization?: string }) => {
      const ws = load(ctx, o);
      const rows = (await withStore(ctx, ws, true, async (s) => (await ledgerStatsJson(s, { year: o.year, organization: o.organization })).counts)) ?? [];
      if (o.json) {
        ctx.stdout.write(`${JSON.stringify({ counts: rows }, null, 2)}\n`);
        return;
      }
      if (rows.length === 0) {
        ctx.stdout.write(`${TEXT.noLedger}\n`);
        return;
      }
      ctx.stdout.write(`${TEXT.statsHeader}\n`);
      for (const r of rows) ctx.stdout.write(`${[r.organization, r.year, r.entries, ...LEDGER_CATEGORIES.map((c) => r[c])].join('\t')}\n`);
    });

  withCommon(ledger.command('verify'))
    .description('recompute the hash chain and person-hash digests; report the first broken link (exit 1 when broken)')
    .action(async (o: CommonOptions) => {
      const ws = load(ctx, o);
      let k;
      try {
        k = key(ctx, ws, o);
      } catch {
        k = undefined; // only needed when pruning checkpoints exist (verify says so then)
      }
      const report = (await withStore(ctx, ws, true, (s) => ledgerVerifyJson(s, k))) ?? { intact: true, organizations: [], firstBreak: null };
      if (o.json) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else ctx.stdout.write(`${report.intact ? TEXT.intact(report) : TEXT.broken(report)}\n`);
      ctx.exitCode = report.intact ? 0 : 1;
    });

  withCommon(ledger.command('export'))
    .description('export every entry, in chain order, for auditors')
    .addOption(new Option('--format <format>', 'jsonl or csv').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (o: CommonOptions & { format: 'jsonl' | 'csv'; out?: string }) => {
      const ws = load(ctx, o);
      if (o.out) {
        const path = resolve(ctx.cwd, o.out);
        const out = createWriteStream(path);
        const n = (await withStore(ctx, ws, true, (s) => exportLedger(s, o.format, (chunk) => void out.write(chunk)))) ?? 0;
        await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
        ctx.stderr.write(`${TEXT.exported(n, relative(ctx.cwd, path))}\n`);
      } else {
        const n = await withStore(ctx, ws, true, (s) => exportLedger(s, o.format, (chunk) => ctx.stdout.write(chunk)));
        if (n === null && o.format === 'csv') await exportLedger({ query: async () => [], exec: async () => {} }, 'csv', (c) => ctx.stdout.write(c));
      }
    });

  withCommon(ledger.command('prune'))
    .description('remove entries older than the retention (settings.logRetentionYears, SEC-LOG-1), leaving a signed checkpoint')
    .requiredOption('--before <date>', 'remove entries dated before this day (must be at least the retention ago)')
    .option('--as-of <date>', "today's date in China (default: the real date)")
    .action(async (o: CommonOptions & { before: string; asOf?: string }) => {
      const ws = load(ctx, o);
      if (o.asOf !== undefined && !isIsoDate(o.asOf)) throw new ChujingError('bad-input', `--as-of is not a date: ${o.asOf}`, [{ field: '--as-of', message: o.asOf, expected: 'a date YYYY-MM-DD' }]);
      const k = key(ctx, ws, o);
      const outcomes =
        (await withStore(ctx, ws, true, (s) => pruneLedger(s, { before: o.before, today: o.asOf ?? todayInChina(), retentionYears: ws.workspace.settings.logRetentionYears, key: k }))) ?? [];
      if (o.json) ctx.stdout.write(`${JSON.stringify({ pruned: outcomes }, null, 2)}\n`);
      else for (const r of outcomes) ctx.stdout.write(`${TEXT.pruned(r.organization, r.prunedEntries, r.lastSeq)}\n`);
    });
}

/** What `ledger stats --json` prints (the CLI and GET /v1/ledger/stats both call this). */
export async function ledgerStatsJson(store: Queryable, filter: { year?: number; organization?: string }) {
  return { counts: await yearToDateCounts(store, { years: filter.year !== undefined ? [filter.year] : undefined, organizations: filter.organization ? [filter.organization] : undefined }) };
}

/** What `ledger verify --json` prints (the CLI and GET /v1/ledger/verify both call this). */
export function ledgerVerifyJson(store: Queryable, key: KeyObject | undefined): Promise<VerifyReport> {
  return verifyLedger(store, { key });
}
