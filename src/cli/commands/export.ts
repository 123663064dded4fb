/**
 * `chujing export inventory [WORKSPACE] --out FILE [--format csv|xlsx]`: the inventory of datasets and
 * transfers, as assessed, for Excel. CSV: UTF-8 with BOM, one flat table, formula injection neutralised;
 * XLSX: the flat table plus a sheet of datasets, one of transfers and one saying what the file is. Headers
 * and words in the --lang language; dates as YYYY-MM-DD, the export time in China time. The file is
 * written to a temporary file and renamed: whole or not at all.
 */
import { extname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { badInput } from '../../errors.js';
import { msg, t } from '../../i18n/index.js';
import { loadWorkspace } from '../../model/load.js';
import { checkReferences } from '../../model/references.js';
import { chinaTime, csvFile } from '../../report/excel.js';
import { buildInventory, inventorySheets } from '../../report/inventory.js';
import { writeXlsx } from '../../report/xlsx.js';
import type { CliContext } from '../context.js';
import { assessLoaded } from '../../produce/inputs.js';
import { displayPath, parseAsOf, writeFileAtomically } from '../options.js';

export const INVENTORY_FORMATS = ['csv', 'xlsx'] as const;
type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

interface InventoryOptions {
  out: string;
  format?: InventoryFormat;
  asOf?: string;
  evidence: boolean;
  ledger: boolean;
}

function formatOf(o: InventoryOptions): InventoryFormat {
  if (o.format) return o.format;
  const ext = extname(o.out).toLowerCase().slice(1);
  if (ext === '' || ext === 'csv') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  throw badInput(msg('export.unknown-format', { file: o.out }), [{ field: '--out', message: msg('export.unknown-format', { file: o.out }), expected: msg('export.format-expected') }]);
}

export function registerExport(program: Command, ctx: CliContext): void {
  const group = program.command('export').description('files for Excel: the inventory of datasets and transfers');
  group
    .command('inventory')
    .description('the inventory of datasets and transfers with their level, path and coverage (CSV with BOM or XLSX)')
    .argument('[workspace]', 'workspace file or folder', '.')
    .requiredOption('--out <file>', 'the file to write (written whole or not at all)')
    .addOption(new Option('--format <format>', 'csv or xlsx (default: from the extension of --out, else csv)').choices(INVENTORY_FORMATS))
    .option('--as-of <date>', 'assessment date YYYY-MM-DD (default: today in China)')
    .option('--no-evidence', 'use declared facts only; do not scan the evidence files')
    .option('--no-ledger', "ignore the ledger's year-to-date counts")
    .action(async (target: string, o: InventoryOptions) => {
      const format = formatOf(o);
      const asOf = parseAsOf(o.asOf);
      const lang = ctx.lang();
      const loaded = loadWorkspace(resolve(ctx.cwd, target), ctx.cwd);
      checkReferences(loaded);
      const { report } = await assessLoaded(loaded, { env: ctx.env, asOf, evidence: o.evidence, ledger: o.ledger });
      const path = resolve(ctx.cwd, o.out);
      const display = displayPath(ctx.cwd, path);
      const { inventory } = buildInventory(report, loaded.workspace, lang);
      const content = format === 'csv' ? csvFile(inventory.header, inventory.rows) : writeXlsx(inventorySheets(report, loaded.workspace, lang, chinaTime(new Date())));
      writeFileAtomically(path, display, content, '--out');
      ctx.stderr.write(`${t(lang, 'export.wrote', { file: display, transfers: report.transfers.length, datasets: report.datasets.length, rows: inventory.rows.length })}\n`);
    });
}
