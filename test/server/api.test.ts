/**
 * The HTTP API through the real Fastify app (in process, requests by inject) on a private copy of the
 * example workspace and its embedded database: authentication and roles, validation, decisions that
 * match `assess`, executions into the ledger, the decision log, workspace edits with ETags, languages,
 * the login link, tokens, OpenAPI, and the same JSON as the CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../src/server/rate-limit.js';
import { openStore } from '../../src/store/index.js';
import { verifyLedger } from '../../src/ledger/index.js';
import { cli, exampleCopy, removeDir, startInProcess, withoutTexts, type InProcess } from './helpers.js';

const AS_OF = '2026-12-31';

describe('chujing serve: the API in process', () => {
  let s: InProcess;
  let dir: string;
  let cliReport: any;

  beforeAll(async () => {
    dir = exampleCopy();
    // The CLI's judgement of the workspace, before the server creates a database.
    const r = await cli(['assess', dir, '--json', '--as-of', AS_OF, '--lang', 'en']);
    expect(r.code, r.stderr).toBe(1);
    cliReport = JSON.parse(r.stdout);
    s = await startInProcess(dir, { limiter: new FailureLimiter({ max: 10, windowMs: 3_600_000 }) });
  });

  afterAll(async () => {
    await s?.close();
    removeDir(dir);
  });

  it('health is public liveness only; with a token it names the revision served and the files on disk; everything else needs a token', async () => {
    const h = await s.request('GET', '/v1/health');
    expect(h.status).toBe(200);
    // Nothing about the organisation or its workspace without credentials.
    expect(h.body).toEqual({ schema: 'chujing.health/1', status: 'ok' });
    const wrong = await s.request('GET', '/v1/health', { token: 'chj_cccccccccccc_' + 'z'.repeat(43) });
    expect(wrong.body).toEqual({ schema: 'chujing.health/1', status: 'ok' });
    const full = await s.request('GET', '/v1/health', { token: s.tokens.gateway });
    expect(full.body).toMatchObject({ schema: 'chujing.health/1', status: 'ok', problems: [], reload: null, database: { kind: 'pglite' }, executions: { available: true } });
    expect(full.body.workspace.revision).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(full.body.workspace.onDisk).toBe(full.body.workspace.revision);
    for (const [method, url] of [['GET', '/v1/assessment'], ['POST', '/v1/decisions'], ['GET', '/v1/workspace'], ['GET', '/v1/tokens'], ['GET', '/v1/decisions']] as const) {
      const r = await s.request(method, url, { body: method === 'POST' ? {} : undefined });
      expect(r.status, url).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Bearer realm="chujing"');
      expect(r.body.error.code).toBe('unauthenticated');
    }
  });

  it('each role may do its part only (403 names the permission and the roles that have it)', async () => {
    const decision = { datasets: ['fleet-diagnostics'], recipient: 'acme-gmbh', purpose: 'warranty analysis', time: '2026-10-01' };
    expect((await s.request('GET', '/v1/assessment?asOf=2026-11-23', { token: s.tokens.viewer })).status).toBe(200);
    const denied = await s.request('POST', '/v1/decisions', { token: s.tokens.viewer, body: decision });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'forbidden', issues: [{ field: 'role', message: { params: { role: 'viewer', permission: 'decide' } } }] });
    expect(denied.body.error.issues[0].expected.params.roles).toEqual(['gateway', 'admin']);
    expect((await s.request('GET', '/v1/assessment', { token: s.tokens.gateway })).status).toBe(403);
    expect((await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: decision })).status).toBe(200);
    // Tests below read the full decision: an admin asks (a gateway sees only what it needs, see least privilege).
    expect((await s.request('GET', '/v1/tokens', { token: s.tokens.officer })).status).toBe(403);
    expect((await s.request('GET', '/v1/tokens', { token: s.tokens.admin })).status).toBe(200);
    const put = await s.request('PUT', '/v1/workspace/recipients/acme-gmbh', { token: s.tokens.viewer, body: {}, headers: { 'if-match': '*' } });
    expect(put.status).toBe(403);
  });

  it('a wrong token is 401, and repeated failures from one address are refused for a while (429); a valid token from there still works', async () => {
    const from = { remoteAddress: '10.9.8.7' };
    for (let i = 0; i < 10; i++) {
      const r = await s.server.app.inject({ method: 'GET', url: '/v1/assessment', headers: { authorization: 'Bearer chj_aaaaaaaaaaaa_' + 'x'.repeat(43) }, ...from });
      expect(r.statusCode).toBe(401);
    }
    const blocked = await s.server.app.inject({ method: 'GET', url: '/v1/assessment', headers: { authorization: 'Bearer chj_bbbbbbbbbbbb_' + 'y'.repeat(43) }, ...from });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json()).toMatchObject({ schema: 'chujing.error/1', error: { code: 'rate-limited', status: 429 } });
    // Only failures are limited: a valid token from the same address is answered.
    expect((await s.server.app.inject({ method: 'GET', url: '/v1/session', headers: { authorization: `Bearer ${s.tokens.viewer}` }, ...from })).statusCode).toBe(200);
  });

  it('answers carry security headers and no CORS headers unless configured', async () => {
    const r = await s.request('GET', '/v1/health', { headers: { origin: 'https://evil.example' } });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const nf = await s.request('GET', '/v1/nothing-here', { token: s.tokens.viewer });
    expect(nf.status).toBe(404);
    expect(nf.headers['x-content-type-options']).toBe('nosniff');
  });

  it('a decision on each declared transfer, at its date, is what assess says of it', async () => {
    const transfers = cliReport.transfers.filter((t: any) => t.date.startsWith('2026'));
    expect(transfers.length).toBeGreaterThan(10);
    for (const t of transfers) {
      const r = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { transfer: t.id, time: t.date } });
      expect(r.status, t.id).toBe(200);
      const d = r.body;
      expect(d.result, t.id).toBe(t.covered && t.path !== 'prohibited' ? 'allow' : 'deny');
      const { id: _id, ...expected } = withoutTexts(t) as any;
      expect(withoutTexts(d.transfer), t.id).toEqual(expected);
      expect(d.path).toBe(t.path);
      expect(d.coveredBy).toBe(t.coveredBy);
      expect(d.rules).toEqual(t.rules);
    }
    // The example has both answers.
    const results = await Promise.all(transfers.map(async (t: any) => (await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { transfer: t.id, time: t.date } })).body.result));
    expect(new Set(results)).toEqual(new Set(['allow', 'deny']));
  });

  it('a transfer described in the request (not declared) is judged as assess judges the same transfer', async () => {
    for (const id of ['t-2026-004', 't-2026-008', 't-2026-010', 't-2026-012']) {
      const expected = cliReport.transfers.find((t: any) => t.id === id);
      const entry = (await s.request('GET', `/v1/workspace/transfers/${id}`, { token: s.tokens.officer })).body;
      // Take the declared transfer out of the workspace, ask about it, put it back.
      expect((await s.request('DELETE', `/v1/workspace/transfers/${id}`, { token: s.tokens.officer, headers: { 'if-match': entry.etag } })).status).toBe(204);
      const { id: _i, date, status: _s, ...fields } = entry.entry;
      const d = (await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { ...fields, time: date } })).body;
      expect(d.path, id).toBe(expected.path);
      expect(d.coveredBy, id).toBe(expected.coveredBy);
      expect(d.result, id).toBe(expected.covered && expected.path !== 'prohibited' ? 'allow' : 'deny');
      expect(withoutTexts(d.transfer.missing)).toEqual(withoutTexts(expected.missing));
      expect((await s.request('POST', '/v1/workspace/transfers', { token: s.tokens.officer, body: entry.entry })).status).toBe(201);
    }
  });

  it('malformed requests are 400 with the field and what was expected, and nothing is logged or recorded', async () => {
    const before = (await s.request('GET', '/v1/decisions?limit=1', { token: s.tokens.viewer })).body.counts;
    const cases: [unknown, string][] = [
      [{ recipient: 'acme-gmbh', purpose: 'x' }, 'body.datasets'],
      [{ datasets: 'adas-road-test', recipient: 'acme-gmbh', purpose: 'x' }, 'body.datasets'],
      [{ datasets: ['adas-road-test'], recipient: 'acme-gmbh', purpose: 'x', persons: -1 }, 'body.persons'],
      [{ datasets: ['adas-road-test'], recipient: 'acme-gmbh', purpose: 'x', time: '2026-13-01' }, 'body.time'],
      [{ datasets: ['adas-road-test'], recipient: 'acme-gmbh', purpose: 'x', colour: 'red' }, 'body.colour'],
      [{ datasets: ['adas-road-test'], recipient: 'acme-gmbh', purpose: 'x', kind: 'teleport' }, 'body.kind'],
      [{ datasets: ['adas-road-test', 'no-such-data'], recipient: 'acme-gmbh', purpose: 'x' }, 'body.datasets[1]'],
      [{ datasets: ['adas-road-test'], recipient: 'nobody', purpose: 'x' }, 'body.recipient'],
      [{ datasets: ['crm-buyers-h2'], recipient: 'acme-hq-crm', purpose: 'x', persons: 5, sensitivePersons: 9 }, 'body.sensitivePersons'],
      [{ datasets: ['crm-buyers-h2'], recipient: 'acme-hq-crm', purpose: 'x', hashes: { persons: ['not-a-hash'] } }, 'body.hashes.persons[0]'],
      [{ transfer: 't-2026-004', recipient: 'acme-hq-crm' }, 'body.recipient'],
      [{ transfer: 'no-such-transfer' }, 'body.transfer'],
    ];
    for (const [body, field] of cases) {
      const r = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { ...(body as object), execute: true } });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('bad-input');
      const fields = r.body.error.issues.map((i: any) => i.field);
      expect(fields, JSON.stringify(body)).toContain(field);
      for (const i of r.body.error.issues) expect(i.message).toBeTruthy();
    }
    const notJson = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, raw: '{"datasets": [', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.issues[0].field).toBe('body');
    const form = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, raw: 'datasets=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const huge = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, raw: JSON.stringify({ datasets: ['x'], recipient: 'y', purpose: 'z'.repeat(1_200_000) }), headers: { 'content-type': 'application/json' } });
    expect(huge.status).toBe(413);
    const badQuery = await s.request('GET', '/v1/assessment?asOf=yesterday', { token: s.tokens.viewer });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.issues[0]).toMatchObject({ field: 'query.asOf' });
    const unknownQuery = await s.request('GET', '/v1/assessment?asof=2026-01-01', { token: s.tokens.viewer });
    expect(unknownQuery.status).toBe(400);
    expect(unknownQuery.body.error.issues[0]).toMatchObject({ field: 'query.asof' });
    const after = (await s.request('GET', '/v1/decisions?limit=1', { token: s.tokens.viewer })).body.counts;
    expect(after).toEqual(before);
    const stats = (await s.request('GET', '/v1/ledger/stats', { token: s.tokens.viewer })).body;
    expect(stats.counts).toEqual([]);
  });

  it('crossing 1,000,000 persons under a standard contract is a deny', async () => {
    const ask = (persons: number) =>
      s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { datasets: ['driver-trajectories'], recipient: 'acme-gmbh', purpose: 'driving-behaviour study', time: '2026-10-01', persons, sensitivePersons: 10 } });
    const one = (await ask(10)).body;
    const before = one.yearToDate.persons - 10;
    expect(before).toBeGreaterThanOrEqual(100_000);
    const below = (await ask(1_000_000 - before - 1)).body;
    expect(below).toMatchObject({ result: 'allow', path: 'standard-contract-or-certification', coveredBy: 'sc-2026-001' });
    expect(below.yearToDate.persons).toBe(999_999);
    const crossing = (await ask(1_000_000 - before)).body;
    expect(crossing).toMatchObject({ result: 'deny', path: 'security-assessment', coveredBy: null });
    expect(crossing.yearToDate.persons).toBe(1_000_000);
    expect(crossing.rules).toContain('PATH-SA-2');
    expect(crossing.reasons.map((r: any) => r.code)).toContain('server.reason.needs');
  });

  it('executions move the counters: an approval\'s maxSensitivePersons is used up, then a deny', async () => {
    // sc-2026-001 covers driver-trajectories to acme-gmbh up to 5,000 sensitive persons a year; 800 are declared.
    const body = (n: number, key: string) => ({ datasets: ['driver-trajectories'], recipient: 'acme-gmbh', purpose: 'driving-behaviour study', time: '2026-10-02T09:00:00+08:00', persons: n, sensitivePersons: n, execute: true, idempotencyKey: key });
    const first = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: body(3000, 'batch-1') });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ result: 'allow', coveredBy: 'sc-2026-001', execution: { status: 'recorded', organization: 'acme-cn' } });
    expect(first.headers['x-chujing-decision']).toBe(first.body.id);
    // The same key again: the same answer, nothing recorded twice.
    const again = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: body(3000, 'batch-1') });
    expect(again.body.id).toBe(first.body.id);
    const conflict = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: body(2999, 'batch-1') });
    expect(conflict.status).toBe(409);
    // 800 declared + 3,000 recorded + 2,000 = 5,800 > 5,000: not covered any more.
    const second = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: body(2000, 'batch-2') });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ result: 'deny', path: 'standard-contract-or-certification', execution: null });
    expect(second.body.yearToDate.sensitivePersons).toBe(800 + 3000 + 2000);
    // An execution cannot be dated in the future (a plain decision about a planned date can).
    const future = new Date(Date.now() + 86_400_000 * 30).toISOString();
    const early = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { ...body(1, 'future'), time: future } });
    expect(early.status).toBe(400);
    expect(early.body.error.issues[0].field).toBe('body.time');
    const planning = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { ...body(1, 'future-plan'), execute: false, time: future } });
    expect(planning.status).toBe(200);
    const stats = (await s.request('GET', '/v1/ledger/stats?year=2026', { token: s.tokens.viewer })).body.counts;
    expect(stats).toEqual([expect.objectContaining({ organization: 'acme-cn', year: 2026, entries: 1, persons: 3000, sensitivePersons: 3000 })]);
    // The in-memory counters equal a fresh read of the ledger.
    const { baselineFromStore } = await import('../../src/ledger/baseline.js');
    const fresh = await s.server.core.db.exclusive((store) => baselineFromStore(store, { organizations: ['acme-cn', 'acme-charging'], years: [2026] }));
    expect(s.server.core.live.baseline.days).toEqual(fresh!.days);
    expect(s.server.core.live.baseline.entries).toEqual(fresh!.entries);
  });

  it('POST /v1/executions records an allowed decision once, refuses a denied one, and keyed hashes count exactly', async () => {
    const hashes = ['a', 'b', 'c'].map((x) => x.repeat(64));
    const ask = (persons: string[], time: string) =>
      s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { datasets: ['crm-buyers-h1'], recipient: 'acme-hq-crm', purpose: 'global CRM', time, hashes: { persons } } });
    // In January the company is under 100,000 persons this year: exempt (EXEMPT-6).
    const asked = await ask(hashes, '2026-01-20');
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ result: 'allow', path: 'exempt', exemption: 'EXEMPT-6' });
    expect(asked.body.volume).toMatchObject({ basis: 'hashes', persons: 3, hashes: { persons: 3 } });
    expect(asked.body.transfer.counted).toMatchObject({ method: 'exact-hashes', persons: 3 });
    // Without the same hashes the execution is refused.
    const wrong = await s.request('POST', '/v1/executions', { token: s.tokens.admin, body: { decision: asked.body.id } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.issues[0].field).toBe('body.hashes');
    const done = await s.request('POST', '/v1/executions', { token: s.tokens.admin, body: { decision: asked.body.id, hashes: { persons: hashes } } });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ status: 'recorded', decision: asked.body.id });
    const twice = await s.request('POST', '/v1/executions', { token: s.tokens.admin, body: { decision: asked.body.id, hashes: { persons: hashes } } });
    expect(twice.status).toBe(200);
    expect(twice.body.status).toBe('unchanged');
    expect((await s.request('GET', `/v1/decisions/${asked.body.id}`, { token: s.tokens.viewer })).body.executed).toBe(true);
    // Two persons again, one of them already sent this year: only one is new.
    const next = await ask(['a'.repeat(64), 'd'.repeat(64)], '2026-01-21');
    expect(next.body.transfer.counted).toMatchObject({ method: 'exact-hashes', persons: 1 });
    const denied = (await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { transfer: 't-2026-010', time: '2026-11-02' } })).body;
    expect(denied.result).toBe('deny');
    const refused = await s.request('POST', '/v1/executions', { token: s.tokens.admin, body: { decision: denied.id } });
    expect(refused.status).toBe(409);
    expect((await s.request('POST', '/v1/executions', { token: s.tokens.admin, body: { decision: 'dec-none' } })).status).toBe(404);
    expect((await s.request('POST', '/v1/executions', { token: s.tokens.viewer, body: { decision: denied.id } })).status).toBe(403);
  });

  it('a decision can be read back by id, listed, and the decision log verifies', async () => {
    const d = (await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { transfer: 't-2026-003', time: '2026-03-01' } })).body;
    expect(d).toMatchObject({ schema: 'chujing.decision/1', result: 'deny', path: 'security-assessment' });
    const back = await s.request('GET', `/v1/decisions/${d.id}?lang=zh`, { token: s.tokens.viewer });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ id: d.id, result: 'deny', path: 'security-assessment', executed: false, request: { transfer: 't-2026-003', date: '2026-03-01' } });
    expect(back.body.reasons.map((r: any) => r.code)).toEqual(d.reasons.map((r: any) => r.code));
    expect(back.body.reasons[0].text).toMatch(/[\u4e00-\u9fff]/);
    expect(back.body.entryHash).toMatch(/^[0-9a-f]{64}$/);
    // The log keeps the judgement once and the decision's own fields per row: read back, they are the answer as given.
    const { seq: _seq, entryHash: _hash, executed: _executed, ...answered } = (await s.request('GET', `/v1/decisions/${d.id}`, { token: s.tokens.admin })).body;
    expect(answered).toEqual(d);
    // The server's embedded database runs in its own thread.
    expect(s.server.core.db.store.inThread).toBe(true);
    const list = (await s.request('GET', '/v1/decisions?limit=2', { token: s.tokens.viewer })).body;
    expect(list.decisions[0].id).toBe(d.id);
    expect(list.decisions).toHaveLength(2);
    expect(list.next).toBe(list.decisions[1].seq);
    const v = (await s.request('GET', '/v1/decision-log/verify', { token: s.tokens.viewer })).body;
    expect(v).toMatchObject({ intact: true, headSealed: true, firstBreak: null });
    expect(v.entries).toBe(v.headSeq);
    expect((await s.request('GET', '/v1/decisions/dec-nope', { token: s.tokens.viewer })).status).toBe(404);
  });

  it('the egress gate: metadata in headers, 204 and recorded when allowed, 403 when denied, 400 on a bad header', async () => {
    const gate = (headers: Record<string, string>) => s.request('GET', '/v1/gate', { token: s.tokens.admin, headers });
    const ok = await gate({ 'x-chujing-datasets': 'fleet-diagnostics', 'x-chujing-recipient': 'acme-gmbh', 'x-chujing-purpose': 'warranty analysis', 'x-chujing-kind': 'remote-access', 'x-chujing-time': '2026-11-05', 'x-chujing-request-id': 'nginx-1' });
    expect(ok.status).toBe(204);
    expect(ok.headers['x-chujing-result']).toBe('allow');
    const id = ok.headers['x-chujing-decision'] as string;
    expect((await s.request('GET', `/v1/decisions/${id}`, { token: s.tokens.viewer })).body).toMatchObject({ executed: true, execution: { status: 'recorded' } });
    const no = await gate({ 'x-chujing-datasets': 'defence-site-survey', 'x-chujing-recipient': 'acme-gmbh', 'x-chujing-purpose': 'route validation', 'x-chujing-time': '2026-11-05' });
    expect(no.status).toBe(403);
    expect(no.body).toMatchObject({ result: 'deny', path: 'prohibited' });
    const bad = await gate({ 'x-chujing-datasets': 'fleet-diagnostics', 'x-chujing-recipient': 'acme-gmbh', 'x-chujing-purpose': 'warranty analysis', 'x-chujing-persons': 'many' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].field).toBe('header.x-chujing-persons');
    const unknown = await gate({ 'x-chujing-datasets': 'fleet-diagnostics,ghost', 'x-chujing-recipient': 'acme-gmbh', 'x-chujing-purpose': 'warranty analysis' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0].field).toBe('header.x-chujing-datasets');
    expect((await s.request('GET', '/v1/gate', { token: s.tokens.viewer, headers: { 'x-chujing-datasets': 'fleet-diagnostics' } })).status).toBe(403);
  });

  it('the read API gives the CLI\'s JSON: rules, explain, schema', async () => {
    const pairs: [string, string[]][] = [
      ['/v1/rules', ['rules', '--json']],
      ['/v1/rules?pack=cn-auto@2026', ['rules', '--json', '--pack', 'cn-auto@2026']],
      ['/v1/rules/DRAFT-J6', ['explain', 'DRAFT-J6', '--json']],
      ['/v1/schema', ['schema']],
    ];
    for (const [url, args] of pairs) {
      const r = await s.request('GET', `${url}${url.includes('?') ? '&' : '?'}lang=en`, { token: s.tokens.viewer });
      const c = await cli([...args, '--lang', 'en']);
      expect(r.status, url).toBe(200);
      expect(r.body, url).toEqual(JSON.parse(c.stdout));
    }
    const missing = await s.request('GET', '/v1/rules/NOPE-1', { token: s.tokens.viewer });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not-found');
  });

  it('languages: ?lang, Accept-Language, and an unknown language is a 400', async () => {
    const body = { transfer: 't-2026-010', time: '2026-08-01' };
    const zh = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body, headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' } });
    expect(zh.body.reasons[1].text).toMatch(/核心数据/);
    const en = await s.request('POST', '/v1/decisions?lang=en', { token: s.tokens.admin, body, headers: { 'accept-language': 'zh-CN' } });
    expect(en.body.reasons[1].text).toMatch(/core data/);
    const fr = await s.request('GET', '/v1/health?lang=fr');
    expect(fr.status).toBe(400);
    expect(fr.body.error.issues[0].field).toBe('query.lang');
    const err = await s.request('GET', '/v1/assessment', { headers: { 'accept-language': 'zh' } });
    expect(err.body.error.message.text).toMatch(/[\u4e00-\u9fff]/);
  });

  it('the one-time login link sets a strict session cookie, works once, and the session cannot post cross-site', async () => {
    const link = s.server.loginLink('http://127.0.0.1:1');
    const path = link.slice('http://127.0.0.1:1'.length);
    const first = await s.request('GET', path);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/^chujing_session_[0-9a-f]{12}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);
    expect((await s.request('GET', path)).status).toBe(401);
    const session = cookie.split(';')[0]!;
    const me = await s.request('GET', '/v1/session', { headers: { cookie: session } });
    expect(me.body).toMatchObject({ role: 'admin', kind: 'session' });
    const crossSite = await s.request('POST', '/v1/decisions', { headers: { cookie: session, origin: 'https://evil.example' }, body: { transfer: 't-2026-011', time: '2026-08-15' } });
    expect(crossSite.status).toBe(403);
    const sameSite = await s.request('POST', '/v1/decisions', { headers: { cookie: session, origin: 'http://localhost:80', host: 'localhost:80' }, body: { transfer: 't-2026-011', time: '2026-08-15' } });
    expect(sameSite.status).toBe(200);
    expect((await s.request('POST', '/v1/logout', { headers: { cookie: session } })).status).toBe(204);
    expect((await s.request('GET', '/v1/session', { headers: { cookie: session } })).status).toBe(401);
  });

  it('tokens through the API: create (shown once), use, list without secrets, revoke (401 at once)', async () => {
    const created = await s.request('POST', '/v1/tokens', { token: s.tokens.admin, body: { name: 'auditor', role: 'viewer' } });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^chj_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect((await s.request('GET', '/v1/ledger/stats', { token })).status).toBe(200);
    const list = (await s.request('GET', '/v1/tokens', { token: s.tokens.admin })).body.tokens;
    // The secret is everything after `chj_<id>_` (base64url: it may itself hold '_', even start with one).
    const secret = token.slice('chj_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(list)).not.toContain(secret);
    expect((await s.request('POST', '/v1/tokens', { token: s.tokens.admin, body: { name: 'auditor', role: 'viewer' } })).status).toBe(409);
    expect((await s.request('POST', '/v1/tokens', { token: s.tokens.admin, body: { name: 'x', role: 'root' } })).status).toBe(400);
    expect((await s.request('DELETE', '/v1/tokens/auditor', { token: s.tokens.admin })).status).toBe(200);
    expect((await s.request('GET', '/v1/ledger/stats', { token })).status).toBe(401);
  });

  it('/openapi.json is OpenAPI 3.1 generated from the route schemas', async () => {
    const r = await s.request('GET', '/openapi.json');
    expect(r.status).toBe(200);
    const doc = r.body;
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/v1/decisions', '/v1/executions', '/v1/gate', '/v1/assessment', '/v1/workspace/{collection}/{id}', '/v1/tokens', '/v1/health']) expect(doc.paths[p], p).toBeDefined();
    const decide = doc.paths['/v1/decisions'].post;
    const props = decide.requestBody.content['application/json'].schema.properties;
    for (const f of ['datasets', 'recipient', 'purpose', 'transfer', 'persons', 'hashes', 'execute', 'idempotencyKey']) expect(props[f], f).toBeDefined();
    expect(props.kind.enum).toEqual(['transmit', 'remote-access', 'offshore-processing']);
    expect(decide['x-chujing-roles']).toEqual(['gateway', 'admin']);
    expect(doc.paths['/v1/assessment'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['asOf', 'evidence', 'ledger', 'lang']));
  });

  it('after the server stops, the CLI reads the same assessment, status, stats and verification it served', async () => {
    const served: Record<string, any> = {};
    for (const url of ['/v1/assessment?asOf=2026-11-23', '/v1/status?asOf=2026-11-23', '/v1/ledger/stats', '/v1/ledger/verify']) {
      const r = await s.request('GET', `${url}${url.includes('?') ? '&' : '?'}lang=en`, { token: s.tokens.viewer });
      expect(r.status, url).toBe(200);
      served[url] = r.body;
    }
    await s.close();
    // The CLI reads the ledger through the summary file the server left when it closed the database:
    // the same figures, from a source it names differently.
    const sourceless = (r: any) => ({ ...r, ledger: r.ledger && { ...r.ledger, source: expect.stringContaining('.chujing') } });
    const assess = await cli(['assess', dir, '--json', '--as-of', '2026-11-23', '--lang', 'en']);
    expect(JSON.parse(assess.stdout)).toEqual(sourceless(served['/v1/assessment?asOf=2026-11-23']));
    expect(JSON.parse(assess.stdout).ledger.source).toContain('summary');
    const status = await cli(['status', dir, '--json', '--as-of', '2026-11-23', '--lang', 'en']);
    expect(JSON.parse(status.stdout)).toEqual(served['/v1/status?asOf=2026-11-23']);
    const stats = await cli(['ledger', 'stats', '--json', '-w', dir]);
    expect(JSON.parse(stats.stdout)).toEqual(served['/v1/ledger/stats']);
    // The CLI also says whether the summary file matches the database (the server holds no summary).
    const { summary, ...verified } = JSON.parse((await cli(['ledger', 'verify', '--json', '-w', dir])).stdout);
    expect(summary).toBe('matches');
    expect(verified).toEqual(served['/v1/ledger/verify']);
    // The executions recorded through the server are in a ledger that verifies.
    const store = (await openStore({ workspaceDir: dir, env: {} }))!;
    try {
      expect((await verifyLedger(store, {})).intact).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('chujing serve: editing the workspace YAML', () => {
  let s: InProcess;
  let dir: string;

  beforeAll(async () => {
    dir = exampleCopy();
    s = await startInProcess(dir);
  });
  afterAll(async () => {
    await s?.close();
    removeDir(dir);
  });

  const file = (rel: string) => readFileSync(join(dir, rel), 'utf8');

  it('an edit changes only its lines; a stale ETag is 412 and leaves the YAML as it was; no If-Match is 428', async () => {
    const before = file('transfers/2026.yaml');
    const got = await s.request('GET', '/v1/workspace/transfers/t-2026-008', { token: s.tokens.officer });
    expect(got.body).toMatchObject({ file: 'transfers/2026.yaml', entry: { id: 't-2026-008', date: '2026-06-15' } });
    const etag = got.headers.etag as string;
    expect(got.body.etag).toBe(etag);
    const edited = await s.request('PUT', '/v1/workspace/transfers/t-2026-008', { token: s.tokens.officer, headers: { 'if-match': etag }, body: { ...got.body.entry, date: '2026-06-20', persons: 39_000 } });
    expect(edited.status).toBe(200);
    expect(edited.headers.etag).not.toBe(etag);
    const after = file('transfers/2026.yaml');
    // Exactly two lines differ: the date, and the new key after the entry's last one.
    const entry = '  - id: t-2026-008\n    date: 2026-06-15\n    datasets: [crm-buyers-h2]\n    recipient: acme-hq-crm\n    purpose: global CRM\n';
    expect(before).toContain(entry);
    expect(after).toBe(before.replace(entry, entry.replace('2026-06-15', '2026-06-20') + '    persons: 39000\n'));
    // The comments stay.
    expect(after).toContain('# 39,200 more buyers: exactly 100,000 persons this year');

    const stale = await s.request('PUT', '/v1/workspace/transfers/t-2026-008', { token: s.tokens.officer, headers: { 'if-match': etag }, body: { ...got.body.entry, date: '2026-06-21' } });
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({ code: 'precondition-failed', issues: [{ field: 'header.if-match' }] });
    expect(file('transfers/2026.yaml')).toBe(after);
    const blind = await s.request('PUT', '/v1/workspace/transfers/t-2026-008', { token: s.tokens.officer, body: { ...got.body.entry, date: '2026-06-21' } });
    expect(blind.status).toBe(428);
    expect(file('transfers/2026.yaml')).toBe(after);
    // The served workspace is the edited one.
    const ws = (await s.request('GET', '/v1/workspace', { token: s.tokens.viewer })).body;
    expect(ws.workspace.transfers.find((t: any) => t.id === 't-2026-008').date).toBe('2026-06-20');
  });

  it('an edit that would make the workspace invalid is 400 naming the field, and nothing is written', async () => {
    const before = file('datasets/customer.yaml');
    const got = await s.request('GET', '/v1/workspace/datasets/crm-buyers-h2', { token: s.tokens.officer });
    const typo = await s.request('PUT', '/v1/workspace/datasets/crm-buyers-h2', { token: s.tokens.officer, headers: { 'if-match': got.body.etag }, body: { ...got.body.entry, personalInfo: { persons: 'many' } } });
    expect(typo.status).toBe(400);
    expect(typo.body.error.issues.map((i: any) => i.field)).toContain('body.personalInfo.persons');
    const badRef = await s.request('POST', '/v1/workspace/transfers', { token: s.tokens.officer, body: { id: 't-new', date: '2026-07-01', datasets: ['ghost'], recipient: 'acme-gmbh', purpose: 'x' } });
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.issues[0]).toMatchObject({ field: 'body.datasets[0]' });
    // Removing a dataset that transfers use: the transfers are named, with their file and line.
    const removal = await s.request('DELETE', '/v1/workspace/datasets/crm-buyers-h2', { token: s.tokens.officer, headers: { 'if-match': got.body.etag } });
    expect(removal.status).toBe(400);
    expect(removal.body.error.issues[0]).toMatchObject({ file: 'transfers/2026.yaml', field: expect.stringMatching(/^transfers\[\d+\]\.datasets\[0\]$/) });
    expect(file('datasets/customer.yaml')).toBe(before);
    const renamed = await s.request('PUT', '/v1/workspace/datasets/crm-buyers-h2', { token: s.tokens.officer, headers: { 'if-match': got.body.etag }, body: { ...got.body.entry, id: 'other' } });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.issues[0].field).toBe('body.id');
    const dup = await s.request('POST', '/v1/workspace/recipients', { token: s.tokens.officer, body: { id: 'acme-gmbh', name: 'x', country: 'DE' } });
    expect(dup.status).toBe(409);
  });

  it('new entries go where their kind lives, in the same style; then the decisions use them', async () => {
    const rec = await s.request('POST', '/v1/workspace/recipients', { token: s.tokens.officer, body: { id: 'acme-fr', name: 'ACME France SAS', country: 'FR' } });
    expect(rec.status).toBe(201);
    expect(rec.body.file).toBe('chujing.yaml');
    expect(file('chujing.yaml')).toContain('  - { id: acme-fr, name: ACME France SAS, country: FR }\n');
    const appr = await s.request('POST', '/v1/workspace/approvals', {
      token: s.tokens.officer,
      body: { id: 'sc-2026-fr', mechanism: 'standard-contract', status: 'filed', effective: '2026-09-01', filed: '2026-09-05', covers: { datasets: ['fr-dealer-leads'], recipients: ['acme-fr'] } },
    });
    expect(appr.status).toBe(400);
    expect(appr.body.error.issues[0]).toMatchObject({ field: 'body.covers.datasets[0]' });
    const ds = await s.request('POST', '/v1/workspace/datasets', {
      token: s.tokens.officer,
      body: { id: 'fr-dealer-leads', name: 'Dealer leads for France', scenario: 'other', dataType: 'customer-records', personalInfo: { persons: 150000, subjects: ['customers'] } },
    });
    expect(ds.status).toBe(201);
    expect(ds.body.file).toBe('datasets/engineering.yaml');
    const t = await s.request('POST', '/v1/workspace/transfers', { token: s.tokens.officer, body: { id: 't-2026-020', date: '2026-10-10', datasets: ['fr-dealer-leads'], recipient: 'acme-fr', purpose: 'French dealer CRM' } });
    expect(t.status).toBe(201);
    expect(t.body.file).toBe('transfers/2026.yaml');
    const d = (await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { transfer: 't-2026-020', time: '2026-10-10' } })).body;
    expect(d).toMatchObject({ result: 'deny', path: 'standard-contract-or-certification' });
    // The approval, once its dataset exists, covers it.
    const appr2 = await s.request('POST', '/v1/workspace/approvals', {
      token: s.tokens.officer,
      body: { id: 'sc-2026-fr', mechanism: 'standard-contract', status: 'filed', effective: '2026-09-01', filed: '2026-09-05', covers: { datasets: ['fr-dealer-leads'], recipients: ['acme-fr'] } },
    });
    expect(appr2.status).toBe(201);
    expect(appr2.body.file).toBe('chujing.yaml');
    const d2 = (await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { transfer: 't-2026-020', time: '2026-10-10' } })).body;
    expect(d2).toMatchObject({ result: 'allow', coveredBy: 'sc-2026-fr' });
    // Everything the API wrote loads with the CLI.
    const v = await cli(['validate', dir, '--json']);
    expect(v.code, v.stderr).toBe(0);
  });
});
