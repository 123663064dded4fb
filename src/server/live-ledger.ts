/**
 * The year-to-date counters the decisions are judged on, kept in memory: the same `LedgerBaseline`
 * that `assess` reads from the ledger (src/ledger/baseline.ts, `baselineFromStore`). After each
 * execution the organisation's year is read again from the ledger's own daily table (persons dated by
 * when they were FIRST sent, whatever order entries are recorded in), so the counters are always what a
 * fresh read would give. With PostgreSQL, other servers and the CLI also write: the chain heads are
 * compared before every execution and periodically, and the baseline read again when they moved.
 */
import type { LedgerBaseline } from '../engine/types.js';
import { baselineFromStore } from '../ledger/baseline.js';
import { chinaYear, readFigures, yearToDateCounts, type LedgerEntryContent, type RecordOutcome } from '../ledger/index.js';
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
    this.baseline = await baselineFromStore(store, { organizations: this.organizations, years });
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

  /** After an entry was recorded: its organisation's year, read again from the ledger. */
  async recorded(q: Queryable, content: LedgerEntryContent, outcome: RecordOutcome): Promise<void> {
    const organization = content.organization;
    const year = chinaYear(content.time);
    const f = await readFigures(q, { organizations: [organization], years: [year] });
    const other = <T extends { organization: string; year: number }>(x: T) => x.organization !== organization || x.year !== year;
    const key = (x: { organization: string; date: string }) => `${x.organization}\u0000${x.date}`;
    const days = [...this.baseline.days.filter(other), ...f.days].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const entries = [...this.baseline.entries.filter(other), ...f.entries];
    this.baseline = { ...this.baseline, days, entries };
    this.ids.add(`${organization}\u0000${content.id}`);
    this.heads.set(organization, outcome.seq);
    this.version++;
  }
}

async function chainHeads(q: Queryable): Promise<Map<string, number>> {
  const rows = await q.query<{ organization: string; head_seq: number }>('SELECT organization, head_seq FROM ledger_chains');
  return new Map(rows.map((r) => [r.organization, Number(r.head_seq)]));
}
