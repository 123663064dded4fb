// `chujing scan manifest` and `chujing scan drivelog` through the built CLI, as a user runs them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/manifests/', import.meta.url));
const KEY = 'cli-test-secret-0123456789';
const env = { CHUJING_HMAC_KEY: KEY };
const RAW = ['LSVAB12345678901A', '110101199001011234', '13900139000', '13800138000', '89860099999999999999', '440301198512315678', 'LSVSECRET00000001'];

function expectNoRaw(text: string): void {
  for (const raw of RAW) expect(text).not.toContain(raw);
}

describe('chujing scan manifest', () => {
  it('--json prints the exact counts and no identifier', () => {
    const r = runCli(['scan', 'manifest', 'persons.csv', '--json'], { cwd: FIXTURES, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      kind: 'manifest',
      path: 'persons.csv',
      records: 8,
      distinctVehicles: 3,
      distinctPersons: 4,
      distinctSensitivePersons: 2,
      chargingConsumptionPersons: 2,
      distinctPersonsIdentifiableByVehicleIds: 4,
      skippedCount: 0,
      skipped: [],
    });
    expect(out.keyFingerprint).toMatch(/^[0-9a-f]{16}$/);
    expectNoRaw(r.stdout);
  });

  it('prints a human summary, reads the key from --key-file or --key-env, and gives the same counts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-cli-'));
    writeFileSync(join(dir, 'key'), `${KEY}\n`, { mode: 0o600 }); // a key file readable by others is refused (issue 19)
    const a = runCli(['scan', 'manifest', join(FIXTURES, 'persons.jsonl'), '--key-file', join(dir, 'key')], { env: { CHUJING_HMAC_KEY: '' } });
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/distinct persons\s+4\n/);
    const b = runCli(['scan', 'manifest', join(FIXTURES, 'persons.jsonl'), '--key-env', 'MY_KEY', '--json'], { env: { MY_KEY: KEY } });
    expect(JSON.parse(b.stdout).distinctPersons).toBe(4);
    expectNoRaw(a.stdout + b.stdout);
  });

  it('maps columns with --column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-cli-'));
    writeFileSync(join(dir, 'm.csv'), 'chassis,customer\nL1,C1\nL2,C1\n');
    const r = runCli(['scan', 'manifest', 'm.csv', '--column', 'vin=chassis', '--column', 'personId=customer', '--json'], { cwd: dir, env });
    expect(JSON.parse(r.stdout)).toMatchObject({ distinctVehicles: 2, distinctPersons: 1 });
  });

  it('malformed CSV: exit 2, file and line on stderr, nothing on stdout; with --json, the error as JSON on stdout', () => {
    const r = runCli(['scan', 'manifest', 'bad-quote.csv'], { cwd: FIXTURES, env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('bad-quote.csv:3');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const j = runCli(['scan', 'manifest', 'bad-quote.csv', '--json'], { cwd: FIXTURES, env });
    expect(j.code).toBe(2);
    expect(j.stderr).toBe('');
    expect(JSON.parse(j.stdout).error.issues[0]).toMatchObject({ file: 'bad-quote.csv', line: 3 });
  });

  it('malformed JSONL: exit 2 naming the line, without quoting the identifier; --keep-going skips and lists it', () => {
    const r = runCli(['scan', 'manifest', 'bad-line.jsonl'], { cwd: FIXTURES, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-line.jsonl:3');
    expectNoRaw(r.stderr);
    const k = runCli(['scan', 'manifest', 'bad-line.jsonl', '--keep-going', '--json'], { cwd: FIXTURES, env });
    expect(k.code).toBe(0);
    const out = JSON.parse(k.stdout);
    expect(out).toMatchObject({ records: 3, skippedCount: 1, distinctPersons: 2, skipped: [{ file: 'bad-line.jsonl', line: 3 }] });
    expectNoRaw(k.stdout);
  });

  it('missing key: exit 2 naming the variable', () => {
    const r = runCli(['scan', 'manifest', 'persons.csv'], { cwd: FIXTURES, env: { CHUJING_HMAC_KEY: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CHUJING_HMAC_KEY');
    expect(r.stdout).toBe('');
  });

  it('unknown column category and missing file: exit 2', () => {
    expect(runCli(['scan', 'manifest', 'persons.csv', '--column', 'email=mail'], { cwd: FIXTURES, env }).code).toBe(2);
    const r = runCli(['scan', 'manifest', 'nope.csv'], { cwd: FIXTURES, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.csv');
  });
});

describe('chujing scan drivelog', () => {
  it('--json prints hours, km, pictures and distinct vehicles', () => {
    const r = runCli(['scan', 'drivelog', 'drivelog.csv', '--json'], { cwd: FIXTURES, env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'drivelog', clips: 5, rawImageryHours: 2, rawImageryKm: 72, rawPictures: 121, distinctVehicles: 3 });
    expectNoRaw(r.stdout);
  });

  it('VINs without a key: exit 2; --no-vehicles runs without one', () => {
    const noKey = { CHUJING_HMAC_KEY: '' };
    const r = runCli(['scan', 'drivelog', 'drivelog.csv'], { cwd: FIXTURES, env: noKey });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CHUJING_HMAC_KEY');
    const n = runCli(['scan', 'drivelog', 'drivelog.csv', '--no-vehicles', '--json'], { cwd: FIXTURES, env: noKey });
    expect(n.code).toBe(0);
    expect(JSON.parse(n.stdout)).toMatchObject({ distinctVehicles: null, rawImageryHours: 2 });
  });

  it('negative duration: exit 2 with file and line', () => {
    const r = runCli(['scan', 'drivelog', 'negative-duration.csv'], { cwd: FIXTURES, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('negative-duration.csv:3');
    expect(r.stderr).toContain('duration_s');
  });
});
