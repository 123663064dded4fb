import { describe, expect, it } from 'vitest';
import { workspaceSchema } from '../model/workspace.js';
import { cnNational2024 } from '../rules/packs/cn-national-2024.js';
import type { Deadline } from './deadlines.js';
import { extensionConditions, growthComparison } from './extension-conditions.js';

const periods = cnNational2024.periods!;
const approval = (covers: Record<string, unknown> = {}) =>
  workspaceSchema.parse({ version: 1, organization: { id: 'o', name: 'O', processorType: 'oem' }, approvals: [{ id: 'sa', mechanism: 'security-assessment', issued: '2024-01-10', covers }] }).approvals[0]!;
const window = (state: Deadline['state']): Deadline => ({ approval: 'sa', mechanism: 'security-assessment', kind: 'sa-extension-window', date: '2026-10-01', until: '2027-01-09', state, action: state === 'open', rules: ['SA-6'], provisionalYears: [], daysLeft: 0, notes: [] });
const t = (id: string, date: string, persons: number, method = 'dataset-once-per-year', coveredBy: string | null = 'sa') => ({ id, date, coveredBy, counted: { persons, method } });

describe('SA-6-C1 extension conditions', () => {
  it('shown for an open, coming or uncomputable window; not once applied for or missed', () => {
    for (const s of ['open', 'upcoming', 'unknown'] as const) expect(extensionConditions(approval(), window(s), periods, [], '2026-11-01')).toHaveLength(1);
    for (const s of ['done', 'missed'] as const) expect(extensionConditions(approval(), window(s), periods, [], '2026-11-01')).toEqual([]);
  });

  it('the figures: the ledger where the latest year was recorded there; other approvals\' and later transfers ignored', () => {
    const decisions = [t('a', '2024-02-01', 1000), t('b', '2025-02-01', 1100), t('c', '2026-02-01', 1150, 'ledger-recorded'), t('x', '2026-03-01', 99999, 'ledger-recorded', 'other'), t('late', '2027-02-01', 5000)];
    expect(growthComparison(approval(), decisions, '2026-11-01')).toEqual({ basis: 'ledger', from: { kind: 'year', year: 2024, persons: 1000 }, to: { year: 2026, persons: 1150 }, growthPercent: 15, exceeds: false });
    const [c] = extensionConditions(approval(), window('open'), periods, decisions, '2026-11-01');
    expect(c!.comparisonMessage.code).toBe('law.extension.growth-within');
    // Exactly 20% is within "no more than 20%"; above is not.
    expect(extensionConditions(approval(), window('open'), periods, [t('a', '2024-02-01', 1000), t('c', '2026-02-01', 1200)], '2026-11-01')[0]!.comparison!.exceeds).toBe(false);
    expect(extensionConditions(approval(), window('open'), periods, [t('a', '2024-02-01', 1000), t('c', '2026-02-01', 1201)], '2026-11-01')[0]!.comparison!.exceeds).toBe(true);
  });

  it('no comparison from one year alone', () => {
    const [c] = extensionConditions(approval(), window('open'), periods, [t('a', '2026-02-01', 1000)], '2026-11-01');
    expect(c!.comparison).toBeNull();
    expect(c!.comparisonMessage.code).toBe('law.extension.no-figures');
  });
});
