// Issues 14, 9, 10, 8 for the evidence of a workspace and for manifests: paths and links that lead out,
// the cache (exact round trip, 0700/0600, no links, stat-keyed and never stale), encodings, columns,
// no identifier in any error, `validate` checking evidence files, and the exact person table.
import { createSecretKey } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChujingError } from '../../src/errors.js';
import { loadWorkspace } from '../../src/model/load.js';
import { measureWorkspaceEvidence } from '../../src/evidence/measure.js';
import { EvidenceCache } from '../../src/evidence/cache.js';
import { PersonTable, PERSON, SENSITIVE, VEHICLE } from '../../src/evidence/manifest/person-table.js';
import { parseJsonNumber } from '../../src/evidence/annotations/coco.js';
import { manifestHashes } from '../../src/ledger/manifest.js';
import { cli } from '../helpers/main.js';
import { errorText } from '../helpers/cli.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/manifests/workspace/', import.meta.url));
const env = { FIXTURE_HMAC_KEY: 'fixture-secret-0123456789', LANG: 'en_US.UTF-8' };
const KEY = 'cli-test-secret-0123456789';
const key = createSecretKey(Buffer.from(KEY));

function copyWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-hostile-ws-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}
const yamlOf = (dir: string) => join(dir, 'chujing.yaml');
function editYaml(dir: string, from: string, to: string): void {
  writeFileSync(yamlOf(dir), readFileSync(yamlOf(dir), 'utf8').replace(from, to));
}

