/**
 * What the web UI reads from the server, without a browser: the page at / and its assets, and the
 * /v1/ui/* views, which must be exactly slices of the assessment the API and the CLI give (the UI and
 * the CLI can never disagree), validated and authenticated like the rest of the API.
 */
import { ALL_PACKS } from '../../src/rules/index.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWebAssets } from '../../src/server/web/assets.js';
import { cli, exampleCopy, removeDir, startInProcess, withoutTexts, type InProcess } from '../server/helpers.js';

const AS_OF = '2026-11-23';

describe('web UI views on the server', () => {
  let s: InProcess;
  let dir: string;
  let full: any;

  beforeAll(async () => {
    dir = exampleCopy();
    s = await startInProcess(dir, { now: () => new Date(`${AS_OF}T04:00:00Z`) });
    full = (await s.request('GET', `/v1/assessment?asOf=${AS_OF}`, { token: s.tokens.viewer })).body;
  });

  afterAll(async () => {
    await s?.close();
    if (dir) removeDir(dir);
  });

  it('serves the page at / (language from Accept-Language) and its content-hashed assets, without a login', async () => {
    const zh = await s.request('GET', '/', { headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' } });
    expect(zh.status).toBe(200);
    expect(zh.headers['content-type']).toMatch(/^text\/html/);
    expect(zh.text).toContain('<html lang="zh-CN">');
    // The sign-in page names the workspace served (as given, relative to the working folder when inside it).
    const served = relative(process.cwd(), dir);
    expect(zh.text).toContain(`<meta name="chujing-workspace" content="${served.startsWith('..') ? dir : served}">`);
    expect(zh.headers['content-security-policy']).toContain("script-src 'self'");
    const en = await s.request('GET', '/', { headers: { 'accept-language': 'en-GB' } });
    expect(en.text).toContain('<html lang="en">');
    // Nothing from elsewhere: every script and style sheet is one of ours.
    const refs = [...zh.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ref.startsWith('/assets/'), ref).toBe(true);
      const a = await s.request('GET', ref);
      expect(a.status, ref).toBe(200);
      if (/-[A-Z0-9]{8}\./.test(ref)) expect(a.headers['cache-control']).toContain('immutable');
    }
    expect((await s.request('GET', '/assets/nope.js')).status).toBe(404);
  });

  it('reports an unbuilt UI instead of a blank page', () => {
    const empty = mkdtempSync(join(tmpdir(), 'chujing-web-empty-'));
    expect(loadWebAssets(empty)).toMatchObject({ index: null });
    removeDir(empty);
  });

  it('needs a reader: no credentials 401, a gateway token 403', async () => {
    for (const url of ['/v1/ui/overview', '/v1/ui/transfers', '/v1/ui/datasets', '/v1/ui/choices', '/v1/ui/ledger/recent']) {
      expect((await s.request('GET', url)).status, url).toBe(401);
      expect((await s.request('GET', url, { token: s.tokens.gateway })).status, url).toBe(403);
    }
  });

  it('gives pages of transfers that are exactly slices of the assessment, filtered', async () => {
    const get = async (q: string) => (await s.request('GET', `/v1/ui/transfers?asOf=${AS_OF}&${q}`, { token: s.tokens.viewer })).body;
    const all = full.transfers;
    const p1 = await get('limit=5');
    expect(p1).toMatchObject({ schema: 'chujing.ui.transfers/1', total: all.length, matched: all.length, offset: 0, limit: 5 });
    expect(withoutTexts(p1.items)).toEqual(withoutTexts(all.slice(0, 5)));
    const p2 = await get('limit=5&offset=5');
    expect(p2.items.map((t: any) => t.id)).toEqual(all.slice(5, 10).map((t: any) => t.id));
    const desc = await get('order=desc&limit=3');
    expect(desc.items.map((t: any) => t.id)).toEqual([...all].reverse().slice(0, 3).map((t: any) => t.id));
    for (const path of ['security-assessment', 'standard-contract-or-certification', 'exempt', 'prohibited']) {
      const page = await get(`path=${path}&limit=200`);
      expect(page.matched, path).toBe(full.summary.byPath[path]);
      expect(page.items.every((t: any) => t.path === path)).toBe(true);
    }
    const uncovered = await get('covered=false&limit=200');
    expect(uncovered.matched).toBe(full.summary.uncovered);
    const byDataset = await get('dataset=adas-road-test');
    expect(byDataset.items.map((t: any) => t.id)).toEqual(all.filter((t: any) => t.datasets.includes('adas-road-test')).map((t: any) => t.id));
    const search = await get('q=ACME-HQ');
    expect(search.items.map((t: any) => t.id)).toEqual(all.filter((t: any) => t.recipient.includes('acme-hq')).map((t: any) => t.id));
    const review = await get('review=true&limit=200');
    expect(review.matched).toBe(all.filter((t: any) => t.legalReview.length > 0).length);
    const one = await s.request('GET', `/v1/ui/transfers/t-2026-003?asOf=${AS_OF}`, { token: s.tokens.viewer });
    expect(withoutTexts(one.body.transfer)).toEqual(withoutTexts(all.find((t: any) => t.id === 't-2026-003')));
  });

  it('refuses a bad page request with the field named, and names an unknown transfer', async () => {
    for (const [q, field] of [['limit=0', 'query.limit'], ['limit=201', 'query.limit'], ['path=nope', 'query.path'], ['covered=maybe', 'query.covered'], ['asOf=2026-02-30', 'query.asOf'], ['colour=red', 'query.colour']] as const) {
      const r = await s.request('GET', `/v1/ui/transfers?${q}`, { token: s.tokens.viewer });
      expect(r.status, q).toBe(400);
      expect(r.body.error.issues.map((i: any) => i.field), q).toContain(field);
    }
    const missing = await s.request('GET', '/v1/ui/transfers/t-none', { token: s.tokens.viewer, headers: { 'accept-language': 'zh-CN' } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatchObject({ code: 'web.server.not-found', params: { id: 't-none' } });
    expect(missing.body.error.message.text).toMatch(/[\u4e00-\u9fff]/);
  });

  it('gives the overview from the same assessment and status', async () => {
    const o = (await s.request('GET', `/v1/ui/overview?asOf=${AS_OF}`, { token: s.tokens.viewer })).body;
    const status = (await s.request('GET', `/v1/status?asOf=${AS_OF}`, { token: s.tokens.viewer })).body;
    expect(o.summary).toEqual(full.summary);
    expect(o.uncovered.total).toBe(full.summary.uncovered);
    expect(o.prohibited.total).toBe(full.summary.prohibited);
    expect(withoutTexts(o.organizations.map(({ name: _n, ...rest }: any) => rest))).toEqual(withoutTexts(full.organizations));
    expect(o.organizations.find((x: any) => x.organization === 'acme-cn').name).toBe(full.organization.name);
    // Deadlines: the status report's, within 90 days of the as-of date or needing action now.
    const horizon = '2027-02-21';
    const expected = status.deadlines.filter((d: any) => ['overdue', 'due', 'open'].includes(d.state) || (d.date && d.date >= AS_OF && d.date <= horizon));
    expect(withoutTexts(o.deadlines.items)).toEqual(withoutTexts(expected));
    expect(o.deadlines.until).toBe(horizon);
    // The UI's status (from the memoised assessment) is /v1/status's.
    const ui = (await s.request('GET', `/v1/ui/status?asOf=${AS_OF}`, { token: s.tokens.viewer })).body;
    expect(withoutTexts(ui)).toEqual(withoutTexts(status));
    // The packs without the list of every transfer that used them (10,000 ids on a large workspace).
    expect(o.packs.map((p: any) => p.usedBy)).toEqual(full.packs.map((p: any) => p.usedBy.length));
  });

  it('gives datasets a page at a time, and one with its evidence files', async () => {
    const page = (await s.request('GET', `/v1/ui/datasets?asOf=${AS_OF}&level=important`, { token: s.tokens.viewer })).body;
    expect(page.items.map((d: any) => d.id)).toEqual(full.datasets.filter((d: any) => d.level === 'important').map((d: any) => d.id));
    const under = (await s.request('GET', `/v1/ui/datasets?asOf=${AS_OF}&understated=true`, { token: s.tokens.viewer })).body;
    expect(under.items.map((d: any) => d.id)).toEqual(full.datasets.filter((d: any) => d.factComparison.some((c: any) => c.understated)).map((d: any) => d.id));
    const one = (await s.request('GET', `/v1/ui/datasets/adas-road-test?asOf=${AS_OF}`, { token: s.tokens.viewer })).body;
    const { transfers, titles, ...dataset } = one.dataset;
    // The titles of its scenario and data type in the pack that classified it (what the UI shows).
    const pack = ALL_PACKS.find((p) => p.id === dataset.pack)!;
    const scenario = pack.scenarios.find((x) => x.id === dataset.scenario)!;
    expect(titles).toEqual({ scenario: scenario.title, dataType: scenario.dataTypes.find((x) => x.id === dataset.dataType)!.title });
    expect(titles.scenario.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(withoutTexts(dataset)).toEqual(withoutTexts(full.datasets.find((d: any) => d.id === 'adas-road-test')));
    expect(transfers).toBe(full.transfers.filter((t: any) => t.datasets.includes('adas-road-test')).length);
    expect(one.files).toEqual([expect.objectContaining({ path: 'data/adas/labels.json', exists: true, folder: false })]);
    expect(one.measuredFor).toMatch(/^\d{4}-/);
  });

  it('drafts the documents for the regulator: the same Markdown as `chujing report`, and a clear 400 when none is needed', async () => {
    const list = (await s.request('GET', '/v1/documents', { token: s.tokens.viewer })).body;
    expect(list.kinds.map((k: any) => k.kind)).toEqual(['self-assessment', 'declaration', 'pipia', 'sc-filing', 'plan', 'security-checklist', 'annual']);
    const md = await s.request('GET', `/v1/documents/self-assessment?format=md&lang=zh&transfer=t-2026-003&asOf=${AS_OF}`, { token: s.tokens.viewer });
    expect(md.status, md.text).toBe(200);
    expect(md.headers['content-disposition']).toMatch(/attachment; filename="self-assessment-acme-cn-2026-11-23-zh\.md"/);
    // The CLI on its own copy of the workspace (the server holds this one's database), with an empty
    // ledger as the server has, writes the same (the ledger's location aside).
    const other = exampleCopy();
    try {
      expect((await cli(['token', 'create', '--role', 'viewer', '--name', 'cli-copy', '-w', other])).code).toBe(0);
      const r = await cli(['report', 'self-assessment', other, '--transfer', 't-2026-003', '--format', 'md', '--lang', 'zh', '--as-of', AS_OF]);
      expect(r.code, r.stderr).toBe(0);
      expect(md.text.split(dir).join('WORKSPACE')).toBe(r.stdout.split(other).join('WORKSPACE'));
    } finally {
      removeDir(other);
    }
    const docx = await s.request('GET', `/v1/documents/plan?asOf=${AS_OF}`, { token: s.tokens.viewer });
    expect(docx.status).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    expect(docx.text.slice(0, 2)).toBe('PK');
    const exempt = await s.request('GET', `/v1/documents/self-assessment?format=md&transfer=t-2026-002&asOf=${AS_OF}`, { token: s.tokens.viewer, headers: { 'accept-language': 'zh-CN' } });
    expect(exempt.status).toBe(400);
    expect(exempt.body.error.message.text).toMatch(/[\u4e00-\u9fff]/);
    const unknown = await s.request('GET', '/v1/documents/brochure', { token: s.tokens.viewer });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0].field).toBe('params.kind');
  });

  it('lists the choices for the forms and the most recent ledger entries', async () => {
    const c = (await s.request('GET', '/v1/ui/choices', { token: s.tokens.viewer })).body;
    expect(c.datasets.map((d: any) => d.id)).toEqual(full.datasets.map((d: any) => d.id));
    expect(c.organizations.map((o: any) => o.id)).toEqual(['acme-cn', 'acme-charging']);
    expect(c.transfers).toBe(full.transfers.length);
    const d = await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: { datasets: ['fleet-diagnostics'], recipient: 'acme-gmbh', purpose: 'warranty analysis', time: '2026-11-20T10:00:00+08:00', execute: true } });
    expect(d.status, d.text).toBe(201);
    const recent = (await s.request('GET', '/v1/ui/ledger/recent?limit=5', { token: s.tokens.viewer })).body;
    expect(recent.entries).toHaveLength(1);
    // Not a workspace transfer: the entry has the decision's id, and says so (the UI links the decision).
    expect(recent.entries[0]).toMatchObject({ organization: 'acme-cn', seq: 1, id: d.body.id, workspaceTransfer: false, datasets: ['fleet-diagnostics'], recipient: 'acme-gmbh' });
    // Counts only: no person hash leaves the server.
    expect(JSON.stringify(recent)).not.toMatch(/personHash|"hashes"/);
  });
});

