/**
 * Anchors: the ledger's state signed and kept OUTSIDE the database, as Certificate Transparency keeps
 * signed tree heads. Whoever controls the database can truncate an organisation's tail and put back an
 * older, validly sealed head (a rollback), or delete an affiliate's whole chain; nothing inside the
 * database can show that. An anchor is one statement committing to every organisation's chain head —
 * organisation, seq, hash — signed with Ed25519 (node:crypto), written by `ledger anchor` to a file the
 * database administrator does not control (committed to the workspace's git, handed to the auditor).
 * `ledger verify --against ANCHOR` then proves the ledger still extends it: every anchored organisation
 * is there, no head is behind its anchored seq, and the entry at the anchored seq still has the anchored
 * hash (the chain walk proves the rest up to today's head).
 *
 * Asymmetric on purpose: the HMAC key that seals heads and checkpoints can forge them; the auditor who
 * checks an anchor needs only the public key and cannot sign one.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { ChujingError } from '../errors.js';
import { msg } from '../i18n/index.js';
import type { Queryable } from '../store/index.js';
import { canonicalJson } from './canonical.js';
import type { ChainBreak } from './verify.js';

export const ANCHOR_SCHEMA = 'chujing.ledger-anchor/1';
const SIGNING_PREFIX = 'chujing:ledger:anchor:v1\n';

export interface AnchoredHead {
  organization: string;
  seq: number;
  hash: string;
}

export interface AnchorBody {
  v: 1;
  /** When the anchor was made (ISO instant). */
  createdAt: string;
  /** Every organisation with a chain, sorted. */
  organizations: AnchoredHead[];
  /** SHA-256 over the canonical list: one value to quote in an audit report. */
  root: string;
  /**
   * The server's decision log head when it has one (issue 19): a server finding its log behind it (the
   * table and head emptied, a rollback) reports the log broken. Absent from older anchors.
   */
  decisionLog?: AnchoredDecisionHead;
}

export interface AnchoredDecisionHead {
  seq: number;
  hash: string;
}

/** The decision log's head, when the server has logged anything (null otherwise). */
export async function currentDecisionHead(q: Queryable): Promise<AnchoredDecisionHead | null> {
  const [h] = await q.query<{ head_seq: number; head_hash: Buffer }>("SELECT head_seq, head_hash FROM server_decision_chain WHERE chain = 'decisions'");
  return h && Number(h.head_seq) > 0 ? { seq: Number(h.head_seq), hash: Buffer.from(h.head_hash).toString('hex') } : null;
}

export interface Anchor {
  schema: typeof ANCHOR_SCHEMA;
  body: AnchorBody;
  /** Fingerprint of the public key that signed it (SHA-256 of its SPKI DER, hex, first 32). */
  keyId: string;
  /** Ed25519 signature of the canonical body, base64. */
  signature: string;
}

export function publicKeyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32);
}

export function anchorRoot(heads: AnchoredHead[]): string {
  return createHash('sha256').update(canonicalJson(heads)).digest('hex');
}

/** A fresh Ed25519 key pair, as PEM (private PKCS#8, public SPKI). */
export function generateAnchorKeys(): { privatePem: string; publicPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: publicKeyId(publicKey),
  };
}

