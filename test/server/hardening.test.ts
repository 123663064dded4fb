/**
 * No single request takes the gate down, and each caller gets what its role needs (issue 18,
 * Availability and Least privilege), through the real server (Fastify inject; a real socket for 431):
 * the failed-login limit never refuses a valid token or session; every field is bounded; one error
 * shape everywhere, in the caller's language; a gateway sees only its own decisions, reduced; the
 * session cookie is bound to the server and Secure behind a trusted TLS proxy; and the role table of
 * docs/threat-model.md is what the server does, cell by cell.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/server/tokens.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { exampleCopy, removeDir, startInProcess, type InProcess } from './helpers.js';

const ADAS = { datasets: ['adas-road-test'], recipient: 'acme-gmbh', purpose: 'training of the global perception model', time: '2026-11-05' };
const ADAS_HEADERS = { 'x-chujing-datasets': 'adas-road-test', 'x-chujing-recipient': 'acme-gmbh', 'x-chujing-purpose': ADAS.purpose, 'x-chujing-time': ADAS.time };
const CRM = { datasets: ['crm-buyers-h2'], recipient: 'acme-hq-crm', purpose: 'global CRM', time: '2026-11-05' };

describe('chujing serve under attack and under least privilege', () => {
  let s: InProcess;
  let dir: string;
  let gateway2: string;

  beforeAll(async () => {
    dir = exampleCopy();
    // The default failed-login limit (20 a minute); the proxy on loopback is trusted.
    s = await startInProcess(dir, { trustProxy: '127.0.0.1' });
    gateway2 = (await createToken(s.server.core.db, 'second-gateway', 'gateway')).token;
    await s.server.core.auth.refresh();
  });

  afterAll(async () => {
    await s?.close();
    removeDir(dir);
  });

  it('25 wrong tokens and 25 wrong login links from one address: then a valid officer token, a gateway decision and a browser session still work', async () => {
    const from = { remoteAddress: '192.0.2.10' };
    const inject = (o: { method?: string; url: string; headers?: Record<string, string> }) => s.server.app.inject({ method: (o.method ?? 'GET') as 'GET', url: o.url, headers: o.headers ?? {}, ...from });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await inject({ url: `/login?token=wrong-${i}` })).statusCode);
    for (let i = 0; i < 25; i++) statuses.push((await inject({ url: '/v1/assessment', headers: { authorization: `Bearer chj_${String(i).padStart(12, 'q')}_${'x'.repeat(43)}` } })).statusCode);
    expect(statuses.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(statuses.filter((c) => c === 429).length).toBeGreaterThan(0);
    expect(statuses.every((c) => c === 401 || c === 429)).toBe(true);

    // Valid credentials from the same address are never refused.
    expect((await inject({ url: '/v1/workspace', headers: { authorization: `Bearer ${s.tokens.officer}` } })).statusCode).toBe(200);
    const gate = await inject({ url: '/v1/gate', headers: { authorization: `Bearer ${s.tokens.gateway}`, ...ADAS_HEADERS, 'x-chujing-request-id': 'limit-test' } });
    expect(gate.statusCode).toBe(204);
    const link = s.server.loginLink('http://127.0.0.1:1').slice('http://127.0.0.1:1'.length);
    const login = await inject({ url: link });
    expect(login.statusCode).toBe(303);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    expect((await inject({ url: '/v1/session', headers: { cookie } })).statusCode).toBe(200);
    // Someone guessing the gate's own token (its id, wrong secrets) does not lock the gate out.
    const gateId = s.tokens.gateway.split('_')[1]!;
    for (let i = 0; i < 25; i++) await s.server.app.inject({ method: 'GET', url: '/v1/decisions', headers: { authorization: `Bearer chj_${gateId}_${String(i).padStart(43, 'w')}` }, remoteAddress: `203.0.113.${i}` });
    const stillOpen = await s.server.app.inject({ method: 'GET', url: '/v1/gate', headers: { authorization: `Bearer ${s.tokens.gateway}`, ...ADAS_HEADERS, 'x-chujing-request-id': 'limit-test-2' }, remoteAddress: '203.0.113.99' });
    expect(stillOpen.statusCode).toBe(204);
    const guessed = await s.server.app.inject({ method: 'GET', url: '/v1/decisions', headers: { authorization: `Bearer chj_${gateId}_${'v'.repeat(43)}` }, remoteAddress: '203.0.113.100' });
    expect(guessed.statusCode).toBe(429);
    // And a wrong one from there is still limited.
    expect((await inject({ url: '/v1/session', headers: { authorization: `Bearer chj_zzzzzzzzzzzz_${'x'.repeat(43)}` } })).statusCode).toBe(429);
  });

  it('every field is bounded: a 5,000-character id, a 300-character id, a 900 KB purpose, a long gate header are 400 naming the field', async () => {
    const dataset = (id: string) => ({ id, name: 'x', scenario: 'other', dataType: 'customer-records', personalInfo: { persons: 1 } });
    const before = readFileSync(join(dir, 'datasets', 'engineering.yaml'), 'utf8');
    const huge = await s.request('POST', '/v1/workspace/datasets', { token: s.tokens.officer, body: dataset('a'.repeat(5000)) });
    expect(huge.status).toBe(400);
    expect(huge.body.error.issues[0]).toMatchObject({ field: 'body.id', message: { code: 'server.bounds.too-long', params: { length: 5000 } } });
    const long = await s.request('POST', '/v1/workspace/datasets', { token: s.tokens.officer, body: dataset('b'.repeat(300)) });
    expect(long.status).toBe(400);
    expect(long.body.error.issues.map((i: any) => i.field)).toContain('body.id');
    expect(readFileSync(join(dir, 'datasets', 'engineering.yaml'), 'utf8')).toBe(before);
    const purpose = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { ...ADAS, purpose: 'p'.repeat(900_000) } });
    expect(purpose.status).toBe(400);
    expect(purpose.body.error.issues[0].field).toBe('body.purpose');
    expect(purpose.text.length).toBeLessThan(2000);
    const header = await s.request('GET', '/v1/gate', { token: s.tokens.gateway, headers: { ...ADAS_HEADERS, 'x-chujing-purpose': 'p'.repeat(5000) } });
    expect(header.status).toBe(400);
    expect(header.body.error.issues[0].field).toBe('header.x-chujing-purpose');
    // A 200-character id is accepted, and can be read and deleted again.
    const ok = await s.request('POST', '/v1/workspace/recipients', { token: s.tokens.officer, body: { id: 'r'.repeat(200), name: 'Long id GmbH', country: 'DE' } });
    expect(ok.status).toBe(201);
    const back = await s.request('GET', `/v1/workspace/recipients/${'r'.repeat(200)}`, { token: s.tokens.officer });
    expect(back.status).toBe(200);
    expect((await s.request('DELETE', `/v1/workspace/recipients/${'r'.repeat(200)}`, { token: s.tokens.officer, headers: { 'if-match': back.body.etag } })).status).toBe(204);
  });

  it('one error shape everywhere: unknown asset, bad URL, wrong content type, 431; validation in the caller\'s language', async () => {
    const shape = (r: { status: number; body: any }, status: number) => {
      expect(r.status).toBe(status);
      expect(r.body).toMatchObject({ schema: 'chujing.error/1', error: { status, code: expect.any(String), message: { code: expect.any(String), text: expect.any(String) } } });
    };
    shape(await s.request('GET', '/assets/nope-123.js'), 404);
    shape(await s.request('GET', '/v1/decisions/%E0%A4%A', { token: s.tokens.viewer }), 400);
    shape(await s.request('POST', '/v1/decisions', { token: s.tokens.admin, raw: 'datasets=x', headers: { 'content-type': 'text/plain' } }), 415);
    shape(await s.request('GET', '/v1/nowhere'), 404);
    shape(await s.request('GET', `/v1/decisions/${'d'.repeat(600)}`, { token: s.tokens.viewer }), 414);
    shape(await s.request('GET', `/v1/rules?pack=${'p'.repeat(5000)}`, { token: s.tokens.viewer }), 400);

    const zh = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, raw: '"x"', headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' } });
    shape(zh, 400);
    expect(zh.body.error.issues[0]).toMatchObject({ field: 'body', message: { code: 'server.zod.type', text: '应为对象' } });
    const missing = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { datasets: 'adas-road-test', recipient: 'acme-gmbh', purpose: 'x' }, headers: { 'accept-language': 'zh' } });
    expect(missing.body.error.issues[0]).toMatchObject({ field: 'body.datasets', message: { text: '应为列表' } });
    const unknown = await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: { ...ADAS, colour: 'red' }, headers: { 'accept-language': 'zh' } });
    expect(unknown.body.error.issues[0]).toMatchObject({ field: 'body.colour', message: { code: 'server.zod.unknown-field', text: '未知字段“colour”' } });

    // 431 comes from Node's parser before any route: a real socket.
    const url = new URL(await s.server.listen());
    const big = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: '/v1/health', headers: { 'x-padding': 'a'.repeat(40_000) } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(big.status).toBe(431);
    expect(JSON.parse(big.body)).toMatchObject({ schema: 'chujing.error/1', error: { status: 431, code: 'too-large', issues: [{ field: 'headers' }] } });
  });

  it('a gateway sees only its own decisions, and in each only what it needs; officers and viewers keep the full answer', async () => {
    const mine = await s.request('POST', '/v1/decisions', { token: s.tokens.gateway, body: CRM });
    expect(mine.status).toBe(200);
    expect(Object.keys(mine.body).sort()).toEqual(['decidedAt', 'execution', 'id', 'path', 'reasons', 'result', 'schema', 'workspaceRevision']);
    expect(mine.body).toMatchObject({ schema: 'chujing.decision.gateway/1', result: 'deny', path: 'standard-contract-or-certification', workspaceRevision: expect.stringMatching(/^sha256:/) });
    expect(mine.body.reasons.every((r: unknown) => typeof r === 'string' && /^[a-z][a-z0-9.-]+$/.test(r as string))).toBe(true);
    expect(mine.text).not.toMatch(/yearToDate|persons|acme-hq-crm/);
    const theirs = await s.request('POST', '/v1/decisions', { token: gateway2, body: ADAS });
    const officerView = await s.request('GET', `/v1/decisions/${mine.body.id}`, { token: s.tokens.officer });
    expect(officerView.body).toMatchObject({ schema: 'chujing.decision/1', yearToDate: expect.any(Object), request: { recipient: 'acme-hq-crm' } });
    expect(officerView.body.reasons[0].code).toBe(mine.body.reasons[0]);

    // Listing: its own only, no totals of the log.
    const list = (await s.request('GET', '/v1/decisions?limit=1000', { token: s.tokens.gateway })).body;
    expect(list.decisions.map((d: any) => d.id)).toContain(mine.body.id);
    expect(list.decisions.map((d: any) => d.id)).not.toContain(theirs.body.id);
    expect(list.counts).toBeUndefined();
    expect(JSON.stringify(list)).not.toMatch(/yearToDate|"request"/);
    const all = (await s.request('GET', '/v1/decisions?limit=1000', { token: s.tokens.viewer })).body;
    expect(all.decisions.map((d: any) => d.id)).toEqual(expect.arrayContaining([mine.body.id, theirs.body.id]));
    expect(all.counts.allow + all.counts.deny).toBeGreaterThanOrEqual(2);
    // By id: another caller's decision does not exist for it.
    const other = await s.request('GET', `/v1/decisions/${theirs.body.id}`, { token: s.tokens.gateway });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not-found');
    const own = await s.request('GET', `/v1/decisions/${mine.body.id}`, { token: s.tokens.gateway });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ schema: 'chujing.decision.gateway/1', id: mine.body.id, executed: false });
    expect(own.body.yearToDate).toBeUndefined();
    // The gate's 403 names the decision and its reason code in headers the proxy passes on.
    const blocked = await s.request('GET', '/v1/gate', { token: s.tokens.gateway, headers: { 'x-chujing-datasets': 'crm-buyers-h2', 'x-chujing-recipient': 'acme-hq-crm', 'x-chujing-purpose': 'global CRM', 'x-chujing-time': '2026-11-05' } });
    expect(blocked.status).toBe(403);
    expect(blocked.headers['x-chujing-decision']).toBe(blocked.body.decision);
    expect(blocked.headers['x-chujing-reason']).toBe(blocked.body.reasons[0]);
  });

  it('the session cookie is bound to this server, and Secure (__Host-) behind a trusted TLS proxy only', async () => {
    const login = async (headers: Record<string, string>, remoteAddress = '127.0.0.1') => {
      const link = s.server.loginLink('http://x').slice('http://x'.length);
      const r = await s.server.app.inject({ method: 'GET', url: link, headers, remoteAddress });
      expect(r.statusCode).toBe(303);
      return String(r.headers['set-cookie']);
    };
    const name = s.server.core.auth.cookieName;
    expect(name).toMatch(/^chujing_session_[0-9a-f]{12}$/);
    const plain = await login({});
    expect(plain.startsWith(`${name}=`)).toBe(true);
    expect(plain).not.toContain('Secure');
    const tls = await login({ 'x-forwarded-proto': 'https' });
    expect(tls).toMatch(new RegExp(`^__Host-${name}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/; Max-Age=\\d+; Secure$`));
    const me = await s.server.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: tls.split(';')[0]!, 'x-forwarded-proto': 'https' } });
    expect(me.statusCode).toBe(200);
    // An untrusted client claiming TLS does not get a Secure cookie from its claim.
    expect(await login({ 'x-forwarded-proto': 'https' }, '198.51.100.7')).not.toContain('Secure');
    // Another chujing server on the same host uses another name: it never receives or overwrites this session.
    const dir2 = exampleCopy();
    const other = await startInProcess(dir2);
    try {
      expect(other.server.core.auth.cookieName).not.toBe(name);
      expect((await other.request('GET', '/v1/session', { headers: { cookie: plain.split(';')[0]! } })).status).toBe(401);
    } finally {
      await other.close();
      removeDir(dir2);
    }
  });

  it('docs/threat-model.md: every cell of the role table is what the server does', async () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'threat-model.md'), 'utf8');
    const start = doc.indexOf('<!-- roles-table -->');
    expect(start).toBeGreaterThan(0);
    const lines = doc.slice(start).split('\n').slice(1);
    const table = lines.slice(0, lines.findIndex((l) => l.trim() === ''));
    const rows = table.slice(2);
    const roles = ['anyone', 'viewer', 'officer', 'gateway', 'admin'] as const;
    const token = (role: (typeof roles)[number]) => (role === 'anyone' ? null : s.tokens[role]);
    const adminDecision = (await s.request('POST', '/v1/decisions', { token: s.tokens.admin, body: ADAS })).body.id as string;
    let n = 0;
    const probes: Record<string, (role: (typeof roles)[number]) => Promise<boolean>> = {
      '`GET /v1/health`': async (r) => (await s.request('GET', '/v1/health', { token: token(r) })).status === 200,
      '`GET /v1/health` (details)': async (r) => (await s.request('GET', '/v1/health', { token: token(r) })).body.workspace !== undefined,
      '`GET /v1/assessment`': async (r) => (await s.request('GET', '/v1/assessment?asOf=2026-11-23', { token: token(r) })).status === 200,
      '`GET /v1/workspace`': async (r) => (await s.request('GET', '/v1/workspace', { token: token(r) })).status === 200,
      '`GET /v1/ledger/stats`': async (r) => (await s.request('GET', '/v1/ledger/stats', { token: token(r) })).status === 200,
      '`PUT /v1/workspace/{collection}/{id}`': async (r) => {
        const got = (await s.request('GET', '/v1/workspace/recipients/acme-gmbh', { token: s.tokens.admin })).body;
        return (await s.request('PUT', '/v1/workspace/recipients/acme-gmbh', { token: token(r), headers: { 'if-match': got.etag }, body: got.entry })).status === 200;
      },
      '`POST /v1/decisions`': async (r) => (await s.request('POST', '/v1/decisions', { token: token(r), body: ADAS })).status === 200,
      '`GET /v1/gate`': async (r) => (await s.request('GET', '/v1/gate', { token: token(r), headers: { ...ADAS_HEADERS, 'x-chujing-request-id': `roles-${r}-${n++}` } })).status === 204,
      '`POST /v1/decisions` (details)': async (r) => (await s.request('POST', '/v1/decisions', { token: token(r), body: ADAS })).body?.yearToDate !== undefined,
      '`GET /v1/decisions`': async (r) => (await s.request('GET', '/v1/decisions', { token: token(r) })).status === 200,
      "`GET /v1/decisions` (everyone's)": async (r) => {
        const b = (await s.request('GET', '/v1/decisions?limit=1000', { token: token(r) })).body;
        return b?.counts !== undefined && (b.decisions as any[]).some((d) => d.id === adminDecision);
      },
      "`GET /v1/decisions/{id}` (another's)": async (r) => (await s.request('GET', `/v1/decisions/${adminDecision}`, { token: token(r) })).status === 200,
      '`GET /v1/tokens`': async (r) => (await s.request('GET', '/v1/tokens', { token: token(r) })).status === 200,
    };
    expect(rows.length).toBe(Object.keys(probes).length);
    for (const row of rows) {
      const cells = row.split('|').slice(1, -1).map((c) => c.trim());
      const request = cells[1]!;
      const probe = probes[request];
      expect(probe, `no probe for ${request}`).toBeDefined();
      for (const [i, role] of roles.entries()) {
        const documented = cells[2 + i];
        expect(['yes', 'no']).toContain(documented);
        expect(await probe!(role), `${cells[0]} (${request}) for ${role}: the doc says ${documented}`).toBe(documented === 'yes');
      }
    }
  });
});
