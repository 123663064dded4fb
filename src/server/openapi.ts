/**
 * /openapi.json, generated from the route declarations (http.ts): each route's zod schemas become its
 * parameters, request body and responses, as JSON Schema 2020-12 (OpenAPI 3.1's dialect). Request
 * schemas are emitted as the input form (defaults make a field optional), answers as the output form.
 */
import { z } from 'zod';
import { ERROR_SCHEMA } from './errors.js';
import type { RouteDef } from './http.js';
import { rolesWith } from './roles.js';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete s.$schema;
  return s;
}

/** `/v1/decisions/:id` -> `/v1/decisions/{id}` */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input');
  const props = (s.properties ?? {}) as Record<string, Json>;
  const required = new Set((s.required ?? []) as string[]);
  return Object.entries(props).map(([name, p]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
    schema: p,
  }));
}

export const errorResponseSchema = z
  .object({
    schema: z.literal(ERROR_SCHEMA),
    error: z.object({
      code: z.string().describe('The CLI error code (bad-input, not-found, conflict, database-in-use, integrity, internal) or a server one (unauthenticated, forbidden, precondition-failed, precondition-required, too-large, unsupported-media-type, rate-limited, unavailable).'),
      status: z.number().int(),
      message: z.unknown().describe('A message {code, params, text}, or text.'),
      issues: z.array(
        z.object({
          field: z.string().optional().describe('Where: body.datasets[1], query.asOf, header.if-match, or a workspace field with its file and line.'),
          file: z.string().optional(),
          line: z.number().int().optional(),
          column: z.number().int().optional(),
          message: z.unknown(),
          expected: z.unknown().optional(),
        }),
      ),
    }),
  })
  .describe('Every error has this shape.');

export function buildOpenApi(defs: RouteDef<any, any, any>[], info: { version: string }): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const d of defs) {
    if (d.hidden) continue;
    const methods = (Array.isArray(d.method) ? d.method : [d.method]).map((m) => m.toLowerCase()).filter((m) => m !== 'head');
    for (const method of methods) {
      const responses: Record<string, Json> = {};
      for (const r of d.responses) {
        responses[String(r.status)] = {
          description: r.description,
          ...(r.schema || r.contentType ? { content: { [r.contentType ?? 'application/json']: r.schema ? { schema: jsonSchema(r.schema, 'output') } : {} } } : {}),
        };
      }
      responses.default = { description: 'An error (400 bad input, 401, 403, 404, 409, 412, 413, 428, 429, 503).', content: { 'application/json': { schema: jsonSchema(errorResponseSchema, 'output') } } };
      const op: Json = {
        operationId: methods.length > 1 ? `${d.operationId}_${method}` : d.operationId,
        summary: d.summary,
        ...(d.description ? { description: d.description } : {}),
        tags: d.tags,
        parameters: [
          ...parameters(d.params, 'path'),
          ...parameters(d.query, 'query'),
          { name: 'lang', in: 'query', required: false, description: 'Language of message texts: zh or en (default: Accept-Language, else en).', schema: { type: 'string', enum: ['zh', 'en'] } },
          ...(d.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: h.required ?? false, description: h.description, schema: { type: 'string' } })),
        ],
        ...(d.body || d.bodyDoc ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema((d.body ?? d.bodyDoc)!, 'input') } } } } : {}),
        responses,
        security: d.permission ? [{ bearerAuth: [] }, { sessionCookie: [] }] : [],
        ...(d.permission ? { 'x-chujing-permission': d.permission, 'x-chujing-roles': rolesWith(d.permission) } : {}),
      };
      (paths[openApiPath(d.url)] ??= {})[method] = op;
    }
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'chujing server',
      version: info.version,
      description:
        'China outbound data transfer compliance: the assessment, status, rules, ledger and evidence of a workspace, decisions for the egress point, and edits of the workspace YAML. Generated from the route schemas (src/server/routes/*.ts).',
    },
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token from `chujing token create --role viewer|officer|gateway|admin --name N`.' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'chujing_session_<server id>', description: 'Set by the one-time login link that `chujing serve` prints on loopback; the name carries the server\'s id (`__Host-` prefixed and Secure behind a trusted TLS proxy).' },
      },
    },
  };
}
