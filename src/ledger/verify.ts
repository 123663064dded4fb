/**
 * `ledger verify`: recompute the hash chain of every organisation and the digests of its person hashes,
 * and name the FIRST broken link and what happened there — an entry changed, deleted, inserted or
 * reordered. Works on what the database holds now; it does not trust the stored hashes (each is
 * recomputed from the row's content) nor the chain head row (it is checked against the last entry).
 */
import type { KeyObject } from 'node:crypto';
import { ChujingError } from '../errors.js';
import { msg, type Msg } from '../i18n/index.js';
import type { Queryable } from '../store/index.js';
import { LEDGER_CATEGORIES, categoryOfCode } from './categories.js';
import { checkCheckpoint, checkEntrySeal, checkSeal, type CheckpointBody } from './checkpoint.js';
import { computeEntryHash, genesisHash, type LedgerEntry } from './entry.js';
import { checkAgainstAnchor, type Anchor } from './anchor.js';
import { canonicalJson } from './canonical.js';
import { rowToEntry, type EntryRow } from './rows.js';
import { readFigures, type LedgerSummary } from './summary.js';
import { ENTRY_COLUMNS, setDigestSql } from './sql.js';

/**
 * What happened where the chain breaks. The first four are found inside the database; `rechained` with
 * the key (entry seals); `rolled-back`, `chain-deleted` and `diverged` only against an anchor kept
 * outside it (anchor.ts); `summary` when the summary file does not describe the database.
 */
export const BREAK_KINDS = ['changed', 'deleted', 'inserted', 'reordered', 'rechained', 'rolled-back', 'chain-deleted', 'diverged', 'summary'] as const;
export type BreakKind = (typeof BREAK_KINDS)[number];

export interface ChainBreak {
  organization: string;
  kind: BreakKind;
  /** Sequence number where the chain breaks (null: the running counts, which have no position). */
  seq: number | null;
  id: string | null;
  detail: Msg;
}

export interface OrganizationVerification {
  organization: string;
  entries: number;
  firstSeq: number | null;
  headSeq: number;
  headHash: string;
  checkpoints: number;
  /** Whether the head's seal was checked and valid (null: no key given, or nothing appended yet). */
  headSealed: boolean | null;
  /** Entries whose own seal was checked and valid (with the key; format-2 entries carry one). */
  sealedEntries: number;
  personHashes: number;
  break: ChainBreak | null;
}

export interface VerifyReport {
  intact: boolean;
  organizations: OrganizationVerification[];
  /** The first break found: against the anchor first, then in organisation order, lowest sequence number first. */
  firstBreak: ChainBreak | null;
  /** When verified against an anchor: which, and whether the ledger still extends it. */
  anchor?: { root: string; createdAt: string; organizations: number; extended: boolean };
  /** When a current summary file was found: whether it matches the database. */
  summary?: 'matches' | 'differs';
}

interface Base {
  seq: number;
  hash: string;
  retained: CheckpointBody['retained'];
}

const hex = (b: Buffer) => Buffer.from(b).toString('hex');

async function checkpointsOf(q: Queryable, organization: string, key: KeyObject | undefined, brk: (b: ChainBreak) => void): Promise<{ base: Base; count: number }> {
  const rows = await q.query<{ last_seq: number; last_hash: Buffer; body: string; signature: Buffer }>(
    'SELECT last_seq, last_hash, body, signature FROM ledger_checkpoints WHERE organization = $1 ORDER BY last_seq',
    [organization],
  );
  let base: Base = { seq: 0, hash: genesisHash(organization), retained: [] };
  if (rows.length === 0) return { base, count: 0 };
  if (!key) throw new ChujingError('bad-input', msg('ledger.checkpoint-needs-key'), [{ field: 'key', message: msg('ledger.missing-key'), expected: msg('ledger.key-expected') }]);
  let previous: string | null = null;
  for (const r of rows) {
    let body: CheckpointBody | null = null;
    try {
      body = JSON.parse(r.body) as CheckpointBody;
    } catch {
      body = null;
    }
    const ok =
      body !== null &&
      checkCheckpoint(key, r.body, Buffer.from(r.signature)) &&
      body.organization === organization &&
      body.lastSeq === Number(r.last_seq) &&
      body.lastHash === hex(r.last_hash) &&
      body.previous === previous;
    if (!ok || !body) {
      brk({ organization, kind: 'changed', seq: Number(r.last_seq), id: null, detail: msg('verify.checkpoint-signature', { seq: Number(r.last_seq) }) });
      return { base, count: rows.length };
    }
    previous = hex(r.signature);
    base = { seq: body.lastSeq, hash: body.lastHash, retained: body.retained };
  }
  return { base, count: rows.length };
}

