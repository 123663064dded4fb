/**
 * When an approval is in force, in calendar days (the working-day deadlines live in src/lifecycle).
 *
 * Convention (regulation.md T15, T18): validity counts the day of issuance as its first day, so a
 * 3-year result issued 2026-03-02 is valid to 2029-03-01. An issuance on 29 February has no
 * corresponding day three years later; the anniversary is clamped to 28 February and validity ends the
 * day before (2024-02-29 -> 2027-02-27): the earlier, conservative reading, shown in reports.
 */
import { addDays, addYears } from '../model/dates.js';
import type { Approval } from '../model/workspace.js';
import type { LifecyclePeriods } from '../rules/types.js';

export interface ApprovalValidity {
  /** First day covered, or null when the approval does not cover anything (applied, rejected...). */
  start: string | null;
  /** Last day covered (inclusive), or null when open-ended (a standard contract without a term). */
  end: string | null;
  rules: string[];
  basis: string;
}

const INACTIVE = new Set(['applied', 'rejected', 'revoked']);

/** Last day of a period of `years` that starts (inclusive) on `first`. */
export function endOfYears(first: string, years: number): string {
  return addDays(addYears(first, years), -1);
}

export function approvalValidity(approval: Approval, periods: LifecyclePeriods): ApprovalValidity {
  if (INACTIVE.has(approval.status)) {
    return { start: null, end: null, rules: [], basis: `status ${approval.status}: covers nothing` };
  }
  switch (approval.mechanism) {
    case 'security-assessment': {
      if (!approval.issued) return { start: null, end: null, rules: ['SA-4'], basis: 'no issuance date' };
      let end = endOfYears(approval.issued, periods.saValidityYears);
      const rules = ['SA-4'];
      for (const ext of approval.extensions) {
        if (!ext.granted) continue;
        end = endOfYears(addDays(end, 1), periods.saExtensionYears);
        rules.push('SA-6');
      }
      if (approval.expires) end = approval.expires;
      return { start: approval.issued, end, rules, basis: approval.expires ? 'explicit expiry' : `${periods.saValidityYears} years from issuance` };
    }
    case 'certification': {
      if (!approval.issued) return { start: null, end: null, rules: ['CERT-4'], basis: 'no issuance date' };
      const end = approval.expires ?? endOfYears(approval.issued, periods.certValidityYears);
      return { start: approval.issued, end, rules: ['CERT-4'], basis: approval.expires ? 'explicit expiry' : `${periods.certValidityYears} years from issuance` };
    }
    case 'standard-contract': {
      const start = approval.effective ?? approval.filed ?? null;
      // SC-2: the transfer may begin once the contract is in effect; filing follows within 10 working days.
      return { start, end: approval.expires ?? null, rules: ['SC-2'], basis: start ? 'in effect from the contract\'s effective date' : 'no effective date' };
    }
  }
}
