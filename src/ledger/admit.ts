/**
 * Admission: what may be recorded as an executed transfer (issue 8). A transfer that `assess` finds
 * prohibited (core data), or that the workspace does not declare, is refused: recording it would put a
 * transfer in the legal record that nothing else ever mentions. `--force` records it anyway, and says so
 * in the entry itself (`forced`, part of the hashed content), so it is reported wherever the entry is.
 */
import { ChujingError, type ErrorIssue } from '../errors.js';
import { msg } from '../i18n/index.js';
import type { Workspace } from '../model/workspace.js';
import type { LedgerEntryContent } from './entry.js';

export type ForcedReason = 'prohibited' | 'undeclared';

export interface AdmissionInput {
  content: LedgerEntryContent;
  /** Where the entry came from, for the error (file, field). */
  where?: Omit<ErrorIssue, 'message'>;
}

/**
 * The path `assess` gives each workspace transfer (id → path), computed only when some entry names a
 * declared transfer. The CLI passes the engine's answer with the workspace's measured evidence.
 */
export type TransferPaths = () => Promise<Map<string, string>>;

/** Why each entry would be refused (empty: admitted). */
export async function admissionReasons(ws: Workspace, items: AdmissionInput[], paths: TransferPaths): Promise<ForcedReason[][]> {
  const declared = new Set(ws.transfers.map((t) => t.id));
  let known: Map<string, string> | null = null;
  const out: ForcedReason[][] = [];
  for (const { content } of items) {
    if (!declared.has(content.id)) {
      out.push(['undeclared']);
      continue;
    }
    known ??= await paths();
    out.push(known.get(content.id) === 'prohibited' ? ['prohibited'] : []);
  }
  return out;
}

/**
 * Refuse the whole batch when an entry is not admitted, unless forced; forced entries carry their
 * reasons. Mutates nothing: returns the contents to record.
 */
export async function admit(ws: Workspace, items: AdmissionInput[], paths: TransferPaths, force: boolean): Promise<LedgerEntryContent[]> {
  const reasons = await admissionReasons(ws, items, paths);
  const issues: ErrorIssue[] = [];
  items.forEach(({ content, where }, i) => {
    for (const r of reasons[i]!) {
      issues.push({
        ...where,
        field: where?.field ? `${where.field}.id` : 'id',
        message: msg(r === 'prohibited' ? 'ledger.refused-prohibited' : 'ledger.refused-undeclared', { id: content.id }),
        expected: msg(r === 'prohibited' ? 'ledger.refused-prohibited-expected' : 'ledger.refused-undeclared-expected'),
      });
    }
  });
  if (issues.length && !force) throw new ChujingError('bad-input', msg('ledger.refused', { n: issues.length }), issues);
  return items.map(({ content }, i) => ({ ...content, forced: reasons[i]!.length ? reasons[i]!.join(',') : null }));
}
