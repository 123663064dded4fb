/**
 * The decision engine keeps, per question's scope and place, what does not depend on its counts
 * (decide-one.ts): a judgement from those kept parts is the judgement a fresh engine makes, for varied
 * questions — dates, counts, datasets, claims, exact counts, organisations, declared transfers — and
 * across ledger changes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DecisionEngine, REQUESTED_ID, withoutId } from '../../src/engine/decide-one.js';
import { QuestionTrie } from '../../src/engine/question-trie.js';
import type { LedgerBaseline, TransferResult } from '../../src/engine/types.js';
import { loadWorkspace } from '../../src/model/load.js';
import type { Workspace } from '../../src/model/workspace.js';
import { CALENDAR, piDataset, transfer, workspace } from '../helpers/workspace.js';

const volume = (persons: number, sensitivePersons = 0) => ({ persons, sensitivePersons, chargingConsumptionPersons: 0, vehicles: 0 });

const sub = (id: string) => ({ id, name: id, processorType: 'dealer', group: 'g' });
const GROUP = workspace({
  organization: { group: 'g' },
  affiliates: [sub('a'), sub('b')],
  recipients: [
    { id: 'hq', name: 'HQ', country: 'DE' },
    { id: 'hk', name: 'HK office', country: 'HK' },
  ],
  datasets: [piDataset('crm', 60_000), piDataset('more', 45_000), piDataset('traj', 300, 300), { id: 'nopi', name: 'nopi', scenario: 'other', dataType: 'customer-records' }],
  transfers: [
    transfer('t1', '2026-02-01', ['crm']),
    transfer('t2', '2026-03-01', ['more'], { organization: 'a' }),
    transfer('t3', '2026-09-01', ['traj']),
    transfer('t4', '2026-09-01', ['crm', 'more'], { organization: 'b' }),
    transfer('t5', '2026-06-01', ['traj'], { persons: 500, sensitivePersons: 500 }),
  ],
  approvals: [
    { id: 'sc', mechanism: 'standard-contract', effective: '2026-01-05', covers: { datasets: ['crm', 'traj'], maxPersons: 200_000, maxSensitivePersons: 5_000 } },
    { id: 'sa', mechanism: 'security-assessment', issued: '2026-03-01', covers: { organizations: ['a'], purposes: ['global CRM'] } },
  ],
});

const LEDGERS: (LedgerBaseline | undefined)[] = [
  undefined,
  { source: 'test', days: [{ organization: 'oem', year: 2026, date: '2026-01-20', ...volume(30_000, 100) }, { organization: 'a', year: 2026, date: '2026-07-01', ...volume(80_000) }], entries: [] },
  {
    source: 'test',
    days: [{ organization: 'oem', year: 2026, date: '2026-02-01', ...volume(70_000) }],
    entries: [{ id: 't1', organization: 'oem', time: '2026-02-01T02:00:00Z', date: '2026-02-01', year: 2026, datasets: ['crm'], recipient: 'hq', kind: 'transmit', mechanism: null, approvalReference: null, forced: false, volume: volume(70_000) }],
  },
];

const CLAIMS = [[], ['foreign-transit'], [{ claim: 'contract-necessity', basis: 'the sales contract' }], [{ claim: 'hr-management', basis: 'labour rules', datasets: ['crm'] }], [{ claim: 'trade-no-pi', activity: 'international-trade' }]];

/** A question: a new transfer or a declared one asked again, with or without counts. */
function question(ws: Workspace) {
  const counts = fc.record(
    {
      persons: fc.integer({ min: 0, max: 1_500_000 }),
      sensitivePersons: fc.integer({ min: 0, max: 20_000 }),
      chargingConsumptionPersons: fc.integer({ min: 0, max: 200_000 }),
    },
    { requiredKeys: [] },
  );
  const fresh = fc.record({
    organization: fc.constantFrom(ws.organization.id, ...ws.affiliates.map((a) => a.id)),
    datasets: fc.array(fc.constantFrom(...ws.datasets.map((d) => d.id)), { minLength: 1, maxLength: 3 }),
    recipient: fc.constantFrom(...ws.recipients.map((r) => r.id)),
    kind: fc.constantFrom('transmit', 'remote-access', 'offshore-processing'),
    purpose: fc.constantFrom('global CRM', 'analytics', ...ws.transfers.map((t) => t.purpose)),
    day: fc.integer({ min: -60, max: 420 }),
    exemptionClaims: fc.constantFrom(...CLAIMS),
  });
  return fc.record({
    base: fc.oneof(
      fresh.map(({ day, ...t }) => ({ ...t, id: REQUESTED_ID, date: new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10), status: 'planned' })),
      fc.constantFrom(...ws.transfers),
    ),
    counts: fc.array(counts, { minLength: 1, maxLength: 3 }),
    exactNew: fc.option(fc.record({ persons: fc.integer({ min: 0, max: 5_000 }), sensitivePersons: fc.integer({ min: 0, max: 100 }), chargingConsumptionPersons: fc.constant(0) }), { nil: undefined }),
  });
}

