/**
 * The detector weights: a pinned table (upstream repository, commit, path, SHA-256), where they are
 * looked for at run time, and `chujing models fetch`, which downloads them from the upstream
 * repositories at the pinned commits. Nothing is fetched while scanning: a scan without the files stops
 * and says what to run. Every file is checked against its SHA-256 before a session is built from it.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fchmodSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ChujingError } from '../../errors.js';
import { msg } from '../../i18n/index.js';

export interface PinnedModel {
  /** Path under the model folder. */
  file: string;
  repo: string;
  commit: string;
  /** Path in the upstream repository. */
  path: string;
  sha256: string;
  licence: string;
  trainedOn: string;
}

/** The same pins as ../shared/models/SOURCES.md (verified there by running the models). */
export const PINNED_MODELS: readonly PinnedModel[] = [
  {
    file: 'yunet/yunet_n_dynamic.onnx',
    repo: 'ShiqiYu/libfacedetection.train',
    commit: '02246e79b1e976c83d1e135a85e0628120c93769',
    path: 'onnx/yunet_n_dynamic.onnx',
    sha256: '104ee26c71d5c270ce79a6b3dced91c91013260d29a6bf18f9296c5b8c4c2b12',
    licence: 'Apache-2.0',
    trainedOn: 'WIDER FACE',
  },
  {
    file: 'hyperlpr3/y5fu_320x_sim.onnx',
    repo: 'szad670401/HyperLPR',
    commit: 'cf44359e69eecacd50cc5c0d8e687c33f6f9b2e5',
    path: 'resource/models/onnx/y5fu_320x_sim.onnx',
    sha256: '2a985dc63a5cc947ec36d18503d6fc0fd54525b9dba17f2fe29a71e86b44456d',
    licence: 'Apache-2.0',
    trainedOn: 'CCPD',
  },
];

export const FACE_MODEL = PINNED_MODELS[0]!;
export const PLATE_MODEL = PINNED_MODELS[1]!;

/** Where raw files of a repository at a commit are served (GitHub's raw host; overridable for mirrors and tests). */
export const DEFAULT_MODEL_BASE_URL = 'https://raw.githubusercontent.com';

/** `--model-dir`, else CHUJING_MODEL_DIR, else the per-user cache (XDG_CACHE_HOME or ~/.cache). */
export function modelDir(env: Record<string, string | undefined>, flag?: string, cwd = process.cwd()): string {
  if (flag) return resolve(cwd, flag);
  if (env.CHUJING_MODEL_DIR) return resolve(cwd, env.CHUJING_MODEL_DIR);
  const cache = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cache, 'chujing', 'models');
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The bytes of a pinned model, checked; a missing or different file is an error saying what to run. */
export function readModel(dir: string, model: PinnedModel): Uint8Array {
  const file = join(dir, model.file);
  if (!existsSync(file)) {
    const m = msg('imagery.models.missing', { file, dir });
    throw new ChujingError('bad-input', m, [{ file, message: m, expected: msg('imagery.models.run-fetch', { dir }) }]);
  }
  const bytes = readFileSync(file);
  const got = sha256(bytes);
  if (got !== model.sha256) {
    const m = msg('imagery.models.hash-differs', { file, got, want: model.sha256 });
    throw new ChujingError('bad-input', m, [{ file, message: m, expected: msg('imagery.models.run-fetch', { dir }) }]);
  }
  return bytes;
}

export function modelUrl(base: string, model: PinnedModel): string {
  return `${base.replace(/\/+$/, '')}/${model.repo}/${model.commit}/${model.path}`;
}

export interface FetchResult {
  file: string;
  url: string;
  status: 'downloaded' | 'present';
}

/** Write a new file next to the target, then rename it over: a reader never sees half a model. */
function writeAtomic(target: string, bytes: Uint8Array): void {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    fchmodSync(fd, 0o644);
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, target);
}

/**
 * Download every pinned model not already present with the right hash. A download whose SHA-256
 * differs from the pin is refused (nothing written). Stops at the first failure.
 */
export async function fetchModels(dir: string, base: string = DEFAULT_MODEL_BASE_URL, fetchImpl: typeof fetch = fetch): Promise<FetchResult[]> {
  const out: FetchResult[] = [];
  for (const model of PINNED_MODELS) {
    const file = join(dir, model.file);
    const url = modelUrl(base, model);
    if (existsSync(file) && sha256(readFileSync(file)) === model.sha256) {
      out.push({ file, url, status: 'present' });
      continue;
    }
    let bytes: Uint8Array;
    try {
      const res = await fetchImpl(url, { redirect: 'follow' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      const m = msg('imagery.models.download-failed', { url, reason: (e as Error).message });
      throw new ChujingError('bad-input', m, [{ file: url, message: m }]);
    }
    const got = sha256(bytes);
    if (got !== model.sha256) {
      const m = msg('imagery.models.download-hash-differs', { url, got, want: model.sha256 });
      throw new ChujingError('bad-input', m, [{ file: url, message: m, expected: model.sha256 }]);
    }
    writeAtomic(file, bytes);
    out.push({ file, url, status: 'downloaded' });
  }
  return out;
}
