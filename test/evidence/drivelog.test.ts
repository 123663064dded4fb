// The drive-log summary: hours, km, pictures and vehicles of the fixture, and the validation of clips.
import { createSecretKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ChujingError } from '../../src/errors.js';
import { scanDrivelog } from '../../src/evidence/drivelog/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/manifests/', import.meta.url));
const key = createSecretKey(Buffer.from('test-key-0123456789abcdef'));

function file(text: string, name = 'd.csv'): string {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-drivelog-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('scanDrivelog', () => {
  it('summarises the fixture as counted by hand', async () => {
    // hours: c1 3600 s + c2 30 min from start/end + c5 1800 s = 7200 s = 2 h
    // km: 50.5 + 20 + 1.5 = 72 (c4, c5 have none: 2 clips without distance)
    // pictures: c3 120 frames + c4 one image; the 9000 frames of video c5 are video, not pictures
    // vehicles: LSVAB…01A (c1, c2 in lower case), LSVZZ…, LSVCD… = 3
    const { result } = await scanDrivelog(join(FIXTURES, 'drivelog.csv'), { key: () => key });
    expect(result).toMatchObject({
      clips: 5,
      videoClips: 3,
      imageClips: 2,
      rawImageryHours: 2,
      rawImageryKm: 72,
      rawPictures: 121,
      distinctVehicles: 3,
      clipsWithoutDistance: 2,
      skippedCount: 0,
    });
    expect(JSON.stringify(result)).not.toContain('LSVAB12345678901A');
  });

  it('stops at a negative duration with file and line, and lists it under keepGoing with the non-number', async () => {
    const p = join(FIXTURES, 'negative-duration.csv');
    const err = (await scanDrivelog(p, { key: () => key }).catch((e: unknown) => e)) as ChujingError;
    expect(err).toBeInstanceOf(ChujingError);
    expect(err.code).toBe('bad-input');
    expect(err.issues[0]).toMatchObject({ file: p, line: 3, field: 'duration_s' });
    const { result } = await scanDrivelog(p, { key: () => key, keepGoing: true });
    expect(result).toMatchObject({ clips: 1, skippedCount: 2, rawImageryHours: expect.closeTo(60 / 3600, 8) });
    expect(result.skipped.map((s) => s.line)).toEqual([3, 4]);
  });

  it('rejects an end before the start, a half interval and an unknown kind', async () => {
    const p = file('clip_id,kind,start,end\na,video,2026-01-01T10:00:00Z,2026-01-01T09:00:00Z\nb,video,2026-01-01T10:00:00Z,\nc,lidar,0,10\nd,video,100,160\n');
    const { result } = await scanDrivelog(p, { keepGoing: true });
    expect(result.skipped.map((s) => s.line)).toEqual([2, 3, 4]);
    expect(result).toMatchObject({ clips: 1, rawImageryHours: expect.closeTo(60 / 3600, 8), distinctVehicles: null, rawImageryKm: null });
  });

  it('needs the key only when VINs are present, and --no-vehicles does without it', async () => {
    const noKey = () => {
      throw new ChujingError('bad-input', 'no HMAC key');
    };
    const withVins = join(FIXTURES, 'drivelog.csv');
    await expect(scanDrivelog(withVins, { key: noKey })).rejects.toThrow('no HMAC key');
    // Not even keepGoing turns a missing key into skipped records.
    await expect(scanDrivelog(withVins, { key: noKey, keepGoing: true })).rejects.toThrow('no HMAC key');
    const { result } = await scanDrivelog(withVins, { key: noKey, countVehicles: false });
    expect(result).toMatchObject({ distinctVehicles: null, rawImageryHours: 2, keyFingerprint: null });
    const jsonl = file('{"clip_id":"a","duration_s":36}\n{"clip_id":"b","duration_s":"36","distance_km":0.5}\n', 'd.jsonl');
    const r2 = await scanDrivelog(jsonl, { key: noKey });
    expect(r2.result).toMatchObject({ rawImageryHours: 0.02, rawImageryKm: 0.5, distinctVehicles: null, clipsWithoutDistance: 1 });
  });

  it('infers the kind when there is no kind column: a clip with a duration is video', async () => {
    const p = file('clip,duration_s,frames\nv,10,300\ni,,40\n');
    const { result } = await scanDrivelog(p, {});
    expect(result).toMatchObject({ videoClips: 1, imageClips: 1, rawPictures: 40 });
  });
});
