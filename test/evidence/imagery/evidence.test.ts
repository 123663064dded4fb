/**
 * `images` evidence in a workspace: the detector's measurement feeds maxFaceBoxMinSidePx (and
 * rawPictures); a largest face within the review band under the threshold is a legal-review finding and
 * `assess` exits 1 until the entry's `confirmed` answers it; an annotation's value wins over the
 * detector's (a disagreement is reported); the second run is served from the cache; a file that cannot
 * be measured stops the measurement and leaves no cache entry.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ChujingError } from '../../../src/errors.js';
import { measureWorkspaceEvidence } from '../../../src/evidence/measure.js';
import { loadWorkspace } from '../../../src/model/load.js';
import { runMain } from '../../helpers/main-in-process.js';
import { IMAGERY, missing, MODELS } from './shared.js';

const LABELS = fileURLToPath(new URL('../../fixtures/manifests/workspace/data/labels.json', import.meta.url));
const env = { CHUJING_MODEL_DIR: MODELS };

function yaml(evidence: string): string {
  return `version: 1
organization: { id: test-cn, name: Test Automotive, processorType: oem }
datasets:
  - id: road-imagery
    name: Road-test photos
    scenario: driving-automation
    dataType: algorithm-training-data
    evidence:
${evidence}
recipients:
  - { id: lab-de, name: Test lab, country: DE }
transfers:
  - id: t-1
    date: 2026-06-01
    datasets: [road-imagery]
    recipient: lab-de
    purpose: model training
    status: planned
`;
}

/** A workspace whose photo's largest face is measured just under 32 px (the photo shrunk to a third). */
async function workspace(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-imagery-ws-'));
  mkdirSync(join(dir, 'photos'));
  await sharp(join(IMAGERY, 'faces', '2008_001009.jpg')).resize(120, 160).jpeg({ quality: 95 }).toFile(join(dir, 'photos', 'small.jpg'));
  return dir;
}

describe.skipIf(missing !== null)('images evidence in a workspace', () => {
  it('a face just under the threshold needs review: assess exits 1 until confirmed; the cache serves the second run', async () => {
    const dir = await workspace();
    writeFileSync(join(dir, 'chujing.yaml'), yaml('      - { kind: images, path: photos }'));
    const scan = JSON.parse((await runMain(['scan', 'images', join(dir, 'photos'), '--json', '--workspace', dir], { env })).stdout);
    expect(scan.faceCall).toBe('needs-review');
    const measured = scan.maxFaceBoxMinSidePx as number;
    expect(measured).toBeLessThan(32);
    expect(measured).toBeGreaterThanOrEqual(32 * 0.7);

    const first = await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env });
    expect(first['road-imagery']!.facts.maxFaceBoxMinSidePx).toBe(measured);
    expect(first['road-imagery']!.facts.rawPictures).toBe(1);
    expect(first['road-imagery']!.review?.map((m) => m.code)).toEqual(['imagery.review.needed']);
    const second = await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env });
    expect(second['road-imagery']!.sources.map((s) => s.cached)).toEqual([true]);
    expect(second['road-imagery']!.facts).toEqual(first['road-imagery']!.facts);

    const unconfirmed = await runMain(['assess', dir, '--as-of', '2026-06-01', '--json', '--no-ledger'], { env });
    expect(unconfirmed.code).toBe(1);
    const report = JSON.parse(unconfirmed.stdout);
    expect(report.datasets[0].measurementReview.map((m: { code: string }) => m.code)).toEqual(['imagery.review.needed']);
    expect(report.transfers[0].legalReview.map((m: { code: string }) => m.code)).toContain('imagery.review.needed');

    writeFileSync(join(dir, 'chujing.yaml'), yaml('      - { kind: images, path: photos, confirmed: { faces: below, by: A. Reviewer, date: 2026-05-30 } }'));
    const confirmed = await runMain(['assess', dir, '--as-of', '2026-06-01', '--json', '--no-ledger'], { env });
    const after = JSON.parse(confirmed.stdout);
    expect(after.datasets[0].measurementReview).toBeUndefined();
    expect(after.datasets[0].facts.maxFaceBoxMinSidePx).toBe(measured);
    expect(confirmed.code).toBe(0);

    writeFileSync(join(dir, 'chujing.yaml'), yaml('      - { kind: images, path: photos, confirmed: { faces: reached, by: A. Reviewer, date: 2026-05-30 } }'));
    const reached = JSON.parse((await runMain(['assess', dir, '--as-of', '2026-06-01', '--json', '--no-ledger'], { env })).stdout);
    expect(reached.datasets[0].facts.maxFaceBoxMinSidePx).toBe(32);
    expect(reached.datasets[0].important).toBe(true);
  }, 300_000);

  it('settings.detectorNearThreshold: important treats the band as reaching the threshold', async () => {
    const dir = await workspace();
    writeFileSync(join(dir, 'chujing.yaml'), yaml('      - { kind: images, path: photos }').replace('datasets:', 'settings: { detectorNearThreshold: important }\ndatasets:'));
    const m = (await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env }))['road-imagery']!;
    expect(m.facts.maxFaceBoxMinSidePx).toBe(32);
    expect(m.review).toBeUndefined();
    expect(m.warnings?.map((w) => w.code)).toEqual(['imagery.review.treated-important']);
  }, 300_000);

  it('annotations win over the detector and the disagreement is reported; the review is answered by them', async () => {
    const dir = await workspace();
    copyFileSync(LABELS, join(dir, 'labels.json'));
    writeFileSync(join(dir, 'chujing.yaml'), yaml('      - { kind: images, path: photos }\n      - { kind: annotations, path: labels.json, format: coco }'));
    const m = (await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env }))['road-imagery']!;
    // labels.json: largest face box 40x50 (min side 40), plate 30x12.
    expect(m.facts.maxFaceBoxMinSidePx).toBe(40);
    expect(m.facts.maxPlateBoxMinSidePx).toBe(12);
    expect(m.review).toBeUndefined();
    expect(m.warnings?.map((w) => w.code)).toContain('imagery.disagrees');
  }, 300_000);

  it('validate checks that an images entry holds image files', async () => {
    const dir = await workspace();
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'readme.txt'), 'no photos here');
    writeFileSync(join(dir, 'chujing.yaml'), yaml('      - { kind: images, path: photos }\n      - { kind: video, path: empty }'));
    const r = await runMain(['validate', dir, '--json'], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('datasets[0].evidence[1].path');
    expect(r.stdout).not.toContain('datasets[0].evidence[0]');
  }, 300_000);

  it('a file that cannot be measured stops the measurement, naming it, and nothing is cached', async () => {
    const dir = await workspace();
    writeFileSync(join(dir, 'photos', 'broken.jpg'), 'not a jpeg');
    writeFileSync(join(dir, 'chujing.yaml'), yaml('      - { kind: images, path: photos }'));
    const err = await measureWorkspaceEvidence(loadWorkspace(dir, dir), { env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChujingError);
    expect(JSON.stringify((err as ChujingError).issues)).toContain('broken.jpg');
    const cacheDir = join(dir, '.chujing', 'evidence-cache');
    // Nothing of a failed scan is kept: no result and no memo (the folder may not even exist).
    expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
    const r = await runMain(['assess', dir, '--no-ledger'], { env });
    expect(r.code).toBe(2);
  }, 300_000);
});
