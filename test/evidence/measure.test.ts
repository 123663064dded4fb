// measureWorkspaceEvidence on a fixture workspace: facts from three kinds of evidence, exact vehicle
// union across a manifest and a drive log, the cache (hit on the second run, miss after an edit or a key
// change), and bad input naming the workspace field.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, appendFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ChujingError } from '../../src/errors.js';
import { loadWorkspace } from '../../src/model/load.js';
import { measureWorkspaceEvidence } from '../../src/evidence/measure.js';
import { findPack } from '../../src/rules/index.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/manifests/workspace/', import.meta.url));
const env = { FIXTURE_HMAC_KEY: 'fixture-secret-0123456789' };

function copyWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-measure-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

describe('measureWorkspaceEvidence', () => {
  it('measures every kind of evidence, unions vehicles exactly, and serves the second run from the cache', async () => {
    const dir = copyWorkspace();
    const loaded = loadWorkspace(dir, dir);
    const progress: unknown[] = [];
    const first = await measureWorkspaceEvidence(loaded, { env, onProgress: (m) => progress.push(m) });
    expect(Object.keys(first)).toEqual(['road-test']);
    const m = first['road-test']!;
    expect(m.facts).toEqual({
      // labels.json: the face boxes are 40x50 and 20x20, the plate 30x12 (min sides 40 and 12)
      maxFaceBoxMinSidePx: 40,
      maxPlateBoxMinSidePx: 12,
      // two face boxes and one plate box, of any size (IMP-A21-4 as the 2021 text reads)
      outsideFaceOrPlateBoxes: 3,
      // drivelog.csv (see drivelog.test.ts): 2 h, 72 km, 121 pictures
      rawImageryHours: 2,
      rawImageryKm: 72,
      rawPictures: 121,
      // manifest VINs {…01A, …00B, …11C} ∪ drive-log VINs {…01A, …00Z, …00B} = 4
      distinctVehicles: 4,
      distinctPersonsIdentifiableByVehicleIds: 4,
    });
    expect(m.personalInfo).toEqual({ persons: 4, sensitivePersons: 2, chargingConsumptionPersons: 2 });
    expect(m.sources.map((s) => [s.kind, s.path, s.cached])).toEqual([
      ['annotations', 'data/labels.json', false],
      ['manifest', 'data/persons.csv', false],
      ['drivelog', 'data/drivelog.csv', false],
    ]);
    expect(m.sources.every((s) => /^[0-9a-f]{64}$/.test(s.contentHash))).toBe(true);
    expect(progress).toHaveLength(3);

    const second = await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env });
    expect(second['road-test']!.sources.map((s) => s.cached)).toEqual([true, true, true]);
    expect(second['road-test']!.facts).toEqual(m.facts);
    expect(second['road-test']!.personalInfo).toEqual(m.personalInfo);
    expect(second['road-test']!.sources.map((s) => s.contentHash)).toEqual(m.sources.map((s) => s.contentHash));

    // The cache holds no raw identifier, in its JSON or in its digest sidecars.
    const cacheDir = join(dir, '.chujing', 'evidence-cache');
    const files = readdirSync(cacheDir);
    expect(files.some((f) => f.endsWith('.sets.bin'))).toBe(true);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    for (const f of files) {
      const text = readFileSync(join(cacheDir, f)).toString('latin1');
      for (const raw of ['LSVAB12345678901A', 'LSVCD98765432100B', '110101199001011234', '13900139000', '89860099999999999999']) expect(text).not.toContain(raw);
    }
  });

  it('scans a changed file again (and only that one)', async () => {
    const dir = copyWorkspace();
    await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env });
    appendFileSync(join(dir, 'data/drivelog.csv'), 'c6,LSVNEW0000000000N,video,3600,,,8,\n');
    const after = (await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env }))['road-test']!;
    expect(after.sources.map((s) => s.cached)).toEqual([true, true, false]);
    expect(after.facts).toMatchObject({ rawImageryHours: 3, rawImageryKm: 80, distinctVehicles: 5 });
  });

  it('hashes a folder by its files: adding one invalidates the cached result', async () => {
    const dir = copyWorkspace();
    const clips = join(dir, 'data/clips');
    mkdirSync(join(clips, 'day2'), { recursive: true });
    writeFileSync(join(clips, 'day1.csv'), 'clip_id,duration_s,distance_km\na,1800,10\n');
    writeFileSync(join(clips, 'day2', 'cam.jsonl'), '{"clip_id":"b","duration_s":1800,"distance_km":5}\n');
    const yaml = readFileSync(join(dir, 'chujing.yaml'), 'utf8').replace('path: data/drivelog.csv', 'path: data/clips');
    writeFileSync(join(dir, 'chujing.yaml'), yaml);
    const first = (await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env }))['road-test']!;
    // Vehicles now only from the manifest (the clip logs have no VINs): 3.
    expect(first.facts).toMatchObject({ rawImageryHours: 1, rawImageryKm: 15, distinctVehicles: 3 });
    expect((await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env }))['road-test']!.sources[2]!.cached).toBe(true);
    writeFileSync(join(clips, 'day2', 'cam2.csv'), 'clip_id,duration_s,distance_km\nc,3600,1\n');
    const after = (await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env }))['road-test']!;
    expect(after.sources[2]).toMatchObject({ path: 'data/clips', cached: false });
    expect(after.sources[2]!.contentHash).not.toBe(first.sources[2]!.contentHash);
    expect(after.facts).toMatchObject({ rawImageryHours: 2, rawImageryKm: 16 });
  });

  it('does not reuse results across keys or thresholds', async () => {
    const dir = copyWorkspace();
    await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env });
    const otherKey = await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env: { FIXTURE_HMAC_KEY: 'another-secret-0123456789' } });
    expect(otherKey['road-test']!.sources.map((s) => s.cached)).toEqual([true, false, false]);
    const yaml = readFileSync(join(dir, 'chujing.yaml'), 'utf8');
    writeFileSync(join(dir, 'chujing.yaml'), `${yaml}overrides:\n  thresholds:\n    - { rule: DRAFT-J6, fact: maxFaceBoxMinSidePx, threshold: 24, reason: stricter in-house reading }\n`);
    const stricter = await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env, packForDataset: () => findPack('cn-auto@2025-draft')! });
    expect(stricter['road-test']!.sources.map((s) => s.cached)).toEqual([false, true, true]);
  });

  it('names the workspace field, file and line of a missing evidence file', async () => {
    const dir = copyWorkspace();
    rmSync(join(dir, 'data/persons.csv'));
    const err = (await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env }).catch((e: unknown) => e)) as ChujingError;
    expect(err).toBeInstanceOf(ChujingError);
    expect(err.code).toBe('bad-input');
    const lines = readFileSync(join(dir, 'chujing.yaml'), 'utf8').split('\n');
    const pathLine = lines.findIndex((l) => l.includes('path: data/persons.csv')) + 1;
    expect(err.issues[0]).toMatchObject({ field: 'datasets[1].evidence[1].path', line: pathLine, file: expect.stringContaining('chujing.yaml') });
  });

  it('stops with bad-input when a manifest needs the key and none is set', async () => {
    const dir = copyWorkspace();
    const err = (await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env: {} }).catch((e: unknown) => e)) as ChujingError;
    expect(err).toBeInstanceOf(ChujingError);
    expect(err.code).toBe('bad-input');
    expect(err.message).toContain('FIXTURE_HMAC_KEY');
    expect(err.issues.at(-1)).toMatchObject({ field: 'datasets[1].evidence[1]' });
  });

  it('passes a bad record error through with the evidence file line and the workspace field', async () => {
    const dir = copyWorkspace();
    appendFileSync(join(dir, 'data/drivelog.csv'), 'c7,,video,-1,,,1,\n');
    const err = (await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env }).catch((e: unknown) => e)) as ChujingError;
    expect(err.issues[0]).toMatchObject({ file: 'data/drivelog.csv', line: 7 });
    expect(err.issues.at(-1)).toMatchObject({ field: 'datasets[1].evidence[2]' });
  });
});
