/**
 * Routes are declared once, with zod schemas for their path parameters, query, body and answers: the
 * same declaration validates every request (a 400 naming the field and what was expected, with the
 * CLI's error codes), types the handler, and becomes the route's entry in /openapi.json (openapi.ts).
 * Zod emits JSON Schema 2020-12 itself, which is what OpenAPI 3.1 uses, so no generator plugin is needed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import fastJson from 'fast-json-stringify';
import { toJSONSchema as zodToJsonSchema, type z } from 'zod';
import { badInput, type ErrorIssue } from '../errors.js';
import { jsonReplacer, msg, type Lang, type Msg } from '../i18n/index.js';
import { formatPath } from '../model/load.js';
import type { AuthService, Principal } from './auth.js';
import { requestLang } from './lang.js';
import type { Permission } from './roles.js';

export interface ResponseDoc {
  status: number;
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
}

export interface HeaderDoc {
  name: string;
  description: string;
  required?: boolean;
}

export interface RouteContext<P, Q, B> {
  req: FastifyRequest;
  reply: FastifyReply;
  params: P;
  query: Q;
  body: B;
  /** null only on public routes. */
  principal: Principal | null;
  lang: Lang;
}

export interface RouteDef<P = unknown, Q = unknown, B = unknown> {
  method: HTTPMethods | HTTPMethods[];
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** null: public (health, login, the OpenAPI document). */
  permission: Permission | null;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** A body validated by the handler itself (it depends on a path parameter): documented only. */
  bodyDoc?: z.ZodType;
  headers?: HeaderDoc[];
  responses: ResponseDoc[];
  bodyLimit?: number;
  /** Left out of /openapi.json (an alias documented on its main route). */
  hidden?: boolean;
  handler(c: RouteContext<P, Q, B>): Promise<unknown> | unknown;
}

const TYPE_NAMES = new Set(['string', 'number', 'int', 'boolean', 'object', 'array', 'nonoptional']);
const typeName = (t: string) => (TYPE_NAMES.has(t) ? msg(`server.zod.type.${t}`) : msg('server.zod.type.other', { type: t }));
/** zod's own English texts (a schema's custom message is kept: it says more than the generic one). */
const ZOD_DEFAULT = /^(Invalid |Too (big|small)|Unrecognized key)/;

/** One zod issue as a message in the message tables (the caller's language), with what was expected. */
function zodMessage(issue: z.core.$ZodIssue): { message: Msg; expected?: Msg } {
  const i = issue as z.core.$ZodIssue & { expected?: string; input?: unknown; origin?: string; maximum?: number | bigint; minimum?: number | bigint; values?: unknown[]; format?: string };
  const custom = !ZOD_DEFAULT.test(issue.message);
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined$/.test(issue.message)) return { message: msg('server.zod.missing'), ...(i.expected ? { expected: typeName(i.expected) } : {}) };
      return { message: custom ? msg('server.zod.rule', { detail: issue.message }) : msg('server.zod.type', { expected: typeName(i.expected ?? '?') }), ...(i.expected ? { expected: typeName(i.expected) } : {}) };
    case 'too_big': {
      const max = Number(i.maximum);
      const m = i.origin === 'string' ? msg('server.zod.too-long', { max }) : i.origin === 'array' || i.origin === 'set' ? msg('server.zod.too-many', { max }) : msg('server.zod.too-big', { max });
      return { message: custom ? msg('server.zod.rule', { detail: issue.message }) : m, expected: m };
    }
    case 'too_small': {
      const min = Number(i.minimum);
      const m = i.origin === 'string' ? msg('server.zod.too-short', { min }) : i.origin === 'array' || i.origin === 'set' ? msg('server.zod.too-few', { min }) : msg('server.zod.too-small', { min });
      return { message: custom ? msg('server.zod.rule', { detail: issue.message }) : m, expected: m };
    }
    case 'invalid_value':
      return { message: custom ? msg('server.zod.rule', { detail: issue.message }) : msg('server.zod.one-of'), expected: msg('server.zod.one-of-expected', { values: (i.values ?? []).map(String).join(', ') }) };
    case 'invalid_union':
      return { message: msg('server.zod.no-form') };
    case 'invalid_format':
      return { message: custom ? msg('server.zod.rule', { detail: issue.message }) : msg('server.zod.format', { format: i.format ?? '' }) };
    default:
      return { message: msg('server.zod.rule', { detail: issue.message }) };
  }
}

/** Where each part of a request is named in error fields. */
function issuesOf(error: z.ZodError, where: string): ErrorIssue[] {
  return error.issues.flatMap((issue): ErrorIssue[] => {
    if (issue.code === 'unrecognized_keys' && 'keys' in issue) {
      // One issue per unknown field, named where it is.
      return issue.keys.map((k) => ({ field: [where, formatPath([...issue.path, k])].filter(Boolean).join('.'), message: msg('server.zod.unknown-field', { key: k }), expected: msg('server.zod.documented') }));
    }
    const field = [where, formatPath(issue.path)].filter(Boolean).join('.');
    return [{ field, ...zodMessage(issue) }];
  });
}

/** Longest text any request field may carry (ids are shorter still: the workspace format bounds them). */
export const MAX_TEXT = 4096;
/** Longest object key. */
const MAX_KEY = 200;

