/**
 * `chujing models fetch` against a local HTTP server that serves ../shared/models at the pinned
 * repository/commit/path URLs (the --base-url override; no internet here): files written with their
 * SHA-256 checked, a second run finds them present, a tampered copy is refused and nothing is written.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PINNED_MODELS, sha256 } from '../../../src/evidence/imagery/models.js';
import { runMain } from '../../helpers/main-in-process.js';
import { missing, MODELS } from './shared.js';

function serve(tamper: boolean): Promise<{ server: Server; base: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const model = PINNED_MODELS.find((m) => req.url === `/${m.repo}/${m.commit}/${m.path}`);
    if (!model) {
      res.writeHead(404).end('not found');
      return;
    }
    const bytes = readFileSync(join(MODELS, model.file));
    if (tamper) bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })));
}

describe.skipIf(missing !== null)('chujing models fetch', () => {
  let good: Awaited<ReturnType<typeof serve>>;
  let bad: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    good = await serve(false);
    bad = await serve(true);
  });
  afterAll(() => {
    good?.server.close();
    bad?.server.close();
  });

  it('downloads the pinned files from repo/commit/path, checks their SHA-256, and finds them present the second time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-models-'));
    const r = await runMain(['models', 'fetch', '--model-dir', dir, '--base-url', good.base, '--json'], { env: {} });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(good.requests.sort()).toEqual(PINNED_MODELS.map((m) => `/${m.repo}/${m.commit}/${m.path}`).sort());
    for (const m of PINNED_MODELS) expect(sha256(readFileSync(join(dir, m.file)))).toBe(m.sha256);
    expect(JSON.parse(r.stdout).models.map((x: { status: string }) => x.status)).toEqual(PINNED_MODELS.map(() => 'downloaded'));
    // No temporary file is left behind.
    for (const sub of ['yunet', 'hyperlpr3']) expect(readdirSync(join(dir, sub)).every((f) => f.endsWith('.onnx'))).toBe(true);

    const again = await runMain(['models', 'fetch', '--model-dir', dir], { env: { CHUJING_MODEL_BASE_URL: good.base } });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is present (SHA-256 checked)');
    expect(good.requests).toHaveLength(PINNED_MODELS.length);

    const list = await runMain(['models', 'list', '--model-dir', dir], { env: {} });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('WIDER FACE');
    expect(list.stdout).toContain('CCPD');
  });

  it('refuses a tampered copy and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-models-bad-'));
    const r = await runMain(['models', 'fetch', '--base-url', bad.base], { env: { CHUJING_MODEL_DIR: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refused');
    expect(r.stderr).toContain(PINNED_MODELS[0]!.sha256);
    expect(existsSync(join(dir, PINNED_MODELS[0]!.file))).toBe(false);
    expect(existsSync(join(dir, 'yunet')) ? readdirSync(join(dir, 'yunet')) : []).toEqual([]);

    const list = await runMain(['models', 'list', '--model-dir', dir], { env: {} });
    expect(list.code).toBe(1);
    expect(list.stdout).toContain('missing');
  });
});
