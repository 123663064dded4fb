/**
 * The streamed report (for a million transfers) is the report: drained, `assessStream` gives exactly
 * what `assess` gives, on random workspaces with groups, claims, approvals and a ledger.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assess, assessStream } from '../../src/engine/assess.js';
import type { LedgerBaseline } from '../../src/engine/types.js';
import { CALENDAR, piDataset, transfer, workspace } from '../helpers/workspace.js';

const sub = (id: string) => ({ id, name: id, processorType: 'dealer', group: 'g' });
const datasets = [
  piDataset('crm', 40_000),
  piDataset('big', 700_000),
  piDataset('traj', 300, 300),
  { ...piDataset('charging', 300_000), scenario: 'connected-operation', dataType: 'charging-operation-data', personalInfo: { persons: 300_000, chargingConsumptionPersons: 300_000, subjects: ['customers'] } },
  { id: 'video', name: 'video', scenario: 'driving-automation', dataType: 'algorithm-training-data', facts: { maxFaceBoxMinSidePx: 40 } },
  { id: 'bom', name: 'bom', scenario: 'manufacturing', dataType: 'bill-of-materials' },
];

const transferArb = fc.record({
  org: fc.constantFrom('oem', 'a', 'b'),
  ds: fc.constantFrom('crm', 'big', 'traj', 'charging', 'video', 'bom'),
  day: fc.integer({ min: 0, max: 700 }),
  claim: fc.boolean(),
});

describe('assessStream', () => {
  it('drained, equals assess', () => {
    fc.assert(
      fc.property(fc.array(transferArb, { minLength: 1, maxLength: 25 }), fc.constantFrom('group-same-scenario', 'group', 'off'), (list, splitting) => {
        const ws = workspace({
          organization: { group: 'g' },
          affiliates: [sub('a'), sub('b')],
          settings: { splittingCheck: splitting },
          datasets,
          transfers: list.map((x, i) =>
            transfer(`t${i}`, new Date(Date.UTC(2025, 0, 1 + x.day)).toISOString().slice(0, 10), [x.ds], {
              organization: x.org,
              ...(x.claim && x.ds === 'crm' ? { exemptionClaims: [{ claim: 'contract-necessity', basis: 'sales contract' }] } : {}),
            }),
          ),
          approvals: [{ id: 'sc', mechanism: 'standard-contract', effective: '2025-03-01', covers: { datasets: ['crm', 'traj'] } }],
        });
        const volume = { persons: 5, sensitivePersons: 0, chargingConsumptionPersons: 0, vehicles: 0 };
        const ledger: LedgerBaseline = {
          source: 'test',
          days: [{ organization: 'oem', year: 2025, date: '2025-02-01', ...volume }],
          entries: [{ id: 't0', organization: 'oem', time: '2025-02-01T02:00:00Z', date: '2025-02-01', year: 2025, datasets: [], recipient: 'hq', kind: 'transmit', mechanism: null, approvalReference: null, forced: false, volume }],
        };
        const input = { workspace: ws, asOf: '2026-06-30', calendar: CALENDAR, ledger };
        const whole = assess(input);
        const stream = assessStream(input);
        const transfers = [...stream.transfers()];
        expect({ ...stream.head, transfers, ...stream.tail() }).toEqual(whole);
      }),
      { numRuns: 80 },
    );
  });
});
