/** The ledger's pure parts and the embedded database's lock, without the CLI. */
import { spawnSync } from 'node:child_process';
import { createSecretKey } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChujingError } from '../../src/errors.js';
import { canonicalJson, chinaYear, computeEntryHash, genesisHash, loadLedgerBaseline, manifestHashes, normaliseTime, readTabular, RECORD_BYTES } from '../../src/ledger/index.js';
import { acquireLock } from '../../src/store/lock.js';
import { MIGRATIONS, openStore } from '../../src/store/index.js';
import { chinaTime, csvCell } from '../../src/ledger/export.js';
import { text } from '../../src/i18n/index.js';
import { TEST_KEY } from './backends.js';

const tmp: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'chujing-ledger-unit-'));
  tmp.push(d);
  return d;
};
afterEach(() => {
  for (const d of tmp.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('canonical serialisation and the entry hash', () => {
  it('sorts keys at every level, so key order never changes a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: null }], c: 'z' } })).toBe('{"a":{"c":"z","d":[1,{"x":null,"y":2}]},"b":1}');
  });

  it('commits to the sequence number, the previous hash and every field', () => {
    const e = {
      hashVersion: 2 as const, forced: null as string | null, distinct: { persons: 1, sensitivePersons: 0, chargingConsumptionPersons: 0, vehicles: 0 },
      organization: 'acme-cn', seq: 1, prevHash: genesisHash('acme-cn'), id: 't1', time: '2026-01-01T00:00:00.000Z', year: 2026, datasets: ['d'], recipient: 'r', kind: 'transmit',
      mechanism: null, approvalReference: null, channel: null, operator: null, records: 1, bytes: null,
      identifiersRead: { persons: 1, sensitivePersons: 0, chargingConsumptionPersons: 0, vehicles: 0 }, inputDigest: 'ab',
      added: { persons: { count: 1, digest: 'cd' }, sensitivePersons: { count: 0, digest: '' }, chargingConsumptionPersons: { count: 0, digest: '' }, vehicles: { count: 0, digest: '' } },
    };
    const h = computeEntryHash(e);
    expect(computeEntryHash({ ...e })).toBe(h);
    for (const changed of [
      { seq: 2 }, { prevHash: '00' }, { recipient: 'other' }, { records: 2 }, { datasets: ['d', 'e'] }, { added: { ...e.added, persons: { count: 2, digest: 'cd' } } },
      { forced: 'prohibited' }, { distinct: { ...e.distinct, persons: 2 } },
    ]) {
      expect(computeEntryHash({ ...e, ...changed })).not.toBe(h);
    }
    // Format 1 entries (recorded before forced/distinct existed) keep hashing exactly as they did
    // (the value computed by the code before format 2 existed).
    const v1 = { ...e, hashVersion: 1 as const, forced: undefined, distinct: undefined };
    expect(computeEntryHash(v1)).toBe('2593733b500bd19baff7c3a671f1ca740b67cdad45f4a3a862bc21e7592acd21');
    expect(genesisHash('acme-cn')).not.toBe(genesisHash('acme-charging'));
  });
});

describe('transfer times and the counting year (CNT-2)', () => {
  it('reads a bare date as a date in China and requires an offset on a date-time', () => {
    expect(normaliseTime('2026-03-01')).toBe('2026-02-28T16:00:00.000Z');
    expect(normaliseTime('2026-03-01T10:00:00+08:00')).toBe('2026-03-01T02:00:00.000Z');
    expect(normaliseTime('2026-03-01T10:00:00')).toBeNull();
    expect(normaliseTime('2026-02-30')).toBeNull();
    expect(normaliseTime('yesterday')).toBeNull();
  });

  it('counts a transfer at 00:30 on 1 January in China in the new year', () => {
    expect(chinaYear(normaliseTime('2026-01-01T00:30:00+08:00')!)).toBe(2026);
    expect(chinaYear(normaliseTime('2025-12-31T23:59:00+08:00')!)).toBe(2025);
  });
});

describe('manifest reading', () => {
  it('reads quoted CSV fields with commas, quotes and line breaks, and keeps line numbers', async () => {
    const d = dir();
    const f = join(d, 'm.csv');
    writeFileSync(f, '\uFEFFphone,note\n13800000001,"a, ""quoted""\nnote"\n\n13800000002,plain\n');
    const rows = [];
    for await (const r of readTabular(f, 'csv')) rows.push(r);
    expect(rows).toEqual([
      { line: 2, values: { phone: '13800000001', note: 'a, "quoted"\nnote' } },
      { line: 5, values: { phone: '13800000002', note: 'plain' } },
    ]);
  });

  it('hashes identifiers as it reads them: one person whatever the formatting, never the raw value', async () => {
    const d = dir();
    const f = join(d, 'm.jsonl');
    writeFileSync(f, ['{"phone":"13800000001","sensitive":true}', '{"phone":"+86 138 0000 0001"}', '{"vin":"lsvaa11a1aa000001"}', ''].join('\n'));
    const key = createSecretKey(Buffer.from(TEST_KEY));
    const batches: Buffer[] = [];
    for await (const b of manifestHashes({ file: f, format: 'jsonl', columns: {}, key })) batches.push(b);
    const all = Buffer.concat(batches);
    expect(all.length).toBe(4 * RECORD_BYTES);
    const rec = (i: number) => all.subarray(i * RECORD_BYTES, (i + 1) * RECORD_BYTES);
    expect([rec(0)[0], rec(1)[0], rec(2)[0], rec(3)[0]]).toEqual([1, 2, 1, 4]); // persons, sensitive, persons, vehicles
    expect(rec(0).subarray(1).equals(rec(2).subarray(1))).toBe(true);
    expect(all.includes(Buffer.from('13800000001'))).toBe(false);
  });

  it('rejects a yes/no column holding something else, naming the line', async () => {
    const d = dir();
    const f = join(d, 'm.csv');
    writeFileSync(f, 'phone,sensitive\n13800000001,maybe\n');
    const key = createSecretKey(Buffer.from(TEST_KEY));
    const run = async () => {
      for await (const _ of manifestHashes({ file: f, format: 'csv', columns: {}, key })) void _;
    };
    await expect(run()).rejects.toMatchObject({ code: 'bad-input', issues: [{ line: 2, field: 'sensitive' }] });
  });
});

describe('the embedded database lock', () => {
  it('makes a second holder wait, then fail with database-in-use', async () => {
    const file = join(dir(), 'db.lock');
    const lock = await acquireLock(file, { waitMs: 0 });
    const err = await acquireLock(file, { waitMs: 200, pollMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChujingError);
    expect(err).toMatchObject({ code: 'database-in-use' });
    lock.release();
    const again = await acquireLock(file, { waitMs: 0 });
    again.release();
    expect(existsSync(file)).toBe(false);
  });

  it('takes over a lock left by a process that died (kill -9)', async () => {
    const file = join(dir(), 'db.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(file, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const lock = await acquireLock(file, { waitMs: 0 });
    lock.release();
  });

  it('a server holding it is not waited for: the CLI is told to go through the server at its URL', async () => {
    const d = dir();
    const file = join(d, 'db.lock');
    const server = await acquireLock(file, { waitMs: 0, role: 'server' });
    server.announce({ url: 'http://127.0.0.1:8080' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, role: 'server', url: 'http://127.0.0.1:8080' });
    // Waiting up to an hour would be pointless: it fails at once (no timing assertion needed: it returns).
    const err = (await acquireLock(file, { waitMs: 3_600_000 }).catch((e: unknown) => e)) as ChujingError;
    expect(err).toMatchObject({ code: 'database-in-use' });
    expect(text('en', err.summary)).toMatch(/the chujing server at http:\/\/127\.0\.0\.1:8080 .*go through the server at http:\/\/127\.0\.0\.1:8080/);
    expect(text('zh', err.summary)).toMatch(/请通过 http:\/\/127\.0\.0\.1:8080 的服务操作/);
    server.release();
    // Through openStore: a server says so, and a CLI opening the same workspace gets the message.
    const ws = join(d, 'ws');
    mkdirSync(ws);
    const store = (await openStore({ workspaceDir: ws, env: {}, owner: { role: 'server', url: 'http://localhost:9' } }))!;
    const cliErr = await openStore({ workspaceDir: ws, env: {} }).catch((e: unknown) => e);
    expect(text('en', (cliErr as ChujingError).summary)).toMatch(/go through the server at http:\/\/localhost:9/);
    store.announce!({ url: 'http://localhost:10' });
    const cliErr2 = await openStore({ workspaceDir: ws, env: {} }).catch((e: unknown) => e);
    expect(text('en', (cliErr2 as ChujingError).summary)).toMatch(/http:\/\/localhost:10/);
    await store.close();
  });
});

describe('the Excel export', () => {
  it('neutralises cells a spreadsheet would run as formulas, and writes China time', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', 'plain', '12'].map((v) => csvCell(v))).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", 'plain', '12']);
    expect(csvCell(-3)).toBe('-3'); // numbers stay numbers
    expect(csvCell('=a,b')).toBe(`"'=a,b"`);
    expect(chinaTime('2026-12-31T16:30:00.000Z')).toBe('2027-01-01 00:30:00');
  });
});

describe('the baseline for assess', () => {
  it('is null when the workspace has no ledger database and no server is set, and creates none', async () => {
    const d = dir();
    mkdirSync(join(d, 'ws'));
    const r = await loadLedgerBaseline({ workspaceDir: join(d, 'ws'), env: {}, organizations: ['acme-cn'], years: [2026] });
    expect(r).toBeNull();
    expect(existsSync(join(d, 'ws', '.chujing'))).toBe(false);
  });
});

describe('the schema', () => {
  it('is one list of migrations with distinct versions (the ledger uses 1-19), every ledger table leading with organization (Citus distribution column)', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    for (const m of MIGRATIONS.filter((x) => x.name.startsWith('ledger'))) expect(m.version).toBeLessThan(20);
    const tables = MIGRATIONS.flatMap((m) => [...m.sql.matchAll(/CREATE TABLE (\w+) \(\s*(\w+)/g)].map((x) => [x[1], x[2]]));
    expect(tables.map((t) => t[0])).toEqual(expect.arrayContaining(['ledger_chains', 'ledger_entries', 'ledger_person_hashes', 'ledger_counts', 'ledger_checkpoints', 'ledger_days']));
    for (const [name, first] of tables) if (name!.startsWith('ledger_')) expect(first).toBe('organization');
  });
});
