/**
 * One conformance suite, run against both storage back-ends (PGlite and PostgreSQL) through the real
 * built CLI: recording and idempotency, exact distinct counts, tamper detection, bad input, crash in
 * the middle of a large import, two importers at once, retention pruning, export, the baseline for
 * `assess`.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCliAsync } from '../helpers/cli.js';
import { createSecretKey } from 'node:crypto';
import { computeEntryHash, loadLedgerBaseline, manifestHashes } from '../../src/ledger/index.js';
import { acquireLock } from '../../src/store/lock.js';
import { rowToEntry, type EntryRow } from '../../src/ledger/rows.js';
import { ENTRY_COLUMNS } from '../../src/ledger/sql.js';
import { FIXTURES, REQUIRE_ALL, TEST_KEY, expectedCounts, manifestCsv, runMain, type Backend, type Ledgerspace } from './backends.js';

/**
 * Tests of real processes (kill -9, the lock between processes) run several PGlite processes and large
 * imports; on a machine shared by many, that is minutes. Nothing in them waits for a time to pass: this
 * is only the runner's safety net, far beyond any run.
 */
export const PROCESS_TEST_TIMEOUT = 30 * 60_000;
/** The same safety net for the in-process tests: each starts PGlite several times (seconds of CPU each). */
export const SUITE_TEST_TIMEOUT = 15 * 60_000;

interface StatsRow {
  organization: string;
  year: number;
  entries: number;
  persons: number;
  sensitivePersons: number;
  chargingConsumptionPersons: number;
  vehicles: number;
}

