/** The ledger's pure parts and the embedded database's lock, without the CLI. */
import { spawnSync } from 'node:child_process';
import { createSecretKey } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChujingError } from '../../src/errors.js';
import { canonicalJson, chinaYear, computeEntryHash, genesisHash, loadLedgerBaseline, manifestHashes, normaliseTime, readTabular, RECORD_BYTES } from '../../src/ledger/index.js';
import { acquireLock } from '../../src/store/lock.js';
import { MIGRATIONS } from '../../src/store/index.js';
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
      organization: 'acme-cn', seq: 1, prevHash: genesisHash('acme-cn'), id: 't1', time: '2026-01-01T00:00:00.000Z', year: 2026, datasets: ['d'], recipient: 'r', kind: 'transmit',
      mechanism: null, approvalReference: null, channel: null, operator: null, records: 1, bytes: null,
      identifiersRead: { persons: 1, sensitivePersons: 0, chargingConsumptionPersons: 0, vehicles: 0 }, inputDigest: 'ab',
      added: { persons: { count: 1, digest: 'cd' }, sensitivePersons: { count: 0, digest: '' }, chargingConsumptionPersons: { count: 0, digest: '' }, vehicles: { count: 0, digest: '' } },
    };
    const h = computeEntryHash(e);
    expect(computeEntryHash({ ...e })).toBe(h);
    for (const changed of [{ seq: 2 }, { prevHash: '00' }, { recipient: 'other' }, { records: 2 }, { datasets: ['d', 'e'] }, { added: { ...e.added, persons: { count: 2, digest: 'cd' } } }]) {
      expect(computeEntryHash({ ...e, ...changed })).not.toBe(h);
    }
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
    const release = await acquireLock(file, { waitMs: 0 });
    const err = await acquireLock(file, { waitMs: 200, pollMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChujingError);
    expect(err).toMatchObject({ code: 'database-in-use' });
    release();
    const again = await acquireLock(file, { waitMs: 0 });
    again();
    expect(existsSync(file)).toBe(false);
  });

  it('takes over a lock left by a process that died (kill -9)', async () => {
    const file = join(dir(), 'db.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(file, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const release = await acquireLock(file, { waitMs: 0 });
    release();
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
  it('is one ordered list of migrations, every ledger table leading with organization (Citus distribution column)', () => {
    // Distinct, increasing versions (the server's tables start at 20, leaving 1-19 to the ledger).
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    const tables = [...MIGRATIONS[0]!.sql.matchAll(/CREATE TABLE (\w+) \(\s*(\w+)/g)].map((m) => [m[1], m[2]]);
    expect(tables.map((t) => t[0])).toEqual(['ledger_chains', 'ledger_entries', 'ledger_person_hashes', 'ledger_counts', 'ledger_checkpoints']);
    for (const [, first] of tables) expect(first).toBe('organization');
  });
});
