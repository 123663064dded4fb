/**
 * Authentication: a bearer token (`Authorization: Bearer chj_…`) on every route but health, or — for
 * one person on their own machine — the session cookie set by the one-time login link that `serve`
 * prints on loopback (as notebook servers do). Tokens live in the database (hash only) and are kept in
 * memory; a change made through this server applies at once, one made elsewhere (the CLI against a
 * shared PostgreSQL, another server) within the refresh interval.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Bytes } from '../ledger/sha256.js';
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

/**
 * The session cookie's name carries this server's own id (random per process; sessions live in memory,
 * so a restart ends them anyway): two chujing servers on one host never overwrite or read each other's
 * session. Behind a TLS-terminating proxy (trusted with --trust-proxy, X-Forwarded-Proto: https) the
 * cookie is Secure and `__Host-` prefixed. Browsers scope cookies by host, not port: see
 * docs/threat-model.md for what that means for other services on 127.0.0.1.
 */
export const SESSION_COOKIE_PREFIX = 'chujing_session_';
const SECURE_PREFIX = '__Host-';
const SESSION_HOURS = 12;

interface Session {
  role: Role;
  expires: number;
}

const sha = sha256Bytes;

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
  /** This server's session cookie name (without the `__Host-` prefix used over HTTPS). */
  readonly cookieName = `${SESSION_COOKIE_PREFIX}${randomBytes(6).toString('hex')}`;

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
    const h = sha(secret);
    if (!this.loginSecret || !timingSafeEqual(h, this.loginSecret)) {
      this.failed(address, `login:${h.toString('hex')}`);
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

  /** The session cookie the browser sent (either name: plain, or `__Host-` over HTTPS). */
  sessionCookie(header: string | undefined): string | null {
    return readCookie(header, `${SECURE_PREFIX}${this.cookieName}`) ?? readCookie(header, this.cookieName);
  }

  /** Set-Cookie for a session id ('' with maxAge 0 clears it). */
  setCookie(value: string, secure: boolean, maxAge = this.sessionMaxAgeSeconds): string {
    const name = secure ? `${SECURE_PREFIX}${this.cookieName}` : this.cookieName;
    return `${name}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
  }

  get sessionMaxAgeSeconds(): number {
    return SESSION_HOURS * 3600;
  }

  /**
   * A failed attempt: counted per address and per presented credential; once either is over the limit
   * the answer is 429 instead of 401. Only failures are ever limited.
   */
  private failed(address: string, credential: string): void {
    const wait = Math.max(this.limiter.blockedFor(`ip:${address}`), this.limiter.blockedFor(`cred:${credential}`));
    this.limiter.fail(`ip:${address}`);
    this.limiter.fail(`cred:${credential}`);
    if (wait) throw rateLimited(wait);
  }

  /** The caller when valid credentials are presented, else null (never throws; failures still count). */
  async identify(req: FastifyRequest): Promise<Principal | null> {
    if (req.headers.authorization === undefined && this.sessionCookie(req.headers.cookie) === null) return null;
    try {
      return await this.authenticate(req);
    } catch {
      return null;
    }
  }

  /** Who is calling, or a 401 / 429 (429 only for wrong credentials: a valid one always passes). */
  async authenticate(req: FastifyRequest): Promise<Principal> {
    const address = req.ip;
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
        // Per credential: by the token id it names (guessing one token's secret), else by its hash.
        this.failed(address, id ? `token:${id}` : sha(header).toString('hex'));
        throw unauthenticated(msg('server.auth.bad-token'));
      }
      return { kind: 'token', role: t.role, label: `token:${t.id} (${t.name})`, tokenId: t.id };
    }
    const cookie = this.sessionCookie(req.headers.cookie);
    if (cookie !== null) {
      const s = this.sessions.get(sha(cookie).toString('hex'));
      if (!s || s.expires < this.now()) {
        this.failed(address, `session:${sha(cookie).toString('hex')}`);
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