/** If an authentic entry sits at the wrong position, find the position its hash was made for. */
function originalSeq(e: LedgerEntry, candidates: Iterable<number>): number | null {
  for (const s of candidates) {
    if (s !== e.seq && computeEntryHash({ ...e, seq: s }) === e.entryHash) return s;
  }
  return null;
}

function walkChain(organization: string, entries: LedgerEntry[], base: Base, head: { seq: number; hash: string } | null): ChainBreak | null {
  const brk = (kind: BreakKind, seq: number | null, id: string | null, detail: Msg): ChainBreak => ({ organization, kind, seq, id, detail });
  if (!head) return entries[0] ? brk('inserted', entries[0].seq, entries[0].id, msg('verify.no-chain')) : null;
  let expSeq = base.seq + 1;
  let expPrev = base.hash;
  const maxSeq = Math.max(head.seq, entries.length ? entries[entries.length - 1]!.seq : 0);
  const candidates = function* () {
    for (let s = base.seq + 1; s <= maxSeq + 1; s++) yield s;
  };
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const next = entries[i + 1];
    const authentic = computeEntryHash(e) === e.entryHash;
    if (authentic && e.seq === expSeq && e.prevHash === expPrev) {
      expSeq++;
      expPrev = e.entryHash;
      continue;
    }
    if (!authentic) {
      const orig = originalSeq(e, candidates());
      if (orig !== null) {
        const before = entries[i - 1];
        if (orig === e.seq - 1 && before && e.prevHash === before.prevHash) {
          return brk('inserted', before.seq, before.id, msg('verify.inserted-ahead', { seq: before.seq, id: before.id, other: e.id, orig }));
        }
        return brk('reordered', e.seq, e.id, msg('verify.reordered', { id: e.id, seq: e.seq, orig }));
      }
      const nextPrev = next ? next.prevHash : head.hash;
      // Changed in place: it still links to its predecessor and its successor still links to it.
      if (e.prevHash === expPrev && nextPrev === e.entryHash) return brk('changed', e.seq, e.id, msg('verify.hash-mismatch', { seq: e.seq, id: e.id }));
      if (nextPrev === expPrev) return brk('inserted', e.seq, e.id, msg('verify.not-in-chain', { seq: e.seq, id: e.id }));
      return brk('changed', e.seq, e.id, msg('verify.hash-mismatch', { seq: e.seq, id: e.id }));
    }
    // The row is authentic: its seq and prev are what was hashed when it was recorded.
    if (e.seq > expSeq) return brk('deleted', expSeq, null, e.seq - 1 === expSeq ? msg('verify.missing-one', { seq: expSeq }) : msg('verify.missing-range', { from: expSeq, to: e.seq - 1 }));
    if (e.seq < expSeq) return brk('inserted', e.seq, e.id, msg('verify.repeats', { id: e.id, seq: e.seq }));
    const before = entries[i - 1];
    if (before) return brk('changed', before.seq, before.id, msg('verify.rewritten', { seq: before.seq, id: before.id, next: e.seq }));
    return brk('changed', base.seq, null, base.seq === 0 ? msg('verify.not-genesis') : msg('verify.checkpoint-mismatch', { seq: base.seq }));
  }
  const lastSeq = expSeq - 1;
  if (head.seq > lastSeq) return brk('deleted', lastSeq + 1, null, head.seq === lastSeq + 1 ? msg('verify.missing-last', { seq: head.seq }) : msg('verify.missing-last-range', { from: lastSeq + 1, to: head.seq }));
  if (head.seq < lastSeq) {
    const extra = entries.find((x) => x.seq === head.seq + 1);
    return brk('inserted', head.seq + 1, extra?.id ?? null, msg('verify.appended-outside', { seq: head.seq }));
  }
  if (head.hash !== expPrev) return brk('changed', lastSeq, entries[entries.length - 1]?.id ?? null, msg('verify.head-mismatch', { seq: lastSeq }));
  return null;
}

