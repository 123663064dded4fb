/**
 * The shared detector models and test images (../shared, read-only), for the imagery tests. Tests that
 * need them skip with one line naming what is missing, and fail instead under CI=true.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PINNED_MODELS, sha256 } from '../../../src/evidence/imagery/models.js';
import { ffmpegAvailable } from '../../../src/evidence/imagery/video.js';

export const SHARED = fileURLToPath(new URL('../../../../shared', import.meta.url));
export const MODELS = process.env.CHUJING_MODEL_DIR ?? join(SHARED, 'models');
export const IMAGERY = join(SHARED, 'data', 'imagery');

function missingModels(): string | null {
  for (const m of PINNED_MODELS) {
    const file = join(MODELS, m.file);
    if (!existsSync(file)) return `detector model ${file}`;
    if (sha256(readFileSync(file)) !== m.sha256) return `detector model ${file} with the pinned SHA-256`;
  }
  return null;
}

/** What is missing for the imagery tests (null: everything is there). */
export const missing: string | null = missingModels() ?? (existsSync(join(IMAGERY, 'faces', 'training.xml')) ? null : `test images ${IMAGERY}`);
if (missing && process.env.CI) throw new Error(`${missing} is missing: CI must provide ../shared (models and data/imagery)`);
if (missing) console.warn(`skipped: imagery tests need ${missing}`);

export const hasFfmpeg = ffmpegAvailable();
if (!hasFfmpeg && process.env.CI) throw new Error('ffmpeg/ffprobe are missing: .ci/run installs ffmpeg');
if (!hasFfmpeg) console.warn('skipped: video tests need ffmpeg and ffprobe');

export interface TruthBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The dlib imglab XML files: image name -> labelled face boxes. */
export function faceTruth(): Map<string, TruthBox[]> {
  const out = new Map<string, TruthBox[]>();
  for (const xml of ['training.xml', 'testing.xml']) {
    const text = readFileSync(join(IMAGERY, 'faces', xml), 'utf8');
    for (const m of text.matchAll(/<image file='([^']+)'[^>]*>([\s\S]*?)<\/image>/g)) {
      const boxes = [...m[2]!.matchAll(/<box top='(-?\d+)' left='(-?\d+)' width='(\d+)' height='(\d+)'/g)].map((b) => ({ y: Number(b[1]), x: Number(b[2]), w: Number(b[3]), h: Number(b[4]) }));
      out.set(m[1]!, [...(out.get(m[1]!) ?? []), ...boxes]);
    }
  }
  return out;
}

/** CCPD file names: the third `-` field is the plate's box `x1&y1_x2&y2`. */
export function plateTruth(): Map<string, TruthBox[]> {
  const out = new Map<string, TruthBox[]>();
  for (const name of readdirSync(join(IMAGERY, 'ccpd')).filter((n) => n.endsWith('.jpg'))) {
    const [a, b] = name.split('-')[2]!.split('_');
    const [x1, y1] = a!.split('&').map(Number);
    const [x2, y2] = b!.split('&').map(Number);
    out.set(name, [{ x: x1!, y: y1!, w: x2! - x1!, h: y2! - y1! }]);
  }
  return out;
}
