/**
 * Exemption claims are checked against the facts, never trusted blindly (EXEMPT-1..5, EXEMPT-AUTO-1..3).
 * A supported claim still never exempts important data unless the rule says so (EXEMPT-8, Q-3).
 */
import { claimName, type Dataset, type ExemptionClaim } from '../model/workspace.js';
import type { RulePack } from '../rules/types.js';
import type { ClaimCheck, DatasetResult } from './types.js';

export interface ClaimContext {
  national: RulePack;
  auto: RulePack;
  datasets: Dataset[];
  results: DatasetResult[];
  persons: number;
  sensitivePersons: number;
  containsImportantData: boolean;
}

const detail = (claim: ExemptionClaim): { basis?: string; reference?: string; activity?: string } => (typeof claim === 'string' ? {} : claim);

export function checkClaim(claim: ExemptionClaim, ctx: ClaimContext): ClaimCheck {
  const name = claimName(claim);
  const rule = ctx.national.exemptions[name] ?? ctx.auto.exemptions[name] ?? null;
  const result = (supported: boolean, reason: string): ClaimCheck => ({ claim: name, rule, supported, reason });
  if (!rule) return result(false, `not an exemption recognised by ${ctx.national.id} or ${ctx.auto.id}`);
  const { basis, reference, activity } = detail(claim);
  const hasPI = ctx.persons > 0 || ctx.sensitivePersons > 0;
  switch (name) {
    case 'trade-no-pi':
      if (hasPI) return result(false, `the data contains personal information of ${ctx.persons} persons; EXEMPT-1 covers only data with no PI`);
      if (ctx.containsImportantData) return result(false, 'the data contains important data; EXEMPT-1 covers only data with no important data');
      return result(true, activity ? `no PI and no important data, from ${activity}` : 'no PI and no important data (state the listed activity in `activity`)');
    case 'foreign-transit': {
      const domestic = ctx.datasets.filter((d) => d.origin !== 'foreign').map((d) => d.id);
      if (domestic.length) return result(false, `dataset(s) ${domestic.join(', ')} were collected in China (origin: domestic); EXEMPT-2 covers only data collected abroad`);
      return result(true, 'all data was collected abroad and only processed in China');
    }
    case 'contract-necessity':
      if (!hasPI) return result(false, 'the transfer carries no personal information; EXEMPT-3 is about PI');
      if (!basis) return result(false, 'no basis given: name the contract to which the individual is a party (`basis`)');
      return result(true, `necessary for a contract with the individual: ${basis}`);
    case 'hr-management': {
      const notEmployees = ctx.datasets.filter((d) => d.personalInfo.subjects.length === 0 || d.personalInfo.subjects.some((s) => s !== 'employees')).map((d) => d.id);
      if (notEmployees.length) return result(false, `dataset(s) ${notEmployees.join(', ')} hold PI of people other than employees (personalInfo.subjects); EXEMPT-4 covers employee PI only`);
      if (!basis) return result(false, 'no basis given: name the labour rules / collective contract (`basis`)');
      return result(true, `employee PI for cross-border HR management: ${basis}`);
    }
    case 'emergency':
      if (!hasPI) return result(false, 'the transfer carries no personal information; EXEMPT-5 is about PI');
      if (!basis) return result(false, 'no basis given: describe the emergency (`basis`)');
      return result(true, `emergency: ${basis}`);
    case 'vulnerability-remediation':
      if (!reference) return result(false, 'no reference of the prior report to MIIT (`reference`); EXEMPT-AUTO-1 requires the vulnerability to have been reported');
      return result(true, `vulnerability reported (${reference})`);
    case 'security-incident':
      if (!reference) return result(false, 'no reference of the prior incident report (`reference`); EXEMPT-AUTO-2 requires a report beforehand');
      return result(true, `security incident reported (${reference})`);
    case 'defect-recall-ota':
      if (!reference) return result(false, 'no reference of the recall / defect filing (`reference`); EXEMPT-AUTO-3 requires a filing beforehand');
      return result(true, `defect recall filed (${reference})`);
  }
}

/** Automobile-sector exemptions: whether they reach important data is Q-3 (setting). */
export const AUTO_EXEMPTIONS = new Set(['EXEMPT-AUTO-1', 'EXEMPT-AUTO-2', 'EXEMPT-AUTO-3']);
/** National exemptions that by definition cannot cover important data (EXEMPT-8). */
export const PI_ONLY_EXEMPTIONS = new Set(['EXEMPT-3', 'EXEMPT-4', 'EXEMPT-5']);
