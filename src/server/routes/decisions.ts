/** The decision API: ask, record an execution, read back, list, verify the log. */
import { z } from 'zod';
import { ChujingError } from '../../errors.js';
import { msg } from '../../i18n/index.js';
import type { ServerCore } from '../app.js';
import { HttpError } from '../errors.js';
import { compileSerializer, type Routes } from '../http.js';
import type { DecisionBody } from '../decisions.js';
import { decisionFor, gatewayDecision, seesOnlyOwnDecisions } from '../least-privilege.js';
import { decisionGatewayResponse, decisionRequestSchema, decisionResponse, executionRequestSchema, listQuery } from '../schemas.js';

/** RFC 7240 `Prefer: return=minimal` (among other preferences, any case). */
export function prefersMinimal(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  return (Array.isArray(header) ? header : [header]).some((h) => h.split(',').some((p) => p.trim().toLowerCase() === 'return=minimal'));
}

const serializeGateway = compileSerializer(decisionGatewayResponse);

export function registerDecisionRoutes(routes: Routes, core: ServerCore): void {
  routes.add({
    method: 'POST',
    url: '/v1/decisions',
    operationId: 'decide',
    summary: 'May this transfer go now? allow or deny, with the path, the covering approval, the rules and the reasons',
    description:
      'allow only when the data is not prohibited, and the path is exempt or an approval covers this scope on this date with the year-to-date count after this transfer. Every decision is logged (hash-chained) before it is answered. With `execute: true`, an allowed transfer is also recorded in the ledger in the same transaction (idempotent with `idempotencyKey`).',
    tags: ['decisions'],
    permission: 'decide',
    body: decisionRequestSchema,
    headers: [{ name: 'Prefer', description: '`return=minimal` (RFC 7240): answer only what a gateway acts on — allow/deny, the decision id, the path, the reasons as codes (chujing.decision.gateway/1, which a gateway token always gets; the answer says `Preference-Applied: return=minimal`). The decision is logged in full either way.' }],
    responses: [
      { status: 200, description: 'The decision (allow or deny). A gateway token, or any caller with `Prefer: return=minimal`, gets chujing.decision.gateway/1 instead: {schema, id, decidedAt, result, path, reasons (message codes), workspaceRevision, execution}.', schema: z.union([decisionResponse, decisionGatewayResponse]) },
      { status: 201, description: 'Allowed and recorded in the ledger (execute: true).', schema: z.union([decisionResponse, decisionGatewayResponse]) },
    ],
    handler: async ({ body, principal, reply, req }) => {
      if (body.execute) core.auth.authorise(principal!, 'execute');
      (req as { chujingCaller?: string }).chujingCaller = principal!.label;
      const d = await core.decisions.decide(body, principal!, (f) => `body.${f}`, 'api');
      if (d.execution?.status === 'recorded') reply.code(201);
      reply.header('x-chujing-decision', d.id).header('x-chujing-result', d.result).header('x-chujing-revision', d.workspaceRevision);
      const minimal = prefersMinimal(req.headers.prefer);
      if (minimal || seesOnlyOwnDecisions(principal!)) {
        // The gate's path: no message rendering, a compiled serialiser, a few hundred bytes.
        if (minimal) reply.header('preference-applied', 'return=minimal');
        reply.header('content-type', 'application/json; charset=utf-8');
        return serializeGateway(gatewayDecision(d));
      }
      return d;
    },
  });

  routes.add({
    method: 'POST',
    url: '/v1/executions',
    operationId: 'recordExecution',
    summary: 'Record that an allowed decision\'s transfer is being sent (re-judged on the current counters; idempotent by decision id)',
    description: 'Call it before sending: a 409 means the transfer no longer fits (for example, another transfer used the room under a threshold) and nothing was recorded.',
    tags: ['decisions'],
    permission: 'execute',
    body: executionRequestSchema,
    responses: [
      { status: 201, description: 'Recorded in the ledger.' },
      { status: 200, description: 'Already recorded (same decision id).' },
    ],
    handler: async ({ body, principal, reply, req }) => {
      (req as { chujingCaller?: string }).chujingCaller = principal!.label;
      const r = await core.decisions.execute(body, principal!);
      reply.code(r.status === 'recorded' ? 201 : 200);
      return { schema: 'chujing.execution/1', status: r.status, decision: r.decision, organization: r.organization, seq: r.seq, workspaceRevision: r.workspaceRevision };
    },
  });

  routes.add({
    method: 'GET',
    url: '/v1/decisions',
    operationId: 'listDecisions',
    summary: 'The decision log, newest first',
    tags: ['decisions'],
    permission: 'decisions:read',
    query: listQuery,
    responses: [{ status: 200, description: '{decisions: [...], counts: {allow, deny}, next}' }],
    handler: async ({ query, principal }) => {
      if (!core.log) throw new HttpError('unavailable', msg('server.execution.no-log'));
      const limit = query.limit ?? 50;
      const own = seesOnlyOwnDecisions(principal!);
      const list = await core.log.list({ limit, ...(query.before !== undefined ? { before: query.before } : {}), ...(query.result ? { result: query.result } : {}), ...(own ? { caller: principal!.label } : {}) });
      const next = list.length === limit ? list[list.length - 1]!.seq : null;
      if (own) {
        // A gateway: its own decisions, each as it may see it; no totals of the whole log.
        return { schema: 'chujing.decisions/1', decisions: list.map((d) => ({ seq: d.seq, ...decisionFor(principal!, d.body as DecisionBody) })), next };
      }
      const decisions = list.map((d) => {
        const b = d.body as { result: string; path: string; coveredBy: string | null; request: { organization: string; datasets: string[]; recipient: string; date: string }; execution: unknown; reasons?: { code: string }[] };
        return { seq: d.seq, id: d.id, decidedAt: d.decidedAt, caller: d.caller, result: d.result, path: b.path, coveredBy: b.coveredBy, reason: b.reasons?.[0]?.code ?? null, request: b.request, execution: b.execution, workspaceRevision: d.workspaceRevision };
      });
      return { schema: 'chujing.decisions/1', decisions, counts: await core.log.counts(), next };
    },
  });

  routes.add({
    method: 'GET',
    url: '/v1/decisions/:id',
    operationId: 'getDecision',
    summary: 'One decision again, as it was answered (what decided it and why), and whether it was executed',
    tags: ['decisions'],
    permission: 'decisions:read',
    params: z.object({ id: z.string().min(1).max(200) }),
    responses: [{ status: 200, description: 'The decision, with its place in the log (seq, entryHash) and executed.', schema: decisionResponse }],
    handler: async ({ params, principal }) => {
      const found = await core.decisions.explain(params.id);
      // Another caller's decision does not exist for a gateway (404, not 403: its id says nothing).
      const d = found && (!seesOnlyOwnDecisions(principal!) || found.caller === principal!.label) ? found : null;
      if (d && seesOnlyOwnDecisions(principal!)) return { ...decisionFor(principal!, d), seq: d.seq, executed: d.executed };
      if (!d) throw new ChujingError('not-found', msg('server.execution.no-decision', { id: params.id }), [{ field: 'params.id', message: msg('server.execution.no-decision', { id: params.id }) }]);
      return d;
    },
  });

  routes.add({
    method: 'GET',
    url: '/v1/decision-log/verify',
    operationId: 'verifyDecisionLog',
    summary: 'Recompute the decision log\'s hash chain and report the first broken link',
    tags: ['decisions'],
    permission: 'read',
    responses: [{ status: 200, description: '{intact, entries, headSeq, headHash, headSealed, firstBreak}' }],
    handler: async () => {
      if (!core.log) throw new HttpError('unavailable', msg('server.execution.no-log'));
      return { schema: 'chujing.decision-log-verify/1', ...(await core.log.verify(core.key ?? undefined)) };
    },
  });
}
