/**
 * The one-step statement of the server's database thread (src/store/pglite-simple-query.ts) gives what
 * PGlite's exec() gives: the same rows (types, NULLs, multi-byte text, several statements, large text),
 * the same errors, and a clean state after one. It waits for a transaction in progress instead of
 * running inside it.
 */
import fc from 'fast-check';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepChujingParsers } from '../../src/store/pglite-parsers.js';
import { canQuerySimply, simpleQuery } from '../../src/store/pglite-simple-query.js';

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

describe('one-step statements on PGlite', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
    keepChujingParsers(db);
    await db.exec("CREATE TABLE probe (id int PRIMARY KEY, note text, data bytea, tags text[]); INSERT INTO probe VALUES (1, 'one', '\\x0102', ARRAY['a','b']), (2, NULL, NULL, NULL)");
  });
  afterAll(async () => {
    await db.close();
  });

  const viaExec = async (sql: string) => (await db.exec(sql)).at(-1)?.rows ?? [];

  it('this PGlite can run them', () => {
    expect(canQuerySimply(db)).toBe(true);
  });

  it('answers the rows exec() answers', async () => {
    const statements = [
      'SELECT 1 AS n',
      "SELECT 12345678901234::bigint AS big, 1.5::float8 AS f, true AS yes, NULL::int AS nothing, '2026-10-01'::date AS day, '{\"k\": [1, 2]}'::jsonb AS j",
      'SELECT * FROM probe ORDER BY id',
      "SELECT '出境 — 数据 😀' AS s, length('出境😀') AS n",
      `SELECT length(${literal('x'.repeat(200_000))}) AS n, ${literal('y'.repeat(100_000))} AS long`,
      'SELECT 1 AS a; SELECT 2 AS b, 3 AS c',
      "SELECT 1 AS a; UPDATE probe SET note = 'one' WHERE id = 1",
      "INSERT INTO probe VALUES (3, 'three', NULL, ARRAY[]::text[]) ON CONFLICT (id) DO NOTHING",
      'SELECT id FROM probe WHERE false',
      '',
    ];
    for (const sql of statements) expect(await simpleQuery(db, sql), sql).toEqual(await viaExec(sql));
  });

  it('answers any text as exec() does (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 })), async (text) => {
        // PostgreSQL refuses NUL in text whichever way it is sent.
        const sql = `SELECT ${literal(text.replaceAll('\u0000', ''))} AS t`;
        expect(await simpleQuery(db, sql)).toEqual(await viaExec(sql));
      }),
      { numRuns: 150 },
    );
  });

  it('throws the database error exec() throws, and the next statement runs', async () => {
    for (const sql of ['SELECT * FROM no_such_table', 'SELEC 1', "INSERT INTO probe VALUES (1, 'again', NULL, NULL)", 'SELECT 1/0']) {
      const mine = await simpleQuery(db, sql).then(() => null, (e: unknown) => e as { code?: string; message: string; severity?: string });
      const theirs = await viaExec(sql).then(() => null, (e: unknown) => e as { code?: string; message: string; severity?: string });
      expect(mine, sql).not.toBeNull();
      expect({ code: mine!.code, message: mine!.message, severity: mine!.severity }, sql).toEqual({ code: theirs!.code, message: theirs!.message, severity: theirs!.severity });
      expect(await simpleQuery(db, 'SELECT count(*)::int AS n FROM probe')).toEqual([{ n: 3 }]);
    }
  });

  it('waits for a transaction in progress rather than running inside it', async () => {
    let seen: unknown;
    await db
      .transaction(async (tx) => {
        await tx.query("INSERT INTO probe VALUES (10, 'uncommitted', NULL, NULL)");
        // Sent while the transaction is open: inside it, it would count the uncommitted row.
        seen = simpleQuery(db, 'SELECT count(*)::int AS n FROM probe WHERE id = 10');
        await tx.query("UPDATE probe SET note = 'still uncommitted' WHERE id = 10");
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await seen).toEqual([{ n: 0 }]);
  });

  it('refuses to run on a closed database', async () => {
    const other = new PGlite();
    await other.waitReady;
    await other.close();
    await expect(simpleQuery(other, 'SELECT 1')).rejects.toThrow(/closed/);
  });
});
