// The manifest counter: the fast HMAC equals node:crypto's, the digest set counts exactly, and the
// counts of the fixture manifests match the hand count in the comments.
import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ChujingError } from '../../src/errors.js';
import { render, type Msg } from '../../src/i18n/index.js';
import { hashIdentifier, normaliseIdentifier, IDENTIFIER_CATEGORIES, type IdentifierCategory } from '../../src/evidence/keyed-hash.js';
import { DigestSet, HmacSha256, IdentifierHasher, scanManifest } from '../../src/evidence/manifest/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/manifests/', import.meta.url));
const key = createSecretKey(Buffer.from('test-key-0123456789abcdef'));

describe('HmacSha256', () => {
  it('equals createHmac for any message, ASCII or not, short or long (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 100 }), fc.string({ unit: 'grapheme', maxLength: 90 }), (k, msg) => {
        const h = new HmacSha256(k);
        expect(h.digest(msg).toString('hex')).toBe(createHmac('sha256', k).update(msg).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('handles the one- and two-block boundaries of the inner hash', () => {
    const h = new HmacSha256(key);
    for (let len = 0; len <= 130; len++) {
      const msg = 'v'.repeat(len);
      expect(h.digest(msg).toString('hex'), `length ${len}`).toBe(createHmac('sha256', key).update(msg).digest('hex'));
    }
  });
});

describe('IdentifierHasher', () => {
  const raw = fc.string({ unit: fc.constantFrom('1', '3', '8', '6', '0', 'a', 'B', 'x', '-', ' ', '+', '(', '\t', 'é'), maxLength: 24 });
  it('gives exactly hashIdentifier of keyed-hash.ts (property)', () => {
    const hasher = new IdentifierHasher(key);
    fc.assert(
      fc.property(fc.constantFrom(...IDENTIFIER_CATEGORIES), raw, (category, value) => {
        const words = hasher.hash(category, value);
        if (normaliseIdentifier(category, value) === '') {
          expect(words).toBeNull();
          return;
        }
        const bytes = Buffer.alloc(32);
        for (let i = 0; i < 8; i++) bytes.writeInt32BE(words![i]!, i * 4);
        expect(bytes.equals(hashIdentifier(key, category, value))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('DigestSet', () => {
  /** Formatting variants that normalise to the same identifier. */
  const variant = (category: IdentifierCategory, v: string, style: number): string => {
    if (category === 'phone') return [v, `+86 ${v.slice(0, 3)} ${v.slice(3, 7)} ${v.slice(7)}`, `0086-${v}`, ` ${v}\t`][style % 4]!;
    return [v, v.toLowerCase(), `${v.slice(0, 3)}-${v.slice(3)}`, ` ${v} `][style % 4]!;
  };
  const ident = fc.record({
    category: fc.constantFrom<IdentifierCategory>('vin', 'phone', 'personId'),
    n: fc.integer({ min: 0, max: 300 }),
    style: fc.nat(3),
  });

  it('counts exactly what a naive Set of normalised identifiers counts, duplicates and variants included (property)', () => {
    const hasher = new IdentifierHasher(key);
    fc.assert(
      fc.property(fc.array(ident, { maxLength: 2000 }), (ids) => {
        const set = new DigestSet();
        const naive = new Set<string>();
        for (const { category, n, style } of ids) {
          const base = category === 'phone' ? `1${String(38000000000 + n).slice(1)}` : `LSV${String(n).padStart(14, '0')}`;
          const rawValue = variant(category, base, style);
          naive.add(`${category}:${normaliseIdentifier(category, rawValue)}`);
          set.add(hasher.hash(category, rawValue)!);
        }
        expect(set.size).toBe(naive.size);
      }),
      { numRuns: 100 },
    );
  });

  it('stays exact while growing far past its first table, and answers has()', () => {
    const set = new DigestSet();
    const words = new Uint32Array(4);
    for (let i = 0; i < 50_000; i++) {
      const d = randomBytes(16);
      for (let k = 0; k < 4; k++) words[k] = d.readUInt32LE(k * 4);
      expect(set.add(words)).toBe(true);
      expect(set.add(words)).toBe(false);
    }
    expect(set.size).toBe(50_000);
    expect(set.has(words)).toBe(true);
    expect(set.has([1, 2, 3, 4])).toBe(false);
  });

  it('counts the all-zero digest (the empty-slot marker) once', () => {
    const set = new DigestSet();
    expect(set.add([0, 0, 0, 0])).toBe(true);
    expect(set.add([0, 0, 0, 0])).toBe(false);
    expect(set.add([0, 0, 0, 1])).toBe(true);
    expect(set.size).toBe(2);
    expect(DigestSet.fromBytes(set.toBytes()).size).toBe(2);
  });

  it('round-trips through bytes and unions exactly', () => {
    const a = new DigestSet();
    const b = new DigestSet();
    for (let i = 1; i <= 100; i++) a.add([i, 7, 7, 7]);
    for (let i = 51; i <= 150; i++) b.add([i, 7, 7, 7]);
    const back = DigestSet.fromBytes(a.toBytes());
    expect(back.size).toBe(100);
    back.addAll(b);
    expect(back.size).toBe(150);
  });
});

describe('scanManifest', () => {
  // Hand count of persons.csv / persons.jsonl (same records):
  // vehicles: LSVAB12345678901A (rows 1, 2 as a variant, 7), LSVCD98765432100B, LSVEF11111111111C = 3
  // persons (person ID, else phone): 110101199001011234 (rows 1, 2), phone 13900139000 (rows 3, 6 — +86
  //   written differently), 44030119851231567X (row 5: the ID wins over the phone), 440301198512315678 = 4
  // sensitive: rows 1 (yes) and 5 (TRUE) = 2; charging: rows 2 (yes) and 8 (1) = 2
  // identifiable by vehicle ids: person of rows 1-2, person of rows 3/6, the ICCID of row 4 (no person),
  //   the VIN of row 7 (no person) = 4
  const expected = { distinctVehicles: 3, distinctPersons: 4, distinctSensitivePersons: 2, chargingConsumptionPersons: 2, distinctPersonsIdentifiableByVehicleIds: 4 };

  it('counts the CSV fixture exactly', async () => {
    const { result } = await scanManifest(join(FIXTURES, 'persons.csv'), { key });
    expect(result).toMatchObject({ ...expected, records: 8, skippedCount: 0 });
    expect(result.columns[join(FIXTURES, 'persons.csv')]).toMatchObject({ vin: 'vin', personId: 'person_id', sensitive: 'sensitive_pi', charging: 'charging' });
  });

  it('counts the JSONL fixture (same records, other spellings) the same', async () => {
    const { result } = await scanManifest(join(FIXTURES, 'persons.jsonl'), { key });
    expect(result).toMatchObject({ ...expected, records: 8 });
  });

  it('never puts a raw identifier in its result', async () => {
    const { result } = await scanManifest(join(FIXTURES, 'persons.csv'), { key });
    const out = JSON.stringify(result);
    for (const raw of ['LSVAB12345678901A', '110101199001011234', '13900139000', '89860099999999999999', '440301198512315678', '13800138000']) {
      expect(out).not.toContain(raw);
    }
  });

  it('uses --column overrides, and says which categories it could not find', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-manifest-'));
    const p = join(dir, 'm.csv');
    writeFileSync(p, 'chassis,customer,flag\nL1,C1,1\nL2,C1,0\nL2,C2,\n');
    const { result } = await scanManifest(p, { key, columns: { vin: 'chassis', personId: 'customer', sensitive: 'flag' } });
    expect(result).toMatchObject({ distinctVehicles: 2, distinctPersons: 2, distinctSensitivePersons: 1 });
    expect(result.columns[p]).toMatchObject({ phone: null, iccid: null });
  });

  it('rejects a manifest without identifier columns, at line 1, without echoing the header', async () => {
    const err = (await scanManifest(join(FIXTURES, 'no-identifiers.csv'), { key }).catch((e: unknown) => e)) as ChujingError;
    expect(err).toBeInstanceOf(ChujingError);
    expect(err.issues[0]).toMatchObject({ line: 1 });
    expect(render('en', err.issues[0]!.expected as Msg)).toContain('person_id');
  });

  it('rejects a sensitive record that names no person, and a bad yes/no value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-manifest-'));
    const p = join(dir, 'm.csv');
    writeFileSync(p, 'vin,person_id,sensitive\nL1,P1,yes\nL2,,yes\nL3,P3,maybe\nL4,P4,no\n');
    await expect(scanManifest(p, { key })).rejects.toMatchObject({ issues: [{ line: 3 }] });
    const { result } = await scanManifest(p, { key, keepGoing: true });
    // Rejected records leave nothing behind: L2 and L3 are not counted as vehicles.
    expect(result).toMatchObject({ records: 2, skippedCount: 2, distinctVehicles: 2, distinctPersons: 2, distinctSensitivePersons: 1 });
    expect(result.skipped.map((s) => s.line)).toEqual([3, 4]);
  });

  it('counts a folder of manifests as one set of persons', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-manifest-'));
    writeFileSync(join(dir, 'a.csv'), readFileSync(join(FIXTURES, 'persons.csv')));
    writeFileSync(join(dir, 'b.jsonl'), readFileSync(join(FIXTURES, 'persons.jsonl')));
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    const { result } = await scanManifest(dir, { key });
    expect(result).toMatchObject({ ...expected, files: 2, records: 16 });
  });
});
