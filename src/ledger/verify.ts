/**
 * `ledger verify`: recompute the hash chain of every organisation and the digests of its person hashes,
 * and name the FIRST broken link and what happened there — an entry changed, deleted, inserted or
 * reordered. Works on what the database holds now; it does not trust the stored hashes (each is
 * recomputed from the row's content) nor the chain head row (it is checked against the last entry).
 */
import type { KeyObject } from 'node:crypto';
import { ChujingError } from '../errors.js';
import type { Queryable } from '../store/index.js';
import { LEDGER_CATEGORIES, categoryOfCode } from './categories.js';
import { checkCheckpoint, checkSeal, type CheckpointBody } from './checkpoint.js';
import { computeEntryHash, genesisHash, type LedgerEntry } from './entry.js';
import { LEDGER_MESSAGES as M, VERIFY_KIND_TEXT } from './messages.js';
import { rowToEntry, type EntryRow } from './rows.js';
import { ENTRY_COLUMNS, setDigestSql } from './sql.js';

export type BreakKind = keyof typeof VERIFY_KIND_TEXT;

export interface ChainBreak {
  organization: string;
  kind: BreakKind;
  /** Sequence number where the chain breaks (null: the running counts, which have no position). */
  seq: number | null;
  id: string | null;
  detail: string;
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
  personHashes: number;
  break: ChainBreak | null;
}

export interface VerifyReport {
  intact: boolean;
  organizations: OrganizationVerification[];
  /** The first break found, in organisation order, lowest sequence number first. */
  firstBreak: ChainBreak | null;
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
  if (!key) throw new ChujingError('bad-input', M.checkpointNeedsKey, [{ field: 'key', message: 'missing key', expected: 'the organisation key (environment variable or --key-file)' }]);
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
      brk({ organization, kind: 'changed', seq: Number(r.last_seq), id: null, detail: `the pruning checkpoint at entry ${r.last_seq} does not match its signature` });
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
  const brk = (kind: BreakKind, seq: number | null, id: string | null, detail: string): ChainBreak => ({ organization, kind, seq, id, detail });
  if (!head) return entries[0] ? brk('inserted', entries[0].seq, entries[0].id, 'entries exist for an organisation that has no ledger chain') : null;
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
          return brk('inserted', before.seq, before.id, `entry ${before.seq} (${before.id}) was inserted ahead of entry ${e.id}, which the chain holds at ${orig}`);
        }
        return brk('reordered', e.seq, e.id, `entry ${e.id} is at position ${e.seq} but was recorded at position ${orig}`);
      }
      const nextPrev = next ? next.prevHash : head.hash;
      // Changed in place: it still links to its predecessor and its successor still links to it.
      if (e.prevHash === expPrev && nextPrev === e.entryHash) return brk('changed', e.seq, e.id, `entry ${e.seq} (${e.id}) no longer matches its hash`);
      if (nextPrev === expPrev) return brk('inserted', e.seq, e.id, `entry ${e.seq} (${e.id}) is not part of the chain`);
      return brk('changed', e.seq, e.id, `entry ${e.seq} (${e.id}) no longer matches its hash`);
    }
    // The row is authentic: its seq and prev are what was hashed when it was recorded.
    if (e.seq > expSeq) return brk('deleted', expSeq, null, e.seq - 1 === expSeq ? `entry ${expSeq} is missing` : `entries ${expSeq} to ${e.seq - 1} are missing`);
    if (e.seq < expSeq) return brk('inserted', e.seq, e.id, `entry ${e.id} repeats position ${e.seq}`);
    const before = entries[i - 1];
    if (before) return brk('changed', before.seq, before.id, `entry ${before.seq} (${before.id}) was rewritten: entry ${e.seq} committed to a different hash`);
    return brk('changed', base.seq, null, base.seq === 0 ? 'the first entry does not follow the genesis of the chain' : `the checkpoint at ${base.seq} does not match the entry after it`);
  }
  const lastSeq = expSeq - 1;
  if (head.seq > lastSeq) return brk('deleted', lastSeq + 1, null, head.seq === lastSeq + 1 ? `entry ${head.seq} (the last) is missing` : `entries ${lastSeq + 1} to ${head.seq} (the last) are missing`);
  if (head.seq < lastSeq) {
    const extra = entries.find((x) => x.seq === head.seq + 1);
    return brk('inserted', head.seq + 1, extra?.id ?? null, `entries after ${head.seq} were appended outside chujing`);
  }
  if (head.hash !== expPrev) return brk('changed', lastSeq, entries[entries.length - 1]?.id ?? null, `the chain head does not match entry ${lastSeq}`);
  return null;
}