interface SetDigest {
  count: number;
  digest: string;
}

async function checkPersonHashes(q: Queryable, organization: string, entries: LedgerEntry[], base: Base): Promise<{ brk: ChainBreak | null; total: number }> {
  const brk = (kind: BreakKind, seq: number | null, id: string | null, detail: Msg): ChainBreak => ({ organization, kind, seq, id, detail });
  const rows = await q.query<{ first_seq: number; year: number; category: number; n: number; digest: Buffer }>(
    setDigestSql('SELECT first_seq, year, category, hash FROM ledger_person_hashes WHERE organization = $1', ['first_seq', 'year', 'category']),
    [organization],
  );
  const bySeq = new Map<number, Map<string, SetDigest>>();
  let total = 0;
  const breaks: ChainBreak[] = [];
  const entryBySeq = new Map(entries.map((e) => [e.seq, e]));
  for (const r of rows) {
    const seq = Number(r.first_seq);
    const cat = categoryOfCode(Number(r.category));
    total += Number(r.n);
    const d = { count: Number(r.n), digest: hex(r.digest) };
    // Hashes added by pruned entries are checked per year against the checkpoint, below.
    if (seq <= base.seq) continue;
    const e = entryBySeq.get(seq);
    if (!e || !cat) {
      breaks.push(brk('inserted', seq, null, msg('verify.hashes-orphan', { seq })));
      continue;
    }
    if (Number(r.year) !== e.year) {
      breaks.push(brk('changed', seq, e.id, msg('verify.hashes-moved', { seq, id: e.id, year: Number(r.year) })));
      continue;
    }
    const m = bySeq.get(seq) ?? new Map<string, SetDigest>();
    m.set(cat, d);
    bySeq.set(seq, m);
  }
  for (const e of entries) {
    const m = bySeq.get(e.seq);
    for (const c of LEDGER_CATEGORIES) {
      const have = m?.get(c) ?? { count: 0, digest: '' };
      if (have.count !== e.added[c].count || have.digest !== e.added[c].digest) {
        breaks.push(brk('changed', e.seq, e.id, msg('verify.hashes-changed', { category: c, seq: e.seq, id: e.id, recorded: e.added[c].count, found: have.count })));
        break;
      }
    }
  }
  if (base.seq > 0) {
    // Hashes kept from pruned entries: one digest per year and category, as the checkpoint computed it.
    const kept = await q.query<{ year: number; category: number; n: number; digest: Buffer }>(
      setDigestSql('SELECT year, category, hash FROM ledger_person_hashes WHERE organization = $1 AND first_seq <= $2', ['year', 'category']),
      [organization, base.seq],
    );
    const want = new Map(base.retained.map((r) => [`${r.year}:${r.category}`, r]));
    const seen = new Set<string>();
    for (const r of kept) {
      const k = `${r.year}:${categoryOfCode(Number(r.category))}`;
      seen.add(k);
      const w = want.get(k);
      if (!w || w.count !== Number(r.n) || w.digest !== hex(r.digest)) breaks.push(brk('changed', base.seq, null, msg('verify.kept-changed', { seq: base.seq, what: k })));
    }
    for (const k of want.keys()) if (!seen.has(k)) breaks.push(brk('deleted', base.seq, null, msg('verify.kept-deleted', { seq: base.seq, what: k })));
  }
  breaks.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
  return { brk: breaks[0] ?? null, total };
}

async function checkCounts(q: Queryable, organization: string): Promise<ChainBreak | null> {
  const rows = await q.query<{ year: number; category: number; stored: number | null; actual: number | null }>(
    `SELECT coalesce(c.year, h.year) AS year, coalesce(c.category, h.category) AS category, c.distinct_count AS stored, h.n AS actual
     FROM (SELECT year, category, distinct_count FROM ledger_counts WHERE organization = $1) c
     FULL JOIN (SELECT year, category, count(*)::int8 AS n FROM ledger_person_hashes WHERE organization = $1 GROUP BY year, category) h
       ON c.year = h.year AND c.category = h.category
     ORDER BY 1, 2`,
    [organization],
  );
  for (const r of rows) {
    const stored = Number(r.stored ?? 0);
    const actual = Number(r.actual ?? 0);
    if (stored !== actual) {
      return { organization, kind: 'changed', seq: null, id: null, detail: msg('verify.count-mismatch', { category: categoryOfCode(Number(r.category)) ?? String(r.category), year: Number(r.year), stored, actual }) };
    }
  }
  return null;
}