/**
 * The newer facts of the engine and the life cycle (issue 19) reach the UI through the same views: the
 * SA-6 extension condition on the approvals' deadlines, a dataset's level under the pack of an older
 * transfer's date (both sides), and which exemption claim covers which dataset. The UI's pages render
 * these fields (web/src/pages/approvals.tsx, datasets.tsx, transfers.tsx).
 */
describe('web UI views carry the facts added for issue 19', () => {
  const ASOF = '2026-11-02';
  let s: InProcess;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chujing-web-facts-'));
    writeFileSync(
      join(dir, 'chujing.yaml'),
      `version: 1
organization: { id: oem, name: OEM, processorType: oem }
recipients:
  - { id: hq, name: HQ, country: DE }
datasets:
  - { id: vehicles, name: Fleet telemetry, scenario: connected-operation, dataType: vehicle-data, facts: { distinctVehicles: 200000 } }
  - { id: adas, name: ADAS imagery, scenario: driving-automation, dataType: algorithm-training-data, level: important, personalInfo: { persons: 50000 } }
  - { id: tcu-vuln, name: TCU vulnerability traces, scenario: connected-operation, dataType: vehicle-data, facts: { iovSecurityData: true } }
  - { id: adas-imagery, name: ADAS training imagery, scenario: driving-automation, dataType: algorithm-training-data, facts: { rawImageryHours: 2500 } }
approvals:
  - { id: sa-adas, mechanism: security-assessment, applied: 2023-08-01, issued: 2024-01-10, covers: { datasets: [adas], recipients: [hq] } }
transfers:
  - { id: t-2025, date: 2025-05-01, datasets: [vehicles], recipient: hq, purpose: fleet analytics }
  - { id: t-2024, date: 2024-03-01, datasets: [adas], recipient: hq, purpose: training }
  - { id: t-2026, date: 2026-03-01, datasets: [adas], recipient: hq, purpose: training, persons: 80000 }
  - id: t-claims
    date: 2026-07-01
    datasets: [tcu-vuln, adas-imagery]
    recipient: hq
    purpose: fix the reported TCU vulnerability
    exemptionClaims:
      - { claim: vulnerability-remediation, reference: MIIT-1, basis: patch the TCU, datasets: [tcu-vuln, adas-imagery] }
`,
    );
    s = await startInProcess(dir, { now: () => new Date(`${ASOF}T04:00:00Z`) });
  });

  afterAll(async () => {
    await s?.close();
    if (dir) removeDir(dir);
  });

  const get = async (url: string) => {
    const r = await s.request('GET', url, { token: s.tokens.viewer });
    expect(r.status, url).toBe(200);
    return r.body;
  };

  it('the approvals\' status has the SA-6 extension condition, UNCONFIRMED, with its source and the growth so far', async () => {
    const status = await get(`/v1/ui/status?asOf=${ASOF}`);
    const win = status.deadlines.find((d: any) => d.kind === 'sa-extension-window');
    expect(win).toMatchObject({ approval: 'sa-adas', state: 'open' });
    expect(win.conditions).toEqual([
      expect.objectContaining({ rule: 'SA-6-C1', status: 'unconfirmed', source: 'CAC Q&A, July 2026 (secondary, UPD-9)', comparison: expect.objectContaining({ growthPercent: 60, exceeds: true }) }),
    ]);
    expect(win.conditions[0].comparisonMessage.code).toBe('law.extension.growth-exceeds');
    // The approval's own deadlines (what the approval card reads) carry the same condition.
    const card = status.approvals.find((a: any) => a.id === 'sa-adas').deadlines.find((d: any) => d.kind === 'sa-extension-window');
    expect(withoutTexts(card.conditions)).toEqual(withoutTexts(win.conditions));
  });

  it('datasets show their level under the older transfer\'s pack; that transfer names the level on its date', async () => {
    const list = await get(`/v1/ui/datasets?asOf=${ASOF}&q=vehicles`);
    expect(list.items[0]).toMatchObject({ id: 'vehicles', level: 'important', levelsByPack: [{ pack: 'cn-auto@2021', level: 'general', transfers: ['t-2025'] }] });
    expect((await get(`/v1/ui/datasets/vehicles?asOf=${ASOF}`)).dataset.levelsByPack).toEqual(list.items[0].levelsByPack);
    const t = (await get(`/v1/ui/transfers/t-2025?asOf=${ASOF}`)).transfer;
    expect(t.containsImportantData).toBe(false);
    expect(t.levelsOnDate).toEqual([{ dataset: 'vehicles', pack: 'cn-auto@2021', level: 'general', reportPack: 'cn-auto@2026', reportLevel: 'important' }]);
  });

  it('a transfer\'s exemption claim says per dataset whether it covers it and why not (EXEMPT-AUTO-5)', async () => {
    const t = (await get(`/v1/ui/transfers/t-claims?asOf=${ASOF}`)).transfer;
    expect(t.claims[0].coverage.map((c: any) => [c.dataset, c.exempted, c.rule])).toEqual([
      ['tcu-vuln', true, 'EXEMPT-AUTO-1'],
      ['adas-imagery', false, 'EXEMPT-AUTO-5'],
    ]);
    expect(t.claims[0].coverage[1].reason.code).toBe('law.auto.not-of-kind');
  });
});
