/**
 * The web UI on `chujing serve`: the page at `/` with its assets (public: they hold no data), and the
 * read endpoints its pages use under `/v1/ui/` (authenticated like the rest of the API). Those cut the
 * same memoised assessment and status report that `/v1/assessment` and `/v1/status` serve into pages,
 * so that listing 50 of 10,000 transfers neither computes nor ships the other 9,950 (views.ts).
 *
 * Everything here is additive: the rest of the server does not depend on it.
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ChujingError } from '../../errors.js';
import { langOf, msg, t, type Lang } from '../../i18n/index.js';
import { rowToEntry, type EntryRow } from '../../ledger/rows.js';
import { ENTRY_COLUMNS } from '../../ledger/sql.js';
import { todayInChina } from '../../model/dates.js';
import { resolveInside } from '../../model/paths.js';
import type { ServerCore } from '../app.js';
import type { Routes } from '../http.js';
import { acceptLanguage } from '../lang.js';
import { assessment } from '../routes/reads.js';
import { lifecycleOf } from './status.js';
import { asOfQuery } from '../schemas.js';
import { loadWebAssets, type WebAssets } from './assets.js';
import { registerDocumentRoutes } from './documents.js';
import { ALL_PACKS } from '../../rules/index.js';
import { LEVELS, PATHS, choices, datasetPage, datasetView, overview, transferPage } from './views.js';

const boolQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();
const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, { message: `a whole number from 0 to ${max}` })
    .transform(Number)
    .refine((n) => n <= max, { message: `a whole number from 0 to ${max}` })
    .optional();
const pageLimit = z
  .string()
  .regex(/^\d{1,3}$/, { message: 'a number from 1 to 200' })
  .transform(Number)
  .refine((n) => n >= 1 && n <= 200, { message: 'a number from 1 to 200' })
  .optional()
  .describe('Entries per page (default 50, at most 200).');
const name = z.string().min(1).max(200);

const transfersQuery = z
  .object({
    asOf: asOfQuery,
    offset: wholeNumber(10_000_000).describe('Skip this many matching transfers.'),
    limit: pageLimit,
    path: z.enum(PATHS as [string, ...string[]]).optional(),
    covered: boolQuery.describe('Only covered (true) or uncovered (false) transfers.'),
    organization: name.optional(),
    recipient: name.optional(),
    dataset: name.optional(),
    review: boolQuery.describe('Only transfers with (true) or without (false) legal-review points.'),
    q: z.string().max(200).optional().describe('Text in the id, recipient, country, organisation or dataset ids.'),
    order: z.enum(['asc', 'desc']).optional().describe('By date: asc (default, the engine\'s order) or desc.'),
  })
  .strict();

const datasetsQuery = z
  .object({
    asOf: asOfQuery,
    offset: wholeNumber(10_000_000),
    limit: pageLimit,
    level: z.enum(LEVELS as [string, ...string[]]).optional(),
    understated: boolQuery.describe('Only datasets whose declaration understates a measured fact.'),
    q: z.string().max(200).optional(),
  })
  .strict();

export interface WebUiOptions {
  /** Where the built UI is (default: dist/web of this package). */
  dir?: string;
}