/** Define the suite for one back-end (pglite and postgres call it, so they run in parallel). */
export function ledgerConformance(backend: Backend): void {
  describe(`ledger conformance: ${backend.name}`, { timeout: SUITE_TEST_TIMEOUT }, () => {
    if (!backend.available) {
      if (REQUIRE_ALL) it(`has its database (${backend.reason})`, () => expect.fail(`CI=true but ${backend.reason}`));
      else {
        console.warn(`[ledger] skipping the ${backend.name} back-end: ${backend.reason}`);
        it.skip(`${backend.name}: ${backend.reason}`, () => {});
      }
      return;
    }

    let ls: Ledgerspace;
    beforeEach(async () => {
      ls = await backend.create();
    });
    afterEach(async () => {
      await ls.dispose();
    });

    // In-process (main(argv, {stdout, stderr, env, cwd})): the process boundary is not what these test.
    const cli = (args: string[], env: Record<string, string> = {}) => runMain(['ledger', ...args, '-w', ls.dir], { cwd: ls.dir, env: { ...ls.env, ...env } });
    const stats = async (): Promise<StatsRow[]> => {
      const r = await cli(['stats', '--json']);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { counts: StatsRow[] }).counts;
    };
    const verify = async (args: string[] = []) => {
      const r = await cli(['verify', '--json', ...args]);
      return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout || '{}') as { intact: boolean; firstBreak: { kind: string; seq: number | null; id: string | null; organization: string } | null } };
    };
    const write = (name: string, text: string) => {
      const p = join(ls.dir, name);
      writeFileSync(p, text);
      return p;
    };
    /** Four entries of acme-cn with persons, to tamper with. */
    const fourEntries = async () => {
      const entries = [1, 2, 3, 4].map((i) => ({
        id: `e-${i}`,
        time: `2026-0${i}-15`,
        datasets: ['crm-buyers'],
        recipient: 'acme-gmbh',
        identifiers: { persons: [`phone:1370000000${i}`, `phone:1370000001${i}`], sensitivePersons: [`phone:1370000000${i}`] },
      }));
      const r = await cli(['record', write('four.json', JSON.stringify({ entries })), '--force']);
      expect(r.code, r.stderr).toBe(0);
      expect((await verify()).code).toBe(0);
    };

    it('records a manifest import and JSON entries; counts distinct persons exactly; the same batch twice changes nothing', async () => {
      const a = await cli(['import', join(FIXTURES, 'buyers.csv'), '--transfer', 't-2026-001', '--approval', 'sc-2026-01', '--operator', 'alice']);
      expect(a.code, a.stderr).toBe(0);
      expect(a.stdout).toMatch(/recorded t-2026-001 \(acme-cn #1\): \+3 persons, \+1 sensitive/);
      const b = await cli(['record', join(FIXTURES, 'entries.json')]);
      expect(b.code, b.stderr).toBe(0);
      const before = await stats();
      expect(before).toEqual([{ organization: 'acme-cn', year: 2026, entries: 2, records: 7, bytes: 2048, persons: 5, sensitivePersons: 3, chargingConsumptionPersons: 0, vehicles: 4 }]);
      // Idempotent: both again, in one go and separately.
      const again = await cli(['import', join(FIXTURES, 'buyers.csv'), '--transfer', 't-2026-001', '--approval', 'sc-2026-01', '--operator', 'alice']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/unchanged t-2026-001/);
      expect((await cli(['record', join(FIXTURES, 'entries.json')])).stdout).toMatch(/unchanged gw-2026-0001/);
      expect(await stats()).toEqual(before);
      // Same id, other content: conflict, exit 2, nothing written.
      const conflict = await cli(['import', join(FIXTURES, 'buyers.csv'), '--transfer', 't-2026-001', '--operator', 'bob']);
      expect(conflict.code).toBe(2);
      expect(conflict.stderr).toMatch(/already recorded with different content/);
      expect(await stats()).toEqual(before);
      expect(await verify()).toMatchObject({ code: 0, report: { intact: true } });
    });

    it('keeps counts per organisation and per calendar year (reset on 1 January, CNT-2)', async () => {
      const mk = (id: string, time: string, organization: string, phones: string[]) => ({ id, time, organization, datasets: ['crm-buyers'], recipient: 'acme-gmbh', identifiers: { persons: phones.map((p) => `phone:${p}`) } });
      const file = write('years.json', JSON.stringify([
        mk('y1', '2025-12-31T23:30:00+08:00', 'acme-cn', ['13000000001', '13000000002']),
        mk('y2', '2025-12-31T16:30:00Z', 'acme-cn', ['13000000001', '13000000003']), // 00:30 on 1 January in China
        mk('y3', '2026-02-01', 'acme-charging', ['13000000001']),
      ]));
      expect((await cli(['record', file, '--force'])).code).toBe(0);
      const rows = (await stats()).map((r) => [r.organization, r.year, r.persons]);
      expect(rows).toEqual([
        ['acme-charging', 2026, 1],
        ['acme-cn', 2025, 2],
        ['acme-cn', 2026, 2],
      ]);
      const only = await cli(['stats', '--year', '2025', '--json']);
      expect(JSON.parse(only.stdout).counts).toHaveLength(1);
    });

    it('detects a changed entry (UPDATE in SQL)', async () => {
      await fourEntries();
      const db = await ls.open();
      await db.query("UPDATE ledger_entries SET recipient = 'acme-inc' WHERE organization = 'acme-cn' AND seq = 2");
      await db.close();
      const v = await verify();
      expect(v.code).toBe(1);
      expect(v.report.firstBreak).toMatchObject({ kind: 'changed', seq: 2, id: 'e-2' });
    });

    it('detects a deleted entry (DELETE in SQL), in the middle and at the end', async () => {
      await fourEntries();
      const db = await ls.open();
      await db.query("DELETE FROM ledger_entries WHERE organization = 'acme-cn' AND seq = 4");
      await db.close();
      expect((await verify()).report.firstBreak).toMatchObject({ kind: 'deleted', seq: 4 });
      const db2 = await ls.open();
      await db2.query("DELETE FROM ledger_entries WHERE organization = 'acme-cn' AND seq = 2");
      await db2.close();
      const v = await verify();
      expect(v.code).toBe(1);
      expect(v.report.firstBreak).toMatchObject({ kind: 'deleted', seq: 2 });
    });

    it('detects an inserted entry (INSERT in SQL, later entries renumbered)', async () => {
      await fourEntries();
      const db = await ls.open();
      await db.query("UPDATE ledger_entries SET seq = seq + 1000 WHERE organization = 'acme-cn' AND seq >= 3");
      await db.query("UPDATE ledger_entries SET seq = seq - 999 WHERE organization = 'acme-cn' AND seq > 1000");
      await db.query(`INSERT INTO ledger_entries (organization, seq, id, occurred_at, year, datasets, recipient, kind, mechanism, approval_reference,
          channel, operator, records, bytes, identifiers_read, input_digest, added, prev_hash, entry_hash)
        SELECT organization, 3, 'forged', occurred_at, year, datasets, 'acme-inc', kind, mechanism, approval_reference, channel, operator, records, bytes,
          identifiers_read, input_digest, added, prev_hash, entry_hash FROM ledger_entries WHERE organization = 'acme-cn' AND seq = 2`);
      await db.close();
      const v = await verify();
      expect(v.code).toBe(1);
      expect(v.report.firstBreak).toMatchObject({ kind: 'inserted', seq: 3, id: 'forged' });
    });

    it('detects reordered entries (two rows swapped in SQL)', async () => {
      await fourEntries();
      const db = await ls.open();
      await db.query("UPDATE ledger_entries SET seq = seq + 1000 WHERE organization = 'acme-cn' AND seq IN (2, 3)");
      await db.query("UPDATE ledger_entries SET seq = CASE seq WHEN 1002 THEN 3 ELSE 2 END WHERE organization = 'acme-cn' AND seq > 1000");
      await db.close();
      const v = await verify();
      expect(v.code).toBe(1);
      expect(v.report.firstBreak).toMatchObject({ kind: 'reordered', seq: 2, id: 'e-3' });
    });

    it('detects a tail rewritten with recomputed hashes (head row too) by the key-sealed chain head', async () => {
      await fourEntries();
      const db = await ls.open();
      const [row] = await db.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE organization = 'acme-cn' AND seq = 4`);
      const forged = { ...rowToEntry(row!), recipient: 'acme-inc' };
      const hash = computeEntryHash(forged);
      await db.query("UPDATE ledger_entries SET recipient = 'acme-inc', entry_hash = $1 WHERE organization = 'acme-cn' AND seq = 4", [Buffer.from(hash, 'hex')]);
      await db.query("UPDATE ledger_chains SET head_hash = $1 WHERE organization = 'acme-cn'", [Buffer.from(hash, 'hex')]);
      await db.close();
      const v = await verify();
      expect(v.code).toBe(1);
      // The entry seals name where the re-chained tail starts, not only that the head lacks its seal.
      expect(v.report.firstBreak).toMatchObject({ kind: 'rechained', seq: 4, id: 'e-4' });
      // Without the key the rewrite is consistent: that is the documented limit of an unkeyed chain.
      const nokey = await cli(['verify'], { CHUJING_HMAC_KEY: '' });
      expect(nokey.code).toBe(0);
      expect(nokey.stdout).toMatch(/seals not checked: no key/);
    });

    it('detects a person hash deleted to lower the counts', async () => {
      await fourEntries();
      const db = await ls.open();
      await db.query("DELETE FROM ledger_person_hashes WHERE organization = 'acme-cn' AND first_seq = 3 AND category = 1 AND hash = (SELECT hash FROM ledger_person_hashes WHERE first_seq = 3 AND category = 1 ORDER BY hash LIMIT 1)");
      await db.query("UPDATE ledger_counts SET distinct_count = distinct_count - 1 WHERE organization = 'acme-cn' AND category = 1");
      await db.close();
      const v = await verify();
      expect(v.code).toBe(1);
      expect(v.report.firstBreak).toMatchObject({ kind: 'changed', seq: 3, id: 'e-3' });
    });

    it('rejects bad input whole, with a clear error, and writes nothing', async () => {
      expect((await cli(['record', join(FIXTURES, 'entries.json')])).code).toBe(0);
      const before = await stats();
      const cases: [string[], RegExp, Record<string, string>?][] = [
        [['import', write('bad-quote.csv', 'phone,vin\n13800000001,A\n"13800000002,B\n'), '--transfer', 't-2026-001'], /bad-quote\.csv:3.*quoted field is not closed/s],
        [['import', write('bad-fields.csv', 'phone,vin\n13800000001,A\n13800000002\n'), '--transfer', 't-2026-001'], /bad-fields\.csv:3.*1 fields, the header has 2/s],
        [['import', write('big-bad.csv', manifestCsv(45_000, 0, { badRowAt: 44_000 })), '--transfer', 't-2026-001'], /big-bad\.csv:44002: the record has no vehicle or person identifier/],
        [['import', join(FIXTURES, 'buyers.csv'), '--transfer', 't-nope'], /no transfer 't-nope' in the workspace/],
        [['import', join(FIXTURES, 'buyers.csv'), '--transfer', 't-2026-001', '--column', 'personId=id_number'], /no column 'id_number'/],
        [['import', join(FIXTURES, 'buyers.csv'), '--transfer', 't-2026-001', '--column', 'shoeSize=phone'], /ROLE=COLUMN/],
        [['record', write('unknown-field.json', JSON.stringify({ id: 'x1', time: '2026-05-05', datasets: ['crm-buyers'], recipient: 'acme-gmbh', colour: 'red' }))], /unknown field 'colour'/],
        [['record', write('unknown-recipient.json', JSON.stringify([{ id: 'x2', time: '2026-05-05', datasets: ['crm-buyers'], recipient: 'nobody' }]))], /entries\[0\]\.recipient: unknown recipient 'nobody'/],
        [['record', write('bad-id.json', JSON.stringify({ id: 'x3', time: '2026-02-30', datasets: ['crm-buyers'], recipient: 'acme-gmbh', identifiers: { persons: ['shoe:1'] } }))], /time.*identifiers\.persons\[0\]/s],
        [['import', join(FIXTURES, 'buyers.csv'), '--transfer', 't-2026-002'], /no HMAC key: set environment variable CHUJING_HMAC_KEY/, { CHUJING_HMAC_KEY: '' }],
      ];
      for (const [args, message, env] of cases) {
        const r = await cli(args, env);
        expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
      }
      expect(await stats()).toEqual(before);
      expect(await verify()).toMatchObject({ code: 0, report: { intact: true } });
    });

    it('survives kill -9 in the middle of a large import: nothing acknowledged lost, no half batch, verify passes', async () => {
      const small = await cli(['import', join(FIXTURES, 'buyers.csv'), '--transfer', 't-2026-001']);
      expect(small.code, small.stderr).toBe(0);
      const acknowledged = await stats();
      const big = write('big.csv', manifestCsv(200_000));
      const child = spawn(process.execPath, [BIN, 'ledger', 'import', big, '--transfer', 't-2026-002', '-w', ls.dir], { cwd: ls.dir, env: { ...process.env, ...ls.env } });
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code)));
      // Wait until the import is under way: its first progress line says hashes are being staged.
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (d) => {
          stderr += d;
          if (/identifier hashes staged/.test(stderr)) resolve();
        });
        child.on('exit', () => reject(new Error(`import ended before it could be killed: ${stderr}`)));
      });
      child.kill('SIGKILL');
      expect(await exited).toBeNull();
      // Restart: the acknowledged entry is there, the killed one is not (no half batch), the chain verifies.
      expect(await stats()).toEqual(acknowledged);
      expect(await verify()).toMatchObject({ code: 0, report: { intact: true } });
      const exported = (await cli(['export'])).stdout.trim().split('\n').map((l) => JSON.parse(l).id);
      expect(exported).toEqual(['t-2026-001']);
      // And the import can simply be run again.
      const rerun = await cli(['import', big, '--transfer', 't-2026-002']);
      expect(rerun.code, rerun.stderr).toBe(0);
      const after = (await stats())[0]!;
      const union = expectedCounts([[0, 200_000]]);
      expect(after.sensitivePersons).toBe(acknowledged[0]!.sensitivePersons + union.sensitivePersons);
      expect(after.persons).toBe(acknowledged[0]!.persons + union.persons);
      expect((await verify()).code).toBe(0);
    }, PROCESS_TEST_TIMEOUT);

    it('two processes importing at once never corrupt the ledger', async () => {
      const a = write('a.csv', manifestCsv(60_000, 0));
      const b = write('b.csv', manifestCsv(60_000, 30_000));
      if (backend.name === 'postgres') {
        const [ra, rb] = await Promise.all([
          runCliAsync(['ledger', 'import', a, '--transfer', 't-2026-001', '-w', ls.dir], { cwd: ls.dir, env: ls.env }),
          runCliAsync(['ledger', 'import', b, '--transfer', 't-2026-002', '-w', ls.dir], { cwd: ls.dir, env: ls.env }),
        ]);
        expect(ra.code, ra.stderr).toBe(0);
        expect(rb.code, rb.stderr).toBe(0);
        const s = (await stats())[0]!;
        expect({ ...s, entries: undefined, records: undefined, bytes: undefined, organization: undefined, year: undefined }).toMatchObject(expectedCounts([[0, 60_000], [30_000, 60_000]]));
        expect(s.entries).toBe(2);
      } else {
        // PGlite is single-process. Deterministically, with no race on who starts first: this process
        // holds the database; a CLI that will not wait gets a clear 'database in use' (exit 3); two that
        // wait get in one after the other once it is released, and both imports are exact.
        const lock = await acquireLock(join(ls.dir, '.chujing', 'db.lock'), { waitMs: 0 });
        const busy = await runCliAsync(['ledger', 'import', b, '--transfer', 't-2026-002', '-w', ls.dir], { cwd: ls.dir, env: { ...ls.env, CHUJING_DB_WAIT_MS: '0' } });
        expect(busy.code, busy.stderr).toBe(3);
        expect(busy.stderr).toMatch(/database in use/);
        const wait = { ...ls.env, CHUJING_DB_WAIT_MS: String(3_600_000) };
        const first = runCliAsync(['ledger', 'import', a, '--transfer', 't-2026-001', '-w', ls.dir], { cwd: ls.dir, env: wait });
        const second = runCliAsync(['ledger', 'import', b, '--transfer', 't-2026-003', '-w', ls.dir], { cwd: ls.dir, env: wait });
        lock.release();
        const [ra, rb] = await Promise.all([first, second]);
        expect(ra.code, ra.stderr).toBe(0);
        expect(rb.code, rb.stderr).toBe(0);
        const s = await stats();
        expect(s.find((r) => r.organization === 'acme-cn')).toMatchObject(expectedCounts([[0, 60_000]]));
        expect(s.find((r) => r.organization === 'acme-charging')).toMatchObject(expectedCounts([[30_000, 60_000]]));
      }
      expect(await verify()).toMatchObject({ code: 0, report: { intact: true } });
    }, PROCESS_TEST_TIMEOUT);

    it('prunes only beyond the retention, leaving a signed checkpoint; the rest still verifies and counts stay exact', async () => {
      const mk = (id: string, time: string, phones: string[]) => ({ id, time, datasets: ['crm-buyers'], recipient: 'acme-gmbh', identifiers: { persons: phones.map((p) => `phone:${p}`) } });
      const file = write('old.json', JSON.stringify([
        mk('o-2019', '2019-05-01', ['13100000001', '13100000002']),
        mk('o-2020', '2020-05-01', ['13100000001', '13100000003']),
        mk('o-2022', '2022-05-01', ['13100000004']),
        mk('o-2022b', '2022-09-01', ['13100000004', '13100000005']),
        mk('n-2026', '2026-05-01', ['13100000001']),
      ]));
      expect((await cli(['record', file, '--force'])).code).toBe(0);
      // Within the retention (3 years before 2026-11-23 is 2023-11-23): refused, nothing removed.
      const refused = await cli(['prune', '--before', '2024-01-01', '--as-of', '2026-11-23']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/within the 3-year retention/);
      // Prune up to mid-2022: 2019, 2020 and the first 2022 entry go; 2022's counts stay exact.
      const pruned = await cli(['prune', '--before', '2022-06-01', '--as-of', '2026-11-23']);
      expect(pruned.code, pruned.stderr).toBe(0);
      expect(pruned.stdout).toMatch(/pruned 3 entries of acme-cn up to #3; signed checkpoint written/);
      expect(await verify()).toMatchObject({ code: 0, report: { intact: true } });
      expect((await stats()).map((r) => [r.year, r.entries, r.persons])).toEqual([
        [2022, 1, 2],
        [2026, 1, 1],
      ]);
      expect((await cli(['export'])).stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['o-2022b', 'n-2026']);
      // The checkpoint is signed: changing it is detected, and checking it needs the key.
      expect((await cli(['verify'], { CHUJING_HMAC_KEY: '' })).code).toBe(2);
      const db = await ls.open();
      await db.query("UPDATE ledger_checkpoints SET body = replace(body, '\"prunedEntries\":3', '\"prunedEntries\":2')");
      await db.close();
      expect((await verify()).report.firstBreak).toMatchObject({ kind: 'changed', seq: 3 });
    });

    it('exports JSONL and CSV for auditors', async () => {
      expect((await cli(['record', join(FIXTURES, 'entries.json')])).code).toBe(0);
      expect((await cli(['import', join(FIXTURES, 'buyers.csv'), '--transfer', 't-2026-003'])).code).toBe(0);
      const jsonl = await cli(['export', '--format', 'jsonl']);
      expect(jsonl.code).toBe(0);
      const entries = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(entries.map((e) => [e.organization, e.seq, e.id])).toEqual([
        ['acme-charging', 1, 't-2026-003'],
        ['acme-cn', 1, 'gw-2026-0001'],
      ]);
      expect(entries[1]).toMatchObject({ kind: 'remote-access', operator: 'etl-bot', bytes: 2048, added: { sensitivePersons: { count: 2 } } });
      expect(JSON.stringify(entries)).not.toMatch(/13800000001|110101199001011234/); // never a raw identifier
      const out = join(ls.dir, 'audit.csv');
      const csv = await cli(['export', '--format', 'csv', '--out', out]);
      expect(csv.code, csv.stderr).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(text.startsWith('\uFEFF')).toBe(true); // Excel reads it as UTF-8
      const lines = text.slice(1).trim().split('\r\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^organization,seq,id,"time \(China, UTC\+8\)"/);
      // Times in China time, as Excel shows them.
      expect(lines[2]).toMatch(/^acme-cn,1,gw-2026-0001,2026-06-01 10:00:00,2026,trajectories,acme-inc,remote-access/);
    });

    it('gives assess its baseline: year-to-date counts and the recorded transfer ids', async () => {
      expect((await cli(['import', join(FIXTURES, 'buyers.csv'), '--transfer', 't-2026-001'])).code).toBe(0);
      expect((await cli(['record', join(FIXTURES, 'entries.json')])).code).toBe(0);
      const baseline = await loadLedgerBaseline({ workspaceDir: ls.dir, env: ls.env, organizations: ['acme-cn', 'acme-charging'], years: [2025, 2026] });
      expect(baseline).not.toBeNull();
      expect(baseline!.entries.map((e) => e.id).sort()).toEqual(['gw-2026-0001', 't-2026-001']);
      const total = (org: string, year: number) =>
        baseline!.days.filter((d) => d.organization === org && d.year === year).reduce((a, d) => ({ persons: a.persons + d.persons, sensitivePersons: a.sensitivePersons + d.sensitivePersons, vehicles: a.vehicles + d.vehicles }), { persons: 0, sensitivePersons: 0, vehicles: 0 });
      expect(total('acme-cn', 2026)).toEqual({ persons: 5, sensitivePersons: 3, vehicles: 4 });
      expect(total('acme-cn', 2025)).toEqual({ persons: 0, sensitivePersons: 0, vehicles: 0 });
      expect(total('acme-charging', 2026)).toEqual({ persons: 0, sensitivePersons: 0, vehicles: 0 });
      // Embedded: read from the summary file, without starting PGlite; PostgreSQL: its summary tables.
      expect(baseline!.source).toMatch(backend.name === 'pglite' ? /^pglite:.*\(read from its summary .*ledger-summary\.json\)$/ : /^postgres/);
      expect(baseline!.source).not.toMatch(/password/);
      // A planned transfer with known hashes: exact de-duplication against what was already sent.
      const key = createSecretKey(Buffer.from(TEST_KEY));
      const planned = write('planned.csv', 'phone,sensitive\n13800000001,yes\n13800000009,no\n13900000000,yes\n13900000000,yes\n');
      const withPlan = await loadLedgerBaseline({
        workspaceDir: ls.dir, env: ls.env, organizations: ['acme-cn'], years: [2026],
        planned: [{ transferId: 't-plan', organization: 'acme-cn', year: 2026, hashes: manifestHashes({ file: planned, format: 'csv', columns: {}, key }) }],
      });
      // 13800000001 and 13800000009 were sent already; 13900000000 is new (twice in the file, one person).
      // Sensitive: 13800000001 was sent but not as sensitive, so it adds a sensitive person.
      expect(withPlan!.newPersonsByTransfer).toEqual({ 't-plan': { persons: 1, sensitivePersons: 2, chargingConsumptionPersons: 0 } });
      expect((await stats())[0]).toMatchObject({ persons: 5, sensitivePersons: 3 }); // nothing written
    });
  });
}
