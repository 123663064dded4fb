/**
 * The decision log's chain head checked against what the table holds (issue 19): at start-up and
 * periodically, not only when someone calls `/v1/decision-log/verify`. A table emptied or truncated on
 * disk, rows deleted from either end, a head row removed or rolled back, a head whose seal does not
 * match — each is a break the server names in `/v1/health` (status `degraded`) and, by default, stops
 * deciding on (fail closed: the egress gate refuses rather than let transfers pass unlogged on a broken
 * record; `--accept-broken-decision-log` keeps deciding, docs/server.md).
 *
 * Cheap on purpose: the full chain walk stays in `verify`. At start the tables are read whole (one
 * count: a table file truncated on disk shows as missing rows). The periodic check reads a bounded
 * number of rows whatever the log's size: the two ends through the indexes, and the count of one
 * window of decisions that moves on at each check and wraps around, so a gap in the middle is found
 * within (decisions in the log / window) checks. Counting the whole log every minute held the embedded
 * database, and every decision with it, 330-505 ms at a million batches, growing with the log.
 * A head row and table both emptied look like a new log unless this process saw the old head (a running
 * server remembers the highest head it saw) or the workspace's anchor (`ledger anchor`, signed, kept in
 * git) holds the decision log's head: a log behind its anchor is broken.
 */
import { timingSafeEqual, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePublicKey, readAnchor } from '../ledger/anchor.js';
import { msg, type Msg } from '../i18n/index.js';
import type { ServerDb } from './db.js';
import { DECISION_CHAIN as CHAIN, DECISION_GENESIS, seal } from './decision-log.js';
import { hex, storedCountBetween, storedEnds, storedEntryHash, storedFileSizes, storedSpan } from './decision-log-rows.js';

/** Decisions the periodic check counts in the middle of the log: at most this many rows read. */
export const DEFAULT_CHECK_WINDOW = 50_000;

export interface DecisionLogBreak {
  /** What broke: `missing` rows, a `head` that does not match its rows or seal, a `rolled-back` head. */
  kind: 'missing' | 'head' | 'rolled-back';
  /** The first and last missing sequence numbers, when rows are missing. */
  from: number | null;
  to: number | null;
  /** The problem, as a message (health's `problems[]`, the refusal of a decision). */
  problem: Msg;
}

/** The highest head a process has seen: a head found behind it was rolled back or removed. */
export interface SeenHead {
  headSeq: number;
  /** Where the next bounded check's window starts (0: at the log's base). */
  windowFrom?: number;
  /** The tables' file sizes at the last check: a file that shrank since is counted whole. */
  fileSizes?: { decisions: number; batches: number };
}

/** A check that reads the tables whole, or a bounded one that counts `window` decisions. */
export type CheckScope = 'full' | { window: number };

/** The decision log's head as the workspace's signed anchor holds it. */
export interface AnchoredLogHead {
  seq: number;
  hash: string;
  createdAt: string;
}

/**
 * The anchored decision-log head from the workspace's `ledger-anchor.json`, its signature checked with
 * `ledger-anchor.pub` (the files `ledger anchor` and `ledger anchor-key` write there). Null when there is
 * no anchor, or it holds no decision log; throws when the anchor does not verify.
 */
export function loadAnchoredLogHead(workspaceDir: string): AnchoredLogHead | null {
  const anchorFile = join(workspaceDir, 'ledger-anchor.json');
  const publicFile = join(workspaceDir, 'ledger-anchor.pub');
  if (!existsSync(anchorFile) || !existsSync(publicFile)) return null;
  const anchor = readAnchor(readFileSync(anchorFile, 'utf8'), 'ledger-anchor.json', parsePublicKey(readFileSync(publicFile, 'utf8'), 'ledger-anchor.pub'));
  const d = anchor.body.decisionLog;
  return d ? { seq: d.seq, hash: d.hash, createdAt: anchor.body.createdAt } : null;
}

