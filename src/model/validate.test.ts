import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateWorkspace } from './validate.js';
import { workspaceSchema } from './workspace.js';

const transfer = (i: number) => ({ id: `t${i}`, date: '2026-03-01', datasets: ['crm'], recipient: 'hq', purpose: 'p' });
const base = () => ({
  version: 1,
  organization: { id: 'acme', name: 'ACME', processorType: 'oem' },
  datasets: [{ id: 'crm', name: 'CRM', scenario: 'other', dataType: 'customers', personalInfo: { persons: 10 } }],
  recipients: [{ id: 'hq', name: 'HQ', country: 'DE' }],
  transfers: Array.from({ length: 12 }, (_, i) => transfer(i)),
  approvals: [{ id: 'sc', mechanism: 'standard-contract', effective: '2026-01-01', covers: {} }],
});

/** Corruptions anywhere in the workspace, several at once. */
const corruption = fc.constantFrom<(w: ReturnType<typeof base>) => void>(
  (w) => ((w.transfers[3] as Record<string, unknown>).date = '2026-02-30'),
  (w) => ((w.transfers[7] as Record<string, unknown>).purpse = 'typo'),
  (w) => delete (w.transfers[0] as Record<string, unknown>).recipient,
  (w) => ((w.transfers[11] as Record<string, unknown>).datasets = 'crm'),
  (w) => ((w.transfers as unknown[])[5] = 'not a transfer'),
  (w) => ((w.organization as Record<string, unknown>).processorType = 'carmaker'),
  (w) => ((w.datasets[0]!.personalInfo as Record<string, unknown>).persons = -1),
  (w) => ((w.approvals[0] as Record<string, unknown>).mechanism = 'approval'),
  (w) => ((w as Record<string, unknown>).unknownTop = 1),
  (w) => ((w as Record<string, unknown>).version = 2),
  (w) => ((w.recipients[0] as Record<string, unknown>).country = 7),
);

describe('validateWorkspace (transfers one by one)', () => {
  it('gives the same issues, in the same order, as one safeParse of the whole (property)', () => {
    fc.assert(
      fc.property(fc.array(corruption, { maxLength: 5 }), (changes) => {
        const a = base();
        const b = base();
        for (const c of changes) {
          c(a);
          c(b);
        }
        const whole = workspaceSchema.safeParse(a);
        const piecewise = validateWorkspace(b, 1);
        expect(piecewise.success).toBe(whole.success);
        if (!whole.success && !piecewise.success) expect(piecewise.error.issues).toEqual(whole.error.issues);
        if (whole.success && piecewise.success) expect(piecewise.data).toEqual(whole.data);
      }),
      { numRuns: 300 },
    );
  });

  it('small lists are validated whole, untouched', () => {
    const w = base();
    const r = validateWorkspace(w);
    expect(r.success).toBe(true);
    expect(w.transfers[0]).toEqual(transfer(0));
  });
});