/**
 * The days table (new persons by China date of first sending) and the hashes' first sendings must agree,
 * and no hash can have been first sent after the entry that inserted it (that entry sent it).
 */
async function checkDays(q: Queryable, organization: string, entries: LedgerEntry[]): Promise<ChainBreak | null> {
  const rows = await q.query<{ year: number; category: number; date: string; stored: number | null; actual: number | null }>(
    `SELECT coalesce(d.year, h.year) AS year, coalesce(d.category, h.category) AS category, coalesce(d.date, h.first_date) AS date,
            d.new_count AS stored, h.n AS actual
     FROM (SELECT year, category, date, new_count FROM ledger_days WHERE organization = $1) d
     FULL JOIN (SELECT year, category, first_date, count(*)::int8 AS n FROM ledger_person_hashes WHERE organization = $1 GROUP BY 1, 2, 3) h
       ON d.year = h.year AND d.category = h.category AND d.date = h.first_date
     ORDER BY 1, 3, 2`,
    [organization],
  );
  for (const r of rows) {
    const stored = Number(r.stored ?? 0);
    const actual = Number(r.actual ?? 0);
    if (stored !== actual) {
      return { organization, kind: 'changed', seq: null, id: null, detail: msg('verify.days-mismatch', { category: categoryOfCode(Number(r.category)) ?? String(r.category), date: r.date, stored, actual }) };
    }
  }
  // Aggregate first (one pass over the hashes), then join the few rows per entry: the plan cannot
  // degenerate into hashes x entries whatever the statistics say.
  const [late] = await q.query<{ seq: number; year: number; occurred_at: string }>(
    `WITH a AS (SELECT first_seq, year, max(first_at) AS latest FROM ledger_person_hashes WHERE organization = $1 GROUP BY 1, 2)
     SELECT a.first_seq AS seq, e.year, e.occurred_at FROM a JOIN ledger_entries e ON e.organization = $1 AND e.seq = a.first_seq
     WHERE a.latest > e.occurred_at OR a.year <> e.year ORDER BY 1 LIMIT 1`,
    [organization],
  );
  if (late) {
    const seq = Number(late.seq);
    const [{ n } = { n: 0 }] = await q.query<{ n: number }>(
      'SELECT count(*)::int8 AS n FROM ledger_person_hashes WHERE organization = $1 AND first_seq = $2 AND (first_at > $3 OR year <> $4)',
      [organization, seq, late.occurred_at, Number(late.year)],
    );
    const e = entries.find((x) => x.seq === seq);
    return { organization, kind: 'changed', seq, id: e?.id ?? null, detail: msg('verify.first-sent-later', { seq, n: Number(n) }) };
  }
  return null;
}

/**
 * With the key: every format-2 entry carries a seal of its hash. Once one validly sealed entry is seen,
 * every later entry must be validly sealed too (entries recorded before seals existed come first). The
 * first that is not is where a tail rewritten without the key starts.
 */
function checkEntrySeals(organization: string, entries: (LedgerEntry & { seal?: string | null })[], key: KeyObject): { brk: ChainBreak | null; sealed: number } {
  let sealing = false;
  let sealed = 0;
  for (const e of entries) {
    const ok = !!e.seal && checkEntrySeal(key, organization, e.seq, e.entryHash, Buffer.from(e.seal, 'hex'));
    if (ok) {
      sealing = true;
      sealed++;
      continue;
    }
    if (sealing || e.hashVersion === 2) return { brk: { organization, kind: 'rechained', seq: e.seq, id: e.id, detail: msg('verify.rechained-from', { seq: e.seq, id: e.id }) }, sealed };
  }
  return { brk: null, sealed };
}