function holdsForWorkspace(ws: Workspace, numRuns: number) {
  for (const ledger of LEDGERS) {
    // One engine for every question (its kept scopes and places are reused); a fresh one per judgement.
    const kept = new DecisionEngine({ workspace: ws, calendar: CALENDAR }, ledger);
    fc.assert(
      fc.property(question(ws), ({ base, counts, exactNew }) => {
        for (const c of counts) {
          const { persons: _p, sensitivePersons: _s, chargingConsumptionPersons: _c, ...scope } = base as Workspace['transfers'][number];
          const asked = { ...scope, ...c } as never;
          const fresh = new DecisionEngine({ workspace: ws, calendar: CALENDAR }, ledger).judge(asked, exactNew);
          expect(kept.judge(asked, exactNew)).toEqual(fresh);
        }
      }),
      { numRuns },
    );
    // A ledger change forgets the places: the kept engine follows it.
    const later: LedgerBaseline = { source: 'test', days: [...(ledger?.days ?? []), { organization: ws.organization.id, year: 2026, date: '2026-04-04', ...volume(12_345, 67) }], entries: ledger?.entries ?? [] };
    kept.setLedger(later);
    fc.assert(
      fc.property(question(ws), ({ base, counts, exactNew }) => {
        const asked = { ...base, ...counts[0] } as never;
        expect(kept.judge(asked, exactNew)).toEqual(new DecisionEngine({ workspace: ws, calendar: CALENDAR }, later).judge(asked, exactNew));
      }),
      { numRuns: Math.ceil(numRuns / 3) },
    );
  }
}

describe('DecisionEngine: kept scopes and places', () => {
  it('judges as a fresh engine does (a group with splitting, claims, approvals with person limits, the ledger)', () => {
    holdsForWorkspace(GROUP, 120);
    holdsForWorkspace({ ...GROUP, settings: { ...GROUP.settings, splittingCheck: 'group', sensitiveOverlap: 'sensitive-only', countExemptTransfers: true } }, 60);
  });

  it('judges as a fresh engine does on the example workspace', () => {
    holdsForWorkspace(loadWorkspace('examples/acme-auto').workspace, 60);
  });

  it('withoutId keeps every key of a result but the id, in order', () => {
    const ws = loadWorkspace('examples/acme-auto').workspace;
    const engine = new DecisionEngine({ workspace: ws, calendar: CALENDAR });
    const results: TransferResult[] = ws.transfers.map((t) => engine.judge(t).result);
    results.push({ ...results[0]!, levelsOnDate: [{ dataset: 'd', pack: 'p', level: 'important', reportPack: 'q', reportLevel: 'general' }] });
    for (const r of results) {
      const { id: _id, ...rest } = r;
      expect(JSON.stringify(withoutId(r))).toBe(JSON.stringify(rest));
      expect(Object.keys(withoutId(r))).toEqual(Object.keys(rest));
    }
  });

  it('finds kept values by every field, absent and empty apart, and starts again when full', () => {
    const trie = new QuestionTrie<{ n: number }>(3);
    let n = 0;
    const at = (t: object) => trie.at({ id: REQUESTED_ID, date: '2026-05-01', recipient: 'hq', kind: 'transmit', purpose: 'p', datasets: ['a'], exemptionClaims: [], status: 'planned', ...t } as never, () => ({ n: n++ }));
    expect(at({}).n).toBe(0);
    expect(at({ persons: 5 }).n).toBe(0); // counts are not part of the key
    expect(at({ rulePack: '' }).n).toBe(1); // an empty pin is not an absent one
    expect(at({ datasets: ['a', 'b'] }).n).toBe(2);
    expect(at({ datasets: ['a'], exemptionClaims: ['foreign-transit'] }).n).toBe(3); // a fourth: the trie starts again
    expect(at({}).n).toBe(4);
  });
});
