/**
 * Every people-facing string of the life-cycle report, in Chinese and English, in one table. The
 * renderers (human table, iCalendar) look strings up by key; nothing else builds sentences.
 */
import { render } from '../i18n/index.js';
import type { ScopeChange } from './changes.js';
import type { CoverageGap } from './coverage.js';
import type { Deadline } from './deadlines.js';
import type { StatusAction } from './status.js';

export type Lang = 'zh' | 'en';
type Params = Record<string, string | number>;

export const LIFECYCLE_MESSAGES = {
  'title': { en: 'chujing status as of {asOf}', zh: 'chujing 状态（截至 {asOf}）' },
  'section.approvals': { en: 'Approvals', zh: '审批与备案' },
  'section.deadlines': { en: 'Deadlines', zh: '期限' },
  'section.uncovered': { en: 'Transfers not covered by a valid approval on their date', zh: '出境日期无有效审批覆盖的数据出境' },
  'section.changes': { en: 'Changes requiring a new assessment or filing', zh: '须重新申报或备案的变更' },
  'section.actions': { en: 'Needs action', zh: '需要处理' },
  'none': { en: '(none)', zh: '（无）' },
  'head.approval': { en: 'approval', zh: '审批' },
  'head.mechanism': { en: 'mechanism', zh: '机制' },
  'head.state': { en: 'state', zh: '状态' },
  'head.valid': { en: 'valid', zh: '有效期' },
  'head.left': { en: 'days left', zh: '剩余天数' },
  'head.organizations': { en: 'organisations', zh: '主体' },
  'head.date': { en: 'date', zh: '日期' },
  'head.deadline': { en: 'deadline', zh: '事项' },
  'head.rules': { en: 'rules', zh: '规则' },
  'head.transfer': { en: 'transfer', zh: '出境' },
  'head.why': { en: 'why', zh: '原因' },
  'head.change': { en: 'change', zh: '变更' },
  'head.now': { en: 'now', zh: '现状' },
  'head.approved': { en: 'approved', zh: '获批范围' },
  'mechanism.security-assessment': { en: 'security assessment', zh: '数据出境安全评估' },
  'mechanism.standard-contract': { en: 'standard contract', zh: '个人信息出境标准合同' },
  'mechanism.certification': { en: 'certification', zh: '个人信息保护认证' },
  'astate.inactive': { en: 'inactive', zh: '无效' },
  'astate.pending': { en: 'pending', zh: '待定' },
  'astate.not-yet-valid': { en: 'not yet valid', zh: '尚未生效' },
  'astate.valid': { en: 'valid', zh: '有效' },
  'astate.expired': { en: 'EXPIRED', zh: '已过期' },
  'astate.soon': { en: 'expires soon', zh: '即将到期' },
  'open-ended': { en: 'open-ended', zh: '无固定期限' },
  'kind.sa-expiry': { en: 'Security assessment {approval} expires (last valid day)', zh: '安全评估 {approval} 有效期届满（最后有效日）' },
  'kind.sa-extension-window': { en: 'Extension window of {approval} opens (apply by {until})', zh: '{approval} 延长有效期申请窗口开启（{until} 前申请）' },
  'kind.sc-filing': { en: 'File standard contract {approval} with the provincial CAC (last day)', zh: '标准合同 {approval} 向省级网信部门备案（最后一日）' },
  'kind.sc-review': { en: 'Provincial CAC answer on {approval} expected', zh: '{approval} 备案审查结果应答复日' },
  'kind.cert-expiry': { en: 'Certificate {approval} expires (last valid day)', zh: '认证证书 {approval} 有效期届满（最后有效日）' },
  'kind.cert-renewal': { en: 'Re-apply for certificate {approval} (6 months before expiry)', zh: '认证证书 {approval} 重新申请（到期前6个月）' },
  'dstate.upcoming': { en: 'upcoming', zh: '未到' },
  'dstate.open': { en: 'OPEN', zh: '已开启' },
  'dstate.due': { en: 'DUE', zh: '待办' },
  'dstate.overdue': { en: 'OVERDUE', zh: '已逾期' },
  'dstate.done': { en: 'done', zh: '已完成' },
  'dstate.late': { en: 'done late', zh: '逾期完成' },
  'dstate.passed': { en: 'passed', zh: '已届满' },
  'dstate.missed': { en: 'missed', zh: '已错过' },
  'dstate.unknown': { en: 'unknown', zh: '无法计算' },
  'gap.inactive': { en: '{approval}: status {status}', zh: '{approval}：状态为 {status}' },
  'gap.no-validity': { en: '{approval}: {basis}', zh: '{approval}：{basis}' },
  'gap.before-start': { en: '{approval}: valid only from {start}', zh: '{approval}：自 {start} 起才有效' },
  'gap.after-end': { en: '{approval}: expired on {end}', zh: '{approval}：已于 {end} 到期' },
  'gap.organization': { en: '{approval}: does not cover {organization}', zh: '{approval}：不覆盖主体 {organization}' },
  'gap.dataset': { en: '{approval}: dataset {dataset} not in scope', zh: '{approval}：数据集 {dataset} 不在范围内' },
  'gap.recipient': { en: '{approval}: recipient {recipient} not in scope', zh: '{approval}：接收方 {recipient} 不在范围内' },
  'gap.none': { en: 'no approval reaches it', zh: '无任何审批涉及' },
  'change.dataset': { en: 'new dataset', zh: '新增数据集' },
  'change.data-type': { en: 'new data type', zh: '新增数据类型' },
  'change.recipient': { en: 'new recipient', zh: '新增境外接收方' },
  'change.country': { en: 'new recipient country', zh: '新增接收方国家或地区' },
  'change.purpose': { en: 'new purpose', zh: '出境目的变更' },
  'change.storage-country': { en: 'new storage location', zh: '境外存储地点变更' },
  'change.retention': { en: 'longer retention abroad (months)', zh: '延长境外保存期限（月）' },
  'change.volume': { en: 'more persons than approved ({year})', zh: '个人信息人数超出范围（{year}年）' },
  'change.sensitive-volume': { en: 'more sensitive-PI persons than approved ({year})', zh: '敏感个人信息人数超出范围（{year}年）' },
  'change.volume-band': { en: 'higher volume band ({year})', zh: '数量档次升高（{year}年）' },
  'change.important-data': { en: 'important data under a non-SA mechanism', zh: '重要数据未经安全评估' },
  'action.extension-window-open': { en: '{approval}: SA-6 extension window is open; apply by {date}', zh: '{approval}：延长有效期申请窗口已开启，须于 {date} 前申请（SA-6）' },
  'action.filing-due': { en: '{approval}: file the standard contract by {date} (SC-2)', zh: '{approval}：须于 {date} 前完成标准合同备案（SC-2）' },
  'action.filing-overdue': { en: '{approval}: standard-contract filing OVERDUE since {date} (SC-2)', zh: '{approval}：标准合同备案已逾期（应于 {date} 前，SC-2）' },
  'action.review-overdue': { en: '{approval}: no answer from the provincial CAC by {date}; follow up (SC-3)', zh: '{approval}：省级网信部门未于 {date} 前答复，请跟进（SC-3）' },
  'action.renewal-due': { en: '{approval}: re-apply for the certificate (from {date}, CERT-4)', zh: '{approval}：须重新申请认证（自 {date} 起，CERT-4）' },
  'action.prohibited-transfer': { en: '{transfer} on {date}: core data, must not be exported (IMP-GEN-6)', zh: '{transfer}（{date}）：核心数据，不得出境（IMP-GEN-6）' },
  'gap.prohibited': { en: 'core data: no approval can cover it (IMP-GEN-6)', zh: '核心数据：任何审批均不能覆盖（IMP-GEN-6）' },
  'head.path': { en: 'path needed', zh: '所需路径' },
  'action.uncovered-transfer': { en: '{transfer} on {date}: no valid approval covers it', zh: '{transfer}（{date}）：无有效审批覆盖' },
  'action.scope-change': { en: '{approval}: scope changed ({changes}); new assessment or filing needed ({rules})', zh: '{approval}：范围已变更（{changes}），须重新申报或备案（{rules}）' },
  'calendar.provisional': { en: 'WARNING: the working-day calendar for {years} is provisional (official holiday notice not confirmed); dates counted through it may change.', zh: '警告：{years} 年工作日历为暂定（国务院放假通知尚未确认），据此计算的日期可能变化。' },
  'calendar.provisional-mark': { en: 'provisional', zh: '暂定' },
  'settings.line': { en: 'Settings (regulation.md §12): {settings}', zh: '设置（regulation.md 第12节）：{settings}' },
  'overrides.line': { en: 'Organisation overrides: {overrides}', zh: '组织自定义规则：{overrides}' },
  'calendar.years': { en: 'Working-day calendar: {years}', zh: '工作日历：{years}' },
  'summary.action': { en: '{count} item(s) need action.', zh: '共 {count} 项需要处理。' },
  'summary.ok': { en: 'Nothing needs action.', zh: '无需处理的事项。' },
  'ics.rules': { en: 'Rules: {rules}', zh: '规则：{rules}' },
  'ics.state': { en: 'State as of {asOf}: {state}', zh: '截至 {asOf} 的状态：{state}' },
  'ics.provisional': { en: 'Counted through a provisional calendar year ({years}).', zh: '按暂定工作日历（{years} 年）计算。' },
} as const satisfies Record<string, { en: string; zh: string }>;

