import { describe, expect, it } from 'vitest';
import { workspaceSchema, type WorkspaceInput } from '../model/workspace.js';
import { cnNational2024 } from '../rules/packs/cn-national-2024.js';
import { approvalChanges, volumeBand } from './changes.js';
import { transferCoverage, uncoveredTransfers } from './coverage.js';

const periods = cnNational2024.periods!;
const thresholds = cnNational2024.pathThresholds!;

function workspace(extra: Partial<WorkspaceInput>) {
  return workspaceSchema.parse({
    version: 1,
    organization: { id: 'acme-cn', name: 'ACME', processorType: 'oem', group: 'acme-group' },
    affiliates: [
      { id: 'acme-sub', name: 'ACME Sub', processorType: 'dealer', group: 'acme-group' },
      { id: 'other', name: 'Other', processorType: 'dealer', group: 'other-group' },
    ],
    datasets: [
      { id: 'crm', name: 'CRM', scenario: 'other', dataType: 'contacts', personalInfo: { persons: 60000 } },
      { id: 'crm2', name: 'CRM 2', scenario: 'other', dataType: 'contacts', personalInfo: { persons: 70000 } },
      { id: 'faces', name: 'Faces', scenario: 'other', dataType: 'cabin-images', personalInfo: { persons: 12000, sensitivePersons: 12000 } },
      { id: 'bom', name: 'BOM', scenario: 'other', dataType: 'bom', level: 'general' },
    ],
    recipients: [
      { id: 'de', name: 'DE', country: 'DE' },
      { id: 'de-stored-us', name: 'DE stored in US', country: 'DE', storageCountry: 'US' },
      { id: 'sg', name: 'SG', country: 'SG' },
    ],
    ...extra,
  });
}

describe('coverage', () => {
  it('covers a transfer within organisation, datasets, recipient and validity; not after expiry', () => {
    const ws = workspace({
      approvals: [{ id: 'sa', mechanism: 'security-assessment', issued: '2023-12-20', covers: { datasets: ['crm'], recipients: ['de'] } }],
      transfers: [
        { id: 't1', date: '2026-12-19', datasets: ['crm'], recipient: 'de', purpose: 'crm' },
        { id: 't2', date: '2026-12-20', datasets: ['crm'], recipient: 'de', purpose: 'crm' },
      ],
    });
    expect(transferCoverage(ws, ws.transfers[0]!, periods)).toMatchObject({ covered: true, by: ['sa'] });
    const t2 = transferCoverage(ws, ws.transfers[1]!, periods);
    expect(t2.covered).toBe(false);
    expect(t2.nearest[0]!.gaps).toEqual([{ kind: 'after-end', end: '2026-12-19' }]);
  });

  it('PROC-3: a group approval covers every entity of its group and no other', () => {
    const ws = workspace({
      approvals: [{ id: 'cert', mechanism: 'certification', status: 'certified', issued: '2026-01-15', group: 'acme-group', covers: { datasets: ['crm'] } }],
      transfers: [
        { id: 'main', date: '2026-03-01', datasets: ['crm'], recipient: 'sg', purpose: 'x' },
        { id: 'sub', date: '2026-03-01', organization: 'acme-sub', datasets: ['crm'], recipient: 'sg', purpose: 'x' },
        { id: 'out', date: '2026-03-01', organization: 'other', datasets: ['crm'], recipient: 'sg', purpose: 'x' },
      ],
    });
    expect(ws.transfers.map((t) => transferCoverage(ws, t, periods).covered)).toEqual([true, true, false]);
  });

  it('applied, rejected and revoked approvals cover nothing; which transfers need an approval is the engine\'s decision', () => {
    const ws = workspace({
      approvals: [
        { id: 'a', mechanism: 'security-assessment', status: 'applied', covers: { datasets: ['crm'] } },
        { id: 'r', mechanism: 'security-assessment', status: 'rejected', issued: '2025-01-01', covers: { datasets: ['crm'] } },
      ],
      transfers: [
        { id: 't', date: '2026-03-01', datasets: ['crm'], recipient: 'de', purpose: 'x' },
        { id: 'hr', date: '2026-03-01', datasets: ['crm'], recipient: 'de', purpose: 'x', exemptionClaims: ['hr-management'] },
        { id: 'free', date: '2026-03-01', datasets: ['bom'], recipient: 'de', purpose: 'x' },
      ],
    });
    const decisions = [
      { id: 't', path: 'security-assessment', covered: false },
      { id: 'hr', path: 'exempt', covered: true },
      { id: 'free', path: 'exempt', covered: true },
    ];
    const u = uncoveredTransfers(ws, periods, decisions);
    expect(u.map((x) => x.transfer)).toEqual(['t']);
    expect(u[0]!.nearest.flatMap((f) => f.gaps.map((g) => g.kind))).toEqual(['inactive', 'inactive']);
  });
});

