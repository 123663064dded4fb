/**
 * The workspace through the API: read it (as loaded, and each entry as written in its YAML file with an
 * ETag), and add, edit or remove datasets, recipients, transfers and approvals. Edits go back into the
 * YAML files (workspace-edit.ts); If-Match is required on edits and removals.
 */
import { z } from 'zod';
import type { ServerCore } from '../app.js';
import type { Routes } from '../http.js';
import { COLLECTIONS, ENTRY_SCHEMAS, idParam, type Collection } from '../schemas.js';

const collectionParam = z.enum(COLLECTIONS as [Collection, ...Collection[]]).describe('datasets, recipients, transfers or approvals');
const entryView = z.object({
  collection: collectionParam,
  id: z.string(),
  etag: z.string().describe('Send it back in If-Match to edit or remove the entry.'),
  file: z.string(),
  line: z.number().int(),
  entry: z.unknown().describe('The entry as written in the YAML file (defaults not filled in).'),
});
const anyEntry = z.union([ENTRY_SCHEMAS.datasets, ENTRY_SCHEMAS.recipients, ENTRY_SCHEMAS.transfers, ENTRY_SCHEMAS.approvals]).describe('An entry of the collection, in the workspace format (`chujing schema`).');

export function registerWorkspaceRoutes(routes: Routes, core: ServerCore): void {
  routes.add({
    method: 'GET',
    url: '/v1/workspace',
    operationId: 'getWorkspace',
    summary: 'The workspace as loaded (defaults filled in), its revision and files',
    tags: ['workspace'],
    permission: 'read',
    responses: [{ status: 200, description: '{schema, revision, loadedAt, files, workspace}' }],
    handler: ({ reply }) => {
      const snap = core.state.current;
      reply.header('etag', `"${snap.revision}"`);
      return {
        schema: 'chujing.workspace/1',
        revision: snap.revision,
        loadedAt: snap.loadedAt,
        files: snap.loaded.files.map((f) => f.slice(snap.loaded.dir.length + 1)),
        reload: core.state.lastError,
        workspace: snap.loaded.workspace,
      };
    },
  });

  routes.add({
    method: 'GET',
    url: '/v1/workspace/:collection',
    operationId: 'listEntries',
    summary: 'Every entry of a collection as written in the YAML, with where it is and its ETag',
    tags: ['workspace'],
    permission: 'read',
    params: z.object({ collection: collectionParam }),
    responses: [{ status: 200, description: '{entries: [...]}', schema: z.object({ revision: z.string(), entries: z.array(entryView) }) }],
    handler: ({ params }) => ({ revision: core.state.current.revision, entries: core.editor.list(params.collection) }),
  });

  routes.add({
    method: 'GET',
    url: '/v1/workspace/:collection/:id',
    operationId: 'getEntry',
    summary: 'One entry as written in the YAML; its ETag is in the ETag header',
    tags: ['workspace'],
    permission: 'read',
    params: z.object({ collection: collectionParam, id: idParam }),
    responses: [{ status: 200, description: 'The entry.', schema: entryView }],
    handler: ({ params, reply }) => {
      const e = core.editor.get(params.collection, params.id);
      reply.header('etag', e.etag);
      return e;
    },
  });

  routes.add({
    method: 'POST',
    url: '/v1/workspace/:collection',
    operationId: 'createEntry',
    summary: 'Add an entry: written into the YAML file holding that kind\'s latest entries, after checking the whole workspace',
    tags: ['workspace'],
    permission: 'edit',
    params: z.object({ collection: collectionParam }),
    bodyDoc: anyEntry,
    responses: [{ status: 201, description: 'Added; the ETag header holds its version.', schema: entryView }],
    handler: async ({ params, req, reply }) => {
      const e = await core.editor.create(params.collection, req.body);
      // The revision now served, which contains this write: every decision from now on uses it (or a later one).
      reply.code(201).header('etag', e.etag).header('x-chujing-revision', core.state.current.revision).header('location', `/v1/workspace/${params.collection}/${encodeURIComponent(e.id)}`);
      return e;
    },
  });

  routes.add({
    method: 'PUT',
    url: '/v1/workspace/:collection/:id',
    operationId: 'replaceEntry',
    summary: 'Replace an entry (If-Match: its ETag); only the changed lines of the YAML change',
    tags: ['workspace'],
    permission: 'edit',
    params: z.object({ collection: collectionParam, id: idParam }),
    bodyDoc: anyEntry,
    headers: [{ name: 'If-Match', description: 'The ETag the edit is based on: 412 when the entry changed since, 428 when missing.', required: true }],
    responses: [{ status: 200, description: 'Saved; the ETag header holds the new version.', schema: entryView }],
    handler: async ({ params, req, reply }) => {
      const e = await core.editor.update(params.collection, params.id, req.body, header(req.headers['if-match']));
      reply.header('etag', e.etag).header('x-chujing-revision', core.state.current.revision);
      return e;
    },
  });

  routes.add({
    method: 'DELETE',
    url: '/v1/workspace/:collection/:id',
    operationId: 'removeEntry',
    summary: 'Remove an entry (If-Match: its ETag), with the comment lines directly above it',
    tags: ['workspace'],
    permission: 'edit',
    params: z.object({ collection: collectionParam, id: idParam }),
    headers: [{ name: 'If-Match', description: 'The ETag the removal is based on.', required: true }],
    responses: [{ status: 204, description: 'Removed.' }],
    handler: async ({ params, req, reply }) => {
      await core.editor.remove(params.collection, params.id, header(req.headers['if-match']));
      return reply.code(204).header('x-chujing-revision', core.state.current.revision).send();
    },
  });
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}
