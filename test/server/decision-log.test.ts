/**
 * The decision log is tamper-evident like the ledger: concurrent appends form one chain (group commit),
 * and an edited, deleted, inserted or re-chained row is found by verify (the last one through the head's
 * seal, with the key). Retention removes a prefix and the chain still verifies. On PGlite and, when
 * CHUJING_TEST_DATABASE_URL is set, on PostgreSQL.
 */
import { createSecretKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/ledger/canonical.js';
import { ServerDb } from '../../src/server/db.js';
import { DecisionLog, sharedJudgement, type DecisionRecord, type SharedJudgement } from '../../src/server/decision-log.js';
import { MIGRATIONS, migrate, openStore, type Store } from '../../src/store/index.js';
import { batchHolding, restoreBatch, rewriteBatch } from './decision-log-tamper.js';
import { PG_URL, freshDatabase, removeDir } from './helpers.js';

const key = createSecretKey(Buffer.from('decision-log-test-key-0123456789'));
const record = (i: number, at = `2026-10-0${1 + (i % 9)}T00:00:00.000Z`): DecisionRecord => ({
  id: `dec-${String(i).padStart(4, '0')}`,
  decidedAt: at,
  caller: 'token:abc (gw)',
  inputDigest: 'ab'.repeat(32),
  result: i % 3 ? 'allow' : 'deny',
  workspaceRevision: 'sha256:' + '0'.repeat(64),
  packs: ['cn-national@2024', 'cn-auto@2026'],
  body: { schema: 'chujing.decision/1', n: i, reasons: [{ code: 'server.reason.exempt', params: { rule: 'FREE-1' } }] },
});

/** A judgement as decisions.ts shares it: its text and the SHA-256 of that text. */
const judgementOf = (fields: unknown): SharedJudgement => sharedJudgement(JSON.stringify(fields));
const sharing = (i: number, judgement: SharedJudgement): DecisionRecord => ({ ...record(i), body: { schema: 'chujing.decision/1', id: `dec-${i}`, n: i }, judgement });

const backends: { name: string; open(): Promise<{ store: Store; dispose(): Promise<void> }> }[] = [
  {
    name: 'pglite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'chujing-dlog-'));
      const store = (await openStore({ workspaceDir: dir, env: {} }))!;
      return { store, dispose: async () => removeDir(dir) };
    },
  },
  {
    // The server's way: PGlite in a worker thread (src/store/pglite-remote.ts).
    name: 'pglite in a thread',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'chujing-dlog-'));
      const store = (await openStore({ workspaceDir: dir, env: {}, inThread: true }))!;
      return { store, dispose: async () => removeDir(dir) };
    },
  },
  ...(PG_URL
    ? [
        {
          name: 'postgres',
          async open() {
            const db = await freshDatabase();
            const store = (await openStore({ workspaceDir: '/nonexistent', env: { DATABASE_URL: db.url } }))!;
            return { store, dispose: () => db.drop() };
          },
        },
      ]
    : []),
];

