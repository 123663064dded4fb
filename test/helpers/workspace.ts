/** Build schema-valid workspaces in tests from the few fields a case cares about. */
import { workspaceSchema, type Workspace } from '../../src/model/workspace.js';
import { assess } from '../../src/engine/assess.js';
import type { AssessReport, LedgerBaseline, MeasuredDataset } from '../../src/engine/types.js';
import { render, type Msg } from '../../src/i18n/index.js';
import { builtInCalendar, engineCalendar } from '../../src/lifecycle/calendar.js';

/** Messages as English text, joined: what a reader of the English report sees. */
export function en(messages: Msg | Msg[] | undefined): string {
  if (!messages) return '';
  return (Array.isArray(messages) ? messages : [messages]).map((m) => render('en', m)).join(' | ');
}

/** The codes of a list of messages. */
export const codes = (messages: Msg[]) => messages.map((m) => m.code);

export const CALENDAR = engineCalendar(builtInCalendar());

/** Loosely typed on purpose: the schema checks the parts at run time, as it does for YAML. */
type WorkspaceParts = { [key: string]: unknown; organization?: Record<string, unknown> };

export function workspace(partial: WorkspaceParts = {}): Workspace {
  const { organization, ...rest } = partial;
  return workspaceSchema.parse({
    version: 1,
    organization: { id: 'oem', name: 'OEM (China) Co., Ltd.', processorType: 'oem', ...organization },
    recipients: [{ id: 'hq', name: 'Overseas HQ', country: 'DE' }],
    ...rest,
  });
}

export function run(ws: Workspace, options: { asOf?: string; measured?: Record<string, MeasuredDataset>; ledger?: LedgerBaseline } = {}): AssessReport {
  return assess({ workspace: ws, asOf: options.asOf ?? '2026-12-31', calendar: CALENDAR, ...(options.measured ? { measured: options.measured } : {}), ...(options.ledger ? { ledger: options.ledger } : {}) });
}

/** A dataset of `persons` PI subjects (and `sensitive` of them with sensitive PI). */
export function piDataset(id: string, persons: number, sensitive = 0, extra: Record<string, unknown> = {}) {
  return { id, name: id, scenario: 'other', dataType: 'customer-records', personalInfo: { persons, sensitivePersons: sensitive, subjects: ['customers'] }, ...extra };
}

export function transfer(id: string, date: string, datasets: string[], extra: Record<string, unknown> = {}) {
  return { id, date, datasets, recipient: 'hq', purpose: 'global CRM', ...extra };
}

export function only<T>(list: T[]): T {
  if (list.length !== 1) throw new Error(`expected one item, got ${list.length}`);
  return list[0]!;
}
