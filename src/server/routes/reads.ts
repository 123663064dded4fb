/**
 * The read API: the same JSON documents as the CLI's --json output, produced by the same functions
 * (src/produce: assessLoaded, statusReport, rulesJson, explainJson, ledgerStatsJson,
 * ledgerVerifyJson), so the two surfaces cannot disagree.
 */
import { z } from 'zod';
import { assessInput } from '../../produce/inputs.js';
import { ledgerStatsJson, ledgerVerifyJson } from '../../produce/ledger.js';
import { explainJson, findRule, rulesJson, selectPacks } from '../../produce/rules.js';
import { workspaceJsonSchema } from '../../produce/schema.js';
import { statusReport } from '../../produce/status.js';
import { DEFAULT_SOON_DAYS } from '../../lifecycle/status.js';
import { statusToIcs } from '../../lifecycle/ics.js';
import { todayInChina } from '../../model/dates.js';
import { verifyLedger, yearToDateCounts } from '../../ledger/index.js';
import { AUTO_PACKS, selectPack } from '../../rules/index.js';
import type { ServerCore } from '../app.js';
import type { Routes } from '../http.js';
import { assessmentQuery, assessmentResponse, asOfQuery, statsQuery, statusQuery, statusResponse } from '../schemas.js';

export function registerReadRoutes(routes: Routes, core: ServerCore): void {
  const today = () => todayInChina(core.now());

  routes.add({
    method: 'GET',
    url: '/v1/assessment',
    operationId: 'getAssessment',
    summary: 'The assessment of the workspace: what `chujing assess --json` prints',
    tags: ['read'],
    permission: 'read',
    query: assessmentQuery,
    responses: [{ status: 200, description: 'The assessment (docs/assess-json.md).', schema: assessmentResponse }],
    handler: async ({ query }) => {
      return assessment(core, query.asOf ?? today(), query.evidence ?? true, query.ledger ?? true);
    },
  });

  routes.add({
    method: 'GET',
    url: '/v1/status',
    operationId: 'getStatus',
    summary: 'Approvals, deadlines, open windows, overdue filings, uncovered transfers: what `chujing status --json` prints',
    tags: ['read'],
    permission: 'read',
    query: statusQuery,
    responses: [{ status: 200, description: 'The status report (docs/lifecycle.md).', schema: statusResponse }],
    handler: ({ query }) => status(core, query.asOf ?? today(), query.soon ?? DEFAULT_SOON_DAYS),
  });

  routes.add({
    method: 'GET',
    url: '/v1/status.ics',
    operationId: 'getStatusIcs',
    summary: 'The deadlines as an iCalendar file (what `chujing status --ics` writes)',
    tags: ['read'],
    permission: 'read',
    query: statusQuery,
    responses: [{ status: 200, description: 'text/calendar', contentType: 'text/calendar' }],
    handler: async ({ query, reply, lang }) => {
      const asOf = query.asOf ?? today();
      const report = await status(core, asOf, query.soon ?? DEFAULT_SOON_DAYS);
      const stamp = query.asOf ? new Date(`${asOf}T00:00:00Z`) : core.now();
      reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', 'attachment; filename="chujing-deadlines.ics"');
      return statusToIcs(report, { lang, stamp, name: `chujing — ${core.state.current.loaded.workspace.organization.name}` });
    },
  });

  routes.add({
    method: 'GET',
    url: '/v1/rules',
    operationId: 'listRules',
    summary: 'The rule packs and the built-in FTZ negative lists: what `chujing rules --json` prints',
    tags: ['read'],
    permission: 'read',
    query: z.object({ pack: z.string().min(1).max(200).optional().describe('Only this pack, e.g. cn-auto@2026.') }).strict(),
    responses: [{ status: 200, description: '{packs, negativeLists}' }],
    handler: ({ query }) => rulesJson(selectPacks(query.pack, 'query.pack')),
  });

  routes.add({
    method: 'GET',
    url: '/v1/rules/:id',
    operationId: 'explainRule',
    summary: 'One rule in every pack that has it: what `chujing explain --json RULE-ID` prints',
    tags: ['read'],
    permission: 'read',
    params: z.object({ id: z.string().min(1).max(64) }),
    responses: [{ status: 200, description: 'The rule, per pack.' }],
    handler: ({ params }) => explainJson(findRule(params.id, 'params.id')),
  });

  routes.add({
    method: 'GET',
    url: '/v1/schema',
    operationId: 'workspaceSchema',
    summary: 'The JSON Schema of the workspace format (what `chujing schema` prints): the forms validate with it',
    tags: ['read'],
    permission: 'read',
    responses: [{ status: 200, description: 'JSON Schema 2020-12.' }],
    handler: () => workspaceJsonSchema(),
  });

  routes.add({
    method: 'GET',
    url: '/v1/ledger/stats',
    operationId: 'ledgerStats',
    summary: 'Exact year-to-date distinct persons, sensitive persons, charging-consumption persons and vehicles: what `chujing ledger stats --json` prints',
    tags: ['ledger'],
    permission: 'read',
    query: statsQuery,
    responses: [{ status: 200, description: '{counts: [...]}' }],
    handler: ({ query }) =>
      core.db.exclusive(async (store) => ledgerStatsJson(await yearToDateCounts(store, { ...(query.year !== undefined ? { years: [query.year] } : {}), ...(query.organization ? { organizations: [query.organization] } : {}) }))),
  });

  routes.add({
    method: 'GET',
    url: '/v1/ledger/verify',
    operationId: 'ledgerVerify',
    summary: 'Recompute the ledger hash chain and report the first broken link: what `chujing ledger verify --json` prints',
    description: 'Holds the database for the whole check (a consistent view), so decisions that execute wait for it.',
    tags: ['ledger'],
    permission: 'read',
    responses: [{ status: 200, description: 'The verification report; intact false names the first break.' }],
    handler: () => core.db.exclusive(async (store) => ledgerVerifyJson(await verifyLedger(store, { key: core.key ?? undefined }))),
  });

  routes.add({
    method: 'GET',
    url: '/v1/evidence',
    operationId: 'evidence',
    summary: "What each dataset's evidence files measure, under the automobile pack in force on the date",
    tags: ['read'],
    permission: 'read',
    query: z.object({ asOf: asOfQuery }).strict(),
    responses: [{ status: 200, description: '{schema, asOf, pack, datasets: {id: {facts, personalInfo, sources}}}' }],
    handler: async ({ query }) => {
      const asOf = query.asOf ?? today();
      const ws = core.state.current.loaded.workspace;
      const pack = selectPack(AUTO_PACKS, asOf, ws.rulePack)!.pack;
      return { schema: 'chujing.evidence/1', asOf, pack: pack.id, datasets: (await core.state.measured(asOf)) ?? {} };
    },
  });
}

/**
 * The assessment on a date, memoised per workspace revision and ledger version (the web UI's views read
 * it too): concurrent callers share one computation. The database is held only while the ledger's
 * baseline is read; the engine runs after, so executions waiting for the database do not also wait for
 * the engine (about a second at 10,000 transfers).
 */
export function assessment(core: ServerCore, asOf: string, evidence = true, ledger = true) {
  return core.memo(`assessment|${asOf}|${evidence}|${ledger}`, async () => {
    core.computed.assessments += 1;
    const loaded = core.state.current.loaded;
    if (evidence) await core.state.measured(asOf); // fills the evidence cache outside the database lock
    const { input } = await core.db.exclusive((store) => assessInput(loaded, { env: core.env, asOf, evidence, ledger, store }));
    const { assess } = await import('../../engine/assess.js');
    return assess(input);
  });
}

/** The status report on a date, memoised like the assessment. */
export function status(core: ServerCore, asOf: string, soonDays: number) {
  return core.memo(`status|${asOf}|${soonDays}`, async () => {
    const loaded = core.state.current.loaded;
    await core.state.measured(asOf);
    return core.db.exclusive((store) => statusReport(loaded, { env: core.env, asOf, soonDays, store }));
  });
}
