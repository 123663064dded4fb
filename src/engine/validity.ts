/**
 * When an approval is in force, in calendar days (the working-day deadlines live in src/lifecycle).
 *
 * Convention (regulation.md T15, T18): validity counts the day of issuance as its first day, so a
 * 3-year result issued 2026-03-02 is valid to 2029-03-01. An issuance on 29 February has no
 * corresponding day three years later; the anniversary is clamped to 28 February and validity ends the
 * day before (2024-02-29 -> 2027-02-27): the earlier, conservative reading, shown in reports.
 *
 * SA-6 extensions count only when applied for inside the window (the 60 working days before expiry,
 * on the working-day calendar) and granted; one granted after the expiry covers from its grant, never
 * the gap before it. A status of expired, revoked, rejected or applied covers nothing.
 */
import { addDays, addYears, subtractWeekdays } from '../model/dates.js';
import type { Approval } from '../model/workspace.js';
import type { LifecyclePeriods } from '../rules/types.js';
import { msg, type Msg } from '../i18n/index.js';
import type { WorkingDayCalendar } from './types.js';

export interface ValidityInterval {
  from: string;
  /** Inclusive; null when open-ended (a standard contract without a term). */
  to: string | null;
}

export interface ApprovalValidity {
  /** First day covered, or null when the approval does not cover anything. */
  start: string | null;
  /** Last day covered (inclusive), or null when open-ended. */
  end: string | null;
  /** The days covered: usually one interval; a late-granted extension leaves a gap. */
  intervals: ValidityInterval[];
  rules: string[];
  basis: Msg;
  /** Extensions that do not count, and why; gaps. */
  notes: Msg[];
}

const INACTIVE = new Set(['applied', 'rejected', 'revoked', 'expired']);

/** Last day of a period of `years` that starts (inclusive) on `first`. */
export function endOfYears(first: string, years: number): string {
  return addDays(addYears(first, years), -1);
}

const none = (basis: Msg, rules: string[] = []): ApprovalValidity => ({ start: null, end: null, intervals: [], rules, basis, notes: [] });

export function approvalValidity(approval: Approval, periods: LifecyclePeriods, calendar?: WorkingDayCalendar): ApprovalValidity {
  if (INACTIVE.has(approval.status)) return none(msg('validity.inactive', { status: approval.status }));
  switch (approval.mechanism) {
    case 'security-assessment': {
      if (!approval.issued) return none(msg('validity.no-issuance'), ['SA-4']);
      const rules = ['SA-4'];
      const notes: Msg[] = [];
      const intervals: ValidityInterval[] = [];
      let from = approval.issued;
      let end = endOfYears(approval.issued, periods.saValidityYears);
      for (const ext of [...approval.extensions].sort((a, b) => (a.applied < b.applied ? -1 : 1))) {
        let opens: string;
        try {
          if (!calendar) throw new Error('no calendar');
          opens = calendar.subtractWorkingDays(end, periods.saExtensionWindowWorkingDays);
          // Counted through a year without a published holiday notice (UPD-11): the opening may move.
          const provisional = calendar.provisionalYearsBetween?.(opens, end) ?? [];
          if (provisional.length) notes.push(msg('law.validity.extension-provisional', { applied: ext.applied, opens, expiry: end, years: provisional }));
        } catch {
          // The holiday calendar does not know the year: weekdays only, and say so.
          opens = subtractWeekdays(end, periods.saExtensionWindowWorkingDays);
          notes.push(msg('validity.extension-approximate', { applied: ext.applied, opens, expiry: end }));
        }
        if (ext.applied < opens || ext.applied > end) {
          notes.push(msg('validity.extension-outside-window', { applied: ext.applied, opens, expiry: end }));
          continue;
        }
        if (!ext.granted) {
          notes.push(msg('validity.extension-pending', { applied: ext.applied }));
          continue;
        }
        const nextEnd = endOfYears(addDays(end, 1), periods.saExtensionYears);
        if (ext.granted > end) {
          // Granted after expiry: the days between expiry and the grant stay uncovered.
          intervals.push({ from, to: end });
          from = ext.granted;
          notes.push(msg('validity.extension-granted-late', { granted: ext.granted, expiry: end }));
        }
        end = nextEnd;
        rules.push('SA-6');
      }
      if (approval.expires) end = approval.expires;
      if (from <= end) intervals.push({ from, to: end });
      return {
        start: intervals[0]?.from ?? null,
        end,
        intervals,
        rules,
        basis: approval.expires ? msg('validity.explicit-expiry') : msg('validity.years-from-issuance', { years: periods.saValidityYears }),
        notes,
      };
    }
    case 'certification': {
      if (!approval.issued) return none(msg('validity.no-issuance'), ['CERT-4']);
      const end = approval.expires ?? endOfYears(approval.issued, periods.certValidityYears);
      return {
        start: approval.issued,
        end,
        intervals: [{ from: approval.issued, to: end }],
        rules: ['CERT-4'],
        basis: approval.expires ? msg('validity.explicit-expiry') : msg('validity.years-from-issuance', { years: periods.certValidityYears }),
        notes: [],
      };
    }
    case 'standard-contract': {
      // SC-2: the transfer may begin once the contract is in effect; filing follows within 10 working days.
      const start = approval.effective ?? null;
      if (!start) return none(msg('validity.no-effective-date'), ['SC-2']);
      const end = approval.expires ?? null;
      return { start, end, intervals: [{ from: start, to: end }], rules: ['SC-2'], basis: msg('validity.contract-in-effect'), notes: [] };
    }
  }
}

/** Whether the approval is in force on `date`. */
export function validOn(validity: ApprovalValidity, date: string): boolean {
  return validity.intervals.some((i) => date >= i.from && (i.to === null || date <= i.to));
}
