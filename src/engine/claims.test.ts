import { describe, expect, it } from 'vitest';
import { AUTO_EXEMPTION_REACH } from '../rules/packs/auto-exemption-reach.js';
import { kindOf } from './claims.js';
import type { DatasetResult, Finding } from './types.js';

const finding = (rule: string, fact: string, aliases?: string[]): Finding =>
  ({ rule, fact, pack: 'cn-auto@2026', value: true, comparator: '==', threshold: true, source: 's', confidence: 'confirmed', binding: true, notes: [], basis: 'declared', title: { en: '', zh: '' }, ...(aliases ? { aliases } : {}) }) as Finding;
const dataset = (dataType: string) => ({ id: 'd', dataType }) as never;
const result = (...findings: Finding[]) => ({ findings, important: true, level: 'important' }) as unknown as DatasetResult;
const [AUTO1, AUTO3] = [AUTO_EXEMPTION_REACH['EXEMPT-AUTO-1']!, AUTO_EXEMPTION_REACH['EXEMPT-AUTO-3']!];

describe('UPD-2: which important data an automobile exemption reaches (kindOf)', () => {
  it('by the rule and the fact that made the data important', () => {
    expect(kindOf(dataset('vehicle-data'), result(finding('DRAFT-J4', 'iovSecurityData')), AUTO1)).toMatchObject({ ofKind: true, by: ['DRAFT-J4 (iovSecurityData)'], others: [] });
    // DRAFT-J4's other limb (results of driving-automation functions) is not vulnerability data.
    expect(kindOf(dataset('vehicle-data'), result(finding('DRAFT-J4', 'drivingAutomationResults')), AUTO1)).toMatchObject({ ofKind: false, others: ['DRAFT-J4 (drivingAutomationResults)'] });
  });

  it('every binding finding must be of the kind: IoV security data that is also 2,500 hours of imagery is not', () => {
    expect(kindOf(dataset('vehicle-data'), result(finding('DRAFT-J4', 'iovSecurityData'), finding('DRAFT-J7', 'rawImageryHours')), AUTO1)).toMatchObject({ ofKind: false, by: ['DRAFT-J4 (iovSecurityData)'], others: ['DRAFT-J7 (rawImageryHours)'] });
  });

  it('declared importance (IMP-GEN-3) is of the kind by data type only where the exemption names one', () => {
    const declared = finding('IMP-GEN-3', 'level');
    expect(kindOf(dataset('software-upgrade-data'), result(declared), AUTO3).ofKind).toBe(true);
    expect(kindOf(dataset('algorithm-training-data'), result(declared), AUTO3).ofKind).toBe(false);
    expect(kindOf(dataset('vehicle-data'), result(declared), AUTO1).ofKind).toBe(false);
  });

  it('an exemption the pack gives no reach reaches no important data', () => {
    expect(kindOf(dataset('vehicle-data'), result(finding('DRAFT-J4', 'iovSecurityData')), undefined)).toMatchObject({ ofKind: false });
  });
});