/** Check the chain head against the rows and its seal (and the anchor); null when they agree. */
export async function checkDecisionLogHead(
  db: ServerDb,
  key: KeyObject | null,
  seen: SeenHead | null,
  anchored: AnchoredLogHead | null = null,
  scope: CheckScope = 'full',
): Promise<DecisionLogBreak | null> {
  // One snapshot for every read: on a shared PostgreSQL another server appends and prunes meanwhile.
  return db.exclusive((s) => s.transaction(async (store) => {
    await store.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const [h] = await store.query<{ head_seq: number; head_hash: Buffer; base_seq: number; base_hash: Buffer; head_seal: Buffer | null }>(
      'SELECT head_seq, head_hash, base_seq, base_hash, head_seal FROM server_decision_chain WHERE chain = $1',
      [CHAIN],
    );
    // A table file that shrank since the last check is counted whole: truncated on disk under the
    // running database, its rows still in the database's memory would answer the indexes' look-ups as
    // if nothing had happened. (A vacuum also shortens a file whose last pages it emptied: one whole
    // count then.)
    const sizes = await storedFileSizes(store);
    const shrank = seen?.fileSizes !== undefined && (sizes.decisions < seen.fileSizes.decisions || sizes.batches < seen.fileSizes.batches);
    const whole = scope === 'full' || shrank;
    const { n, lo, hi } = whole ? await storedSpan(store) : { n: null, ...(await storedEnds(store)) };
    const missing = (from: number, to: number): DecisionLogBreak => ({
      kind: 'missing',
      from,
      to,
      problem: msg('storage.decision-log-missing', { from, to }),
    });
    // Behind its signed anchor: rolled back or emptied, whatever the database says of itself.
    if (anchored && (!h || Number(h.head_seq) < anchored.seq)) {
      const head = h ? Number(h.head_seq) : 0;
      return { kind: 'rolled-back', from: head + 1, to: anchored.seq, problem: msg('storage.decision-log-behind-anchor', { head, seq: anchored.seq, createdAt: anchored.createdAt }) };
    }
    if (anchored && h) {
      const atBase = Number(h.base_seq) === anchored.seq ? hex(h.base_hash) : null;
      const got = (await storedEntryHash(store, anchored.seq)) ?? atBase;
      if (got !== null && got !== anchored.hash) return { kind: 'head', from: null, to: null, problem: msg('storage.decision-log-diverged', { seq: anchored.seq, createdAt: anchored.createdAt }) };
    }
    if (!h) {
      if (seen && seen.headSeq > 0) return { kind: 'rolled-back', from: null, to: null, problem: msg('storage.decision-log-head-removed', { seq: seen.headSeq }) };
      const stored = n ?? (lo === null ? 0 : (await storedSpan(store)).n);
      if (stored > 0) return { kind: 'head', from: null, to: null, problem: msg('storage.decision-log-no-head', { n: stored }) };
      return null;
    }
    const head = { headSeq: Number(h.head_seq), headHash: hex(h.head_hash), baseSeq: Number(h.base_seq), baseHash: hex(h.base_hash) };
    if (seen && head.headSeq < seen.headSeq) return { kind: 'rolled-back', from: head.headSeq + 1, to: seen.headSeq, problem: msg('storage.decision-log-rolled-back', { head: head.headSeq, seen: seen.headSeq }) };
    const expected = head.headSeq - head.baseSeq;
    if ((n === 0 || lo === null) && expected > 0) return missing(head.baseSeq + 1, head.headSeq);
    if (lo !== null && lo > head.baseSeq + 1) return missing(head.baseSeq + 1, lo - 1);
    if (hi !== null && hi < head.headSeq) return missing(hi + 1, head.headSeq);
    if (n !== null && n < expected) return { kind: 'missing', from: null, to: null, problem: msg('storage.decision-log-gaps', { n: expected - n, from: head.baseSeq + 1, to: head.headSeq }) };
    // The bounded check: one window of the middle, the next one next time (back to the base at the head).
    let nextWindow = head.baseSeq + 1;
    if (!whole && typeof scope === 'object' && expected > 0) {
      const start = Math.max(seen?.windowFrom ?? 0, head.baseSeq + 1);
      const from = start > head.headSeq ? head.baseSeq + 1 : start;
      const to = Math.min(head.headSeq, from + scope.window - 1);
      const counted = await storedCountBetween(store, from, to);
      if (counted < to - from + 1) return { kind: 'missing', from: null, to: null, problem: msg('storage.decision-log-gaps', { n: to - from + 1 - counted, from, to }) };
      nextWindow = to >= head.headSeq ? head.baseSeq + 1 : to + 1;
    }
    if (head.headSeq > head.baseSeq) {
      const last = await storedEntryHash(store, head.headSeq);
      if (last !== head.headHash) return { kind: 'head', from: null, to: null, problem: msg('storage.decision-log-head-mismatch', { seq: head.headSeq }) };
    } else if (head.headHash !== head.baseHash && !(head.baseSeq === 0 && head.headHash === DECISION_GENESIS)) {
      return { kind: 'head', from: null, to: null, problem: msg('storage.decision-log-head-mismatch', { seq: head.headSeq }) };
    }
    if (key && h.head_seal) {
      const want = seal(key, head);
      const got = Buffer.from(h.head_seal);
      if (got.length !== want.length || !timingSafeEqual(got, want)) return { kind: 'head', from: null, to: null, problem: msg('storage.decision-log-bad-seal', { seq: head.headSeq }) };
    }
    if (seen) {
      seen.headSeq = Math.max(seen.headSeq, head.headSeq);
      if (!whole) seen.windowFrom = nextWindow;
      seen.fileSizes = sizes;
    }
    return null;
  }));
}