export async function verifyOrganization(q: Queryable, organization: string, key?: KeyObject): Promise<OrganizationVerification> {
  let checkpointBreak: ChainBreak | null = null;
  const { base, count } = await checkpointsOf(q, organization, key, (b) => (checkpointBreak = b));
  const [chain] = await q.query<{ head_seq: number; head_hash: Buffer; head_seal: Buffer | null }>('SELECT head_seq, head_hash, head_seal FROM ledger_chains WHERE organization = $1', [organization]);
  const head = chain ? { seq: Number(chain.head_seq), hash: hex(chain.head_hash) } : null;
  const rows = await q.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE organization = $1 ORDER BY seq`, [organization]);
  const entries = rows.map(rowToEntry);
  // With the key, the head must carry a valid seal once anything was appended (sealHead), and every
  // sealed entry its own: a rewrite without the key is named from the entry where it starts.
  let sealBreak: ChainBreak | null = null;
  let sealed: boolean | null = null;
  let sealedEntries = 0;
  if (key && chain && head && head.seq > 0) {
    const seals = checkEntrySeals(organization, entries, key);
    sealedEntries = seals.sealed;
    sealed = chain.head_seal !== null && checkSeal(key, organization, head.seq, head.hash, Buffer.from(chain.head_seal));
    if (seals.brk) sealBreak = seals.brk;
    else if (!sealed) sealBreak = { organization, kind: 'changed', seq: head.seq, id: null, detail: msg('verify.head-unsealed', { seq: head.seq }) };
  }
  const chainBreak = checkpointBreak ?? walkChain(organization, entries, base, head) ?? sealBreak;
  const hashes = await checkPersonHashes(q, organization, entries, base);
  const countsBreak = await checkCounts(q, organization);
  const daysBreak = await checkDays(q, organization, entries);
  const candidates = [chainBreak, hashes.brk, countsBreak, daysBreak].filter((b): b is ChainBreak => b !== null);
  candidates.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
  return {
    organization,
    entries: entries.length,
    firstSeq: entries[0]?.seq ?? null,
    headSeq: head?.seq ?? 0,
    headHash: head?.hash ?? genesisHash(organization),
    checkpoints: count,
    headSealed: sealed,
    sealedEntries,
    personHashes: hashes.total,
    break: candidates[0] ?? null,
  };
}

export interface VerifyOptions {
  key?: KeyObject;
  organizations?: string[];
  /** An anchor (already signature-checked: anchor.ts readAnchor) the ledger must still extend. */
  anchor?: Anchor;
  /** The summary file as found before the database was opened, when it claimed to be current. */
  summary?: LedgerSummary | null;
}

/** Verify every organisation in the ledger (or the ones named), against an anchor and the summary if given. */
export async function verifyLedger(q: Queryable, options: VerifyOptions = {}): Promise<VerifyReport> {
  const orgs = options.organizations ?? (
    await q.query<{ organization: string }>(
      `SELECT organization FROM ledger_chains UNION SELECT organization FROM ledger_entries UNION SELECT organization FROM ledger_person_hashes ORDER BY 1`,
    )
  ).map((r) => r.organization);
  const organizations: OrganizationVerification[] = [];
  for (const org of orgs) organizations.push(await verifyOrganization(q, org, options.key));
  const breaks: ChainBreak[] = organizations.flatMap((o) => (o.break ? [o.break] : []));
  const report: VerifyReport = { intact: true, organizations, firstBreak: null };
  if (options.anchor) {
    const anchorBreaks = await checkAgainstAnchor(q, options.anchor);
    report.anchor = { root: options.anchor.body.root, createdAt: options.anchor.body.createdAt, organizations: options.anchor.body.organizations.length, extended: anchorBreaks.length === 0 };
    // Against an anchor, a rollback or a missing chain is the finding, whatever else broke with it.
    breaks.unshift(...anchorBreaks);
  }
  if (options.summary) {
    const now = await readFigures(q);
    const same = canonicalJson({ ...now }) === canonicalJson({ heads: options.summary.heads, counts: options.summary.counts, days: options.summary.days, entries: options.summary.entries });
    report.summary = same ? 'matches' : 'differs';
    if (!same) breaks.push({ organization: '', kind: 'summary', seq: null, id: null, detail: msg('verify.summary-differs') });
  }
  report.firstBreak = breaks[0] ?? null;
  report.intact = report.firstBreak === null;
  return report;
}
