/**
 * The decision engine judges one transfer exactly as `assess` judges it among the workspace's
 * transfers (the server's egress decisions rest on this).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assess } from '../../src/engine/assess.js';
import { DecisionEngine, REQUESTED_ID } from '../../src/engine/decide-one.js';
import type { LedgerBaseline } from '../../src/engine/types.js';
import { loadWorkspace } from '../../src/model/load.js';
import { CALENDAR, piDataset, transfer, workspace } from '../helpers/workspace.js';

const essence = (t: { path: string; exemption: string | null; covered: boolean; coveredBy: string | null; rules: string[]; yearToDate: { persons: number; sensitivePersons: number }; splitting: unknown }) => ({
  path: t.path,
  exemption: t.exemption,
  covered: t.covered,
  coveredBy: t.coveredBy,
  rules: t.rules,
  persons: t.yearToDate.persons,
  sensitive: t.yearToDate.sensitivePersons,
  splitting: t.splitting,
});

describe('DecisionEngine', () => {
  it('judges every transfer of the example as assess does', () => {
    const { workspace: ws } = loadWorkspace('examples/acme-auto');
    const report = assess({ workspace: ws, asOf: '2026-11-23', calendar: CALENDAR });
    const engine = new DecisionEngine({ workspace: ws, calendar: CALENDAR });
    for (const t of ws.transfers) {
      const one = engine.judge(t).result;
      expect(essence(one), t.id).toEqual(essence(report.transfers.find((x) => x.id === t.id)!));
    }
  });

  it('judges a new transfer as assess judges it added to the workspace, with the ledger, splitting and dataset counting', () => {
    const sub = (id: string) => ({ id, name: id, processorType: 'dealer', group: 'g' });
    const base = workspace({
      organization: { group: 'g' },
      affiliates: [sub('a'), sub('b')],
      datasets: [piDataset('crm', 60_000), piDataset('more', 45_000), piDataset('traj', 300, 300)],
      transfers: [transfer('t1', '2026-02-01', ['crm']), transfer('t2', '2026-03-01', ['more'], { organization: 'a' }), transfer('t3', '2026-09-01', ['traj'])],
      approvals: [{ id: 'sc', mechanism: 'standard-contract', effective: '2026-01-05', covers: { datasets: ['crm', 'traj'] } }],
    });
    const volume = (persons: number) => ({ persons, sensitivePersons: 0, chargingConsumptionPersons: 0, vehicles: 0 });
    const ledger: LedgerBaseline = { source: 'test', days: [{ organization: 'oem', year: 2026, date: '2026-01-20', ...volume(30_000) }], entries: [] };
    const engine = new DecisionEngine({ workspace: base, calendar: CALENDAR }, ledger);
    fc.assert(
      fc.property(
        fc.constantFrom('oem', 'a', 'b'),
        fc.subarray(['crm', 'more', 'traj'], { minLength: 1 }),
        fc.integer({ min: 1, max: 365 }),
        (organization, datasets, day) => {
          const date = new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10);
          const asked = transfer(REQUESTED_ID, date, datasets, { organization, kind: 'transmit', exemptionClaims: [], status: 'planned' }) as never;
          const full = assess({ workspace: { ...base, transfers: [...base.transfers, asked] }, asOf: '2026-12-31', ledger, calendar: CALENDAR });
          const expected = full.transfers.find((t) => t.id === REQUESTED_ID)!;
          expect(essence(engine.judge(asked).result)).toEqual(essence(expected));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('follows the ledger: new days change the count; an entry for a workspace transfer re-runs the pass', () => {
    const ws = workspace({ datasets: [piDataset('crm', 60_000)], transfers: [transfer('t1', '2026-03-01', ['crm'])] });
    const engine = new DecisionEngine({ workspace: ws, calendar: CALENDAR });
    const asked = transfer(REQUESTED_ID, '2026-06-01', ['crm'], { kind: 'transmit', exemptionClaims: [], status: 'planned', persons: 30_000 }) as never;
    expect(engine.judge(asked).result.yearToDate.persons).toBe(90_000);
    const volume = (persons: number) => ({ persons, sensitivePersons: 0, chargingConsumptionPersons: 0, vehicles: 0 });
    engine.setLedger({ source: 'test', days: [{ organization: 'oem', year: 2026, date: '2026-05-01', ...volume(20_000) }], entries: [] });
    expect(engine.judge(asked).result.yearToDate.persons).toBe(110_000);
    // t1 executed and recorded in full: counted by the ledger now, not twice.
    engine.setLedger({
      source: 'test',
      days: [{ organization: 'oem', year: 2026, date: '2026-03-01', ...volume(60_000) }],
      entries: [{ id: 't1', organization: 'oem', time: '2026-03-01T02:00:00Z', date: '2026-03-01', year: 2026, datasets: ['crm'], recipient: 'hq', kind: 'transmit', mechanism: null, approvalReference: null, forced: false, volume: volume(60_000) }],
    });
    expect(engine.judge(asked).result).toMatchObject({ path: 'exempt', yearToDate: expect.objectContaining({ persons: 90_000 }) });
  });
});
