/**
 * Start-up (issue 9): commands load only what they use. The process boundary is the point here, so the
 * real CLI runs in child processes with a module hook that lists every module resolved:
 * `--help`, `--version`, `explain`, `rules` and `validate` never load the database drivers or the ledger;
 * `--help`, `--version`, `explain` and `rules` do not even load the scanners, the workspace loader or zod.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT } from '../helpers/cli.js';
import { main } from '../../src/cli/main.js';
import { DEFAULT_SOON_DAYS } from '../../src/lifecycle/status.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/acme-auto', import.meta.url));
const TRACER = fileURLToPath(new URL('../helpers/trace-modules.mjs', import.meta.url));
const COMPILED = fileURLToPath(new URL('../helpers/run-compiled.mjs', import.meta.url));

/** Every module the process resolves, running the compiled modules or the bundle (bin/chujing.js). */
function resolvedModules(args: string[], entry: 'modules' | 'bundle'): { code: number; modules: string[]; stderr: string } {
  const trace = join(mkdtempSync(join(tmpdir(), 'chujing-trace-')), 'modules.txt');
  writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--import', TRACER, entry === 'bundle' ? BIN : COMPILED, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, CHUJING_TRACE: trace, LANG: 'en_US.UTF-8' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, modules: readFileSync(trace, 'utf8').split('\n').filter(Boolean), stderr: r.stderr };
}

const DATABASE = /pglite|node_modules\/pg\/|\/store\/|\/ledger\//;
const SCANNERS = /\/evidence\/|\/report\/documents\/(?!model\.js)|node_modules\/(docx|playwright-core)\//;
const HEAVY_FOR_RULES = /\/model\/(load|workspace|yaml)\.js|node_modules\/(zod|js-yaml|yaml)\//;

describe('start-up loads only what a command uses', () => {
  it('--help, --version, explain, rules and validate never load the database or the ledger (compiled modules)', () => {
    for (const args of [['--help'], ['--version'], ['explain', 'DRAFT-J6'], ['rules'], ['validate', EXAMPLE]]) {
      const { code, modules, stderr } = resolvedModules(args, 'modules');
      expect(code, `${args.join(' ')}: ${stderr}`).toBe(0);
      expect(modules.length, args.join(' ')).toBeGreaterThan(5);
      expect(modules.filter((m) => DATABASE.test(m)), args.join(' ')).toEqual([]);
      // validate checks that evidence files exist and are of the right kind (issue 8): that needs the evidence modules.
      if (args[0] !== 'validate') expect(modules.filter((m) => SCANNERS.test(m) || HEAVY_FOR_RULES.test(m)), args.join(' ')).toEqual([]);
    }
  });

  it('the bundled CLI does not load PGlite for --help, explain or validate', () => {
    for (const args of [['--help'], ['explain', 'DRAFT-J6'], ['validate', EXAMPLE]]) {
      const { code, modules } = resolvedModules(args, 'bundle');
      expect(code, args.join(' ')).toBe(0);
      expect(modules.some((m) => m.includes('/dist/bundle/')), args.join(' ')).toBe(true);
      expect(modules.filter((m) => m.includes('pglite')), args.join(' ')).toEqual([]);
    }
  });
});

/** The image/video scan path's native modules (issue 21): loaded by `scan images` / `scan video` only. */
const IMAGERY_NATIVE = /node_modules\/(onnxruntime-node|onnxruntime-common|sharp|@img)\/|\/evidence\/imagery\/(detect|decode|scan|video)\.js/;

describe('the detectors load only with the image and video scans', () => {
  it('validate, assess, scan annotations and models list never load onnxruntime or sharp (compiled modules and bundle)', () => {
    for (const entry of ['modules', 'bundle'] as const) {
      for (const args of [['validate', EXAMPLE], ['assess', EXAMPLE, '--no-ledger'], ['scan', 'annotations', '--help'], ['scan', 'images', '--help'], ['models', 'list', '--model-dir', tmpdir()]]) {
        const { modules, stderr } = resolvedModules(args, entry);
        expect(modules.length, `${args.join(' ')}: ${stderr}`).toBeGreaterThan(5);
        expect(modules.filter((m) => IMAGERY_NATIVE.test(m)), `${entry}: ${args.join(' ')}`).toEqual([]);
      }
    }
    // The pattern does see them when they load (when ../shared's models are here to run a real scan).
    const shared = fileURLToPath(new URL('../../../shared/', import.meta.url));
    if (existsSync(join(shared, 'models', 'yunet'))) {
      const { code, modules } = resolvedModules(['scan', 'images', join(shared, 'data', 'imagery', 'faces', '2008_001009.jpg'), '--model-dir', join(shared, 'models')], 'bundle');
      expect(code).toBe(0);
      expect(modules.some((m) => /node_modules\/onnxruntime-node\//.test(m))).toBe(true);
      expect(modules.some((m) => /node_modules\/sharp\//.test(m))).toBe(true);
    }
  });
});

describe('the stand-ins for the commands not loaded', () => {
  async function inProcess(argv: string[], env: Record<string, string> = {}): Promise<string> {
    let out = '';
    await main(argv, { stdout: { write: (s) => void (out += s), isTTY: false }, stderr: { write: (s) => void (out += s), isTTY: false }, env: { LANG: 'en_US.UTF-8', ...env } });
    return out;
  }

  it('the built CLI lists every command in --help exactly as the real commands do (en, zh)', async () => {
    for (const lang of ['en', 'zh']) {
      // In-process from the sources there is no command index: every command is loaded for real.
      const real = await inProcess(['--help', '--lang', lang]);
      const built = spawnSync(process.execPath, [BIN, '--help', '--lang', lang], { cwd: REPO_ROOT, env: { ...process.env, LANG: 'en_US.UTF-8', COLUMNS: '' }, encoding: 'utf8', timeout: 120_000 });
      expect(built.status).toBe(0);
      expect(built.stdout, lang).toBe(real);
    }
  });

  it('status shows the default of --soon that the status module uses', async () => {
    expect(await inProcess(['status', '--help'])).toContain(`${DEFAULT_SOON_DAYS}`);
  });

  it('a mistyped command still gets its suggestion from the built CLI', () => {
    const r = spawnSync(process.execPath, [BIN, 'ledgr'], { cwd: REPO_ROOT, env: { ...process.env, LANG: 'en_US.UTF-8' }, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(2);
    expect(r.stderr + r.stdout).toContain('ledger');
  });
});