describe('change detection (SA-5, SC-5)', () => {
  it('reports each kind of change against the scope, with the rule of the mechanism', () => {
    const ws = workspace({
      approvals: [
        {
          id: 'sc',
          mechanism: 'standard-contract',
          effective: '2026-01-05',
          filed: '2026-01-08',
          covers: { datasets: ['crm'], dataTypes: ['contacts'], recipients: ['de'], countries: ['DE'], purposes: ['Global CRM'], storageCountries: ['DE'], retentionAbroadMonths: 12, maxPersons: 100000, maxSensitivePersons: 0 },
        },
      ],
      transfers: [
        { id: 't1', date: '2026-02-01', datasets: ['crm', 'faces'], recipient: 'de-stored-us', purpose: ' global crm ', retentionAbroadMonths: 24 },
        { id: 't2', date: '2026-03-01', datasets: ['crm'], recipient: 'sg', purpose: 'marketing' },
      ],
    });
    const changes = approvalChanges(ws, ws.approvals[0]!, periods, thresholds);
    const kinds = changes.map((c) => `${c.kind}:${c.now}`).sort();
    expect(kinds).toEqual(
      [
        'country:SG',
        'data-type:cabin-images',
        'dataset:faces',
        'purpose:marketing',
        'recipient:de-stored-us',
        'recipient:sg',
        'retention:24',
        'storage-country:SG',
        'storage-country:US',
        'volume-band:security-assessment',
        'volume:132000',
        'sensitive-volume:12000',
      ].sort(),
    );
    expect(changes.every((c) => c.rules.includes('SC-5'))).toBe(true);
    // 60,000 + 12,000 + 60,000 persons in 2026 (upper bound) and 12,000 sensitive: PATH-SA-3 (>= 10,000).
    expect(changes.find((c) => c.kind === 'volume-band')).toMatchObject({ year: 2026, approved: 'standard-contract-or-certification', rules: ['PATH-SA-3', 'SC-5'] });
  });

  it('names SA-5 for a security assessment and CERT-3 (UNCONFIRMED) for a certificate', () => {
    const ws = workspace({
      approvals: [
        { id: 'sa', mechanism: 'security-assessment', issued: '2025-01-02', covers: { datasets: ['crm'], purposes: ['crm'] } },
        { id: 'cert', mechanism: 'certification', status: 'certified', issued: '2026-01-02', covers: { datasets: ['crm'], purposes: ['crm'] } },
      ],
      transfers: [{ id: 't', date: '2026-02-01', datasets: ['crm'], recipient: 'de', purpose: 'analytics' }],
    });
    expect(approvalChanges(ws, ws.approvals[0]!, periods, thresholds)).toMatchObject([{ kind: 'purpose', rules: ['SA-5', 'PROC-5'], confidence: 'recalled' }]);
    expect(approvalChanges(ws, ws.approvals[1]!, periods, thresholds)).toMatchObject([{ kind: 'purpose', rules: ['CERT-3'], confidence: 'UNCONFIRMED' }]);
  });

  it('a transfer carrying none of the approved datasets is another flow, not a change', () => {
    const ws = workspace({
      approvals: [{ id: 'sa', mechanism: 'security-assessment', issued: '2025-01-02', covers: { datasets: ['crm'], recipients: ['de'], purposes: ['crm'] } }],
      transfers: [{ id: 't', date: '2026-02-01', datasets: ['crm2'], recipient: 'de', purpose: 'other' }],
    });
    expect(approvalChanges(ws, ws.approvals[0]!, periods, thresholds)).toEqual([]);
  });

  it('volume bands follow the national pack thresholds (>= for SA, PATH-SA-6)', () => {
    expect(volumeBand(99_999, 0, thresholds)).toBe('below');
    expect(volumeBand(100_000, 0, thresholds)).toBe('standard-contract-or-certification');
    expect(volumeBand(0, 1, thresholds)).toBe('standard-contract-or-certification');
    expect(volumeBand(999_999, 9_999, thresholds)).toBe('standard-contract-or-certification');
    expect(volumeBand(1_000_000, 0, thresholds)).toBe('security-assessment');
    expect(volumeBand(0, 10_000, thresholds)).toBe('security-assessment');
  });
});
