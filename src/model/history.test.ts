import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './dates.js';
import { HISTORY_CHECKS, historyIssues } from './history.js';
import { workspaceSchema } from './workspace.js';

const ws = (approvals: unknown[]) => workspaceSchema.parse({ version: 1, organization: { id: 'o', name: 'O', processorType: 'oem' }, approvals });
const ids = (approvals: unknown[]) => historyIssues(ws(approvals)).map((i) => (i.message.params as { check: string }).check);

describe('HIST checks (src/model/history.ts)', () => {
  it('each check of the catalogue has a unique id and names the procedure rule it rests on', () => {
    expect(new Set(HISTORY_CHECKS.map((c) => c.id)).size).toBe(HISTORY_CHECKS.length);
    for (const c of HISTORY_CHECKS) expect(c.rules.length).toBeGreaterThan(0);
  });

  it('dates in procedure order never raise an issue; any step moved before its predecessor does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 5, maxLength: 5 }), fc.integer({ min: 0, max: 4 }), (gaps, broken) => {
        // applied -> issued -> extension applied -> granted -> (renewal applied), each gap >= 0 days.
        const days: string[] = [];
        let d = '2024-01-01';
        for (const g of gaps) days.push((d = addDays(d, g)));
        const [applied, issued, extApplied, granted, renewal] = days as [string, string, string, string, string];
        const ok = [
          { id: 'sa', mechanism: 'security-assessment', applied, issued, extensions: [{ applied: extApplied, granted }] },
          { id: 'sa2', mechanism: 'security-assessment', applied: renewal, issued: addDays(renewal, 30), renews: 'sa' },
        ];
        expect(ids(ok)).toEqual([]);
        // Move one date one day before the date it must follow.
        const bad = structuredClone(ok) as Record<string, any>[];
        const expected = ['HIST-3', 'HIST-2', 'HIST-1', 'HIST-8'][broken % 4]!;
        if (expected === 'HIST-3') bad[0]!.issued = addDays(applied, -1);
        if (expected === 'HIST-2') bad[0]!.extensions[0].applied = addDays(issued, -1);
        if (expected === 'HIST-1') bad[0]!.extensions[0].granted = addDays(bad[0]!.extensions[0].applied, -1);
        if (expected === 'HIST-8') bad[1]!.applied = addDays(issued, -1);
        expect(ids(bad)).toContain(expected);
      }),
    );
  });

  it('contracts: signed <= effective <= filed <= answered; expiry after the start', () => {
    expect(ids([{ id: 'sc', mechanism: 'standard-contract', signed: '2026-03-02', effective: '2026-03-01', filed: '2026-02-28', answered: '2026-02-27' }])).toEqual(['HIST-4', 'HIST-5', 'HIST-6']);
    expect(ids([{ id: 'sc', mechanism: 'standard-contract', effective: '2026-03-01', expires: '2026-03-01' }])).toEqual(['HIST-7']);
  });
});