for (const backend of backends) {
  describe(`decision log on ${backend.name}`, () => {
    let cleanup: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanup) await c();
      cleanup = [];
    });
    const setup = async () => {
      const { store, dispose } = await backend.open();
      const db = new ServerDb(store);
      cleanup.push(async () => {
        await db.close();
        await dispose();
      });
      return { db, log: new DecisionLog(db, { key }) };
    };

    it('concurrent appends become one chain, each acknowledged with its own place', async () => {
      const { log } = await setup();
      const seqs = await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(record(i))));
      expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const v = await log.verify(key);
      expect(v).toMatchObject({ intact: true, entries: 50, headSeq: 50, headSealed: true, firstBreak: null });
      const got = await log.get('dec-0007');
      expect(got!.body).toEqual(record(7).body);
    });

    it('finds an edited decision, a deleted one, a batch whose index lies, and a re-chained tail', async () => {
      const { db, log } = await setup();
      // Six at once: one batch (so the changes below are inside a batch, not whole rows).
      await Promise.all(Array.from({ length: 6 }, (_, i) => log.append(record(i))));
      const store = db.store;
      const batch = await batchHolding(store, 3);
      expect([Number(batch.first_seq), Number(batch.last_seq)]).toEqual([1, 6]);

      // Edited, the batch's index rewritten to agree: only the decision's hash shows it.
      await rewriteBatch(store, batch, (entries) => void (entries[2]![3] = 'someone else'));
      expect((await log.verify(key)).firstBreak).toMatchObject({ kind: 'changed', seq: 3 });
      await restoreBatch(store, batch);
      expect((await log.verify(key)).intact).toBe(true);

      await rewriteBatch(store, batch, (entries) => entries.filter((e) => e[0] !== 4));
      expect((await log.verify(key)).firstBreak).toMatchObject({ kind: 'deleted', seq: 4 });
      await restoreBatch(store, batch);
      expect((await log.verify(key)).intact).toBe(true);

      // The index lies (a decision's id dropped from it: a lookup would not find it; a count changed).
      await store.query('UPDATE server_decision_batches SET ids = ids[2:6]');
      expect((await log.verify(key)).firstBreak).toMatchObject({ kind: 'changed', seq: 1, detail: expect.stringContaining('index') });
      expect(await log.get('dec-0000')).toBeNull();
      await restoreBatch(store, batch);
      await store.query('UPDATE server_decision_batches SET allowed = allowed + 1');
      expect((await log.verify(key)).firstBreak).toMatchObject({ kind: 'changed', seq: 1 });
      await restoreBatch(store, batch);
      // Not JSON any more.
      await store.query("UPDATE server_decision_batches SET entries = entries || ']'");
      expect((await log.verify(key)).firstBreak).toMatchObject({ kind: 'changed', seq: 1, detail: expect.stringContaining('not readable') });
      await restoreBatch(store, batch);
      // The whole batch gone.
      await store.query('DELETE FROM server_decision_batches');
      expect((await log.verify(key)).firstBreak).toMatchObject({ kind: 'deleted', seq: 1 });
      await restoreBatch(store, batch);
      expect((await log.verify(key)).intact).toBe(true);

      // Someone rewrites the last decision with a valid hash and moves the head: only the seal shows it.
      const { createHash } = await import('node:crypto');
      let forgedHash = '';
      await rewriteBatch(store, batch, (entries) => {
        const last = entries[5]!;
        // record(5) was allowed; the forger turns it into a deny.
        const forged = record(5);
        expect(forged.result).toBe('allow');
        const canonical = canonicalJson({ v: 1, seq: 6, prev: entries[4]![10], id: forged.id, decidedAt: forged.decidedAt, caller: forged.caller, inputDigest: forged.inputDigest, result: 'deny', workspaceRevision: forged.workspaceRevision, packs: forged.packs.join(','), body: JSON.stringify(last[8]) });
        forgedHash = createHash('sha256').update('chujing:decision:v1\n').update(canonical).digest('hex');
        last[5] = 'deny';
        last[10] = forgedHash;
      });
      // (and, being careful, the head's totals: one allow fewer, one deny more).
      await store.query("UPDATE server_decision_chain SET head_hash = decode($1, 'hex'), allowed = allowed - 1, denied = denied + 1 WHERE chain = 'decisions'", [forgedHash]);
      const noKey = await log.verify();
      expect(noKey.intact).toBe(true);
      expect(noKey.headSealed).toBeNull();
      expect((await log.get('dec-0005'))!.result).toBe('deny');
      expect((await log.verify(key)).firstBreak).toMatchObject({ kind: 'changed', seq: 6 });
    });

    it("stores an answer's id, time, caller, result, revision and input digest once (in the entry), and reads the answer back whole", async () => {
      const { db, log } = await setup();
      const answer = (i: number): DecisionRecord => {
        const r = record(i);
        // A body that repeats the entry's fields (as every answer of the decision API does), and a key
        // JSON.parse makes an own property.
        const body = JSON.parse(`{"schema":"chujing.decision/1","id":"${r.id}","decidedAt":"${r.decidedAt}","caller":"${r.caller}","result":"${r.result}","__proto__":{"x":1},"workspaceRevision":"${r.workspaceRevision}","inputDigest":"${r.inputDigest}","n":${i}}`);
        return { ...r, body };
      };
      await Promise.all([1, 2, 3].map((i) => log.append(answer(i))));
      await log.append({ ...answer(4), body: { ...answer(4).body as object, caller: 'someone else' } }); // not a repeat: kept whole
      const [stored] = await db.store.query<{ entries: string }>('SELECT entries FROM server_decision_batches ORDER BY first_seq LIMIT 1');
      const first = (JSON.parse(stored!.entries) as unknown[][])[0]!;
      expect(first[8]).not.toHaveProperty('decidedAt');
      expect(first[11]).toBe(1);
      for (const i of [1, 2, 3]) {
        const got = (await log.get(record(i).id))!;
        expect(got.body).toEqual(answer(i).body);
        expect(Object.keys(got.body as object)).toContain('__proto__');
      }
      expect((await log.get(record(4).id))!.body).toMatchObject({ caller: 'someone else' });
      expect(await log.verify(key)).toMatchObject({ intact: true, entries: 4 });
      // The entry's caller changed (the index kept in step): the answer read back changes, and verify sees it.
      const batch = await batchHolding(db.store, 2);
      await rewriteBatch(db.store, batch, (entries) => void (entries.find((e) => e[0] === 2)![3] = 'token:forged'));
      expect((await log.get(record(2).id))!.body).toMatchObject({ caller: 'token:forged' });
      expect((await log.verify(key)).firstBreak).toMatchObject({ kind: 'changed', seq: 2 });
    });

    it('prepares its batch statement again when the session lost it (DEALLOCATE)', async () => {
      const { db, log } = await setup();
      await log.append(record(1));
      await log.append(record(2)); // the fast way: the statement is prepared (on PGlite)
      if (db.kind === 'pglite') await db.store.query('DEALLOCATE ALL');
      for (let i = 3; i <= 5; i++) await log.append(record(i));
      expect(await log.verify(key)).toMatchObject({ intact: true, entries: 5, headSeq: 5 });
    });

    it('reads decisions written one row each (before batches) beside batches, as one chain', async () => {
      const { db, log } = await setup();
      for (let i = 0; i < 3; i++) await log.append(record(i));
      // The first format: move the three decisions into server_decisions rows, as an older chujing wrote them.
      const rows = (await log.list({ limit: 10 })).reverse();
      let prev = (await db.store.query<{ base_hash: Buffer }>("SELECT base_hash FROM server_decision_chain WHERE chain = 'decisions'"))[0]!.base_hash.toString('hex');
      for (const r of rows) {
        await db.store.query(
          "INSERT INTO server_decisions (seq, id, decided_at, caller, input_digest, result, workspace_revision, packs, body, prev_hash, entry_hash) VALUES ($1, $2, $3, $4, decode($5, 'hex'), $6, $7, $8, $9, decode($10, 'hex'), decode($11, 'hex'))",
          [r.seq, r.id, r.decidedAt, r.caller, r.inputDigest, r.result, r.workspaceRevision, r.packs.join(','), JSON.stringify(r.body), prev, r.entryHash],
        );
        prev = r.entryHash;
      }
      await db.store.query('DELETE FROM server_decision_batches');
      expect(await log.verify(key)).toMatchObject({ intact: true, entries: 3 });
      await Promise.all(Array.from({ length: 4 }, (_, i) => log.append(record(10 + i))));
      expect(await log.verify(key)).toMatchObject({ intact: true, entries: 7, headSeq: 7 });
      expect((await log.list({ limit: 5 })).map((d) => d.seq)).toEqual([7, 6, 5, 4, 3]);
      expect((await log.list({ limit: 3, before: 5 })).map((d) => d.id)).toEqual(['dec-0010', 'dec-0002', 'dec-0001']);
      expect((await log.get('dec-0001'))!.body).toEqual(record(1).body);
      expect(await log.counts()).toEqual({ allow: 5, deny: 2 });
      // A log written before the head kept its totals (migration 24 not yet applied): the migration
      // counts both formats once.
      await db.store.exec('ALTER TABLE server_decision_chain DROP COLUMN allowed, DROP COLUMN denied; DELETE FROM chujing_migrations WHERE version = 24');
      await migrate(db.store, MIGRATIONS);
      expect(await log.counts()).toEqual({ allow: 5, deny: 2 });
      expect(await log.verify(key)).toMatchObject({ intact: true, entries: 7 });
      // Retention across both: the rows and the first batch's first decision go, the chain still verifies.
      expect(await log.prune('2026-10-03T00:00:00.000Z')).toBe(2);
      expect(await log.verify(key)).toMatchObject({ intact: true, entries: 5, baseSeq: 2 });
    });

    it('one-statement batches follow the head wherever others moved it: another writer, a transaction, a prune', async () => {
      const { db, log } = await setup();
      // A second writer on the same database (another server on a shared PostgreSQL) with its own idea of the head.
      const other = new DecisionLog(db, { key });
      let n = 0;
      for (let round = 0; round < 4; round++) {
        await Promise.all(Array.from({ length: 5 }, () => log.append(record(n++))));
        await Promise.all(Array.from({ length: 3 }, () => other.append(record(n++))));
      }
      // An execution's transaction appends too, and one that rolls back leaves nothing.
      await db.transaction((tx) => log.appendIn(tx, [record(n++)]));
      await expect(
        db.transaction(async (tx) => {
          await log.appendIn(tx, [record(9000)]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await log.append(record(n++));
      await other.append(record(n++));
      expect(await log.prune('2026-10-03T00:00:00.000Z')).toBeGreaterThan(0);
      const seqs = await Promise.all([log.append(record(n++)), other.append(record(n++))]);
      const v = await log.verify(key);
      expect(v).toMatchObject({ intact: true, headSeq: n, headSealed: true, firstBreak: null });
      expect(Math.max(...seqs)).toBe(n);
      expect(await log.get('dec-9000')).toBeNull();
    });

    it('keeps the allow and deny totals in the head row through writers, transactions, rollbacks and a prune that cuts a batch; verify recounts them', async () => {
      const { db, log } = await setup();
      const other = new DecisionLog(db, { key });
      const recount = async () => {
        const [c] = await db.store.query<{ allow: number | string; deny: number | string }>(
          `SELECT (SELECT count(*) FROM server_decisions WHERE result = 'allow') + (SELECT coalesce(sum(allowed), 0) FROM server_decision_batches) AS allow,
                  (SELECT count(*) FROM server_decisions WHERE result = 'deny') + (SELECT coalesce(sum(denied), 0) FROM server_decision_batches) AS deny`,
        );
        return { allow: Number(c!.allow), deny: Number(c!.deny) };
      };
      let n = 0;
      // Decisions on 1-9 October, so that the prune below cuts batches of several decisions.
      await Promise.all(Array.from({ length: 20 }, () => log.append(record(n++))));
      await Promise.all(Array.from({ length: 7 }, () => other.append(record(n++))));
      await db.transaction((tx) => log.appendIn(tx, [record(n++), record(n++)]));
      await expect(db.transaction(async (tx) => {
        await log.appendIn(tx, [record(9001), record(9003)]);
        throw new Error('rolled back');
      })).rejects.toThrow('rolled back');
      await log.append(record(n++));
      const before = await log.counts();
      expect(before).toEqual(await recount());
      // Every third decision is a deny (record()): 30 decisions, 10 denied.
      expect(before).toEqual({ allow: 20, deny: 10 });
      const removed = await log.prune('2026-10-05T00:00:00.000Z');
      expect(removed).toBeGreaterThan(0);
      const after = await log.counts();
      expect(after).toEqual(await recount());
      expect(after.allow + after.deny).toBe(30 - removed);
      expect(await log.verify(key)).toMatchObject({ intact: true, entries: 30 - removed });
      // Totals changed behind chujing's back are found (the seal does not cover them; verify recounts).
      await db.store.query("UPDATE server_decision_chain SET allowed = allowed + 1 WHERE chain = 'decisions'");
      const v = await log.verify(key);
      expect(v).toMatchObject({ intact: false, headSealed: true, firstBreak: { kind: 'changed', seq: 30 } });
      expect(v.firstBreak!.detail).toContain(`${after.allow + 1} allowed`);
    });

    it('a judgement many decisions share is kept once; each decision reads back whole; a changed or removed judgement is found', async () => {
      const { db, log } = await setup();
      const a = judgementOf({ path: 'exempt', reasons: [{ code: 'server.reason.exempt', params: { rule: 'FREE-1' } }] });
      const b = judgementOf({ path: 'standard-contract', reasons: [{ code: 'server.reason.covered', params: { approval: 'sc-1' } }] });
      await Promise.all(Array.from({ length: 30 }, (_, i) => log.append(sharing(i, i % 2 ? a : b))));
      await log.append(record(30)); // a row that holds its whole answer (as rows written before judgements were kept apart)
      const [count] = await db.store.query<{ n: number }>('SELECT count(*)::int8 AS n FROM server_decision_judgements');
      expect(Number(count!.n)).toBe(2);
      expect((await log.get('dec-0007'))!.body).toEqual({ path: 'exempt', reasons: [{ code: 'server.reason.exempt', params: { rule: 'FREE-1' } }], schema: 'chujing.decision/1', id: 'dec-7', n: 7 });
      expect((await log.get('dec-0030'))!.body).toEqual(record(30).body);
      expect((await log.list({ limit: 100 })).filter((d) => (d.body as { path?: string }).path === 'standard-contract')).toHaveLength(15);
      expect(await log.verify(key)).toMatchObject({ intact: true, entries: 31 });

      // The shared text rewritten (its digest kept): every decision that refers to it no longer verifies.
      await db.store.query("UPDATE server_decision_judgements SET body = replace(body, 'FREE-1', 'FREE-2') WHERE digest = decode($1, 'hex')", [a.digest]);
      expect((await log.verify(key)).firstBreak).toMatchObject({ kind: 'changed', seq: 2 });
      await db.store.query('UPDATE server_decision_judgements SET body = $2 WHERE digest = decode($1, \'hex\')', [a.digest, a.text]);
      expect((await log.verify(key)).intact).toBe(true);
      // Removed: the same.
      await db.store.query("DELETE FROM server_decision_judgements WHERE digest = decode($1, 'hex')", [b.digest]);
      expect((await log.verify(key)).firstBreak).toMatchObject({ kind: 'changed', seq: 1 });
      // A row pointed at another judgement (its digest changed in place) breaks its own hash.
      await db.store.query("INSERT INTO server_decision_judgements (digest, body) VALUES (decode($1, 'hex'), $2)", [b.digest, b.text]);
      await rewriteBatch(db.store, await batchHolding(db.store, 1), (entries) => void (entries[0]![9] = a.digest));
      expect((await log.verify(key)).firstBreak).toMatchObject({ kind: 'changed', seq: 1 });
    });

    it('keeps exactly the text a caller sent, quotes, backslashes and all', async () => {
      const { log } = await setup();
      const nasty = ["it's", "'); DROP TABLE server_decisions; --", '\\x00 \\\' $1 $$ $tag$', 'E\'\\n\'', '数据出境 🚗', 'tab\tnew\nline', 'nul \u0000 inside'];
      const j = judgementOf({ reasons: nasty });
      for (let i = 0; i < nasty.length; i++) {
        const r = { ...sharing(i, j), caller: `token:x (${nasty[i]!.replaceAll('\u0000', '')})`, body: { purpose: nasty[i], i } };
        await log.append(r);
      }
      for (let i = 0; i < nasty.length; i++) {
        const got = await log.get(`dec-${String(i).padStart(4, '0')}`);
        expect(got!.body).toEqual({ reasons: nasty, purpose: nasty[i], i });
        expect(got!.caller).toBe(`token:x (${nasty[i]!.replaceAll('\u0000', '')})`);
      }
      expect(await log.verify(key)).toMatchObject({ intact: true, entries: nasty.length });
    });

    it('batches sent while earlier ones commit: when an execution or another writer moves the head between them, none is lost', async () => {
      const { db, log } = await setup();
      const other = new DecisionLog(db, { key });
      const j = judgementOf({ path: 'exempt' });
      let n = 0;
      const waves: Promise<unknown>[] = [];
      for (let wave = 0; wave < 6; wave++) {
        for (let i = 0; i < 12; i++) waves.push(log.append(sharing(n++, j)));
        if (wave % 2) waves.push(db.transaction((tx) => log.appendIn(tx, [record(n++)])));
        else waves.push(other.append(record(n++)));
        // Let the log send a batch before the next wave arrives.
        await new Promise((r) => setImmediate(r));
      }
      await Promise.all(waves);
      await log.flush();
      const v = await log.verify(key);
      expect(v).toMatchObject({ intact: true, entries: n, headSeq: n, headSealed: true, firstBreak: null });
      const ids = new Set((await log.list({ limit: 1000 })).map((d) => d.id));
      expect(ids.size).toBe(n);
    });

    it('retention removes the oldest decisions as a prefix; the rest still verifies', async () => {
      const { log } = await setup();
      for (let i = 0; i < 6; i++) await log.append(record(i, `2021-0${i + 1}-15T00:00:00.000Z`));
      for (let i = 6; i < 9; i++) await log.append(record(i, `2026-0${i - 5}-15T00:00:00.000Z`));
      expect(await log.prune('2023-12-01T00:00:00.000Z')).toBe(6);
      expect(await log.prune('2023-12-01T00:00:00.000Z')).toBe(0);
      const v = await log.verify(key);
      expect(v).toMatchObject({ intact: true, entries: 3, baseSeq: 6, headSeq: 9, headSealed: true });
      expect(await log.get('dec-0000')).toBeNull();
      expect(await log.get('dec-0008')).not.toBeNull();
    });

    it('retention also removes the judgements no decision refers to any more', async () => {
      const { db, log } = await setup();
      const old = judgementOf({ path: 'old' });
      const kept = judgementOf({ path: 'kept' });
      for (let i = 0; i < 4; i++) await log.append({ ...sharing(i, old), decidedAt: `2021-0${i + 1}-15T00:00:00.000Z` });
      for (let i = 4; i < 6; i++) await log.append({ ...sharing(i, kept), decidedAt: `2026-0${i - 3}-15T00:00:00.000Z` });
      expect(await log.prune('2023-12-01T00:00:00.000Z')).toBe(4);
      const digests = (await db.store.query<{ digest: Buffer }>('SELECT digest FROM server_decision_judgements')).map((r) => Buffer.from(r.digest).toString('hex'));
      expect(digests).toEqual([kept.digest]);
      // A decision sharing the removed judgement again stores it again.
      await log.append({ ...sharing(6, old), decidedAt: '2026-06-15T00:00:00.000Z' });
      expect((await log.get('dec-0006'))!.body).toMatchObject({ path: 'old', n: 6 });
      expect(await log.verify(key)).toMatchObject({ intact: true, entries: 3 });
    });

    it('a judgement another writer pruned is stored again by a log that remembered it as kept', async () => {
      const { db, log } = await setup();
      const other = new DecisionLog(db, { key });
      const j = judgementOf({ path: 'pruned elsewhere' });
      for (let i = 0; i < 3; i++) await log.append({ ...sharing(i, j), decidedAt: `2021-0${i + 1}-15T00:00:00.000Z` });
      // Another server on the same database removes them, and the judgement with them.
      expect(await other.prune('2023-12-01T00:00:00.000Z')).toBe(3);
      expect(await db.store.query('SELECT digest FROM server_decision_judgements')).toEqual([]);
      await log.append({ ...sharing(3, j), decidedAt: '2026-06-15T00:00:00.000Z' });
      expect((await log.get('dec-0003'))!.body).toMatchObject({ path: 'pruned elsewhere', n: 3 });
      expect(await log.verify(key)).toMatchObject({ intact: true, entries: 1 });
    });
  });
}
