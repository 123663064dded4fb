/**
 * The decision path made fast stays the same decision: the minimal answer (`Prefer: return=minimal`,
 * the gateway's form) says what the full answer and the log say; a repeated question answered from the
 * judgement memo follows every execution and every workspace change; the log keeps each decision as
 * answered, its chain intact.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCopy, startInProcess, type InProcess } from './helpers.js';

const QUESTION = { datasets: ['driver-trajectories'], recipient: 'acme-gmbh', purpose: 'driving-behaviour study', time: '2026-10-01', persons: 1000, sensitivePersons: 1000 };
const MINIMAL_FIELDS = ['schema', 'id', 'decidedAt', 'result', 'path', 'reasons', 'workspaceRevision', 'execution'].sort();

describe('the decision path: minimal answers and the judgement memo', () => {
  let s: InProcess;
  let dir: string;
  beforeAll(async () => {
    dir = exampleCopy();
    s = await startInProcess(dir);
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // The full answer is an officer's (admin's) view; the minimal one is what a gateway token always gets.
  const ask = (body: object, minimal = false) =>
    s.request('POST', '/v1/decisions', { token: minimal ? s.tokens.gateway : s.tokens.admin, body, ...(minimal ? { headers: { prefer: 'respond-async, return=minimal' } } : {}) });
  const askMinimalAsAdmin = (body: object) => s.request('POST', '/v1/decisions', { token: s.tokens.admin, body, headers: { prefer: 'return=minimal' } });

  it('Prefer: return=minimal answers allow/deny, the id and the reasons as codes; the log keeps the full decision', async () => {
    const full = await ask(QUESTION);
    const min = await ask(QUESTION, true);
    expect(min.status).toBe(200);
    expect(min.headers['preference-applied']).toBe('return=minimal');
    expect(min.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(min.body).sort()).toEqual(MINIMAL_FIELDS);
    expect(min.body).toMatchObject({ schema: 'chujing.decision.gateway/1', result: full.body.result, path: full.body.path, workspaceRevision: full.body.workspaceRevision, execution: null });
    expect(min.body.reasons).toEqual(full.body.reasons.map((r: { code: string }) => r.code));
    // Any caller may ask for the short form; it is the same shape.
    const adminMin = await askMinimalAsAdmin(QUESTION);
    expect(adminMin.headers['preference-applied']).toBe('return=minimal');
    expect(Object.keys(adminMin.body).sort()).toEqual(MINIMAL_FIELDS);
    expect(min.headers['x-chujing-decision']).toBe(min.body.id);
    // Neither the counts nor any text reach the gateway in this form.
    expect(min.text).not.toMatch(/yearToDate|"text"|persons/);

    // The officer's view of the same decision: everything, with texts.
    const logged = await s.request('GET', `/v1/decisions/${min.body.id}`, { token: s.tokens.viewer });
    expect(logged.status).toBe(200);
    // The same decision but for who asked: the gateway asked the logged one, an admin the full one.
    const { id: _a, decidedAt: _b, seq: _c, entryHash: _d, executed: _e, caller, ...rest } = logged.body;
    const { id: _f, decidedAt: _g, caller: _h, ...fullRest } = full.body;
    expect(caller).toMatch(/\(gateway-test\)$/);
    expect(rest).toEqual(fullRest);
    expect(logged.body.reasons[0].text).toEqual(expect.any(String));
  });

  it('an execution asked minimally is recorded (201) and names its ledger entry', async () => {
    const r = await ask({ ...QUESTION, time: '2026-10-02T09:00:00+08:00', persons: 10, sensitivePersons: 10, execute: true, idempotencyKey: 'speed-exec-1' }, true);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ result: 'allow', execution: { status: 'recorded', entry: r.body.id } });
    expect(r.body.execution.seq).toEqual(expect.any(Number));
  });

  it('a repeated question follows the ledger: after an execution the same question counts it', async () => {
    const question = { ...QUESTION, time: '2026-11-01', persons: 5, sensitivePersons: 5 };
    const before = (await ask(question)).body;
    expect(before.result).toBe('allow');
    expect((await ask(question)).body.yearToDate).toEqual(before.yearToDate); // the memo, same counters
    const executed = await ask({ ...question, time: '2026-10-03T09:00:00+08:00', persons: 700, sensitivePersons: 700, execute: true, idempotencyKey: 'speed-exec-2' });
    expect(executed.status).toBe(201);
    const after = (await ask(question)).body;
    expect(after.yearToDate.sensitivePersons).toBe(before.yearToDate.sensitivePersons + 700);
    expect(after.yearToDate.persons).toBe(before.yearToDate.persons + 700);
  });

  it('a repeated question follows the workspace: a revoked approval denies the next answer', async () => {
    const question = { ...QUESTION, time: '2026-11-02', persons: 3, sensitivePersons: 3 };
    const before = await ask(question);
    expect(before.body).toMatchObject({ result: 'allow', coveredBy: 'sc-2026-001' });
    const file = join(dir, 'chujing.yaml');
    const text = readFileSync(file, 'utf8');
    const revoked = text.replace(/(- id: sc-2026-001\n(?:.*\n)*?\s+status: )filed/, '$1revoked');
    expect(revoked).not.toBe(text);
    writeFileSync(file, revoked);
    expect(s.server.core.state.reload('test')).toBe(true);
    const after = await ask(question);
    expect(after.body.result).toBe('deny');
    expect(after.body.coveredBy).toBeNull();
    expect((await ask(question, true)).body.result).toBe('deny');
    expect(after.body.workspaceRevision).not.toBe(before.body.workspaceRevision);
  });

  it('the decision log holds every answer above, its chain intact', async () => {
    const verify = await s.request('GET', '/v1/decision-log/verify', { token: s.tokens.viewer });
    expect(verify.body).toMatchObject({ intact: true, firstBreak: null });
    expect(verify.body.entries).toBeGreaterThanOrEqual(9);
  });
});