describe('evidence paths stay inside the workspace', () => {
  const outside = mkdtempSync(join(tmpdir(), 'chujing-outside-'));
  writeFileSync(join(outside, 'secret.csv'), 'vin,person_id\nFIRSTLINESECRET,P1\n');

  it('an evidence path with .. is refused (assess and validate, exit 2), naming the field', async () => {
    const dir = copyWorkspace();
    editYaml(dir, 'path: data/persons.csv', `path: ${relative(dir, join(outside, 'secret.csv'))}`);
    for (const cmd of ['assess', 'validate']) {
      const r = await cli(cmd === 'assess' ? [cmd, dir, '--no-ledger', '--as-of', '2026-03-01'] : [cmd, dir], env);
      expect(r.code, r.stderr).toBe(2);
      expect(errorText(r)).toContain('outside the workspace');
      expect(errorText(r)).toContain('datasets[1].evidence[1].path');
      expect(errorText(r)).not.toContain('FIRSTLINESECRET');
    }
  });

  it('a symlink that leads out, as the evidence path or inside an evidence folder, is refused', async () => {
    const dir = copyWorkspace();
    symlinkSync(join(outside, 'secret.csv'), join(dir, 'data', 'link.csv'));
    editYaml(dir, 'path: data/persons.csv', 'path: data/link.csv');
    const r = await cli(['assess', dir, '--no-ledger', '--as-of', '2026-03-01'], env);
    expect(r.code).toBe(2);
    expect(errorText(r)).toContain('outside the workspace');
    expect(errorText(r)).not.toContain('FIRSTLINESECRET');

    const dir2 = copyWorkspace();
    mkdirSync(join(dir2, 'data', 'owners'));
    writeFileSync(join(dir2, 'data', 'owners', 'a.csv'), 'vin,person_id\nL1,P1\n');
    symlinkSync(outside, join(dir2, 'data', 'owners', 'more'));
    editYaml(dir2, 'path: data/persons.csv', 'path: data/owners');
    const r2 = await cli(['validate', dir2], env);
    expect(r2.code).toBe(2);
    expect(errorText(r2)).toContain('data/owners/more');
    const r3 = await cli(['assess', dir2, '--no-ledger', '--as-of', '2026-03-01'], env);
    expect(r3.code).toBe(2);
    expect(errorText(r3)).not.toContain('FIRSTLINESECRET');
  });

  it('a .chujing/evidence-cache that is a symlink is never written through', async () => {
    const dir = copyWorkspace();
    const target = mkdtempSync(join(tmpdir(), 'chujing-cache-target-'));
    mkdirSync(join(dir, '.chujing'));
    symlinkSync(target, join(dir, '.chujing', 'evidence-cache'));
    const r = await cli(['assess', dir, '--no-ledger', '--as-of', '2026-03-01'], env);
    expect(r.code).toBe(2);
    expect(errorText(r)).toContain('symbolic link');
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('the evidence cache', () => {
  it('is created 0700 (folders) and 0600 (files) whatever the umask', async () => {
    const dir = copyWorkspace();
    const old = process.umask(0);
    try {
      await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env });
    } finally {
      process.umask(old);
    }
    const cache = join(dir, '.chujing', 'evidence-cache');
    expect(statSync(join(dir, '.chujing')).mode & 0o777).toBe(0o700);
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    const files = readdirSync(cache);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(statSync(join(cache, f)).mode & 0o777, f).toBe(0o600);
  });

  it('returns exactly what was put, for every finite double (property), and refuses a non-finite one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-cache-rt-'));
    const cache = new EvidenceCache(dir);
    const edge = [0, Number.MIN_VALUE, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 0.1 + 0.2, 1e308, 31.999999999999996, 32];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...edge)), { minLength: 1, maxLength: 8 }), (values) => {
        const result = { values: values.map((v) => v + 0), maxFaceBoxMinSidePx: values[0]! + 0, none: null };
        cache.put('k', { kind: 'annotations', contentHash: 'h', keyFingerprint: null, result });
        const back = cache.get<typeof result>('k')!.entry.result;
        expect(back.values.map((v) => Object.is(v, v + 0))).toEqual(values.map(() => true));
        expect(back).toEqual(result);
      }),
      { numRuns: 200 },
    );
    expect(() => cache.put('k', { kind: 'annotations', contentHash: 'h', keyFingerprint: null, result: { m: Infinity } })).toThrow(ChujingError);
  });

  it('a 1e400 box: assess refuses the file, the first time and from the cache alike (no answer changes)', async () => {
    const dir = copyWorkspace();
    const labels = JSON.parse(readFileSync(join(dir, 'data/labels.json'), 'utf8'));
    writeFileSync(join(dir, 'data/labels.json'), JSON.stringify(labels).replace(/"bbox":\s*\[([^\]]*?),\s*([^\],]+)\]/, '"bbox": [$1, 1e400]'));
    const first = await cli(['assess', dir, '--no-ledger', '--json', '--as-of', '2026-03-01'], env);
    const second = await cli(['assess', dir, '--no-ledger', '--json', '--as-of', '2026-03-01'], env);
    expect([first.code, second.code]).toEqual([2, 2]);
    expect(errorText(first)).toContain('labels.json');
  });

  it('a run from the cache decides exactly as the run that filled it', async () => {
    const dir = copyWorkspace();
    const a = await cli(['assess', dir, '--no-ledger', '--json', '--as-of', '2026-03-01'], env);
    const b = await cli(['assess', dir, '--no-ledger', '--json', '--as-of', '2026-03-01'], env);
    expect(a.code).toBe(b.code);
    const strip = (s: string) => JSON.parse(s.replace(/"cached": (true|false)/g, '"cached": null'));
    expect(strip(b.stdout)).toEqual(strip(a.stdout));
  });

  it('does not re-read an unchanged file, and never serves a stale entry for a changed one', async () => {
    const dir = copyWorkspace();
    // A clock well past the files' times, so their stat records are trusted (not "racily clean").
    const now = () => Date.now() + 60_000;
    const cache1 = new EvidenceCache(dir, { now });
    const file = join(dir, 'data/drivelog.csv');
    const h1 = cache1.contentHash(file);
    expect(cache1.filesHashed).toBe(1);
    const cache2 = new EvidenceCache(dir, { now });
    expect(cache2.contentHash(file)).toBe(h1);
    expect(cache2.filesHashed).toBe(0);
    // Same size, mtime put back: the ctime still changes, so the file is hashed again.
    const st = statSync(file);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('3600', '3601'));
    utimesSync(file, st.atime, st.mtime);
    expect(statSync(file).size).toBe(st.size);
    const cache3 = new EvidenceCache(dir, { now });
    const h3 = cache3.contentHash(file);
    expect(cache3.filesHashed).toBe(1);
    expect(h3).not.toBe(h1);
    // Without the moved clock, a file changed just now is too fresh to trust: hashed again (never stale).
    writeFileSync(file, text.replace('3600', '3602'));
    const cache4 = new EvidenceCache(dir);
    cache4.contentHash(file);
    const cache5 = new EvidenceCache(dir);
    cache5.contentHash(file);
    expect(cache5.filesHashed).toBe(1);
  });
});

