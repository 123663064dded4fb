/** Public routes: health (for load balancers and people), the OpenAPI document, and the index. */
import { z } from 'zod';
import { msg, render, type Msg } from '../../i18n/index.js';
import { buildOpenApi } from '../openapi.js';
import type { Routes } from '../http.js';
import type { ServerCore } from '../app.js';

export const HEALTH_SCHEMA = 'chujing.health/1';

const problem = z
  .looseObject({ code: z.string(), params: z.record(z.string(), z.unknown()), text: z.string() })
  .describe('One problem: a message {code, params, text}, with where it is (file, line) and its issues when known. Other parts of the server add their own codes.');

const healthResponse = z.union([
  z.object({ schema: z.literal(HEALTH_SCHEMA), status: z.enum(['ok', 'stopping']) }).describe('Without credentials: liveness only.'),
  z.object({
    schema: z.literal(HEALTH_SCHEMA),
    status: z.enum(['ok', 'degraded', 'stopping']).describe('degraded: something listed in problems (e.g. the workspace on disk is invalid and the last valid revision is still served).'),
    problems: z.array(problem),
    version: z.string(),
    startedAt: z.string(),
    workspace: z.object({
      revision: z.string().describe('The revision decisions and reads use now.'),
      onDisk: z.string().nullable().describe("Content hash of the served files as they are on disk now (same formula as revision; null when one is missing). Differs from revision while a change is pending or rejected."),
      loadedAt: z.string(),
      organization: z.string(),
      files: z.number().int(),
    }),
    reload: z
      .object({ at: z.string(), code: z.string(), message: z.unknown(), issues: z.array(z.unknown()) })
      .nullable()
      .describe('Why the last change on disk was not loaded (file, line, field), or null.'),
    database: z.object({ kind: z.enum(['pglite', 'postgres']) }),
    decisionLog: z.boolean(),
    executions: z.object({ available: z.boolean(), reason: z.unknown().nullable() }),
  }).describe('With a token or session of any role.'),
]);

/** A problem health reports: a message plus where and why; `code` names the kind. */
export interface HealthProblem {
  message: Msg;
  file?: string;
  line?: number;
  issues?: unknown[];
}

/** Problems other parts of the server report (each a function: asked at every authenticated health call). */
export type HealthCheck = () => HealthProblem[];

/** The decision log's break, as health's problems (issue 19): empty when intact or not logged. */
export function decisionLogProblems(core: ServerCore): Msg[] {
  const p = core.logWatch?.problem();
  return p ? [p] : [];
}

export function registerMetaRoutes(routes: Routes, core: ServerCore, version: string, checks: HealthCheck[] = []): void {
  const workspaceProblems: HealthCheck = () => {
    const e = core.state.lastError;
    if (!e) return [];
    const where = e.issues.find((i) => i.file !== undefined);
    const revision = core.state.current.revision;
    return [
      {
        message: where ? msg('server.health.workspace-invalid', { file: where.file!, line: where.line ?? 0, revision }) : msg('server.health.workspace-invalid-nowhere', { revision }),
        ...(where?.file !== undefined ? { file: where.file } : {}),
        ...(where?.line !== undefined ? { line: where.line } : {}),
        issues: e.issues,
      },
    ];
  };
  routes.add({
    method: 'GET',
    url: '/v1/health',
    operationId: 'health',
    summary: 'Liveness; with credentials, which workspace revision is served, the files\' hash on disk, and any problem',
    description: 'Public: `{schema, status}` only (a load balancer needs no more). With a token or session (any role): the served revision, the content hash of the files on disk, and `problems` — each `{code, params, text, file?, line?, issues?}` — when status is degraded.',
    tags: ['meta'],
    permission: null,
    responses: [{ status: 200, description: 'Serving (status ok or degraded).', schema: healthResponse }],
    handler: async ({ req, reply, lang }) => {
      if (core.closing) reply.code(503);
      const principal = await core.auth.identify(req);
      if (!principal) return { schema: HEALTH_SCHEMA, status: core.closing ? 'stopping' : 'ok' };
      const disk = core.state.onDisk(); // first: it may load a change not yet seen
      const snap = core.state.current;
      const problems = [workspaceProblems, ...checks].flatMap((c) => c()).map((p) => ({ code: p.message.code, params: p.message.params, text: render(lang, p.message), ...(p.file !== undefined ? { file: p.file } : {}), ...(p.line !== undefined ? { line: p.line } : {}), ...(p.issues ? { issues: p.issues } : {}) }));
      return {
        schema: HEALTH_SCHEMA,
        status: core.closing ? 'stopping' : problems.length ? 'degraded' : 'ok',
        problems,
        version,
        startedAt: core.startedAt,
        workspace: { revision: snap.revision, onDisk: disk.revision, loadedAt: snap.loadedAt, organization: snap.loaded.workspace.organization.id, files: snap.loaded.files.length },
        reload: core.state.lastError,
        database: { kind: core.db.kind },
        decisionLog: core.log !== null,
        executions: { available: core.key !== null, reason: core.keyProblem },
      };
    },
  });

  let openapi: Record<string, unknown> | null = null;
  routes.add({
    method: 'GET',
    url: '/openapi.json',
    operationId: 'openapi',
    summary: 'This API as OpenAPI 3.1, generated from the route schemas',
    tags: ['meta'],
    permission: null,
    responses: [{ status: 200, description: 'The OpenAPI document.' }],
    handler: () => (openapi ??= buildOpenApi(routes.defs, { version })),
  });
}
