/**
 * The words of the life-cycle report. The texts live in the message tables (src/i18n/{en,zh}/lifecycle.ts,
 * keys `status.*`); the status report itself carries codes and `Msg` values (deadline notes and errors,
 * one message per action), and these functions render them for the human table and the iCalendar file.
 */
import { msg, render, t, type Lang, type Msg, type Params } from '../i18n/index.js';
import type { ScopeChange } from './changes.js';
import type { CoverageGap } from './coverage.js';
import type { Deadline } from './deadlines.js';
import type { StatusAction } from './status.js';

export type { Lang };

/** A `status.*` message in a language (keys are given without the prefix). */
export function tr(lang: Lang, key: string, params: Params = {}): string {
  return t(lang, `status.${key}` as never, params);
}

export function deadlineTitle(d: Deadline): Msg {
  return msg(`status.kind.${d.kind}`, { approval: d.approval, until: d.until ?? '?' });
}

export function deadlineSummary(lang: Lang, d: Deadline): string {
  return render(lang, deadlineTitle(d));
}

export function deadlineDescription(lang: Lang, d: Deadline, asOf?: string): string {
  const parts = [tr(lang, 'ics.rules', { rules: d.rules.join(', ') })];
  if (asOf) parts.push(tr(lang, 'ics.state', { asOf, state: msg(`status.dstate.${d.state}`) }));
  if (d.provisionalYears.length) parts.push(tr(lang, 'ics.provisional', { years: d.provisionalYears.join(', ') }));
  if (d.error) parts.push(render(lang, d.error));
  parts.push(...d.notes.map((n) => render(lang, n)));
  return parts.join('\n');
}

export function gapText(lang: Lang, approval: string, gap: CoverageGap): string {
  switch (gap.kind) {
    case 'no-validity':
      return tr(lang, 'gap.no-validity', { approval, basis: gap.basis });
    case 'inactive':
      return tr(lang, 'gap.inactive', { approval, status: msg(`status.approval-status.${gap.status}`) });
    default: {
      const { kind, ...rest } = gap;
      return tr(lang, `gap.${kind}`, { approval, ...(rest as Params) });
    }
  }
}

export function changeText(lang: Lang, c: ScopeChange): string {
  const change = msg(`status.change.${c.kind}`);
  return c.year === undefined ? render(lang, change) : tr(lang, 'change.in-year', { change, year: c.year });
}

/** The message of an action: what `status` shows, and what `--json` carries beside the action's codes. */
export function actionMessage(a: Omit<StatusAction, 'message'>): Msg {
  const params: Params = { approval: a.approval ?? '', transfer: a.transfer ?? '', date: a.date ?? '?', rules: a.rules.join(', ') };
  switch (a.kind) {
    case 'scope-change':
      return msg('status.action.scope-change', { ...params, changes: (a.changes ?? []).map((k) => msg(`status.change.${k}`)) });
    case 'deadline-unknown':
      return msg('status.action.deadline-unknown', { ...params, deadline: a.deadline ? msg(`status.kind.${a.deadline}`, { approval: a.approval ?? '', until: a.date ?? '?' }) : '', reason: a.reason ?? '' });
    case 'ledger-finding':
      return msg('status.action.ledger-finding', { entry: a.entry ?? '', date: a.date ?? '?', finding: a.reason ?? '' });
    default:
      return msg(`status.action.${a.kind}`, params);
  }
}

export function actionText(lang: Lang, a: StatusAction): string {
  return render(lang, a.message);
}