describe('manifests: encodings, columns, and no identifier in any error', () => {
  const mdir = mkdtempSync(join(tmpdir(), 'chujing-manifests-'));
  const ID = '110101199001011234';
  const VIN = 'LSVAB12345678901A';
  const PHONE = '13900139000';
  const write = (name: string, data: string | Buffer) => {
    writeFileSync(join(mdir, name), data);
    return name;
  };
  const scanM = (name: string, ...more: string[]) => cli(['scan', 'manifest', name, '--json', ...more], { CHUJING_HMAC_KEY: KEY, LANG: 'en_US.UTF-8' }, mdir);

  it('GB18030 (Excel) is detected from Chinese headers and reported; the counts equal the UTF-8 file', async () => {
    const text = `车架号,身份证号,手机号,姓名,敏感,充电\n${VIN},${ID},${PHONE},张三,是,否\nLSVAB12345678902B,110101199001015678,13900139001,李四,否,是\n`;
    const utf8 = await scanM(write('u.csv', text));
    const gbk = await scanM(write('g.csv', Buffer.from(new TextEncoder().encode(text)).length ? gb18030(text) : Buffer.alloc(0)));
    expect(utf8.code, utf8.stderr).toBe(0);
    expect(gbk.code, gbk.stderr).toBe(0);
    const u = JSON.parse(utf8.stdout);
    const g = JSON.parse(gbk.stdout);
    expect(u).toMatchObject({ schema: 'chujing.scan-manifest/1', distinctVehicles: 2, distinctPersons: 2, distinctSensitivePersons: 1, chargingConsumptionPersons: 1 });
    expect([g.distinctVehicles, g.distinctPersons, g.distinctSensitivePersons, g.chargingConsumptionPersons]).toEqual([2, 2, 1, 1]);
    expect(g.encodings['g.csv']).toEqual({ encoding: 'gb18030', by: 'header' });
    expect(u.columns['u.csv']).toMatchObject({ vin: '车架号', personId: '身份证号', phone: '手机号' });
    const bom = await scanM(write('b.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])));
    expect(JSON.parse(bom.stdout)).toMatchObject({ distinctPersons: 2, encodings: { 'b.csv': { encoding: 'utf-8', by: 'bom' } } });
    const chosen = await scanM('g.csv', '--encoding', 'gbk');
    expect(JSON.parse(chosen.stdout).encodings['g.csv']).toEqual({ encoding: 'gb18030', by: 'option' });
  });

  it('invalid UTF-8 in an identifier is an error naming file and line; nothing is counted or written', async () => {
    const bad = Buffer.concat([Buffer.from(`vin,person_id\n${VIN},${ID}\nLSVAB1234567890`), Buffer.from([0xff, 0xfe]), Buffer.from(`C,P2\n`)]);
    const r = await scanM(write('bad-utf8.csv', bad));
    expect(r.code).toBe(2);
    expect(errorText(r)).toContain('bad-utf8.csv:3');
    expect(errorText(r)).toContain('--encoding');
    // The ledger import reads through the same decoder: the hash stream fails before its first batch.
    const gen = manifestHashes({ file: join(mdir, 'bad-utf8.csv'), display: 'bad-utf8.csv', format: 'csv', columns: {}, key });
    await expect((async () => { for await (const _ of gen) void _; })()).rejects.toMatchObject({ code: 'bad-input', issues: [{ file: 'bad-utf8.csv', line: 3 }] });
  });

  it('--column personId=nosuch is exit 2 (scan manifest, scan drivelog, ledger import reading)', async () => {
    write('m.csv', `vin,person_id\n${VIN},${ID}\n`);
    const r = await scanM('m.csv', '--column', 'personId=nosuch');
    expect(r.code).toBe(2);
    expect(errorText(r)).toContain('nosuch');
    const d = await cli(['scan', 'drivelog', 'm.csv', '--column', 'duration=nosuch'], { CHUJING_HMAC_KEY: KEY }, mdir);
    expect(d.code).toBe(2);
    const jl = await scanM(write('m.jsonl', `{"vin":"${VIN}","person_id":"${ID}"}\n`), '--column', 'personId=nosuch');
    expect(jl.code).toBe(2);
    const gen = manifestHashes({ file: join(mdir, 'm.csv'), format: 'csv', columns: { personId: 'nosuch' }, key });
    await expect((async () => { for await (const _ of gen) void _; })()).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('a file that names persons only by 姓名 is refused with a message that says a name is not an identifier', async () => {
    const r = await scanM(write('names.csv', '姓名,城市\n张三,上海\n'));
    expect(r.code).toBe(2);
    expect(errorText(r)).toContain('not an identifier');
  });

  it('no error output of any bad manifest quotes an identifier (not even 8 characters of one)', async () => {
    const ids = [ID, VIN, PHONE];
    const files: [string, string | Buffer][] = [
      ['q.csv', `vin,person_id,sensitive\n${VIN},${ID},${PHONE}\n`],
      ['w.csv', `${VIN},${ID}\n${VIN},${ID}\n`],
      ['e.csv', `vin,person_id\n${VIN},"${ID}\n`],
      ['j.jsonl', `{"vin":"${VIN}","person_id":"${ID}"}\n{"vin":"${VIN}" "person_id":"${ID}"}\n`],
      ['k.jsonl', `{"vin":"${VIN}","person_id":{"x":"${ID}"}}\n`],
      ['f.csv', `vin,person_id\n${VIN},${ID},${PHONE}\n`],
    ];
    const pieces = ids.flatMap((id) => Array.from({ length: id.length - 7 }, (_, i) => id.slice(i, i + 8)));
    for (const [name, data] of files) {
      write(name, data);
      for (const r of [await scanM(name), await cli(['--lang', 'zh', 'scan', 'manifest', name], { CHUJING_HMAC_KEY: KEY }, mdir)]) {
        expect(r.code, `${name}: ${r.stderr}`).toBe(2);
        for (const p of pieces) expect(r.stdout + r.stderr, `${name} leaks ${p}`).not.toContain(p);
      }
      const gen = manifestHashes({ file: join(mdir, name), display: name, format: name.endsWith('.csv') ? 'csv' : 'jsonl', columns: { sensitive: 'sensitive' }, key });
      const err = await (async () => { for await (const _ of gen) void _; })().then(() => null, (e: unknown) => e);
      if (err) for (const p of pieces) expect(JSON.stringify((err as ChujingError).issues) + (err as Error).message, `ledger ${name}`).not.toContain(p);
    }
  });
});

describe('validate checks the evidence files (issue 8)', () => {
  it('a missing evidence file fails validate (exit 2) with the field and line, as assess would', async () => {
    const dir = copyWorkspace();
    editYaml(dir, 'path: data/persons.csv', 'path: data/nope.csv');
    const r = await cli(['validate', dir], env);
    expect(r.code).toBe(2);
    expect(errorText(r)).toContain('datasets[1].evidence[1].path');
    expect(errorText(r)).toContain('nope.csv');
    const ok = await cli(['validate', copyWorkspace()], env);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('an unknown column category and a folder without files of the format are reported', async () => {
    const dir = copyWorkspace();
    mkdirSync(join(dir, 'data', 'empty'));
    editYaml(dir, 'columns: { sensitive: sensitive_pi }', 'columns: { sensitiv: sensitive_pi }');
    editYaml(dir, 'path: data/labels.json', 'path: data/empty');
    const r = await cli(['validate', dir], env);
    expect(r.code).toBe(2);
    expect(errorText(r)).toContain('sensitiv');
    expect(errorText(r)).toContain('data/empty');
  });
});

describe('the person table', () => {
  it('counts exactly what naive Sets count, per flag (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.constantFrom(PERSON, PERSON | SENSITIVE, VEHICLE, PERSON | VEHICLE)), { maxLength: 3000 }), (ops) => {
        const table = new PersonTable();
        const sets = new Map<number, Set<number>>([[PERSON, new Set()], [SENSITIVE, new Set()], [VEHICLE, new Set()]]);
        for (const [id, flags] of ops) {
          // A digest-like key: the id spread over four words (the first byte picks the partition).
          table.add([Math.imul(id, 0x9e3779b1), id, ~id, id * 7], flags);
          for (const f of [PERSON, SENSITIVE, VEHICLE]) if (flags & f) sets.get(f)!.add(id);
        }
        for (const f of [PERSON, SENSITIVE, VEHICLE]) expect(table.count(f)).toBe(sets.get(f)!.size);
        const back = PersonTable.fromBytes(table.toBytes());
        for (const f of [PERSON, SENSITIVE, VEHICLE]) expect(back.count(f)).toBe(sets.get(f)!.size);
      }),
      { numRuns: 50 },
    );
  });
});

describe('COCO decimals parsed in place', () => {
  it('give exactly what JSON.parse gives (property), and 1e400 is Infinity (then refused), never a value', () => {
    const bytes = (s: string) => Buffer.from(s, 'latin1');
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)), fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.nat(999999), fc.integer({ min: -330, max: 330 })).map(([a, b, e]) => `${a}.${b}e${e}`)), (s) => {
        expect(Object.is(parseJsonNumber(bytes(s), 0, s.length), JSON.parse(s))).toBe(true);
      }),
      { numRuns: 2000 },
    );
    for (const s of ['0', '-0', '12.5', '1E+2', '0.1', '123456789012345678', '4.9e-324', '1.7976931348623157e308']) expect(Object.is(parseJsonNumber(bytes(s), 0, s.length), JSON.parse(s))).toBe(true);
    expect(parseJsonNumber(bytes('1e400'), 0, 5)).toBe(Infinity);
    for (const s of ['01', '1.', '.5', '1e', '+1', '-', '1.2.3', '1e+']) expect(Number.isNaN(parseJsonNumber(bytes(s), 0, s.length)), s).toBe(true);
  });
});

