/**
 * Histories that cannot happen (issue 19): an approval's dates must be in the only order its procedure
 * allows. A result is issued after it was applied for (SA-3, CERT-4), a contract takes effect after it
 * was signed and is filed after it took effect (SC-2), the filing is answered after it was filed
 * (SC-3), an extension is granted after it was applied for and applied for after the result it extends
 * exists (SA-6), nothing expires before it was issued, and a renewal is not older than what it renews.
 * A workspace that breaks one is refused (exit 2, file and line), never silently counted: a grant
 * dated before its application would otherwise extend a validity by three years.
 *
 * Each check has an ID of this catalogue (docs/lifecycle.md lists them); the procedure rule it rests
 * on is named with it.
 */
import { msg, type Msg } from '../i18n/index.js';
import type { Approval, Workspace } from './workspace.js';

export interface HistoryCheck {
  id: string;
  /** The procedure rule(s) of regulation.md the order comes from. */
  rules: string[];
  /** The instruments of those rules (source keys, docs/sources.md). */
  source: string;
  title: { en: string; zh: string };
}

export const HISTORY_CHECKS: HistoryCheck[] = [
  { id: 'HIST-1', source: 'S-PROV Art. 9', rules: ['SA-6'], title: { en: 'An extension is granted on or after the day it was applied for', zh: '延期的批准日期不得早于申请日期' } },
  { id: 'HIST-2', source: 'S-PROV Art. 9', rules: ['SA-4', 'SA-6'], title: { en: 'An extension is applied for on or after the day the result it extends was issued', zh: '延期申请日期不得早于被延期的评估结果出具日期' } },
  { id: 'HIST-3', source: 'S-SAM; S-CERT', rules: ['SA-3', 'CERT-4'], title: { en: 'A result or certificate is issued on or after the day it was applied for', zh: '评估结果或认证证书的出具日期不得早于申报日期' } },
  { id: 'HIST-4', source: 'S-SCM', rules: ['SC-1', 'SC-2'], title: { en: 'A standard contract takes effect on or after the day it was signed', zh: '标准合同的生效日期不得早于签订日期' } },
  { id: 'HIST-5', source: 'S-SCM', rules: ['SC-2'], title: { en: 'A standard contract is filed on or after the day it took effect', zh: '标准合同的备案日期不得早于生效日期' } },
  { id: 'HIST-6', source: 'S-SCM', rules: ['SC-3'], title: { en: 'A filing is answered on or after the day it was filed', zh: '备案答复日期不得早于备案日期' } },
  { id: 'HIST-7', source: 'S-PROV Art. 9; S-CERT', rules: ['SA-4', 'CERT-4'], title: { en: 'An approval expires after the day it was issued or took effect', zh: '审批的到期日期须晚于出具或生效日期' } },
  { id: 'HIST-8', source: 'S-SAM; S-SCM; S-CERT', rules: ['SA-5', 'SC-5', 'CERT-4'], title: { en: 'A renewal is dated on or after the approval it renews came into being', zh: '续期或替代审批的日期不得早于其所替代的审批' } },
];

export interface HistoryIssue {
  field: string;
  message: Msg;
  expected: Msg;
}

/** The day an approval came into being: issued, else effective, else applied for. */
function startOf(a: Approval): string | undefined {
  return a.issued ?? a.effective ?? a.signed ?? a.applied;
}

/** The earliest date an approval carries (its own history starts there). */
function earliestOf(a: Approval): { field: string; date: string } | undefined {
  const dated = (['applied', 'signed', 'issued', 'effective', 'filed'] as const).filter((k) => a[k]).map((k) => ({ field: k, date: a[k]! }));
  return dated.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))[0];
}

export function historyIssues(ws: Workspace): HistoryIssue[] {
  const issues: HistoryIssue[] = [];
  const byId = new Map(ws.approvals.map((a) => [a.id, a]));
  const before = (check: string, field: string, approval: string, later: { name: string; date: string }, earlier: { name: string; date: string }) =>
    issues.push({
      field,
      message: msg('law.history.before', { check, approval, later: later.name, laterDate: later.date, earlier: earlier.name, earlierDate: earlier.date }),
      expected: msg('law.history.expected', { later: later.name, earlier: earlier.name, earlierDate: earlier.date, check }),
    });
  ws.approvals.forEach((a, i) => {
    const at = `approvals[${i}]`;
    a.extensions.forEach((x, j) => {
      if (x.granted && x.granted < x.applied) before('HIST-1', `${at}.extensions[${j}].granted`, a.id, { name: 'extensions.granted', date: x.granted }, { name: 'extensions.applied', date: x.applied });
      if (a.issued && x.applied < a.issued) before('HIST-2', `${at}.extensions[${j}].applied`, a.id, { name: 'extensions.applied', date: x.applied }, { name: 'issued', date: a.issued });
    });
    if (a.issued && a.applied && a.issued < a.applied) before('HIST-3', `${at}.issued`, a.id, { name: 'issued', date: a.issued }, { name: 'applied', date: a.applied });
    if (a.effective && a.signed && a.effective < a.signed) before('HIST-4', `${at}.effective`, a.id, { name: 'effective', date: a.effective }, { name: 'signed', date: a.signed });
    if (a.filed && a.effective && a.filed < a.effective) before('HIST-5', `${at}.filed`, a.id, { name: 'filed', date: a.filed }, { name: 'effective', date: a.effective });
    if (a.answered && a.filed && a.answered < a.filed) before('HIST-6', `${at}.answered`, a.id, { name: 'answered', date: a.answered }, { name: 'filed', date: a.filed });
    const start = a.issued ? { name: 'issued', date: a.issued } : a.effective ? { name: 'effective', date: a.effective } : undefined;
    if (a.expires && start && a.expires <= start.date) before('HIST-7', `${at}.expires`, a.id, { name: 'expires', date: a.expires }, start);
    const renewed = a.renews ? byId.get(a.renews) : undefined;
    const renewedStart = renewed ? startOf(renewed) : undefined;
    const own = earliestOf(a);
    if (renewed && renewedStart && own && own.date < renewedStart) {
      issues.push({
        field: `${at}.${own.field}`,
        message: msg('law.history.renewal-before', { check: 'HIST-8', approval: a.id, field: own.field, date: own.date, renewed: renewed.id, renewedDate: renewedStart }),
        expected: msg('law.history.renewal-expected', { renewed: renewed.id, renewedDate: renewedStart }),
      });
    }
  });
  return issues;
}
