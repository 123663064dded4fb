/**
 * Authentication: a bearer token (`Authorization: Bearer chj_…`) on every route but health, or — for
 * one person on their own machine — the session cookie set by the one-time login link that `serve`
 * prints on loopback (as notebook servers do). Tokens live in the database (hash only) and are kept in
 * memory; a change made through this server applies at once, one made elsewhere (the CLI against a
 * shared PostgreSQL, another server) within the refresh interval.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { msg } from '../i18n/index.js';
import { HttpError } from './errors.js';
import { FailureLimiter } from './rate-limit.js';
import { allows, rolesWith, type Permission, type Role } from './roles.js';
import { activeTokens, checkToken, parseToken, type ActiveToken } from './tokens.js';
import type { ServerDb } from './db.js';

export interface Principal {
  kind: 'token' | 'session';
  role: Role;
  /** Who, for the decision log and the ledger's operator: `token:<id> (<name>)` or `session`. */
  label: string;
  tokenId: string | null;
}

export const SESSION_COOKIE = 'chujing_session';
const SESSION_HOURS = 12;

interface Session {
  role: Role;
  expires: number;
}

const sha = (s: string) => createHash('sha256').update(s).digest();

export interface AuthOptions {
  limiter?: FailureLimiter;
  now?: () => number;
}

export class AuthService {
  private tokens = new Map<string, ActiveToken>();
  private readonly sessions = new Map<string, Session>();
  private loginSecret: Buffer | null = null;
  readonly limiter: FailureLimiter;
  private readonly now: () => number;

  constructor(
    private readonly db: ServerDb,
    options: AuthOptions = {},
  ) {
    this.limiter = options.limiter ?? new FailureLimiter();
    this.now = options.now ?? Date.now;
  }

  private refreshedAt = 0;

  async refresh(): Promise<void> {
    this.tokens = await activeTokens(this.db);
    this.refreshedAt = this.now();
  }

  /** A fresh one-time login secret (the link `serve` prints); any earlier one stops working. */
  newLoginSecret(): string {
    const secret = randomBytes(32).toString('base64url');
    this.loginSecret = sha(secret);
    return secret;
  }

  /** Exchange the one-time secret for a session id (the cookie value); null if wrong or already used. */
  login(secret: string, address: string): string | null {
    const wait = this.limiter.blockedFor(address);
    if (wait) throw rateLimited(wait);
    const h = sha(secret);
    if (!this.loginSecret || !timingSafeEqual(h, this.loginSecret)) {
      this.limiter.fail(address);
      return null;
    }
    this.loginSecret = null; // one time
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(sha(id).toString('hex'), { role: 'admin', expires: this.now() + SESSION_HOURS * 3_600_000 });
    return id;
  }

  logout(sessionId: string): void {
    this.sessions.delete(sha(sessionId).toString('hex'));
  }

  get sessionMaxAgeSeconds(): number {
    return SESSION_HOURS * 3600;
  }

  /** Who is calling, or a 401 / 429. */
  async authenticate(req: FastifyRequest): Promise<Principal> {
    const address = req.ip;
    const wait = this.limiter.blockedFor(address);
    if (wait) throw rateLimited(wait);
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      let t = m ? checkToken(this.tokens, m[1]!) : null;
      // A token created elsewhere (the CLI, another server) since the last refresh: look again, at most
      // once a second (a flood of bad tokens must not become a flood of queries).
      const id = m ? parseToken(m[1]!)?.id : undefined;
      if (!t && id && !this.tokens.has(id) && this.now() - this.refreshedAt > 1000) {
        await this.refresh();
        t = checkToken(this.tokens, m![1]!);
      }
      if (!t) {
        this.limiter.fail(address);
        throw unauthenticated(msg('server.auth.bad-token'));
      }
      return { kind: 'token', role: t.role, label: `token:${t.id} (${t.name})`, tokenId: t.id };
    }
    const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (cookie !== null) {
      const s = this.sessions.get(sha(cookie).toString('hex'));
      if (!s || s.expires < this.now()) {
        this.limiter.fail(address);
        throw unauthenticated(msg('server.auth.bad-session'));
      }
      // A session is for the browser: a state-changing request must come from our own pages.
      if (!['GET', 'HEAD'].includes(req.method) && !sameOrigin(req)) throw new HttpError('forbidden', msg('server.auth.cross-origin'), [{ field: 'header.origin', message: msg('server.auth.cross-origin'), expected: msg('server.auth.same-origin') }]);
      return { kind: 'session', role: s.role, label: 'session', tokenId: null };
    }
    throw unauthenticated(msg('server.auth.missing'));
  }

  authorise(principal: Principal, permission: Permission): void {
    if (!allows(principal.role, permission)) {
      throw new HttpError('forbidden', msg('server.auth.forbidden', { role: principal.role, permission }), [
        { field: 'role', message: msg('server.auth.forbidden', { role: principal.role, permission }), expected: msg('server.auth.roles-with', { roles: rolesWith(permission) }) },
      ]);
    }
  }
}

function unauthenticated(message: ReturnType<typeof msg>): HttpError {
  return new HttpError('unauthenticated', message, [{ field: 'header.authorization', message, expected: msg('server.auth.expected') }], { 'www-authenticate': 'Bearer realm="chujing"' });
}

function rateLimited(seconds: number): HttpError {
  return new HttpError('rate-limited', msg('server.auth.rate-limited', { seconds }), [], { 'retry-after': String(seconds) });
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

/** The Origin (or, failing that, the Referer) names this server. */
function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin ?? (req.headers.referer ? safeOrigin(req.headers.referer) : undefined);
  if (!origin) return true; // not a browser cross-site request (browsers send Origin on cross-site POSTs)
  const o = safeOrigin(origin);
  return o !== undefined && o === safeOrigin(`${req.protocol}://${req.headers.host}`);
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