function parseKey(text: string, kind: 'private' | 'public', where: string): KeyObject {
  try {
    const trimmed = text.trim();
    const key = trimmed.startsWith('-----')
      ? kind === 'private'
        ? createPrivateKey(trimmed)
        : createPublicKey(trimmed)
      : kind === 'private'
        ? createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' })
        : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an ${key.asymmetricKeyType} key`);
    return key;
  } catch (e) {
    throw new ChujingError('bad-input', msg(kind === 'private' ? 'anchor.bad-private-key' : 'anchor.bad-public-key', { where }), [
      { field: where, message: (e as Error).message, expected: msg(kind === 'private' ? 'anchor.private-key-expected' : 'anchor.public-key-expected') },
    ]);
  }
}

export const parsePrivateKey = (text: string, where: string) => parseKey(text, 'private', where);
export const parsePublicKey = (text: string, where: string) => parseKey(text, 'public', where);

/** Every organisation's chain head, now. */
export async function currentHeads(q: Queryable): Promise<AnchoredHead[]> {
  const rows = await q.query<{ organization: string; head_seq: number; head_hash: Buffer }>('SELECT organization, head_seq, head_hash FROM ledger_chains ORDER BY organization');
  return rows.map((r) => ({ organization: r.organization, seq: Number(r.head_seq), hash: Buffer.from(r.head_hash).toString('hex') }));
}

export function makeAnchor(heads: AnchoredHead[], privateKey: KeyObject, createdAt: string, decisionLog: AnchoredDecisionHead | null = null): Anchor {
  const organizations = [...heads].sort((a, b) => (a.organization < b.organization ? -1 : a.organization > b.organization ? 1 : 0));
  const body: AnchorBody = { v: 1, createdAt, organizations, root: anchorRoot(organizations), ...(decisionLog ? { decisionLog } : {}) };
  const signature = sign(null, Buffer.from(SIGNING_PREFIX + canonicalJson(body)), privateKey).toString('base64');
  return { schema: ANCHOR_SCHEMA, body, keyId: publicKeyId(privateKey), signature };
}

/** Parse an anchor file and check its signature with the auditor's public key; throws on any doubt. */
export function readAnchor(text: string, display: string, publicKey: KeyObject): Anchor {
  let a: Anchor;
  try {
    a = JSON.parse(text) as Anchor;
  } catch (e) {
    throw new ChujingError('bad-input', msg('anchor.bad-file', { file: display }), [{ file: display, message: (e as Error).message, expected: msg('anchor.file-expected') }]);
  }
  const shaped =
    a && a.schema === ANCHOR_SCHEMA && a.body && a.body.v === 1 && Array.isArray(a.body.organizations) && typeof a.signature === 'string' &&
    a.body.organizations.every((o) => o && typeof o.organization === 'string' && Number.isInteger(o.seq) && typeof o.hash === 'string') &&
    (a.body.decisionLog === undefined || (!!a.body.decisionLog && Number.isInteger(a.body.decisionLog.seq) && typeof a.body.decisionLog.hash === 'string'));
  if (!shaped) throw new ChujingError('bad-input', msg('anchor.bad-file', { file: display }), [{ file: display, message: msg('anchor.not-anchor'), expected: msg('anchor.file-expected') }]);
  const ok =
    a.keyId === publicKeyId(publicKey) &&
    a.body.root === anchorRoot(a.body.organizations) &&
    verify(null, Buffer.from(SIGNING_PREFIX + canonicalJson(a.body)), publicKey, Buffer.from(a.signature, 'base64'));
  if (!ok) {
    throw new ChujingError('integrity', msg('anchor.bad-signature', { file: display }), [
      { file: display, message: msg('anchor.bad-signature-detail', { keyId: a.keyId, expectedKeyId: publicKeyId(publicKey) }), expected: msg('anchor.bad-signature-expected') },
    ]);
  }
  return a;
}

/**
 * Does the ledger still extend the anchor? For each anchored organisation: its chain exists, its head is
 * not behind, and the entry at the anchored seq has the anchored hash (or, pruned since, the checkpoint
 * at exactly that seq does; a later checkpoint is itself signed and chained). The chain walk of `verify`
 * proves the entries from there to today's head.
 */
export async function checkAgainstAnchor(q: Queryable, anchor: Anchor): Promise<ChainBreak[]> {
  const breaks: ChainBreak[] = [];
  const heads = new Map((await currentHeads(q)).map((h) => [h.organization, h]));
  for (const a of anchor.body.organizations) {
    const org = a.organization;
    const head = heads.get(org);
    const [{ n } = { n: 0 }] = await q.query<{ n: number }>('SELECT count(*)::int8 AS n FROM ledger_entries WHERE organization = $1', [org]);
    if (!head) {
      breaks.push({ organization: org, kind: 'chain-deleted', seq: a.seq, id: null, detail: msg('verify.anchor-chain-deleted', { organization: org, seq: a.seq, entries: Number(n) }) });
      continue;
    }
    if (head.seq < a.seq) {
      breaks.push({ organization: org, kind: 'rolled-back', seq: head.seq + 1, id: null, detail: msg('verify.anchor-rolled-back', { organization: org, head: head.seq, anchored: a.seq }) });
      continue;
    }
    if (a.seq === 0) continue;
    const [row] = await q.query<{ id: string; entry_hash: Buffer }>('SELECT id, entry_hash FROM ledger_entries WHERE organization = $1 AND seq = $2', [org, a.seq]);
    if (row) {
      if (Buffer.from(row.entry_hash).toString('hex') !== a.hash) breaks.push({ organization: org, kind: 'diverged', seq: a.seq, id: row.id, detail: msg('verify.anchor-diverged', { organization: org, seq: a.seq }) });
      continue;
    }
    const [cp] = await q.query<{ last_seq: number; last_hash: Buffer }>(
      'SELECT last_seq, last_hash FROM ledger_checkpoints WHERE organization = $1 AND last_seq >= $2 ORDER BY last_seq LIMIT 1',
      [org, a.seq],
    );
    if (!cp) breaks.push({ organization: org, kind: 'rolled-back', seq: a.seq, id: null, detail: msg('verify.anchor-entry-missing', { organization: org, seq: a.seq }) });
    else if (Number(cp.last_seq) === a.seq && Buffer.from(cp.last_hash).toString('hex') !== a.hash) {
      breaks.push({ organization: org, kind: 'diverged', seq: a.seq, id: null, detail: msg('verify.anchor-diverged', { organization: org, seq: a.seq }) });
    }
  }
  return breaks;
}
