/**
 * The browser's way in for one person on their own machine: `serve` prints a one-time link on loopback;
 * opening it sets an HttpOnly, SameSite=Strict session cookie and leads to the web UI at `/`.
 */
import { z } from 'zod';
import { msg } from '../../i18n/index.js';
import type { ServerCore } from '../app.js';
import { HttpError } from '../errors.js';
import type { Routes } from '../http.js';
import { PERMISSIONS, allows } from '../roles.js';

export function registerSessionRoutes(routes: Routes, core: ServerCore): void {
  routes.add({
    method: 'GET',
    url: '/login',
    operationId: 'login',
    summary: 'Exchange the one-time login link for a session cookie, then go to /',
    tags: ['session'],
    permission: null,
    query: z.object({ token: z.string().min(1).max(200) }).strict(),
    responses: [{ status: 303, description: 'Signed in: the session cookie is set.' }],
    handler: ({ query, req, reply }) => {
      const session = core.auth.login(query.token, req.ip);
      if (!session) throw new HttpError('unauthenticated', msg('server.auth.bad-login'), [{ field: 'query.token', message: msg('server.auth.bad-login'), expected: msg('server.auth.login-expected') }]);
      // req.protocol is https when the server itself is behind a TLS-terminating proxy it trusts
      // (--trust-proxy: X-Forwarded-Proto from that proxy only).
      reply.header('set-cookie', core.auth.setCookie(session, req.protocol === 'https'));
      return reply.code(303).header('location', '/').send();
    },
  });

  routes.add({
    method: 'POST',
    url: '/v1/logout',
    operationId: 'logout',
    summary: 'End the browser session',
    tags: ['session'],
    permission: 'read',
    responses: [{ status: 204, description: 'Signed out.' }],
    handler: ({ req, reply }) => {
      const id = core.auth.sessionCookie(req.headers.cookie);
      if (id) core.auth.logout(id);
      reply.header('set-cookie', core.auth.setCookie('', req.protocol === 'https', 0));
      return reply.code(204).send();
    },
  });

  routes.add({
    method: 'GET',
    url: '/v1/session',
    operationId: 'session',
    summary: 'Who is calling: role and permissions (the UI shows or hides its actions by them)',
    tags: ['session'],
    permission: 'decisions:read',
    responses: [{ status: 200, description: '{role, caller, permissions}' }],
    handler: ({ principal }) => ({ schema: 'chujing.session/1', role: principal!.role, caller: principal!.label, kind: principal!.kind, permissions: PERMISSIONS.filter((p) => allows(principal!.role, p)) }),
  });
}
