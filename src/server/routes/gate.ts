/**
 * The egress gate for reverse proxies that authorise by sub-request (nginx `auth_request`, Envoy
 * `ext_authz` in HTTP mode, Traefik ForwardAuth): the proxy asks with the transfer's metadata in
 * headers, chujing decides, and an allowed transfer is recorded in the ledger before the answer — the
 * proxy forwards the upload only on 2xx. 403 = denied (the reasons are in the log and in
 * GET /v1/decisions/{X-Chujing-Decision}). Any other answer makes the proxy fail closed; it carries the
 * error's message code in X-Chujing-Reason too (set by the server's error handler).
 */
import type { FastifyRequest } from 'fastify';
import { badInput, ChujingError } from '../../errors.js';
import { msg } from '../../i18n/index.js';
import type { ServerCore } from '../app.js';
import { checkBounds, validate, type Routes } from '../http.js';
import { decisionRequestSchema, type DecisionRequest } from '../schemas.js';
import { decisionFor, reasonCode } from '../least-privilege.js';

/** Request header -> decision field. Lists are comma-separated. */
export const GATE_HEADERS = {
  transfer: 'x-chujing-transfer',
  organization: 'x-chujing-organization',
  datasets: 'x-chujing-datasets',
  recipient: 'x-chujing-recipient',
  kind: 'x-chujing-kind',
  purpose: 'x-chujing-purpose',
  time: 'x-chujing-time',
  persons: 'x-chujing-persons',
  sensitivePersons: 'x-chujing-sensitive-persons',
  chargingConsumptionPersons: 'x-chujing-charging-persons',
  exemptionClaims: 'x-chujing-exemption-claims',
  channel: 'x-chujing-channel',
  records: 'x-chujing-records',
  bytes: 'x-chujing-bytes',
  idempotencyKey: 'x-chujing-request-id',
} as const;

const NUMERIC = new Set(['persons', 'sensitivePersons', 'chargingConsumptionPersons', 'records', 'bytes']);
const LISTS = new Set(['datasets', 'exemptionClaims']);

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v.join(',') : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

/** The decision request the headers describe; a header that is not a number where one is needed is a 400 naming it. */
export function requestFromHeaders(req: FastifyRequest): DecisionRequest {
  const raw: Record<string, unknown> = { execute: true };
  for (const [field, name] of Object.entries(GATE_HEADERS)) {
    const v = header(req, name);
    if (v === undefined) continue;
    if (NUMERIC.has(field)) {
      if (!/^\d{1,12}$/.test(v)) throw badInput(msg('server.gate.bad-header', { header: name }), [{ field: `header.${name}`, message: msg('server.gate.bad-header', { header: name }), expected: msg('server.gate.whole-number') }]);
      raw[field] = Number(v);
    } else if (LISTS.has(field)) raw[field] = v.split(',').map((x) => x.trim()).filter(Boolean);
    else raw[field] = v;
  }
  try {
    checkBounds(raw, 'header');
    return validate(decisionRequestSchema, raw, 'header');
  } catch (e) {
    // Name the header, not the field it fills.
    if (e instanceof ChujingError) for (const i of e.issues) if (i.field) i.field = headerName(i.field.replace(/^header\.?/, ''));
    throw e;
  }
}

function headerName(field: string): string {
  const base = field.replace(/[.[].*$/, '') as keyof typeof GATE_HEADERS;
  return `header.${GATE_HEADERS[base] ?? (base || 'x-chujing-*')}`;
}

export function registerGateRoute(routes: Routes, core: ServerCore): void {
  // Envoy's ext_authz (HTTP mode) appends the original path to its path_prefix: /v1/gate/<path> is the
  // same gate.
  for (const url of ['/v1/gate', '/v1/gate/*'])
  routes.add({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'],
    url,
    operationId: url === '/v1/gate' ? 'gate' : 'gateWithPath',
    hidden: url !== '/v1/gate',
    summary: 'Egress gate for nginx auth_request (sub-request authorisation): 204 allowed and recorded, 403 denied',
    description:
      'The transfer is described by headers: X-Chujing-Transfer (a transfer the workspace declares; then the fields below come from it), or X-Chujing-Organization (default: the main organisation), X-Chujing-Datasets (comma-separated), X-Chujing-Recipient, X-Chujing-Purpose, X-Chujing-Kind (default transmit), X-Chujing-Time (default now), X-Chujing-Persons / -Sensitive-Persons / -Charging-Persons (default: the datasets\' declared persons), X-Chujing-Exemption-Claims, X-Chujing-Channel, X-Chujing-Records, X-Chujing-Bytes, X-Chujing-Request-Id (idempotency: nginx $request_id). The answer carries X-Chujing-Decision (the decision id), X-Chujing-Result, X-Chujing-Path, X-Chujing-Reason (the message code of the first reason) and X-Chujing-Revision (the workspace revision decided on). Any other answer is a refusal to decide (the proxy must block the upload): 401 token, 400 metadata, 503 storage or a broken decision log; it carries X-Chujing-Reason too (the error\'s message code). Any request body is ignored. /v1/gate/{anything} is the same gate (Envoy ext_authz appends the original path).',
    tags: ['decisions'],
    permission: 'execute',
    headers: Object.values(GATE_HEADERS).map((name) => ({ name, description: 'transfer metadata (see the description)', required: false })),
    responses: [
      { status: 204, description: 'Allowed, and recorded in the ledger: forward the request.' },
      { status: 403, description: 'Denied (or the role may not use the gate): block the request.' },
    ],
    handler: async ({ req, reply, principal }) => {
      core.auth.authorise(principal!, 'decide');
      (req as { chujingCaller?: string }).chujingCaller = principal!.label;
      const r = requestFromHeaders(req);
      const d = await core.decisions.decide(r, principal!, headerName, 'gate');
      // The proxy can pass these on to the uploader (examples/nginx: auth_request_set + add_header).
      reply.header('x-chujing-decision', d.id).header('x-chujing-result', d.result).header('x-chujing-path', d.path).header('x-chujing-reason', reasonCode(d)).header('x-chujing-revision', d.workspaceRevision);
      if (d.result === 'allow') return reply.code(204).send();
      reply.code(403);
      const seen = decisionFor(principal!, d);
      return { schema: 'chujing.gate/1', decision: d.id, result: d.result, path: d.path, reasons: seen.reasons, workspaceRevision: d.workspaceRevision };
    },
  });
}
