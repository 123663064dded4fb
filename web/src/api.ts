/**
 * The server's API from the browser. Signed in either by the session cookie the one-time login link
 * sets (sent by the browser itself), or by an API token the user pasted, kept for this tab only
 * (sessionStorage) and sent as a bearer token.
 */
import type { WireMsg } from './i18n.js';

const TOKEN_KEY = 'chujing.token';

export interface ErrorIssue {
  field?: string;
  file?: string;
  line?: number;
  column?: number;
  message: WireMsg | string;
  expected?: WireMsg | string;
}

export interface ErrorBody {
  schema: 'chujing.error/1';
  error: { code: string; status: number; message: WireMsg | string; issues: ErrorIssue[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body ? (typeof body.error.message === 'string' ? body.error.message : (body.error.message.text ?? body.error.message.code)) : `HTTP ${status}`);
  }
}

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage off */
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export interface Answer<T> {
  status: number;
  body: T;
  etag: string | null;
}

async function call<T>(method: string, path: string, options: { body?: unknown; ifMatch?: string; token?: string | null } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = options.token === undefined ? storedToken() : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const type = res.headers.get('content-type') ?? '';
  const body = res.status === 204 ? null : type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, body && typeof body === 'object' && body.schema === 'chujing.error/1' ? (body as ErrorBody) : null);
  return { status: res.status, body: body as T, etag: res.headers.get('etag') };
}

export const api = {
  get: <T>(path: string, query?: Query) => call<T>('GET', url(path, query)).then((a) => a.body),
  getWithEtag: <T>(path: string) => call<T>('GET', path),
  send: <T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, ifMatch?: string) => call<T>(method, path, { ...(body !== undefined ? { body } : {}), ...(ifMatch ? { ifMatch } : {}) }),
  /** Check a token before keeping it. */
  session: (token?: string | null) => call<Session>('GET', '/v1/session', { token: token ?? storedToken() }).then((a) => a.body),
  logout: () => call<null>('POST', '/v1/logout'),
  /** A file (the .ics calendar) through fetch, so a bearer token is sent too; saved by the browser. */
  async download(path: string, filename: string): Promise<void> {
    const token = storedToken();
    const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'same-origin' });
    if (!res.ok) {
      const body = (res.headers.get('content-type') ?? '').includes('json') ? await res.json().catch(() => null) : null;
      throw new ApiError(res.status, body && body.schema === 'chujing.error/1' ? (body as ErrorBody) : null);
    }
    const blob = await res.blob();
    const href = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = href;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  },
};

export interface Session {
  schema: 'chujing.session/1';
  role: 'viewer' | 'officer' | 'gateway' | 'admin';
  caller: string;
  kind: 'token' | 'session';
  permissions: string[];
}
