/**
 * PATH-SC-3 for one more transfer (the decision engine): a group aggregate of the workspace's year with
 * the asked transfer put in (in place of its old self, when the workspace declares it) and the parts it
 * leaves with nothing to count taken out, listed as the whole-year pass lists them — without walking
 * the aggregate. The parts are in date order already (the pass judges in date order, and ids are
 * unique, so order keys are too); what a question changes is a handful of parts (itself, the first
 * carriers of its datasets), so a question costs that handful, not the group's size.
 */
import { orderKey, type GroupAggregate, type SplitView } from './assess.js';
import { add, isZero, sub, zero } from './counting.js';
import { SPLITTING_LISTED, type CounterState } from './types.js';

export interface AskedPart {
  id: string;
  organization: string;
  /** Its order key (orderKey). */
  key: string;
}

/**
 * The aggregate with a part in it, but for that part's contribution: the total without it (the old
 * self out, the taken amounts to subtract after it is in) and what lists the parts. A place keeps it.
 */
export interface PlacedPart {
  group: string;
  kind: string;
  withoutIt: CounterState;
  taken: CounterState[];
  entities: string[];
  parts: number;
  transfers: string[];
}

/** The figures of a placed part contributing `contribution` (a fresh view: raiseBySplitting keeps what it shares on it). */
export function figuresOf(placed: PlacedPart, contribution: CounterState): SplitView {
  // sub clamps at zero; for non-negative amounts successive clamped subtractions commute, so the
  // order (the pass's: by part) does not matter.
  let total = add(placed.withoutIt, contribution);
  for (const t of placed.taken) total = sub(total, t);
  return { group: placed.group, kind: placed.kind, total, entities: placed.entities, parts: placed.parts, transfers: placed.transfers };
}

/** A group aggregate the workspace has none of yet: the part alone. */
export function alone(group: string, kind: string, asked: AskedPart): PlacedPart {
  return { group, kind, withoutIt: zero(), taken: [], entities: [asked.organization], parts: 1, transfers: [asked.id] };
}

function push<K>(map: Map<K, number[]>, key: K, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

export class IndexedGroup {
  readonly group: string;
  readonly kind: string;
  private readonly keys: string[];
  /** Part indices per transfer id (one each: ids are unique), and per organisation in date order. */
  private readonly at = new Map<string, number[]>();
  private readonly byOrg = new Map<string, number[]>();

  constructor(private readonly agg: GroupAggregate) {
    this.group = agg.group;
    this.kind = agg.kind;
    this.keys = agg.parts.map((j) => orderKey(j.result));
    agg.parts.forEach((j, i) => {
      push(this.at, j.result.id, i);
      push(this.byOrg, j.result.organization, i);
    });
  }

  has(id: string): boolean {
    return this.at.has(id);
  }

  /**
   * The aggregate with `asked` in it: `old`, its declared self's contribution, taken out when it is a
   * part; `taken`, what later first carriers of its datasets no longer count (a part left with nothing
   * is no part).
   */
  place(asked: AskedPart, old: CounterState, taken: ReadonlyMap<string, CounterState>): PlacedPart {
    const parts = this.agg.parts;
    const excluded = new Set<number>(this.at.get(asked.id) ?? []);
    const subtracted: CounterState[] = [];
    for (const [id, t] of taken) {
      for (const i of this.at.get(id) ?? []) {
        subtracted.push(t);
        if (isZero(sub(parts[i]!.contribution, t))) excluded.add(i);
      }
    }
    const transfers: string[] = [];
    let placed = false;
    for (let i = 0; i < parts.length && transfers.length < SPLITTING_LISTED; i++) {
      if (excluded.has(i)) continue;
      if (!placed && this.keys[i]! > asked.key) {
        transfers.push(asked.id);
        placed = true;
        if (transfers.length === SPLITTING_LISTED) break;
      }
      transfers.push(parts[i]!.result.id);
    }
    if (!placed && transfers.length < SPLITTING_LISTED) transfers.push(asked.id);
    // Entities in order of their first part (the asked one included).
    const firsts: { org: string; key: string }[] = [];
    for (const [org, list] of this.byOrg) {
      const first = list.find((i) => !excluded.has(i));
      if (first !== undefined && !(org === asked.organization && this.keys[first]! > asked.key)) firsts.push({ org, key: this.keys[first]! });
    }
    if (!firsts.some((f) => f.org === asked.organization)) firsts.push({ org: asked.organization, key: asked.key });
    firsts.sort((u, v) => (u.key < v.key ? -1 : u.key > v.key ? 1 : 0));
    const withoutIt = sub(this.agg.total, this.at.has(asked.id) ? old : zero());
    return { group: this.group, kind: this.kind, withoutIt, taken: subtracted, entities: firsts.map((f) => f.org), parts: parts.length - excluded.size + 1, transfers };
  }
}
