/**
 * The documents for the regulator over HTTP (what `chujing report` writes): `GET /v1/documents` lists
 * the kinds and formats, `GET /v1/documents/:kind` drafts one. The input is the server's memoised
 * assessment — the one `/v1/assessment` serves, evidence and ledger read through the server's own
 * database — with the life cycle computed from it as `documentInputOf` does, so a document shows
 * exactly what the API and the UI show. PDFs are printed by one headless Chromium kept for the server's
 * life (started on the first PDF, a fresh browser context per document, started again if it crashed,
 * closed with the server): starting Chromium costs seconds, a context milliseconds.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { verifyLedger } from '../../ledger/verify.js';
import { todayInChina } from '../../model/dates.js';
import { documentsView } from '../../report/documents/adapter.js';
import { DOCUMENT_FORMATS, DOCUMENT_KINDS, renderDocument, type DocumentFormat, type DocumentInput, type DocumentKind } from '../../report/documents/index.js';
import { PdfRenderer, chromiumPath } from '../../report/documents/writers/pdf.js';
import type { ServerCore } from '../app.js';
import type { Routes } from '../http.js';
import { asOfQuery } from '../schemas.js';
import { lifecycleOf } from './status.js';

/** Kinds drafted for the organisation as a whole (no transfer or recipient to choose). */
const ORGANISATION_KINDS: readonly DocumentKind[] = ['plan', 'security-checklist', 'annual'];

const name = z.string().min(1).max(200);

/** Each server's PDF renderer (for the tests: one browser, started again after a crash). */
const renderers = new WeakMap<FastifyInstance, PdfRenderer>();
export const pdfRendererOf = (app: FastifyInstance): PdfRenderer | undefined => renderers.get(app);

export function registerDocumentRoutes(app: FastifyInstance, routes: Routes, core: ServerCore): void {
  // Nothing starts until the first PDF is asked for.
  const pdf = new PdfRenderer(chromiumPath(core.env));
  renderers.set(app, pdf);
  app.addHook('onClose', async () => {
    await pdf.close();
  });

  routes.add({
    method: 'GET',
    url: '/v1/documents',
    operationId: 'listDocuments',
    summary: 'The documents for the regulator this server drafts, and their formats (chujing report)',
    tags: ['documents'],
    permission: 'read',
    responses: [{ status: 200, description: 'chujing.documents/1: {kinds: [{kind, scope}], formats}.' }],
    handler: () => ({
      schema: 'chujing.documents/1',
      kinds: DOCUMENT_KINDS.map((kind) => ({ kind, scope: ORGANISATION_KINDS.includes(kind) ? 'organization' : 'transfers' })),
      formats: DOCUMENT_FORMATS,
    }),
  });

  routes.add({
    method: 'GET',
    url: '/v1/documents/:kind',
    operationId: 'draftDocument',
    summary: 'Draft one document (what `chujing report KIND --format F --lang L` writes), for the transfers that need it or the ones selected; ?lang= or Accept-Language picks its language',
    description: 'A transfer that needs no such document, or an unknown transfer or recipient, is a 400 that says why (never an empty document).',
    tags: ['documents'],
    permission: 'read',
    params: z.object({ kind: z.enum(DOCUMENT_KINDS as unknown as [DocumentKind, ...DocumentKind[]]) }),
    query: z
      .object({
        format: z.enum(DOCUMENT_FORMATS as unknown as [DocumentFormat, ...DocumentFormat[]]).optional().describe('Default docx.'),
        asOf: asOfQuery,
        transfer: name.optional(),
        recipient: name.optional(),
        scenario: name.optional(),
        organization: name.optional(),
      })
      .strict(),
    responses: [{ status: 200, description: 'The document (DOCX, PDF, HTML, Markdown or JSON), as an attachment.', contentType: 'application/octet-stream' }],
    handler: async ({ params, query, lang, reply }) => {
      const asOf = query.asOf ?? todayInChina(core.now());
      const format = query.format ?? 'docx';
      const input = await documentInput(core, asOf, params.kind === 'security-checklist');
      const selection = { transfer: query.transfer, recipient: query.recipient, scenario: query.scenario, organization: query.organization };
      const rendered = await renderDocument(input, { kind: params.kind, format, lang, selection }, { pdf });
      reply.header('content-type', rendered.contentType).header('content-disposition', `attachment; filename="${rendered.filename}"`);
      return Buffer.from(rendered.bytes);
    },
  });
}

async function documentInput(core: ServerCore, asOf: string, verify: boolean): Promise<DocumentInput> {
  const loaded = core.state.current.loaded;
  const { report, status, calendar, periods } = await lifecycleOf(core, asOf);
  let verification = null;
  if (verify) {
    const r = await core.db.exclusive((store) => verifyLedger(store, core.key ? { key: core.key } : {}));
    const b = r.firstBreak;
    verification = {
      intact: r.intact,
      entries: r.organizations.reduce((n, o) => n + o.entries, 0),
      checkpoints: r.organizations.reduce((n, o) => n + o.checkpoints, 0),
      firstBreak: b ? `${b.organization}#${b.seq ?? '-'} ${b.kind}` : null,
    };
  }
  return { view: documentsView({ report, workspace: loaded.workspace, status, periods, verification }), calendar };
}