/**
 * Every string in a request is bounded before anything else looks at it: a 900 KB purpose would be
 * copied into the answer, the decision log and the ledger several times over. One walk over the parsed
 * JSON (cheap next to the parse); the first over-long field is named.
 */
export function checkBounds(value: unknown, where: string, max = MAX_TEXT): void {
  const fail = (field: string, length: number, limit: number): never => {
    const m = msg('server.bounds.too-long', { field, length, max: limit });
    throw badInput(msg('server.request.invalid', { part: where }), [{ field, message: m, expected: msg('server.bounds.expected', { max: limit }) }]);
  };
  // The path to a field is spelt only when it is named in an error (every request is walked).
  const walk = (v: unknown, path: () => string, depth: number): void => {
    if (typeof v === 'string') {
      if (v.length > max) fail(path(), v.length, max);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string' || v[i].length > max) walk(v[i], () => `${path()}[${i}]`, depth + 1);
    } else if (v !== null && typeof v === 'object' && depth < 64) {
      for (const k in v) {
        if (k.length > MAX_KEY) fail(`${path()}.${k.slice(0, 40)}…`, k.length, MAX_KEY);
        const x = (v as Record<string, unknown>)[k];
        if (typeof x !== 'string' || x.length > max) walk(x, () => `${path()}.${k}`, depth + 1);
      }
    }
  };
  walk(value, () => where, 0);
}

export function validate<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw badInput(msg('server.request.invalid', { part: where }), issuesOf(r.error, where));
}

/**
 * A serialiser compiled once from an answer's zod schema (fast-json-stringify, as Fastify uses for its
 * response schemas): for answers with a fixed shape and no message texts, on the hot path. Fields the
 * schema does not name are left out, so the schema is also what the answer can reveal.
 */
export function compileSerializer<T>(schema: z.ZodType<T>): (value: T) => string {
  const json = zodToJsonSchema(schema, { io: 'output', target: 'draft-07' }) as Record<string, unknown>;
  delete json.$schema;
  return fastJson(json as unknown as Parameters<typeof fastJson>[0]) as (value: T) => string;
}

/** JSON with message texts in the request's language (compact: machines read it). */
export function renderJson(value: unknown, lang: Lang): string {
  return JSON.stringify(value, jsonReplacer(lang));
}

/** Whether a route pattern is the egress gate's (`/v1/gate`, or `/v1/gate/*` for Envoy's appended path). */
export function isGateRoute(pattern: string | undefined): boolean {
  return pattern === '/v1/gate' || pattern === '/v1/gate/*';
}

/** A check run on every request once its caller is authenticated and authorised, before validation. */
export type RouteGuard = (req: FastifyRequest, def: RouteDef<any, any, any>) => void;

export class Routes {
  readonly defs: RouteDef<any, any, any>[] = [];
  private readonly guards: RouteGuard[] = [];

  constructor(
    private readonly app: FastifyInstance,
    private readonly auth: AuthService,
  ) {}

  /** Add a guard (it runs for routes added before and after). */
  guard(check: RouteGuard): void {
    this.guards.push(check);
  }

  add<P, Q, B>(def: RouteDef<P, Q, B>): void {
    this.defs.push(def);
    const auth = this.auth;
    this.app.route({
      method: def.method,
      url: def.url,
      ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
      handler: async (req, reply) => {
        const lang = requestLang(req);
        (req as { chujingLang?: Lang }).chujingLang = lang;
        let principal: Principal | null = null;
        if (def.permission) {
          principal = await auth.authenticate(req);
          auth.authorise(principal, def.permission);
        }
        for (const guard of this.guards) guard(req, def);
        const { lang: _lang, ...rawQuery } = (req.query ?? {}) as Record<string, unknown>;
        checkBounds(rawQuery, 'query');
        const params = def.params ? validate(def.params, req.params ?? {}, 'params') : (undefined as P);
        const query = def.query ? validate(def.query, rawQuery, 'query') : (undefined as Q);
        if (!def.query && Object.keys(rawQuery).length) {
          const unknown = Object.keys(rawQuery);
          throw badInput(msg('server.request.invalid', { part: 'query' }), unknown.map((k) => ({ field: `query.${k}`, message: msg('server.zod.unknown-parameter', { key: k }), expected: msg('server.zod.documented') })));
        }
        if (req.body !== undefined && req.body !== null && (def.body || def.bodyDoc)) checkBounds(req.body, 'body');
        const body = def.body ? validate(def.body, req.body, 'body') : (undefined as B);
        if (!def.body && !def.bodyDoc && req.body !== undefined && req.body !== null && req.method !== 'GET') {
          // A body where none is expected is a mistake, never silently ignored.
          const gate = isGateRoute(def.url);
          if (!gate) throw badInput(msg('server.request.no-body'), [{ field: 'body', message: msg('server.request.no-body'), expected: msg('server.request.empty-body') }]);
        }
        const out = await def.handler({ req, reply, params, query, body, principal, lang });
        if (reply.sent) return reply;
        if (out === undefined) return reply.send();
        if (typeof out === 'string' || Buffer.isBuffer(out)) return reply.send(out);
        reply.header('content-type', 'application/json; charset=utf-8');
        return reply.send(renderJson(out, lang));
      },
    });
  }
}
