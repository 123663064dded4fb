/**
 * Year-to-date counting (CNT-1..CNT-3, CNT-6): persons sent since 1 January and before a transfer.
 *
 * Two sources add up. The ledger holds executed transfers exactly (distinct keyed hashes, by the China
 * date each person was first sent): a prefix sum over its days gives the count on any date, up to the
 * as-of date and never beyond. Workspace transfers the ledger does not hold are estimated: with their
 * identifiers hashed, exactly (the ledger says how many persons are new); otherwise each dataset counts
 * once a year at its largest size, so re-sending a dataset adds only its growth (CNT-1 counts persons,
 * not sends). A recorded transfer is never counted below what the workspace declares or measures for it:
 * the shortfall is added as an estimate.
 */
import type { CountingMethod, CounterState, LedgerBaseline, LedgerEntrySummary } from './types.js';

export const zero = (): CounterState => ({ persons: 0, sensitivePersons: 0, chargingConsumptionPersons: 0 });
export const add = (a: CounterState, b: CounterState): CounterState => ({
  persons: a.persons + b.persons,
  sensitivePersons: a.sensitivePersons + b.sensitivePersons,
  chargingConsumptionPersons: a.chargingConsumptionPersons + b.chargingConsumptionPersons,
});
export const sub = (a: CounterState, b: CounterState): CounterState => ({
  persons: Math.max(0, a.persons - b.persons),
  sensitivePersons: Math.max(0, a.sensitivePersons - b.sensitivePersons),
  chargingConsumptionPersons: Math.max(0, a.chargingConsumptionPersons - b.chargingConsumptionPersons),
});
export const max = (a: CounterState, b: CounterState): CounterState => ({
  persons: Math.max(a.persons, b.persons),
  sensitivePersons: Math.max(a.sensitivePersons, b.sensitivePersons),
  chargingConsumptionPersons: Math.max(a.chargingConsumptionPersons, b.chargingConsumptionPersons),
});
const ZERO: CounterState = Object.freeze(zero());
export const isZero = (c: CounterState) => c.persons === 0 && c.sensitivePersons === 0 && c.chargingConsumptionPersons === 0;
export const same = (a: CounterState, b: CounterState) =>
  a.persons === b.persons && a.sensitivePersons === b.sensitivePersons && a.chargingConsumptionPersons === b.chargingConsumptionPersons;

/** The ledger's days as prefix sums per organisation and year, cut at the as-of date. */
export class LedgerIndex {
  private readonly series = new Map<string, { dates: string[]; cumulative: CounterState[] }>();
  /** Entries by organisation, then id (no key string built per lookup: every judgement asks). */
  private readonly byId = new Map<string, Map<string, LedgerEntrySummary>>();
  readonly entries: LedgerEntrySummary[];

  constructor(baseline: LedgerBaseline | undefined, readonly asOf: string) {
    const grouped = new Map<string, { date: string; v: CounterState }[]>();
    for (const d of baseline?.days ?? []) {
      if (d.date > asOf) continue;
      const key = `${d.organization}|${d.year}`;
      const list = grouped.get(key) ?? [];
      list.push({ date: d.date, v: { persons: d.persons, sensitivePersons: d.sensitivePersons, chargingConsumptionPersons: d.chargingConsumptionPersons } });
      grouped.set(key, list);
    }
    for (const [key, list] of grouped) {
      list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      let running = zero();
      const cumulative = list.map((x) => (running = add(running, x.v)));
      this.series.set(key, { dates: list.map((x) => x.date), cumulative });
    }
    this.entries = (baseline?.entries ?? []).filter((e) => e.date <= asOf);
    for (const e of this.entries) {
      const ofOrg = this.byId.get(e.organization) ?? new Map<string, LedgerEntrySummary>();
      ofOrg.set(e.id, e);
      this.byId.set(e.organization, ofOrg);
    }
  }

  /** Distinct persons first sent on or before `date` (and the as-of date) in the organisation's year. */
  through(organization: string, year: number, date: string): CounterState {
    const s = this.series.get(`${organization}|${year}`);
    if (!s) return zero();
    const cut = date < this.asOf ? date : this.asOf;
    // Last index with dates[i] <= cut (binary search: a year may hold a day per calendar day).
    let lo = 0;
    let hi = s.dates.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s.dates[mid]! <= cut) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? zero() : { ...s.cumulative[found]! };
  }

  entry(organization: string, id: string): LedgerEntrySummary | undefined {
    return this.byId.get(organization)?.get(id);
  }
}

/** The workspace's own counters for one organisation and year. */
export class YearCounter {
  /** Counted toward the thresholds (CNT-6: exempt situations only when settings.countExemptTransfers). */
  effective = zero();
  /** Every transfer, exempt or not: DRAFT-J12 and the "including exempt" total. */
  all = zero();
  /** Non-exempt transfers only. */
  excludingExempt = zero();
  /** Largest size of each dataset counted so far this year, per bucket (CNT-1: a re-send adds its growth). */
  readonly countedMax = new Map<string, CounterState>();
  readonly allMax = new Map<string, CounterState>();
}

export class Counters {
  private readonly years = new Map<string, YearCounter>();

  get(organization: string, year: number): YearCounter {
    const key = `${organization}|${year}`;
    let c = this.years.get(key);
    if (!c) this.years.set(key, (c = new YearCounter()));
    return c;
  }

  keys(): { organization: string; year: number; counter: YearCounter }[] {
    return [...this.years].map(([k, counter]) => {
      const [organization, year] = k.split('|') as [string, string];
      return { organization, year: Number(year), counter };
    });
  }
}

/** Growth of datasets over the largest size already counted this year (`seen` is not changed). */
export function growthOf(seen: ReadonlyMap<string, CounterState>, sizes: { id: string; size: CounterState }[]): CounterState {
  let total = zero();
  for (let i = 0; i < sizes.length; i++) {
    const { id, size } = sizes[i]!;
    // A dataset named twice in one transfer counts once: the largest of its earlier mentions is
    // counted already. A transfer names a few datasets: a scan, not a map per call (allocation).
    let before = max(seen.get(id) ?? ZERO, ZERO);
    for (let k = 0; k < i; k++) if (sizes[k]!.id === id) before = max(before, sizes[k]!.size);
    total = add(total, sub(size, before));
  }
  return total;
}

/** Record the datasets' sizes as counted this year (the largest so far). */
export function markCounted(seen: Map<string, CounterState>, sizes: { id: string; size: CounterState }[]): void {
  for (const { id, size } of sizes) seen.set(id, max(seen.get(id) ?? zero(), size));
}

/** CNT-3 / Q-1: the non-sensitive counter takes everyone (count-in-both) or only persons without sensitive PI. */
export function overlapAdjusted(c: CounterState, sensitiveOverlap: 'count-in-both' | 'sensitive-only'): CounterState {
  return sensitiveOverlap === 'count-in-both' ? c : { ...c, persons: Math.max(0, c.persons - c.sensitivePersons) };
}

export type { CountingMethod };