/**
 * Watches the decision log: checks at start and every `intervalMs`; `problem()` is what health shows
 * and what a decision is refused with (unless accepted). A failed check (the database unreachable or
 * damaged) is itself a problem.
 */
export class DecisionLogWatch {
  private current: DecisionLogBreak | null = null;
  private readonly seen: SeenHead = { headSeq: 0 };
  private timer: NodeJS.Timeout | null = null;
  /** The first check reads the tables whole; later ones are bounded. */
  private checkedWhole = false;

  constructor(
    private readonly db: ServerDb,
    private readonly key: KeyObject | null,
    private readonly onBreak: (b: DecisionLogBreak) => void = () => {},
    private readonly anchored: AnchoredLogHead | null = null,
    /** Decisions each bounded check counts (tests lower it). */
    private readonly window: number = DEFAULT_CHECK_WINDOW,
  ) {}

  /** Check now; `rethrow`: a failed check throws (at start-up: a damaged database stops the server, exit 3). */
  async check(options: { rethrow?: boolean } = {}): Promise<DecisionLogBreak | null> {
    let found: DecisionLogBreak | null;
    try {
      found = await this.checkOnce();
    } catch (e) {
      if (options.rethrow) throw e;
      found = { kind: 'head', from: null, to: null, problem: msg('storage.decision-log-unchecked', { why: (e as Error).message }) };
    }
    if (found && !this.current) this.onBreak(found);
    // A break stays reported until the server restarts on a repaired log: it was seen, it is evidence.
    this.current ??= found;
    return this.current;
  }

  /** The whole check first; then bounded ones, falling back to the whole one when a read fails (a damaged table file). */
  private async checkOnce(): Promise<DecisionLogBreak | null> {
    if (!this.checkedWhole) {
      const found = await checkDecisionLogHead(this.db, this.key, this.seen, this.anchored, 'full');
      this.checkedWhole = true;
      return found;
    }
    try {
      return await checkDecisionLogHead(this.db, this.key, this.seen, this.anchored, { window: this.window });
    } catch {
      return checkDecisionLogHead(this.db, this.key, this.seen, this.anchored, 'full');
    }
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The break found, as health's problem `{code, params}` (rendered with its text), or null. */
  problem(): Msg | null {
    return this.current?.problem ?? null;
  }
}
