/** Public routes: health (for load balancers and people), the OpenAPI document, and the index. */
import { z } from 'zod';
import { buildOpenApi } from '../openapi.js';
import type { Routes } from '../http.js';
import type { ServerCore } from '../app.js';
import type { Msg } from '../../i18n/index.js';

export const HEALTH_SCHEMA = 'chujing.health/1';

const healthResponse = z.object({
  schema: z.literal(HEALTH_SCHEMA),
  status: z.enum(['ok', 'degraded', 'stopping']).describe('degraded: the last change to the workspace was rejected and the previous version is still served.'),
  version: z.string(),
  startedAt: z.string(),
  workspace: z.object({ revision: z.string(), loadedAt: z.string(), organization: z.string(), files: z.number().int() }),
  reload: z
    .object({ at: z.string(), code: z.string(), message: z.unknown(), issues: z.array(z.unknown()) })
    .nullable()
    .describe('Why the last change on disk was not loaded (file, line, field), or null.'),
  database: z.object({ kind: z.enum(['pglite', 'postgres']) }),
  decisionLog: z.boolean(),
  executions: z.object({ available: z.boolean(), reason: z.unknown().nullable() }),
  problems: z.array(z.unknown()).describe('What is degraded, each {code, params, text}: a broken decision log (issue 19).'),
});

/** The decision log's break, as health's problems (issue 19): empty when intact or not logged. */
export function decisionLogProblems(core: ServerCore): Msg[] {
  const p = core.logWatch?.problem();
  return p ? [p] : [];
}

export function registerMetaRoutes(routes: Routes, core: ServerCore, version: string): void {
  routes.add({
    method: 'GET',
    url: '/v1/health',
    operationId: 'health',
    summary: 'Is the server up, which workspace revision it serves, and why the last change on disk was rejected',
    tags: ['meta'],
    permission: null,
    responses: [{ status: 200, description: 'Serving (status ok or degraded).', schema: healthResponse }],
    handler: ({ reply }) => {
      const snap = core.state.current;
      if (core.closing) reply.code(503);
      const problems = decisionLogProblems(core);
      return {
        schema: HEALTH_SCHEMA,
        status: core.closing ? 'stopping' : core.state.lastError || problems.length ? 'degraded' : 'ok',
        version,
        startedAt: core.startedAt,
        workspace: { revision: snap.revision, loadedAt: snap.loadedAt, organization: snap.loaded.workspace.organization.id, files: snap.loaded.files.length },
        reload: core.state.lastError,
        database: { kind: core.db.kind },
        decisionLog: core.log !== null,
        executions: { available: core.key !== null, reason: core.keyProblem },
        problems,
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