/** GB18030 bytes of a text (Node has a decoder but no encoder: the few characters used here, by table). */
function gb18030(text: string): Buffer {
  const TABLE: Record<string, number[]> = {
    车: [0xb3, 0xb5], 架: [0xbc, 0xdc], 号: [0xba, 0xc5], 身: [0xc9, 0xed], 份: [0xb7, 0xdd], 证: [0xd6, 0xa4], 手: [0xca, 0xd6], 机: [0xbb, 0xfa],
    姓: [0xd0, 0xd5], 名: [0xc3, 0xfb], 敏: [0xc3, 0xf4], 感: [0xb8, 0xd0], 充: [0xb3, 0xe4], 电: [0xb5, 0xe7], 张: [0xd5, 0xc5], 三: [0xc8, 0xfd],
    李: [0xc0, 0xee], 四: [0xcb, 0xc4], 是: [0xca, 0xc7], 否: [0xb7, 0xf1],
  };
  const out: number[] = [];
  for (const ch of text) {
    const b = TABLE[ch];
    if (b) out.push(...b);
    else if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else throw new Error(`no GB18030 bytes for ${ch} in the test table`);
  }
  const buf = Buffer.from(out);
  // Check the table against Node's decoder, so a wrong entry cannot make the test pass.
  expect(new TextDecoder('gb18030').decode(buf)).toBe(text);
  return buf;
}

void appendFileSync;
