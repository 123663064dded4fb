/**
 * SA-6's conditions for extending a security-assessment result, shown where the extension window is
 * open or coming (UPD-9). Only one is known: the persons grow by no more than 20% over the next three
 * years (SA-6-C1, CAC Q&A July 2026, secondary, UNCONFIRMED). It concerns the future, so chujing never
 * decides it: it states the condition and, where figures exist, compares it with the growth seen so
 * far — the approved scale (`covers.maxPersons`) or the first year of the transfers it covered against
 * the latest year, counted from the ledger where the transfers were recorded there, else from the
 * workspace's declarations.
 */
import { msg, type Msg } from '../i18n/index.js';
import { yearOf, type IsoDate } from '../model/dates.js';
import type { Approval } from '../model/workspace.js';
import type { Confidence, LifecyclePeriods } from '../rules/types.js';
import type { Deadline } from './deadlines.js';

/** What status needs of a transfer's judgement (the engine's TransferResult has it). */
export interface CoveredTransfer {
  id: string;
  date?: IsoDate;
  coveredBy?: string | null;
  counted?: { persons: number; method: string };
}

export interface GrowthComparison {
  /** Where the later figure comes from: the ledger's records or the workspace's declarations. */
  basis: 'ledger' | 'workspace';
  /** The reference figure: the approved scale, or the first year of covered transfers. */
  from: { kind: 'approved-scale' | 'year'; year: number | null; persons: number };
  to: { year: number; persons: number };
  growthPercent: number;
  /** Whether the growth seen so far already exceeds what the condition allows for the next years. */
  exceeds: boolean;
}

export interface ExtensionCondition {
  /** Stable code of the condition. */
  code: 'sa-extension-growth';
  rule: string;
  source: string;
  confidence: Confidence;
  /** Always `unconfirmed`: chujing cannot know the next three years. */
  status: 'unconfirmed';
  params: { maxGrowthPercent: number; years: number };
  message: Msg;
  comparison: GrowthComparison | null;
  /** The comparison in words, or why there is none. */
  comparisonMessage: Msg;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export function growthComparison(approval: Approval, decisions: CoveredTransfer[], asOf: IsoDate): GrowthComparison | null {
  const byYear = new Map<number, { persons: number; ledger: boolean }>();
  for (const d of decisions) {
    if (d.coveredBy !== approval.id || !d.date || !d.counted || d.date > asOf) continue;
    const y = yearOf(d.date);
    const cur = byYear.get(y) ?? { persons: 0, ledger: false };
    cur.persons += d.counted.persons;
    cur.ledger ||= d.counted.method === 'ledger-recorded';
    byYear.set(y, cur);
  }
  const years = [...byYear.keys()].sort((a, b) => a - b);
  if (years.length === 0) return null;
  const last = years[years.length - 1]!;
  const to = { year: last, persons: byYear.get(last)!.persons };
  const scale = approval.covers.maxPersons;
  const from = scale !== undefined && scale > 0
    ? { kind: 'approved-scale' as const, year: null, persons: scale }
    : years.length > 1 && byYear.get(years[0]!)!.persons > 0
      ? { kind: 'year' as const, year: years[0]!, persons: byYear.get(years[0]!)!.persons }
      : null;
  if (!from) return null;
  const growthPercent = round1(((to.persons - from.persons) / from.persons) * 100);
  return { basis: byYear.get(last)!.ledger ? 'ledger' : 'workspace', from, to, growthPercent, exceeds: false };
}

/** The SA-6 conditions of one extension window, or none when the window is neither open nor coming. */
export function extensionConditions(approval: Approval, window: Deadline, periods: LifecyclePeriods, decisions: CoveredTransfer[], asOf: IsoDate): ExtensionCondition[] {
  const growth = periods.saExtensionGrowth;
  if (!growth || !['upcoming', 'open', 'unknown'].includes(window.state)) return [];
  const comparison = growthComparison(approval, decisions, asOf);
  if (comparison) comparison.exceeds = comparison.growthPercent > growth.maxGrowthPercent;
  const params = { maxGrowthPercent: growth.maxGrowthPercent, years: growth.years };
  const comparisonMessage = !comparison
    ? msg('law.extension.no-figures', { approval: approval.id })
    : msg(comparison.exceeds ? 'law.extension.growth-exceeds' : 'law.extension.growth-within', {
        approval: approval.id,
        from: comparison.from.kind === 'approved-scale' ? msg('law.extension.approved-scale', { persons: comparison.from.persons }) : msg('law.extension.year-figure', { year: comparison.from.year!, persons: comparison.from.persons }),
        to: msg('law.extension.year-figure', { year: comparison.to.year, persons: comparison.to.persons }),
        growth: comparison.growthPercent,
        max: growth.maxGrowthPercent,
        basis: msg(`law.extension.basis.${comparison.basis}`),
      });
  return [
    {
      code: 'sa-extension-growth',
      rule: growth.rule,
      source: growth.source,
      confidence: growth.confidence,
      status: 'unconfirmed',
      params,
      message: msg('law.extension.growth-condition', { ...params, rule: growth.rule, confidence: msg(`confidence.${growth.confidence}`), finding: 'UPD-9' }),
      comparison,
      comparisonMessage,
    },
  ];
}
