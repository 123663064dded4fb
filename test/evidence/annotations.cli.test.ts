/**
 * End to end through the built CLI (`runCli` spawns bin/chujing.js): the --json contract of product.md,
 * --list, pack selection, workspace overrides, and exit code 2 with file + line for bad input.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIX = 'test/fixtures/annotations';
const tmp = mkdtempSync(join(tmpdir(), 'chujing-ann-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('chujing scan annotations (built CLI)', () => {
  it('--json prints exactly one object with the product.md fields', () => {
    const r = runCli(['scan', 'annotations', `${FIX}/coco/sample.json`, '--format', 'coco', '--json', '--as-of', '2026-03-01']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      format: 'coco',
      images: 3,
      boxes: 6,
      faceBoxes: 3,
      plateBoxes: 2,
      qualifyingFaceBoxes: 2,
      qualifyingPlateBoxes: 1,
      imagesWithQualifyingBox: 3,
      maxFaceBoxMinSidePx: 50,
      maxPlateBoxMinSidePx: 16,
      thresholds: { face: 32, plate: 16 },
      thresholdSource: { pack: 'cn-auto@2026', rule: 'DRAFT-J6' },
      skipped: [],
    });
    expect(out).not.toHaveProperty('qualifyingImages');
    expect(r.stderr).toBe(''); // no progress bar when stderr is not a terminal
  });

  it('--list prints one image per line; with --json adds qualifyingImages', () => {
    const r = runCli(['scan', 'annotations', `${FIX}/voc`, '--format', 'voc', '--list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('images/a.jpg\nb.jpg\n');
    const j = runCli(['scan', 'annotations', `${FIX}/wider`, '--format', 'wider', '--list', '--json']);
    expect(JSON.parse(j.stdout).qualifyingImages).toEqual(['0--Parade/a.jpg']);
  });

  it('human summary names the pack and rule the thresholds came from', () => {
    const r = runCli(['scan', 'annotations', `${FIX}/ccpd`, '--format', 'ccpd', '--pack', 'cn-auto@2025-draft']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('plate >= 16 px (DRAFT-J6, cn-auto@2025-draft');
    expect(r.stdout).toMatch(/plate boxes\s+2\s+1\s+113/);
  });

  it('--as-of before 2026 picks the draft pack; --face-class, --option pass through', () => {
    const r = runCli(['scan', 'annotations', `${FIX}/voc`, '--format', 'voc', '--json', '--as-of', '2025-07-01', '--face-class', 'person', '--option', 'corners=inclusive']);
    const out = JSON.parse(r.stdout);
    expect([out.thresholdSource.pack, out.faceBoxes, out.maxFaceBoxMinSidePx, out.maxPlateBoxMinSidePx]).toEqual(['cn-auto@2025-draft', 1, 101, 16]);
  });

  it('--workspace applies threshold overrides and settings.boxMeasure', () => {
    const ws = join(tmp, 'chujing.yaml');
    writeFileSync(
      ws,
      [
        'version: 1',
        'organization: { id: acme, name: ACME, processorType: oem }',
        'settings: { boxMeasure: max-side }',
        'overrides:',
        '  thresholds:',
        '    - { rule: DRAFT-J6, fact: maxPlateBoxMinSidePx, threshold: 40, reason: internal policy }',
        '',
      ].join('\n'),
    );
    const r = runCli(['scan', 'annotations', `${FIX}/openalpr`, '--format', 'openalpr', '--json', '--workspace', tmp]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // plates 100x15 and 64x32: max sides 100 and 64, both >= 40
    expect([out.thresholds.plate, out.boxMeasure, out.qualifyingPlateBoxes, out.maxPlateBoxMinSidePx]).toEqual([40, 'max-side', 2, 100]);
  });

  it('bad format, bad option, bad date, unknown pack: exit 2 and a clear message', () => {
    const cases: [string[], RegExp][] = [
      [['--format', 'pascal'], /unknown annotation format[\s\S]*expected one of coco, kitti/],
      [['--format', 'voc', '--option', 'nope'], /not key=value/],
      [['--format', 'voc', '--as-of', '2026-13-01'], /--as-of/],
      [['--format', 'voc', '--pack', 'cn-national@2024'], /unknown automobile rule pack/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['scan', 'annotations', `${FIX}/voc`, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
      expect(r.stdout).toBe('');
    }
  });

  it('malformed file: exit 2 naming file and line; --keep-going lists it in skipped', () => {
    const p = join(tmp, 'gt.txt');
    writeFileSync(p, 'a.jpg\n2\n1 1 40 40 0 0 0 0 0 0\n1 1 forty 40 0 0 0 0 0 0\n');
    const r = runCli(['scan', 'annotations', p, '--format', 'wider']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${p}:4`);
    expect(r.stdout).toBe('');
    const k = runCli(['scan', 'annotations', p, '--format', 'wider', '--keep-going', '--json']);
    expect(k.code).toBe(0);
    expect(JSON.parse(k.stdout).skipped).toEqual([expect.objectContaining({ file: p, line: 4 })]);
    const c = join(tmp, 'bad.json');
    writeFileSync(c, '{"images": [\n{"id": 1}\n{"id": 2}]}');
    const cr = runCli(['scan', 'annotations', c, '--format', 'coco']);
    expect(cr.code).toBe(2);
    expect(cr.stderr).toContain(`${c}:3:1 @byte 23`); // 13 + 10 bytes of the first two lines
  });

  it('missing path: exit 2', () => {
    const r = runCli(['scan', 'annotations', join(tmp, 'nothing-here'), '--format', 'coco']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist/);
  });
});
