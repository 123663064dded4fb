/**
 * The year-to-date counters the decisions are judged on, kept in memory: the same `LedgerBaseline`
 * that `assess` reads from the ledger (src/ledger/baseline.ts), loaded once and then updated with what
 * each execution actually added to the ledger (the database's own count of new distinct hashes), so it
 * stays equal to a fresh read. With PostgreSQL, other servers and the CLI also write: the chain heads
 * are compared before every execution and periodically, and the baseline re-read when they moved.
 */
import type { LedgerBaseline, LedgerDay } from '../engine/types.js';
import { chinaDate, chinaYear, loadLedgerBaseline, yearToDateCounts, type LedgerEntryContent, type RecordOutcome } from '../ledger/index.js';
import type { Queryable, Store } from '../store/index.js';

export class LiveLedger {
  baseline: LedgerBaseline;
  /** Changes whenever the baseline changes (caches of assessments key on it). */
  version = 0;
  private heads = new Map<string, number>();
  private ids = new Set<string>();

  private constructor(
    private readonly organizations: string[],
    baseline: LedgerBaseline,
  ) {
    this.baseline = baseline;
    this.index();
  }

  static async load(store: Store, organizations: string[], thisYear: number): Promise<LiveLedger> {
    const live = new LiveLedger(organizations, { source: store.location, days: [], entries: [] });
    await live.reload(store, thisYear);
    return live;
  }

  private index(): void {
    this.ids = new Set(this.baseline.entries.map((e) => `${e.organization}\u0000${e.id}`));
  }

  /** Read everything again (all years the ledger holds, and this one). */
  async reload(store: Store, thisYear: number): Promise<void> {
    const years = [...new Set([thisYear, ...(await yearToDateCounts(store, { organizations: this.organizations })).map((r) => r.year)])];
    const baseline = await loadLedgerBaseline({ workspaceDir: '', env: {}, organizations: this.organizations, years, store });
    this.baseline = baseline ?? { source: store.location, days: [], entries: [] };
    this.heads = await chainHeads(store);
    this.index();
    this.version++;
  }

  /** Re-read when another process appended to a chain since we last looked (PostgreSQL shared by several). */
  async refreshIfChanged(store: Store, thisYear: number): Promise<boolean> {
    const now = await chainHeads(store);
    let changed = now.size !== this.heads.size;
    for (const [org, seq] of now) if (this.heads.get(org) !== seq) changed = true;
    if (changed) await this.reload(store, thisYear);
    return changed;
  }

  has(organization: string, id: string): boolean {
    return this.ids.has(`${organization}\u0000${id}`);
  }

  /** Add what one recorded entry added (exact counts from the database). The baseline is updated in place. */
  apply(content: LedgerEntryContent, outcome: RecordOutcome): void {
    if (outcome.status !== 'recorded') return;
    const year = chinaYear(content.time);
    const date = chinaDate(content.time);
    const added = outcome.added;
    if (added.persons || added.sensitivePersons || added.chargingConsumptionPersons || added.vehicles) {
      const days = this.baseline.days;
      const d = days.find((x) => x.organization === content.organization && x.year === year && x.date === date);
      if (d) {
        d.persons += added.persons;
        d.sensitivePersons += added.sensitivePersons;
        d.chargingConsumptionPersons += added.chargingConsumptionPersons;
        d.vehicles += added.vehicles;
      } else {
        const day: LedgerDay = { organization: content.organization, year, date, ...added };
        // Same order as loadLedgerBaseline: by organisation, then date.
        const key = (x: LedgerDay) => x.organization + x.date;
        let at = days.length;
        while (at > 0 && key(days[at - 1]!) > key(day)) at--;
        days.splice(at, 0, day);
      }
    }
    this.baseline.entries.push({
      id: content.id,
      organization: content.organization,
      time: content.time,
      date,
      year,
      datasets: content.datasets,
      recipient: content.recipient,
      kind: content.kind,
      mechanism: content.mechanism,
      approvalReference: content.approvalReference,
      forced: false,
      volume: { ...outcome.identifiersRead },
    });
    this.ids.add(`${content.organization}\u0000${content.id}`);
    this.heads.set(content.organization, outcome.seq);
    this.version++;
  }
}

async function chainHeads(q: Queryable): Promise<Map<string, number>> {
  const rows = await q.query<{ organization: string; head_seq: number }>('SELECT organization, head_seq FROM ledger_chains');
  return new Map(rows.map((r) => [r.organization, Number(r.head_seq)]));
}
