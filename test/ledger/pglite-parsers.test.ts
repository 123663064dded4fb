/**
 * chujing keeps only the type parsers of the types it reads in PGlite's map (PGlite copies the map for
 * every statement's result: with its ~300 array types that copy cost 125 µs a statement). The values
 * chujing reads still come back parsed, on the caller's thread and in the worker thread; a type outside
 * the kept ones comes back as PostgreSQL's text.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keepChujingParsers } from '../../src/store/pglite-parsers.js';
import { pgliteThreadEntry } from '../../src/store/pglite-remote.js';
import { openStore } from '../../src/store/index.js';
import { removeDir } from '../server/helpers.js';

describe('the PGlite parsers chujing keeps', () => {
  it('keeps the scalar types chujing reads, their arrays and the named entries; drops the rest', () => {
    const parse = () => null;
    const db = { parsers: { 25: parse, 1009: parse, 17: parse, 1001: parse, 3802: parse, 2951: parse, 1041: parse, string: parse } as Record<number | string, unknown> };
    keepChujingParsers(db);
    expect(Object.keys(db.parsers).sort()).toEqual(['1001', '1009', '17', '25', '3802', 'string']);
  });

  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => removeDir(d)));
  const modes = [{ inThread: false }, ...(pgliteThreadEntry() ? [{ inThread: true }] : [])];
  for (const { inThread } of modes) {
    it(`reads every type chujing stores, parsed (${inThread ? 'worker thread' : 'own thread'})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'chujing-parsers-'));
      dirs.push(dir);
      const store = (await openStore({ workspaceDir: dir, env: {}, inThread }))!;
      try {
        const [row] = await store.query<Record<string, unknown>>(
          `SELECT ARRAY['a', 'b,c', '"q"']::text[] AS texts, ARRAY['\\x00ff'::bytea, '\\x'::bytea] AS bytes, 9007199254740991::int8 AS big,
                  ARRAY[1, 2]::int8[] AS bigs, 7::int4 AS small, 2::smallint AS tiny, true AS yes, '{"a":[1]}'::jsonb AS doc, 1.5::float8 AS real,
                  'x'::text AS word, '2026-12-07T00:00:00Z'::timestamptz AS at, ARRAY['10.0.0.1'::inet] AS other`,
        );
        expect(row).toMatchObject({ texts: ['a', 'b,c', '"q"'], big: 9007199254740991, bigs: [1, 2], small: 7, tiny: 2, yes: true, doc: { a: [1] }, real: 1.5, word: 'x' });
        expect((row!.bytes as Uint8Array[]).map((b) => Buffer.from(b).toString('hex'))).toEqual(['00ff', '']);
        expect(new Date(row!.at as string | Date).toISOString()).toBe('2026-12-07T00:00:00.000Z');
        // A type chujing does not read: PostgreSQL's text form.
        expect(row!.other).toBe('{10.0.0.1}');
      } finally {
        await store.close();
      }
    });
  }
});
