/**
 * API tokens: `chj_<id>_<secret>`. The id is public (it names the row, shows in `token list` and in the
 * decision log as the caller); the secret is 32 random bytes and is stored only as SHA-256 — a token is
 * high-entropy, so a slow password hash would add nothing but latency on every request. The full token
 * is shown once, when it is created.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Bytes } from '../ledger/sha256.js';
import { z } from 'zod';
import { ChujingError } from '../errors.js';
import { msg } from '../i18n/index.js';
import type { Queryable } from '../store/index.js';
import { ROLES, type Role } from './roles.js';

const PREFIX = 'chj';
const TOKEN_PATTERN = /^chj_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export const tokenNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, { message: 'a token name uses letters, digits, ., _, :, @ and -' });

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedToken extends TokenInfo {
  /** The whole token: shown once, never stored. */
  token: string;
}

type Db = Pick<Queryable, 'query'>;

function secretHash(secret: string): Buffer {
  return sha256Bytes(`chujing:token:v1:${secret}`);
}

/** Split a presented token into its id and secret, or null when it is not one of ours. */
export function parseToken(token: string): { id: string; secret: string } | null {
  const m = TOKEN_PATTERN.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

function newId(): string {
  // 12 characters of [a-z0-9] from 9 random bytes (base32-like, no ambiguity about case).
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(12);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

function rowToInfo(r: { id: string; name: string; role: string; created_at: Date | string; revoked_at: Date | string | null }): TokenInfo {
  const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());
  return { id: r.id, name: r.name, role: r.role as Role, createdAt: iso(r.created_at), revokedAt: r.revoked_at === null ? null : iso(r.revoked_at) };
}

export async function createToken(db: Db, name: string, role: Role): Promise<CreatedToken> {
  const parsedName = tokenNameSchema.safeParse(name);
  if (!parsedName.success) throw new ChujingError('bad-input', msg('server.token.bad-name', { name }), [{ field: 'name', message: parsedName.error.issues[0]!.message, expected: msg('server.token.name-expected') }]);
  if (!(ROLES as readonly string[]).includes(role)) throw new ChujingError('bad-input', msg('server.token.bad-role', { role }), [{ field: 'role', message: msg('server.token.bad-role', { role }), expected: ROLES.join(', ') }]);
  const existing = await db.query<{ id: string }>('SELECT id FROM server_tokens WHERE name = $1 AND revoked_at IS NULL', [name]);
  if (existing.length) throw new ChujingError('conflict', msg('server.token.name-taken', { name }), [{ field: 'name', message: msg('server.token.name-taken', { name }), expected: msg('server.token.name-expected') }]);
  const id = newId();
  const secret = randomBytes(32).toString('base64url');
  const rows = await db.query<{ id: string; name: string; role: string; created_at: Date; revoked_at: Date | null }>(
    'INSERT INTO server_tokens (id, name, role, secret_hash) VALUES ($1, $2, $3, $4) RETURNING id, name, role, created_at, revoked_at',
    [id, name, role, secretHash(secret)],
  );
  return { ...rowToInfo(rows[0]!), token: `${PREFIX}_${id}_${secret}` };
}

export async function listTokens(db: Db): Promise<TokenInfo[]> {
  const rows = await db.query<{ id: string; name: string; role: string; created_at: Date; revoked_at: Date | null }>(
    'SELECT id, name, role, created_at, revoked_at FROM server_tokens ORDER BY created_at, id',
  );
  return rows.map(rowToInfo);
}

/** Revoke by id or by name (of an active token). Returns the revoked token, or throws not-found. */
export async function revokeToken(db: Db, idOrName: string): Promise<TokenInfo> {
  const rows = await db.query<{ id: string; name: string; role: string; created_at: Date; revoked_at: Date | null }>(
    `UPDATE server_tokens SET revoked_at = now()
      WHERE revoked_at IS NULL AND (id = $1 OR name = $1)
      RETURNING id, name, role, created_at, revoked_at`,
    [idOrName],
  );
  if (rows.length === 0) throw new ChujingError('not-found', msg('server.token.not-found', { token: idOrName }), [{ field: 'token', message: msg('server.token.not-found', { token: idOrName }), expected: msg('server.token.list-hint') }]);
  return rowToInfo(rows[0]!);
}

/** What the server keeps in memory to check a token without a query: id -> hash and role. */
export interface ActiveToken {
  id: string;
  name: string;
  role: Role;
  hash: Buffer;
}

export async function activeTokens(db: Db): Promise<Map<string, ActiveToken>> {
  const rows = await db.query<{ id: string; name: string; role: string; secret_hash: Buffer }>('SELECT id, name, role, secret_hash FROM server_tokens WHERE revoked_at IS NULL');
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, role: r.role as Role, hash: Buffer.from(r.secret_hash) }]));
}

/** Check a presented token against the active set; constant-time on the secret. */
export function checkToken(active: Map<string, ActiveToken>, token: string): ActiveToken | null {
  const parsed = parseToken(token);
  if (!parsed) return null;
  const t = active.get(parsed.id);
  if (!t) return null;
  const h = secretHash(parsed.secret);
  return h.length === t.hash.length && timingSafeEqual(h, t.hash) ? t : null;
}