interface SetDigest {
  count: number;
  digest: string;
}

async function checkPersonHashes(q: Queryable, organization: string, entries: LedgerEntry[], base: Base): Promise<{ brk: ChainBreak | null; total: number }> {
  const brk = (kind: BreakKind, seq: number | null, id: string | null, detail: string): ChainBreak => ({ organization, kind, seq, id, detail });
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
      breaks.push(brk('inserted', seq, null, `person hashes are attributed to entry ${seq}, which does not exist`));
      continue;
    }
    if (Number(r.year) !== e.year) {
      breaks.push(brk('changed', seq, e.id, `person hashes of entry ${seq} (${e.id}) were moved to year ${r.year}`));
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
        breaks.push(brk('changed', e.seq, e.id, `the ${c} hashes added by entry ${e.seq} (${e.id}) changed: ${e.added[c].count} recorded, ${have.count} found`));
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
      if (!w || w.count !== Number(r.n) || w.digest !== hex(r.digest)) breaks.push(brk('changed', base.seq, null, `person hashes kept by the checkpoint at ${base.seq} changed (${k})`));
    }
    for (const k of want.keys()) if (!seen.has(k)) breaks.push(brk('deleted', base.seq, null, `person hashes kept by the checkpoint at ${base.seq} were deleted (${k})`));
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
      return { organization, kind: 'changed', seq: null, id: null, detail: `the running count of ${categoryOfCode(Number(r.category))} for ${r.year} is ${stored} but ${actual} distinct hashes are stored` };
    }
  }
  return null;
}

export async function verifyOrganization(q: Queryable, organization: string, key?: KeyObject): Promise<OrganizationVerification> {
  let checkpointBreak: ChainBreak | null = null;
  const { base, count } = await checkpointsOf(q, organization, key, (b) => (checkpointBreak = b));
  const [chain] = await q.query<{ head_seq: number; head_hash: Buffer; head_seal: Buffer | null }>('SELECT head_seq, head_hash, head_seal FROM ledger_chains WHERE organization = $1', [organization]);
  const head = chain ? { seq: Number(chain.head_seq), hash: hex(chain.head_hash) } : null;
  // With the key, the head must carry a valid seal once anything was appended (sealHead).
  let sealBreak: ChainBreak | null = null;
  let sealed: boolean | null = null;
  if (key && chain && head && head.seq > 0) {
    sealed = chain.head_seal !== null && checkSeal(key, organization, head.seq, head.hash, Buffer.from(chain.head_seal));
    if (!sealed) sealBreak = { organization, kind: 'changed', seq: head.seq, id: null, detail: `the chain head (entry ${head.seq}) does not carry the organisation's seal: the chain was rewritten without the key` };
  }
  const rows = await q.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE organization = $1 ORDER BY seq`, [organization]);
  const entries = rows.map(rowToEntry);
  const chainBreak = checkpointBreak ?? walkChain(organization, entries, base, head) ?? sealBreak;
  const hashes = await checkPersonHashes(q, organization, entries, base);
  const countsBreak = await checkCounts(q, organization);
  const candidates = [chainBreak, hashes.brk, countsBreak].filter((b): b is ChainBreak => b !== null);
  candidates.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
  return {
    organization,
    entries: entries.length,
    firstSeq: entries[0]?.seq ?? null,
    headSeq: head?.seq ?? 0,
    headHash: head?.hash ?? genesisHash(organization),
    checkpoints: count,
    headSealed: sealed,
    personHashes: hashes.total,
    break: candidates[0] ?? null,
  };
}

/** Verify every organisation in the ledger (or the ones named). */
export async function verifyLedger(q: Queryable, options: { key?: KeyObject; organizations?: string[] } = {}): Promise<VerifyReport> {
  const orgs = options.organizations ?? (
    await q.query<{ organization: string }>(
      `SELECT organization FROM ledger_chains UNION SELECT organization FROM ledger_entries UNION SELECT organization FROM ledger_person_hashes ORDER BY 1`,
    )
  ).map((r) => r.organization);
  const organizations: OrganizationVerification[] = [];
  for (const org of orgs) organizations.push(await verifyOrganization(q, org, options.key));
  const firstBreak = organizations.find((o) => o.break)?.break ?? null;
  return { intact: firstBreak === null, organizations, firstBreak };
}

