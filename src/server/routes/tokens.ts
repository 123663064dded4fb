/** Token management for admins (the same functions as `chujing token create|list|revoke`). */
import { z } from 'zod';
import type { ServerCore } from '../app.js';
import type { Routes } from '../http.js';
import { ROLES } from '../roles.js';
import { createToken, listTokens, revokeToken, tokenNameSchema } from '../tokens.js';

const tokenInfo = z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES), createdAt: z.string(), revokedAt: z.string().nullable() });

export function registerTokenRoutes(routes: Routes, core: ServerCore): void {
  routes.add({
    method: 'GET',
    url: '/v1/tokens',
    operationId: 'listTokens',
    summary: 'API tokens (never their secrets)',
    tags: ['tokens'],
    permission: 'tokens',
    responses: [{ status: 200, description: '{tokens: [...]}', schema: z.object({ tokens: z.array(tokenInfo) }) }],
    handler: async () => ({ tokens: await listTokens(core.db) }),
  });

  routes.add({
    method: 'POST',
    url: '/v1/tokens',
    operationId: 'createToken',
    summary: 'Create a token; the answer is the only time its secret is shown',
    tags: ['tokens'],
    permission: 'tokens',
    body: z.object({ name: tokenNameSchema, role: z.enum(ROLES) }).strict(),
    responses: [{ status: 201, description: 'The token, with its secret (shown once).', schema: tokenInfo.extend({ token: z.string() }) }],
    handler: async ({ body, reply }) => {
      const t = await createToken(core.db, body.name, body.role);
      await core.auth.refresh();
      reply.code(201);
      return t;
    },
  });

  routes.add({
    method: 'DELETE',
    url: '/v1/tokens/:token',
    operationId: 'revokeToken',
    summary: 'Revoke a token (by id or name); it stops working at once on this server',
    tags: ['tokens'],
    permission: 'tokens',
    params: z.object({ token: z.string().min(1).max(64) }),
    responses: [{ status: 200, description: 'The revoked token.', schema: tokenInfo }],
    handler: async ({ params }) => {
      const t = await revokeToken(core.db, params.token);
      await core.auth.refresh();
      return t;
    },
  });
}