export type LifecycleMessageKey = keyof typeof LIFECYCLE_MESSAGES;

export function tr(lang: Lang, key: LifecycleMessageKey, params: Params = {}): string {
  return LIFECYCLE_MESSAGES[key][lang].replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function deadlineSummary(lang: Lang, d: Deadline): string {
  return tr(lang, `kind.${d.kind}`, { approval: d.approval, until: d.until ?? '?' });
}

export function deadlineDescription(lang: Lang, d: Deadline, asOf?: string): string {
  const parts = [tr(lang, 'ics.rules', { rules: d.rules.join(', ') })];
  if (asOf) parts.push(tr(lang, 'ics.state', { asOf, state: tr(lang, `dstate.${d.state}`) }));
  if (d.provisionalYears.length) parts.push(tr(lang, 'ics.provisional', { years: d.provisionalYears.join(', ') }));
  parts.push(...d.notes);
  return parts.join('\n');
}

export function gapText(lang: Lang, approval: string, gap: CoverageGap): string {
  if (gap.kind === 'no-validity') return tr(lang, 'gap.no-validity', { approval, basis: render(lang, gap.basis) });
  const { kind, ...rest } = gap;
  return tr(lang, `gap.${kind}`, { approval, ...(rest as Params) });
}

export function changeText(lang: Lang, c: ScopeChange): string {
  return tr(lang, `change.${c.kind}`, { year: c.year ?? '' });
}

export function actionText(lang: Lang, a: StatusAction): string {
  const changes = (a.changes ?? []).map((k) => tr(lang, `change.${k}`, { year: '' }).replace(/\s*[(（][)）]$/, '')).join(lang === 'zh' ? '、' : ', ');
  return tr(lang, `action.${a.kind}`, { approval: a.approval ?? '', transfer: a.transfer ?? '', date: a.date ?? '?', rules: a.rules.join(', '), changes });
}
