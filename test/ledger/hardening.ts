/**
 * The ledger after issues 8, 9, 10 and 14, on both back-ends, in-process (main(argv, {…})): persons
 * counted from when they were first sent whatever the recording order; each entry's own distinct volume;
 * admission (prohibited / undeclared refused unless --force, which the entry records); the summary assess
 * reads without starting the database, never trusted when stale and checked by verify; anchors against a
 * database administrator (rollback, a whole chain deleted, a re-chained tail named); exports for Excel
 * that never truncate a file they cannot replace; messages in Chinese; migrations by version set.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLedgerBaseline } from '../../src/ledger/index.js';
import { summarySource } from '../../src/ledger/baseline.js';
import { summaryPath } from '../../src/ledger/summary.js';
import { acquireLock } from '../../src/store/lock.js';
import { MIGRATIONS, migrate } from '../../src/store/index.js';
import { FIXTURES, REQUIRE_ALL, expectedCounts, manifestCsv, runMain, type Backend, type Ledgerspace } from './backends.js';
import { SUITE_TEST_TIMEOUT } from './conformance.js';

interface Break {
  kind: string;
  seq: number | null;
  id: string | null;
  organization: string;
  detail: { code: string; text: string };
}

export function ledgerHardening(backend: Backend): void {
  describe(`ledger hardening: ${backend.name}`, { timeout: SUITE_TEST_TIMEOUT }, () => {
    if (!backend.available) {
      if (REQUIRE_ALL) it(`has its database (${backend.reason})`, () => expect.fail(`CI=true but ${backend.reason}`));
      else it.skip(`${backend.name}: ${backend.reason}`, () => {});
      return;
    }

    let ls: Ledgerspace;
    beforeEach(async () => {
      ls = await backend.create();
    });
    afterEach(async () => {
      await ls.dispose();
    });

    const cli = (args: string[], env: Record<string, string> = {}) => runMain(['ledger', ...args, '-w', ls.dir], { cwd: ls.dir, env: { ...ls.env, ...env } });
    const write = (name: string, body: string) => {
      const p = join(ls.dir, name);
      writeFileSync(p, body);
      return p;
    };
    const ok = async (args: string[], env: Record<string, string> = {}) => {
      const r = await cli(args, env);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r;
    };
    const verify = async (args: string[] = [], env: Record<string, string> = {}) => {
      const r = await cli(['verify', '--json', ...args], env);
      const report = JSON.parse(r.stdout || '{}') as { schema: string; intact: boolean; firstBreak: Break | null; anchor?: { extended: boolean }; summary?: string };
      return { code: r.code, stderr: r.stderr, report };
    };
    const entry = (id: string, time: string, persons: string[], extra: Record<string, unknown> = {}) => ({
      id,
      time,
      datasets: ['crm-buyers'],
      recipient: 'acme-gmbh',
      identifiers: { persons: persons.map((p) => `phone:${p}`) },
      ...extra,
    });
    const baseline = () => loadLedgerBaseline({ workspaceDir: ls.dir, env: ls.env, organizations: ['acme-cn', 'acme-charging'], years: [2026] });

    it('counts persons from the day they were FIRST sent, whatever order the entries are recorded in; each entry keeps its own distinct volume', async () => {
      // June first (A, B twice, C), then March (A, D), then April (C): A moves to March, C to April.
      await ok(['record', write('june.json', JSON.stringify(entry('t-2026-002', '2026-06-15', ['13000000001', '13000000002', '13000000002', '13000000003'])))]);
      await ok(['record', write('march.json', JSON.stringify(entry('t-2026-001', '2026-03-01', ['13000000001', '13000000004'])))]);
      await ok(['record', write('april.json', JSON.stringify(entry('gw-2026-0001', '2026-04-10T09:00:00+08:00', ['13000000003'])))]);
      const b = (await baseline())!;
      const days = b.days.filter((d) => d.organization === 'acme-cn').map((d) => [d.date, d.persons]);
      expect(days).toEqual([
        ['2026-03-01', 2],
        ['2026-04-10', 1],
        ['2026-06-15', 1],
      ]);
      const volume = Object.fromEntries(b.entries.map((e) => [e.id, e.volume.persons]));
      expect(volume).toEqual({ 't-2026-002': 3, 't-2026-001': 2, 'gw-2026-0001': 1 }); // distinct within the entry, not 4 identifiers read
      expect(b.entries.every((e) => e.forced === false)).toBe(true);
      const stats = JSON.parse((await ok(['stats', '--json'])).stdout);
      expect(stats.schema).toBe('chujing.ledger-stats/1');
      expect(stats.counts[0]).toMatchObject({ organization: 'acme-cn', year: 2026, entries: 3, persons: 4 });
      expect((await verify()).report).toMatchObject({ schema: 'chujing.ledger-verify/1', intact: true });
      // The daily table is checked against the hashes: moving a first sending later is caught.
      const db = await ls.open();
      await db.query("UPDATE ledger_days SET date = '2026-05-01' WHERE organization = 'acme-cn' AND date = '2026-03-01'");
      await db.close();
      const v = await verify();
      expect(v.code).toBe(1);
      expect(v.report.firstBreak!.detail.code).toBe('verify.days-mismatch');
    });

    it('moves first sendings back exactly for a large import recorded after a later one (set-based, by primary key)', async () => {
      // Recorded first: April, persons 0..29,999. Then March: persons 15,000..44,999 (half already sent).
      await ok(['import', write('april.csv', manifestCsv(30_000, 0)), '--transfer', 't-2026-002', '--time', '2026-04-01']);
      await ok(['import', write('march.csv', manifestCsv(30_000, 15_000)), '--transfer', 't-2026-001', '--time', '2026-03-01']);
      const days = (await baseline())!.days.filter((d) => d.organization === 'acme-cn').map((d) => [d.date, d.persons, d.sensitivePersons]);
      const march = expectedCounts([[15_000, 30_000]]);
      const aprilOnly = expectedCounts([[0, 15_000]]);
      expect(days).toEqual([
        ['2026-03-01', march.persons, march.sensitivePersons],
        ['2026-04-01', aprilOnly.persons, aprilOnly.sensitivePersons],
      ]);
      expect((await verify()).code).toBe(0);
    });

    it('refuses a prohibited or undeclared transfer unless --force, which the entry records (hashed) and the baseline reports', async () => {
      const core = write('core.json', JSON.stringify({ ...entry('t-core-001', '2026-07-01', ['13000000009']), datasets: ['survey-maps'], recipient: 'acme-inc' }));
      const undeclared = write('undeclared.json', JSON.stringify(entry('side-deal-1', '2026-07-02', ['13000000008'])));
      const refusedCore = await cli(['record', core]);
      expect(refusedCore.code).toBe(2);
      expect(refusedCore.stderr).toMatch(/transfer 't-core-001' is prohibited: assess finds core data/);
      const refusedUndeclared = await cli(['record', undeclared]);
      expect(refusedUndeclared.code).toBe(2);
      expect(refusedUndeclared.stderr).toMatch(/no transfer 'side-deal-1' in the workspace/);
      const manifest = write('core.csv', 'phone\n13000000009\n');
      expect((await cli(['import', manifest, '--transfer', 't-core-001'])).code).toBe(2);
      // An import names a declared transfer: an unknown one is refused even with --force.
      const unknownImport = await cli(['import', manifest, '--transfer', 't-nope', '--force']);
      expect(unknownImport.code).toBe(2);
      expect(unknownImport.stderr).toMatch(/ledger record --force/);
      expect(JSON.parse((await ok(['stats', '--json'])).stdout).counts).toEqual([]); // nothing was written

      const forcedImport = await ok(['import', manifest, '--transfer', 't-core-001', '--force']);
      expect(forcedImport.stdout).toMatch(/t-core-001 was recorded with --force although assess finds it prohibited/);
      const forcedRecord = JSON.parse((await ok(['record', undeclared, '--force', '--json'])).stdout);
      expect(forcedRecord).toMatchObject({ schema: 'chujing.ledger-record/1', entries: [{ id: 'side-deal-1', forced: 'undeclared' }] });
      await ok(['record', write('fine.json', JSON.stringify(entry('t-2026-001', '2026-03-01', ['13000000001'])))]);
      const b = (await baseline())!;
      expect(Object.fromEntries(b.entries.map((e) => [e.id, e.forced]))).toEqual({ 't-core-001': true, 'side-deal-1': true, 't-2026-001': false });
      const exported = (await ok(['export'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(exported.map((e) => [e.schema, e.id, e.forced])).toEqual([
        ['chujing.ledger-entry/1', 't-core-001', 'prohibited'],
        ['chujing.ledger-entry/1', 'side-deal-1', 'undeclared'],
        ['chujing.ledger-entry/1', 't-2026-001', null],
      ]);
      expect((await verify()).code).toBe(0);
      // The flag is part of the hashed content: erasing it is a change.
      const db = await ls.open();
      await db.query("UPDATE ledger_entries SET forced = NULL WHERE id = 'side-deal-1'");
      await db.close();
      expect((await verify()).report.firstBreak).toMatchObject({ kind: 'changed', id: 'side-deal-1' });
    });

    it('anchors the ledger outside the database: a rollback to an older sealed head and a deleted affiliate chain are caught only against the anchor', async () => {
      const keygen = await ok(['anchor-key', '--out', join(ls.dir, 'anchor-private.pem')]);
      expect(keygen.stdout).toMatch(/public key [0-9a-f]{32} written to ledger-anchor.pub/);
      expect(existsSync(join(ls.dir, 'ledger-anchor.pub'))).toBe(true);
      expect((await cli(['anchor-key', '--out', join(ls.dir, 'anchor-private.pem')])).code).toBe(2); // never overwritten
      const rec = (i: number) => ok(['record', write(`e${i}.json`, JSON.stringify(entry(`e-${i}`, `2026-0${i}-10`, [`1370000000${i}`]))), '--force']);
      await rec(1);
      await rec(2);
      const db0 = await ls.open();
      const [oldHead] = await db0.query<{ head_seq: number; head_hash: Buffer; head_seal: Buffer }>("SELECT head_seq, head_hash, head_seal FROM ledger_chains WHERE organization = 'acme-cn'");
      await db0.close();
      await rec(3);
      await rec(4);
      await ok(['import', join(FIXTURES, 'buyers.csv'), '--transfer', 't-2026-003']); // the affiliate acme-charging
      const anchored = JSON.parse((await ok(['anchor', '--signing-key', 'anchor-private.pem', '--json'])).stdout);
      expect(anchored).toMatchObject({ schema: 'chujing.ledger-anchor/1', body: { organizations: [{ organization: 'acme-charging', seq: 1 }, { organization: 'acme-cn', seq: 4 }] } });
      expect((await verify(['--against', 'ledger-anchor.json'])).report).toMatchObject({ intact: true, anchor: { extended: true } });
      // The anchor key can also come from the environment; a later anchor still verifies.
      const pem = readFileSync(join(ls.dir, 'anchor-private.pem'), 'utf8');
      await ok(['anchor', '--out', 'anchor-2.json'], { CHUJING_ANCHOR_KEY: pem });

      // (a) Rollback by the DBA: drop entries 3-4 and everything they added, put back the older head row
      // with its valid seal. Inside the database everything verifies, even with the key.
      const db = await ls.open();
      await db.query("DELETE FROM ledger_entries WHERE organization = 'acme-cn' AND seq > 2");
      await db.query("DELETE FROM ledger_person_hashes WHERE organization = 'acme-cn' AND first_seq > 2");
      await db.query("DELETE FROM ledger_days WHERE organization = 'acme-cn' AND date > '2026-02-28'");
      await db.query("UPDATE ledger_counts SET distinct_count = 2 WHERE organization = 'acme-cn' AND category = 1");
      await db.query("UPDATE ledger_chains SET head_seq = $1, head_hash = $2, head_seal = $3 WHERE organization = 'acme-cn'", [oldHead!.head_seq, oldHead!.head_hash, oldHead!.head_seal]);
      // (b) The affiliate's whole chain deleted.
      for (const table of ['ledger_entries', 'ledger_person_hashes', 'ledger_counts', 'ledger_days', 'ledger_chains']) await db.query(`DELETE FROM ${table} WHERE organization = 'acme-charging'`);
      await db.close();
      expect((await verify()).report).toMatchObject({ intact: true }); // the limit of any check inside the database
      const v = await verify(['--against', 'ledger-anchor.json']);
      expect(v.code).toBe(1);
      expect(v.report.anchor).toMatchObject({ extended: false });
      expect(v.report.firstBreak).toMatchObject({ organization: 'acme-charging', kind: 'chain-deleted' });
      const text = await cli(['verify', '--against', 'ledger-anchor.json']);
      expect(text.stdout).toMatch(/chain of acme-charging \(anchored at #1\) is gone/);
      const onlyCn = JSON.parse(readFileSync(join(ls.dir, 'ledger-anchor.json'), 'utf8'));
      expect(onlyCn.body.organizations[1]).toMatchObject({ organization: 'acme-cn', seq: 4 });

      // An anchor that was altered, or checked with another key, proves nothing and says so.
      const forged = { ...onlyCn, body: { ...onlyCn.body, organizations: [onlyCn.body.organizations[1]] } };
      write('forged.json', JSON.stringify(forged));
      const bad = await cli(['verify', '--against', 'forged.json']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/signature does not verify/);
      // Signed properly by the same key, naming only acme-cn: the rollback alone shows, where it starts.
      const { makeAnchor, parsePrivateKey } = await import('../../src/ledger/anchor.js');
      write('cn-only.json', JSON.stringify(makeAnchor([onlyCn.body.organizations[1]], parsePrivateKey(pem, 'pem'), onlyCn.body.createdAt)));
      const rolled = await verify(['--against', 'cn-only.json']);
      expect(rolled.report.firstBreak).toMatchObject({ organization: 'acme-cn', kind: 'rolled-back', seq: 3 });
      // Anchoring a ledger that does not verify is refused.
      const db2 = await ls.open();
      await db2.query("UPDATE ledger_entries SET recipient = 'acme-inc' WHERE organization = 'acme-cn' AND seq = 1");
      await db2.close();
      const refused = await cli(['anchor', '--signing-key', 'anchor-private.pem', '--out', 'anchor-3.json']);
      expect(refused.code).toBe(1);
      expect(existsSync(join(ls.dir, 'anchor-3.json'))).toBe(false);
    });

    it('names the entry where a tail re-chained without the key starts', async () => {
      for (const i of [1, 2, 3, 4]) await ok(['record', write(`e${i}.json`, JSON.stringify(entry(`e-${i}`, `2026-0${i}-10`, [`1370000000${i}`]))), '--force']);
      const { computeEntryHash } = await import('../../src/ledger/entry.js');
      const { rowToEntry } = await import('../../src/ledger/rows.js');
      const { ENTRY_COLUMNS } = await import('../../src/ledger/sql.js');
      const db = await ls.open();
      // Rewrite entries 2..4 with recomputed hashes and a consistent head row: only the key tells.
      let prev: string | null = null;
      for (const seq of [2, 3, 4]) {
        const [row] = await db.query<import('../../src/ledger/rows.js').EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE organization = 'acme-cn' AND seq = $1`, [seq]);
        const e = rowToEntry(row!);
        const forged = { ...e, prevHash: prev ?? e.prevHash, recipient: seq === 2 ? 'acme-inc' : e.recipient };
        const hash = computeEntryHash(forged);
        await db.query("UPDATE ledger_entries SET recipient = $1, prev_hash = $2, entry_hash = $3 WHERE organization = 'acme-cn' AND seq = $4", [forged.recipient, Buffer.from(forged.prevHash, 'hex'), Buffer.from(hash, 'hex'), seq]);
        prev = hash;
      }
      await db.query("UPDATE ledger_chains SET head_hash = $1 WHERE organization = 'acme-cn'", [Buffer.from(prev!, 'hex')]);
      await db.close();
      expect((await verify([], { CHUJING_HMAC_KEY: '' })).code).toBe(0); // consistent without the key
      const v = await verify();
      expect(v.report.firstBreak).toMatchObject({ kind: 'rechained', seq: 2, id: 'e-2' });
    });

    it('exports for Excel: BOM, China time, Chinese headers with --lang zh, formulas neutralised; never truncates a file it cannot replace', async () => {
      await ok(['record', write('f.json', JSON.stringify(entry('t-2026-001', '2026-03-01T10:30:00+08:00', ['13000000001'], { operator: '=HYPERLINK("http://x","y")', channel: '@SUM(A1)' })))]);
      const zh = await runMain(['--lang', 'zh', 'ledger', 'export', '--format', 'csv', '--out', 'zh.csv', '-w', ls.dir], { cwd: ls.dir, env: ls.env });
      expect(zh.code, zh.stderr).toBe(0);
      expect(zh.stderr).toMatch(/已导出 1 条到 zh\.csv/);
      const csv = readFileSync(join(ls.dir, 'zh.csv'), 'utf8');
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      const [header, row] = csv.slice(1).split('\r\n');
      expect(header).toMatch(/^组织,序号,编号,出境时间（北京时间）,/);
      expect(row).toContain(',2026-03-01 10:30:00,');
      expect(row).toContain(`,"'=HYPERLINK(""http://x"",""y"")"`);
      expect(row).toContain(",'@SUM(A1),");

      // A folder that does not exist: exit 2, clear, no stack trace.
      const noDir = await cli(['export', '--out', join('no', 'such', 'dir', 'x.csv')]);
      expect(noDir.code).toBe(2);
      expect(noDir.stderr).toMatch(/its folder does not exist; nothing was written/);
      expect(noDir.stderr).not.toMatch(/at .*\.js:\d+/);
      // The database cannot be read: the existing file stays exactly as it was.
      const keep = write('keep.csv', 'precious\n');
      let release: (() => void) | null = null;
      let env: Record<string, string> = { CHUJING_DB_WAIT_MS: '0' };
      if (backend.name === 'pglite') {
        // Another holder of the embedded database (this process counts as alive, like any other).
        const lock = await acquireLock(join(ls.dir, '.chujing', 'db.lock'), { waitMs: 0, role: 'cli' });
        release = () => lock.release();
      } else env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' };
      const busy = await cli(['export', '--format', 'csv', '--out', 'keep.csv'], env);
      expect(busy.code).not.toBe(0);
      expect(busy.stderr).not.toMatch(/internal error/);
      expect(readFileSync(keep, 'utf8')).toBe('precious\n');
      release?.();
    });

    it('speaks Chinese: record, refusal, stats and verify', async () => {
      const zh = (args: string[]) => runMain(['--lang', 'zh', 'ledger', ...args, '-w', ls.dir], { cwd: ls.dir, env: ls.env });
      const refused = await zh(['record', write('u.json', JSON.stringify(entry('side-deal-2', '2026-07-02', ['13000000008'])))]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/已拒绝.*\n.*工作区中没有出境活动 'side-deal-2'/);
      const rec = await zh(['record', write('f.json', JSON.stringify(entry('t-2026-001', '2026-03-01', ['13000000001'])))]);
      expect(rec.stdout).toMatch(/已记录 t-2026-001（acme-cn 第 1 条）：本年新增个人 1 人/);
      expect((await zh(['stats'])).stdout).toMatch(/^组织\t年度\t条目数\t个人/);
      expect((await zh(['verify'])).stdout).toMatch(/^台账完整：acme-cn 共 1 条/);
      const json = JSON.parse((await zh(['verify', '--json'])).stdout);
      expect(json.schema).toBe('chujing.ledger-verify/1');
    });

    it('applies every migration not yet recorded (by version set), backfilling first-sent dates of an existing ledger', async () => {
      const bare = await backend.create({ empty: true });
      const raw = await bare.openRaw();
      try {
        await migrate(raw, [MIGRATIONS[0]!]);
        // A ledger written before migration 2: one entry, two person hashes.
        await raw.query(`INSERT INTO ledger_chains (organization, head_seq, head_hash, key_fingerprint) VALUES ('acme-cn', 1, '\\x00', 'k')`);
        await raw.query(`INSERT INTO ledger_entries (organization, seq, id, occurred_at, year, datasets, recipient, kind, identifiers_read, input_digest, added, prev_hash, entry_hash)
          VALUES ('acme-cn', 1, 'old', '2026-03-01T17:00:00.000Z', 2026, '{crm-buyers}', 'acme-gmbh', 'transmit', '{}', '\\x00', '{}', '\\x00', '\\x00')`);
        await raw.query(`INSERT INTO ledger_person_hashes (organization, year, category, hash, first_seq) VALUES ('acme-cn', 2026, 1, '\\x01', 1), ('acme-cn', 2026, 1, '\\x02', 1)`);
        // A later migration (another part's, version 99) lands before this ledger's 2: 2 must still be applied.
        const later = { version: 99, name: 'later-test', sql: 'CREATE TABLE later_test_table (id text PRIMARY KEY)' };
        await migrate(raw, [MIGRATIONS[0]!, later]);
        await migrate(raw, [...MIGRATIONS, later]);
        const versions = (await raw.query<{ version: number }>('SELECT version FROM chujing_migrations ORDER BY version')).map((r) => Number(r.version));
        expect(versions).toEqual([...MIGRATIONS.map((m) => m.version), 99]);
        // 17:00 UTC on 1 March is 2 March in China.
        expect(await raw.query('SELECT date, new_count FROM ledger_days')).toEqual([{ date: '2026-03-02', new_count: 2 }]);
        expect((await raw.query<{ first_at: string }>('SELECT DISTINCT first_at FROM ledger_person_hashes')).map((r) => r.first_at)).toEqual(['2026-03-01T17:00:00.000Z']);
        // A version this build does not know: written by a newer chujing.
        await expect(migrate(raw, MIGRATIONS)).rejects.toMatchObject({ code: 'database-unavailable' });
      } finally {
        await raw.close();
        await bare.dispose();
      }
    });

    if (backend.name === 'pglite') {
      it('reads the baseline and stats from a current summary without starting PGlite; never from a stale one; verify checks it', async () => {
        await ok(['record', write('a.json', JSON.stringify(entry('t-2026-001', '2026-03-01', ['13000000001', '13000000002'])))]);
        const file = summaryPath(ls.dir);
        expect((await baseline())!.source).toBe(summarySource(ls.dir));
        // Any opening of the database (a DBA's SQL session here) makes the summary stale: not trusted.
        const db = await ls.open();
        await db.query("DELETE FROM ledger_days WHERE organization = 'acme-cn'");
        await db.close();
        const fresh = (await baseline())!;
        expect(fresh.source).toMatch(/^pglite:/);
        expect(fresh.source).not.toMatch(/summary/);
        expect(fresh.days).toEqual([]); // what the database holds now, not the summary's old figures
        expect((await baseline())!.source).toBe(summarySource(ls.dir)); // rewritten when that reader closed
        expect((await verify()).report.firstBreak!.detail.code).toBe('verify.days-mismatch');
        // A summary edited in place (stamp kept) is what assess would read: verify says it differs.
        const db2 = await ls.open();
        await db2.query(`INSERT INTO ledger_days (organization, year, category, date, new_count) VALUES ('acme-cn', 2026, 1, '2026-03-01', 2)`);
        await db2.close();
        expect((await verify()).code).toBe(0);
        const s = JSON.parse(readFileSync(file, 'utf8'));
        s.days[0].persons = 1;
        writeFileSync(file, JSON.stringify(s));
        expect((await baseline())!.days[0]!.persons).toBe(1);
        const v = await verify();
        expect(v.code).toBe(1);
        expect(v.report).toMatchObject({ summary: 'differs', firstBreak: { kind: 'summary' } });
        expect((await baseline())!.days[0]!.persons).toBe(2); // verify rewrote it from the database
        expect(JSON.parse((await ok(['stats', '--json'])).stdout).counts[0]).toMatchObject({ persons: 2 });
      });
    }
  });
}
