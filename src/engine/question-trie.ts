/**
 * What the decision engine keeps per question (its scope and place, decide-one.ts), found by the
 * fields of the question they depend on: a trie of maps by field value, not a map by a key string.
 * Building and hashing a key string per question (JSON, then a join) was 500-800 bytes and 5-10% of a
 * new decision's time in the decision bench's profiles; walking maps by the question's own strings
 * builds nothing. Values are
 * compared as Map keys (SameValueZero), so an absent field and an empty one differ and no separator
 * can be forged; the datasets' count comes before them, so no key is a prefix of another.
 */
import type { Transfer } from '../model/workspace.js';

interface Node<T> {
  next?: Map<unknown, Node<T>>;
  value?: T;
}

export class QuestionTrie<T extends object> {
  private root: Node<T> = {};
  private size = 0;

  /** Bounded: when it holds `limit` questions it starts again (varied questions cannot grow it without limit). */
  constructor(private readonly limit: number) {}

  /** The value kept for the transfer's id, date, organisation, recipient, kind, purpose, pack pin, retention, claims and datasets; `create`d when new. */
  at(t: Transfer, create: () => T): T {
    let n = this.root;
    n = step(n, t.id);
    n = step(n, t.date);
    n = step(n, t.organization);
    n = step(n, t.recipient);
    n = step(n, t.kind);
    n = step(n, t.purpose);
    n = step(n, t.rulePack);
    n = step(n, t.retentionAbroadMonths);
    n = step(n, t.exemptionClaims.length ? JSON.stringify(t.exemptionClaims) : '');
    n = step(n, t.datasets.length);
    for (const d of t.datasets) n = step(n, d);
    if (n.value) return n.value;
    if (this.size >= this.limit) {
      this.root = {};
      this.size = 0;
      return this.at(t, create);
    }
    this.size++;
    return (n.value = create());
  }
}

function step<T>(n: Node<T>, v: unknown): Node<T> {
  n.next ??= new Map();
  let c = n.next.get(v);
  if (!c) n.next.set(v, (c = {}));
  return c;
}
