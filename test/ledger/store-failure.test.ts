/**
 * failure.ts: which database errors mean "failing for a reason outside its data" (a full disk, no
 * memory, a server out of reach) and how StoreHealth tells when such failing begins and ends. The real
 * cases run in test/server/disk-full.test.ts (a full tmpfs) and postgres-reconnect.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ChujingError } from '../../src/errors.js';
import { asStoreError, failureKind, HEALTH_NEUTRAL, StoreHealth, type StoreHealthEvent } from '../../src/store/failure.js';
import { logError } from '../../src/server/app.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('failureKind', () => {
  it.each([
    ['53100', 'disk-full'],
    ['ENOSPC', 'disk-full'],
    ['EDQUOT', 'disk-full'],
    ['53200', 'resources'],
    ['53400', 'resources'],
    ['53300', 'unreachable'],
    ['08006', 'unreachable'],
    ['08001', 'unreachable'],
    ['57P01', 'unreachable'],
    ['57P03', 'unreachable'],
    ['ECONNREFUSED', 'unreachable'],
    ['ECONNRESET', 'unreachable'],
    ['23505', null],
    ['40001', null],
    ['55P03', 'busy'],
    ['57014', 'busy'],
    ['XX001', null],
    ['42P01', null],
  ])('%s → %s', (code, kind) => {
    expect(failureKind(withCode(code))).toBe(kind);
  });

  it("knows node-postgres's own messages, which carry no code", () => {
    expect(failureKind(new Error('Connection terminated unexpectedly'))).toBe('unreachable');
    expect(failureKind(new Error('Client has encountered a connection error and is not queryable'))).toBe('unreachable');
    expect(failureKind(new Error('timeout expired'))).toBe('unreachable');
    expect(failureKind(new Error('duplicate key value violates unique constraint'))).toBeNull();
    expect(failureKind(new ChujingError('bad-input', 'Connection terminated'))).toBeNull();
  });

  it('turns such an error into database-unavailable naming the database, and records it; damage stays damage', () => {
    const health = new StoreHealth();
    const e = asStoreError(withCode('53100', 'could not extend file "base/1/16479": No space left on device'), 'pglite', 'pglite:/ws/.chujing/db', health);
    expect(e).toBeInstanceOf(ChujingError);
    const c = e as ChujingError;
    expect(c.code).toBe('database-unavailable');
    expect(c.summary).toMatchObject({ code: 'storage.disk-full', params: { where: 'pglite:/ws/.chujing/db' } });
    expect(c.issues[0]).toMatchObject({ file: 'pglite:/ws/.chujing/db', expected: { code: 'storage.disk-full-expected' } });
    expect(health.current()).toMatchObject({ kind: 'disk-full', failures: 1 });
    const damaged = asStoreError(withCode('XX001', 'invalid page in block 0'), 'pglite', 'pglite:/ws', health) as ChujingError;
    expect(damaged.summary).toMatchObject({ code: 'storage.damaged' });
    const other = withCode('23505');
    expect(asStoreError(other, 'postgres', 'postgres://h/db', health)).toBe(other);
    expect(health.current()!.failures).toBe(1);
  });
});

describe('StoreHealth', () => {
  function watched() {
    let t = Date.parse('2026-12-07T00:00:00Z');
    const health = new StoreHealth(() => t);
    const events: StoreHealthEvent[] = [];
    health.on((e) => events.push(e));
    return { health, events, tick: (ms: number) => (t += ms) };
  }

  it('says once when failing begins and once when it ends, counting the failures between', () => {
    const { health, events, tick } = watched();
    health.succeeded('INSERT INTO t VALUES (1)');
    expect(events).toEqual([]);
    health.failed('disk-full', 'no space');
    tick(1000);
    health.failed('disk-full', 'no space again');
    health.failed('disk-full', 'no space again');
    expect(events.map((e) => e.type)).toEqual(['failing']);
    expect(health.current()).toMatchObject({ kind: 'disk-full', failures: 3, detail: 'no space again', since: '2026-12-07T00:00:00.000Z', lastAt: '2026-12-07T00:00:01.000Z' });
    tick(500);
    health.succeeded('COMMIT');
    expect(health.current()).toBeNull();
    expect(events[1]).toMatchObject({ type: 'recovered', ms: 1500, failure: { failures: 3 } });
  });

  it('a full disk ends only with a write; reads and upkeep go on working on one', () => {
    const { health, events } = watched();
    health.failed('disk-full', 'no space');
    for (const sql of ['SELECT 1', '  select * from t', 'SHOW server_version', 'CHECKPOINT', 'VACUUM (FREEZE) t', 'PREPARE p AS SELECT 1', 'BEGIN', 'ROLLBACK', 'SET x = 1']) health.succeeded(sql);
    expect(health.current()).not.toBeNull();
    health.succeeded('EXECUTE chujing_decision_batch(1)');
    expect(health.current()).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['failing', 'recovered']);
  });

  it('a locked table ends only with a write (reads may pass a lock that writes wait for)', () => {
    const { health } = watched();
    health.failed('busy', 'canceling statement due to lock timeout');
    health.succeeded('SELECT head_seq FROM server_decision_head');
    expect(health.current()?.kind).toBe('busy');
    health.succeeded('COMMIT');
    expect(health.current()).toBeNull();
  });

  it("a server's bookkeeping write (its heartbeat) ends no episode but a server out of reach", () => {
    const { health } = watched();
    for (const kind of ['busy', 'disk-full', 'resources'] as const) {
      health.failed(kind, 'x');
      health.succeeded(`${HEALTH_NEUTRAL}INSERT INTO server_instances VALUES (1)`);
      expect(health.current()?.kind).toBe(kind);
      health.succeeded('COMMIT');
      expect(health.current()).toBeNull();
    }
    health.failed('unreachable', 'ECONNREFUSED');
    health.succeeded(`${HEALTH_NEUTRAL}INSERT INTO server_instances VALUES (1)`);
    expect(health.current()).toBeNull();
  });

  it('a server out of reach ends with any statement that succeeds', () => {
    const { health } = watched();
    health.failed('unreachable', 'ECONNREFUSED');
    health.succeeded('SELECT 1');
    expect(health.current()).toBeNull();
  });

  it("a listener's failure does not fail the statement that told it", () => {
    const { health } = watched();
    health.on(() => {
      throw new Error('log stream closed');
    });
    expect(() => health.failed('unreachable', 'x')).not.toThrow();
  });
});

describe("the server log's view of an error", () => {
  it("cuts a database error's statement text and keeps its other fields", () => {
    const e = Object.assign(new Error('could not extend file'), { code: '53100', severity: 'ERROR', query: `WITH moved AS (${'x'.repeat(5000)})`, params: ['secret'] });
    const shown = logError(e);
    expect(shown).toMatchObject({ type: 'Error', message: 'could not extend file', code: '53100', severity: 'ERROR' });
    expect(shown.query).toMatch(/^WITH moved AS \(x+… \(5016 characters\)$/);
    expect(String(shown.query).length).toBeLessThan(240);
    expect(shown.params).toBeUndefined();
  });
});