export function registerWebUi(app: FastifyInstance, routes: Routes, core: ServerCore, options: WebUiOptions = {}): void {
  const assets: WebAssets = loadWebAssets(options.dir);
  const today = () => todayInChina(core.now());

  // Once someone has opened the UI, the assessment and status it reads are computed as soon as the
  // workspace changes, not when the next page asks: a 10,000-transfer assessment takes seconds.
  let used = false;
  const warm = () => {
    const asOf = today();
    void lifecycleOf(core, asOf).catch(() => {});
  };
  const previous = core.state.options.onChange;
  core.state.options.onChange = (snapshot) => {
    previous?.(snapshot);
    if (used && !core.closing) warm();
  };

  // The sign-in page names the workspace this server serves, as `chujing serve` was given it (relative
  // to the server's working folder when inside it).
  const served = (() => {
    const rel = relative(process.cwd(), core.state.dir);
    return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? core.state.dir : rel;
  })();
  const page = (lang: Lang) => {
    if (assets.index === null) return null;
    return assets.index
      .replace('<html lang="en">', `<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`)
      .replace('<meta charset="utf-8">', `<meta charset="utf-8">\n<meta name="chujing-workspace" content="${escapeAttribute(served)}">`);
  };

  app.get('/', async (req, reply) => {
    const q = (req.query as Record<string, unknown>).lang;
    const lang = (typeof q === 'string' ? langOf(q) : null) ?? acceptLanguage(req.headers['accept-language']) ?? 'en';
    const html = page(lang);
    if (html === null) {
      reply.code(503).header('content-type', 'text/plain; charset=utf-8');
      return `${t(lang, 'web.server.not-built', { dir: 'dist/web' })}\n`;
    }
    if (!used) {
      used = true;
      warm();
    }
    reply.header('content-type', 'text/html; charset=utf-8');
    return html;
  });

  app.get('/assets/*', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    const asset = assets.files.get(path);
    if (!asset) throw new ChujingError('not-found', msg('server.request.no-asset', { path }), [{ field: 'url', message: msg('server.request.no-asset', { path }) }]);
    // Names carry a content hash: a new build has new names, so an asset never changes under its name.
    reply.header('content-type', asset.type).header('cache-control', 'public, max-age=31536000, immutable');
    return asset.body;
  });

  registerDocumentRoutes(app, routes, core);

  routes.add({
    method: 'GET',
    url: '/v1/ui/overview',
    operationId: 'uiOverview',
    summary: 'The web UI overview: counts by path, uncovered and prohibited transfers, deadlines of the next 90 days, year-to-date counts against the thresholds',
    tags: ['web'],
    permission: 'read',
    query: z.object({ asOf: asOfQuery }).strict(),
    responses: [{ status: 200, description: 'chujing.ui.overview/1: slices of the assessment and the status report.' }],
    handler: async ({ query }) => {
      const asOf = query.asOf ?? today();
      const snap = core.state.current;
      const { report, status } = await lifecycleOf(core, asOf);
      // What authenticated /v1/health lists beside the workspace's own (shown above as `reload`): a
      // broken decision log, a failing database, servers deciding on different workspaces…
      const problems = core.healthChecks.flatMap((check) => check()).map((p) => p.message);
      return { ...overview(report, status, snap.loaded.workspace), revision: snap.revision, reload: core.state.lastError, problems };
    },
  });

  routes.add({
    method: 'GET',
    url: '/v1/ui/status',
    operationId: 'uiStatus',
    summary: 'What /v1/status answers (chujing status --json, 90 days for "expiring soon"), computed from the memoised assessment',
    tags: ['web'],
    permission: 'read',
    query: z.object({ asOf: asOfQuery }).strict(),
    responses: [{ status: 200, description: 'The status report (docs/lifecycle.md).' }],
    handler: async ({ query }) => (await lifecycleOf(core, query.asOf ?? today())).status,
  });

  routes.add({
    method: 'GET',
    url: '/v1/ui/transfers',
    operationId: 'uiTransfers',
    summary: 'One page of the assessment\'s transfers (as in assess --json transfers[]), filtered',
    tags: ['web'],
    permission: 'read',
    query: transfersQuery,
    responses: [{ status: 200, description: 'chujing.ui.transfers/1: {total, matched, offset, limit, items, summary}.' }],
    handler: async ({ query }) => {
      const asOf = query.asOf ?? today();
      const report = await assessment(core, asOf);
      const { asOf: _a, offset, limit, path, ...rest } = query;
      const pageOf = transferPage(report, { ...rest, ...(path ? { path: path as (typeof PATHS)[number] } : {}), offset: offset ?? 0, limit: limit ?? 50 });
      return { schema: 'chujing.ui.transfers/1', asOf, revision: core.state.current.revision, summary: report.summary, ...pageOf };
    },
  });

  routes.add({
    method: 'GET',
    url: '/v1/ui/transfers/:id',
    operationId: 'uiTransfer',
    summary: 'One transfer of the assessment',
    tags: ['web'],
    permission: 'read',
    params: z.object({ id: name }),
    query: z.object({ asOf: asOfQuery }).strict(),
    responses: [{ status: 200, description: 'chujing.ui.transfer/1: {transfer}.' }],
    handler: async ({ params, query }) => {
      const asOf = query.asOf ?? today();
      const report = await assessment(core, asOf);
      const transfer = report.transfers.find((x) => x.id === params.id);
      if (!transfer) throw notFound('transfers', params.id);
      return { schema: 'chujing.ui.transfer/1', asOf, revision: core.state.current.revision, transfer };
    },
  });

  routes.add({
    method: 'GET',
    url: '/v1/ui/datasets',
    operationId: 'uiDatasets',
    summary: 'One page of the assessment\'s datasets (as in assess --json datasets[]), filtered, each with how many transfers send it',
    tags: ['web'],
    permission: 'read',
    query: datasetsQuery,
    responses: [{ status: 200, description: 'chujing.ui.datasets/1: {total, matched, offset, limit, items, summary}.' }],
    handler: async ({ query }) => {
      const asOf = query.asOf ?? today();
      const report = await assessment(core, asOf);
      const { asOf: _a, offset, limit, level, ...rest } = query;
      const pageOf = datasetPage(report, { ...rest, ...(level ? { level: level as (typeof LEVELS)[number] } : {}), offset: offset ?? 0, limit: limit ?? 50 }, ALL_PACKS);
      return { schema: 'chujing.ui.datasets/1', asOf, revision: core.state.current.revision, summary: report.summary, ...pageOf };
    },
  });

  routes.add({
    method: 'GET',
    url: '/v1/ui/datasets/:id',
    operationId: 'uiDataset',
    summary: 'One dataset of the assessment, with its evidence files (size, last modified) and when the workspace they were measured for was loaded',
    tags: ['web'],
    permission: 'read',
    params: z.object({ id: name }),
    query: z.object({ asOf: asOfQuery }).strict(),
    responses: [{ status: 200, description: 'chujing.ui.dataset/1: {dataset, files, measuredFor}.' }],
    handler: async ({ params, query }) => {
      const asOf = query.asOf ?? today();
      const snap = core.state.current;
      const report = await assessment(core, asOf);
      const dataset = datasetView(report, params.id, ALL_PACKS);
      if (!dataset) throw notFound('datasets', params.id);
      const files = dataset.evidence.map((e) => {
        try {
          const abs = resolveInside(snap.loaded.dir, snap.loaded.dir, e.path);
          const st = statSync(abs);
          return { path: e.path, exists: true, size: st.isDirectory() ? null : st.size, modified: st.mtime.toISOString(), folder: st.isDirectory() };
        } catch {
          return { path: e.path, exists: false, size: null, modified: null, folder: false };
        }
      });
      // Evidence is measured (or read from the evidence cache) for each loaded version of the workspace,
      // as soon as it loads: the files as they were then.
      return { schema: 'chujing.ui.dataset/1', asOf, revision: snap.revision, dataset, files, measuredFor: snap.loadedAt };
    },
  });

  routes.add({
    method: 'GET',
    url: '/v1/ui/choices',
    operationId: 'uiChoices',
    summary: 'The organisations, datasets, recipients and approvals the edit forms offer (ids and names)',
    tags: ['web'],
    permission: 'read',
    responses: [{ status: 200, description: 'chujing.ui.choices/1.' }],
    handler: () => ({ ...choices(core.state.current.loaded.workspace), revision: core.state.current.revision }),
  });

  routes.add({
    method: 'GET',
    url: '/v1/ui/ledger/recent',
    operationId: 'uiLedgerRecent',
    summary: 'The most recently recorded executed transfers in the ledger, newest first (counts and digests, never a person hash)',
    tags: ['web'],
    permission: 'read',
    query: z.object({ limit: pageLimit, organization: name.optional() }).strict(),
    responses: [{ status: 200, description: 'chujing.ui.ledger-recent/1: {entries}.' }],
    handler: async ({ query }) => {
      const limit = query.limit ?? 50;
      const ws = core.state.current.loaded.workspace;
      const organizations = query.organization ? [query.organization] : [ws.organization.id, ...ws.affiliates.map((a) => a.id)];
      // Newest per organisation by the primary key (organization, seq), then merged: no full scan.
      const rows = await core.db.exclusive(async (store) => {
        const out: EntryRow[] = [];
        for (const org of organizations) {
          out.push(...(await store.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE organization = $1 ORDER BY seq DESC LIMIT $2`, [org, limit])));
        }
        return out;
      });
      // An entry is either a workspace transfer executed (its id) or a transfer the gate or the API
      // decided without one (the decision's id): the UI links the first to the transfer, the second to
      // the decision that allowed it.
      const workspaceIds = new Set(ws.transfers.map((t) => t.id));
      const entries = rows
        .map(rowToEntry)
        .sort((a, b) => (a.recordedAt < b.recordedAt ? 1 : a.recordedAt > b.recordedAt ? -1 : b.seq - a.seq))
        .slice(0, limit)
        .map((e) => ({
          organization: e.organization,
          seq: e.seq,
          id: e.id,
          workspaceTransfer: workspaceIds.has(e.id),
          time: e.time,
          datasets: e.datasets,
          recipient: e.recipient,
          kind: e.kind,
          mechanism: e.mechanism,
          approvalReference: e.approvalReference,
          channel: e.channel,
          operator: e.operator,
          records: e.records,
          bytes: e.bytes,
          added: Object.fromEntries(Object.entries(e.added).map(([k, v]) => [k, v.count])),
          entryHash: e.entryHash,
          recordedAt: e.recordedAt,
        }));
      return { schema: 'chujing.ui.ledger-recent/1', entries };
    },
  });
}

function notFound(collection: string, id: string): ChujingError {
  return new ChujingError('not-found', msg('web.server.not-found', { collection, id }), [{ field: 'params.id', message: msg('web.server.not-found', { collection, id }) }]);
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
