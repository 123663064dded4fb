/**
 * Errors as HTTP answers. Everything the CLI reports as a ChujingError keeps its code and gets the
 * status `httpStatusFor` gives it (bad input 400, not found 404, conflict 409, database in use 503...);
 * the few situations only a server has (no credentials, wrong role, a stale ETag, too many failed
 * logins, a body too large) have codes of their own here. The body is one shape for all:
 * `{schema: "chujing.error/1", error: {code, status, message, issues[]}}`, messages as {code, params, text}.
 */
import { ChujingError, httpStatusFor, type ErrorIssue } from '../errors.js';
import { jsonReplacer, msg, type Text } from '../i18n/index.js';

export type ServerErrorCode =
  | 'unauthenticated' // 401: no or invalid credentials
  | 'forbidden' // 403: the role lacks the permission
  | 'precondition-failed' // 412: If-Match does not match the current entry (someone else edited it)
  | 'precondition-required' // 428: an edit without If-Match
  | 'too-large' // 413: body above the limit
  | 'unsupported-media-type' // 415
  | 'rate-limited' // 429: too many failed authentications
  | 'unavailable'; // 503: the server cannot do this now (no HMAC key configured, shutting down)

const STATUS: Record<ServerErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  'precondition-failed': 412,
  'precondition-required': 428,
  'too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  unavailable: 503,
};

export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: ServerErrorCode,
    readonly summary: Text,
    readonly issues: ErrorIssue[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof summary === 'string' ? summary : summary.code);
    this.name = 'HttpError';
    this.status = STATUS[code];
  }
}

export const ERROR_SCHEMA = 'chujing.error/1';

/** Longest path parameter (ids are at most 200 characters: the workspace format bounds them). */
export const MAX_PARAM_LENGTH = 512;

export interface ErrorBody {
  schema: typeof ERROR_SCHEMA;
  error: { code: string; status: number; message: Text; issues: ErrorIssue[] };
}

export function errorBody(code: string, status: number, message: Text, issues: ErrorIssue[] = []): ErrorBody {
  return { schema: ERROR_SCHEMA, error: { code, status, message, issues } };
}

/** Status and body for anything thrown by a handler; unknown errors are internal (logged, never shown). */
export function toErrorResponse(e: unknown): { status: number; body: ErrorBody; headers: Record<string, string>; internal: boolean } {
  if (e instanceof HttpError) return { status: e.status, body: errorBody(e.code, e.status, e.summary, e.issues), headers: e.headers, internal: false };
  if (e instanceof ChujingError) {
    const status = httpStatusFor(e.code);
    return { status, body: errorBody(e.code, status, e.summary, e.issues), headers: {}, internal: e.code === 'internal' };
  }
  const f = e as { code?: string; statusCode?: number; message?: string };
  // Fastify's own request errors: body too large, wrong content type, malformed JSON.
  switch (f?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: errorBody('too-large', 413, msg('server.request.too-large'), [{ field: 'body', message: msg('server.request.too-large'), expected: msg('server.request.smaller-body') }]), headers: {}, internal: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 415, body: errorBody('unsupported-media-type', 415, msg('server.request.media-type'), [{ field: 'content-type', message: msg('server.request.media-type'), expected: 'application/json' }]), headers: {}, internal: false };
    case 'FST_ERR_BAD_URL':
      return { status: 400, body: errorBody('bad-input', 400, msg('server.request.bad-url'), [{ field: 'url', message: msg('server.request.bad-url'), expected: msg('server.request.url-expected') }]), headers: {}, internal: false };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, body: errorBody('too-large', 414, msg('server.request.param-too-long', { max: MAX_PARAM_LENGTH }), [{ field: 'url', message: msg('server.request.param-too-long', { max: MAX_PARAM_LENGTH }), expected: msg('server.bounds.expected', { max: MAX_PARAM_LENGTH }) }]), headers: {}, internal: false };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: errorBody('bad-input', 400, msg('server.request.bad-json'), [{ field: 'body', message: msg('server.request.bad-json'), expected: msg('server.request.json-expected') }]), headers: {}, internal: false };
  }
  if (e instanceof SyntaxError && f.statusCode === 400) {
    return { status: 400, body: errorBody('bad-input', 400, msg('server.request.bad-json'), [{ field: 'body', message: msg('server.request.bad-json'), expected: msg('server.request.json-expected') }]), headers: {}, internal: false };
  }
  if (typeof f?.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500) {
    return { status: f.statusCode, body: errorBody('bad-input', f.statusCode, msg('server.request.rejected'), []), headers: {}, internal: false };
  }
  return { status: 500, body: errorBody('internal', 500, msg('error.internal', { detail: 'see the server log' })), headers: {}, internal: true };
}

/**
 * The answer Node's HTTP parser needs before any request exists (headers too large: 431; a malformed
 * request: 400; a slow client: 408), in the same error shape, written straight to the socket. No
 * request means no Accept-Language: these are in English.
 */
export function clientErrorResponse(err: { code?: string }, maxHeaderBytes: number): string {
  const [status, code, message, issues] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'too-large', msg('server.request.headers-too-large'), [{ field: 'headers', message: msg('server.request.headers-too-large'), expected: msg('server.request.smaller-headers', { max: maxHeaderBytes }) }]]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'unavailable', msg('server.request.rejected'), []]
        : [400, 'bad-input', msg('server.request.rejected'), []];
  return JSON.stringify(errorBody(code, status as number, message as Text, issues as ErrorIssue[]), jsonReplacer('en'));
}
