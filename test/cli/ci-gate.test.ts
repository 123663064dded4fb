/**
 * The CI gate of issue 10, end to end: `assess --transfer/--dataset` (a pipeline gated on its own
 * transfer), `check` (one planned transfer from the command line, judged exactly as if it were in the
 * YAML), `--json` errors, JUnit XML (parsed back and checked against the JUnit structure) and GitHub
 * annotations at the transfer's YAML line. In process through `main()`, plus the real binary for exit
 * codes.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, runMain } from '../helpers/cli.js';

const ACME = join(REPO_ROOT, 'examples', 'acme-auto');
const AS_OF = '2026-11-23';
const env = { CHUJING_HMAC_KEY: 'ci-gate-test-key-0123456789abcdef', DATABASE_URL: '' };
const en = (args: string[], cwd = REPO_ROOT) => runMain(args, { env, cwd });
const json = async (args: string[], cwd = REPO_ROOT) => {
  const r = await en(args, cwd);
  return { ...r, body: JSON.parse(r.stdout) };
};

describe('assess --transfer / --dataset: gated on its own transfer, judged with the whole workspace', () => {
  it('the exit code is that of the named transfers only', async () => {
    expect((await en(['assess', ACME, '--as-of', AS_OF])).code).toBe(1); // the workspace as a whole fails
    expect((await en(['assess', ACME, '--as-of', AS_OF, '--transfer', 't-2026-001'])).code).toBe(0);
    expect((await en(['assess', ACME, '--as-of', AS_OF, '--transfer', 't-2026-003'])).code).toBe(1);
    expect((await en(['assess', ACME, '--as-of', AS_OF, '--transfer', 't-2026-001,t-2026-004'])).code).toBe(0);
    expect((await en(['assess', ACME, '--as-of', AS_OF, '--transfer', 't-2026-001', '--transfer', 't-2026-010'])).code).toBe(1);
    expect((await en(['assess', ACME, '--as-of', AS_OF, '--dataset', 'bom-global'])).code).toBe(0);
    expect((await en(['assess', ACME, '--as-of', AS_OF, '--dataset', 'defence-site-survey'])).code).toBe(1);
  });

  it('reports the selected transfers as the whole run judged them (year-to-date counts include the rest)', async () => {
    const whole = (await json(['assess', ACME, '--as-of', AS_OF, '--json'])).body;
    const one = await json(['assess', ACME, '--as-of', AS_OF, '--json', '--transfer', 't-2026-008']);
    expect(one.code).toBe(1);
    expect(one.body.schema).toBe('chujing.assess/2');
    expect(one.body.transfers).toEqual(whole.transfers.filter((t: { id: string }) => t.id === 't-2026-008'));
    expect(one.body.transfers[0].yearToDate.persons).toBe(100_000); // earlier transfers of the year counted
    expect(one.body.selection).toEqual({ transfers: ['t-2026-008'], datasets: [], selectedTransfers: ['t-2026-008'], workspaceTransfers: whole.transfers.length });
    expect(one.body.summary).toMatchObject({ transfers: 1, uncovered: 1, datasets: 1 });
    expect(one.body.datasets.map((d: { id: string }) => d.id)).toEqual(['crm-buyers-h2']);
    expect(one.body.actions.map((a: { code: string; params: { transfer?: string } }) => [a.code, a.params.transfer])).toEqual([['action.uncovered', 't-2026-008']]);
  });

  it('--dataset selects every transfer carrying it, and lists the dataset even when none does', async () => {
    const r = (await json(['assess', ACME, '--as-of', AS_OF, '--json', '--dataset', 'crm-buyers-h1'])).body;
    expect(r.transfers.map((t: { id: string }) => t.id)).toEqual(['t-2025-031', 't-2026-001']);
    const human = await en(['assess', ACME, '--as-of', AS_OF, '--transfer', 't-2026-003']);
    expect(human.stdout).toMatch(/^Selected: t-2026-003 \(1 of 14 transfers; the whole workspace was judged\)/);
  });

  it('an unknown id is bad input with the nearest ids, never an empty (passing) gate', async () => {
    const r = await en(['assess', ACME, '--as-of', AS_OF, '--transfer', 't-2026-03']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no transfer t-2026-03 in the workspace');
    expect(r.stderr).toContain('did you mean t-2026-003');
    const j = await json(['assess', ACME, '--as-of', AS_OF, '--dataset', 'bom', '--json']);
    expect(j.code).toBe(2);
    expect(j.body.error.issues[0]).toMatchObject({ field: '--dataset', message: { code: 'select.unknown-dataset', params: { id: 'bom' } } });
  });
});

describe('check: one planned transfer from the command line', () => {
  const base = ['check', ACME, '--as-of', AS_OF, '--date', '2026-12-01'];

  it('may go (0), needs a mechanism (1), prohibited (1)', async () => {
    const free = await json([...base, '--dataset', 'bom-global', '--recipient', 'acme-plant-hu', '--purpose', 'production planning', '--json']);
    expect(free.code).toBe(0);
    expect(free.body).toMatchObject({ schema: 'chujing.check/1', mayGo: true, transfer: { id: 'check', path: 'exempt', exemption: 'FREE-1', status: 'planned' } });
    const covered = await json([...base, '--dataset', 'adas-road-test', '--recipient', 'acme-gmbh', '--purpose', 'training of the global perception model', '--json']);
    expect(covered.code).toBe(0);
    expect(covered.body.transfer).toMatchObject({ path: 'security-assessment', covered: true, coveredBy: 'sa-2026-001' });
    const needs = await en([...base, '--dataset', 'adas-road-test', '--recipient', 'tier1-security', '--purpose', 'benchmark']);
    expect(needs.code).toBe(1);
    expect(needs.stdout).toContain('NEEDS a security assessment approval before it may go.');
    const core = await json([...base, '--dataset', 'defence-site-survey', '--recipient', 'acme-gmbh', '--purpose', 'survey', '--json']);
    expect(core.code).toBe(1);
    expect(core.body).toMatchObject({ mayGo: false, transfer: { path: 'prohibited' } });
  });

  it('judges it exactly as `assess` judges the same transfer written in the YAML', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-check-'));
    cpSync(ACME, dir, { recursive: true });
    const planned = { dataset: 'crm-buyers-h2', recipient: 'acme-hq-crm', purpose: 'global CRM', date: '2026-12-01', id: 'pipeline-42' };
    const viaCheck = await json(['check', dir, '--as-of', AS_OF, '--date', planned.date, '--dataset', planned.dataset, '--recipient', planned.recipient, '--purpose', planned.purpose, '--id', planned.id, '--json']);
    writeFileSync(
      join(dir, 'transfers', 'planned.yaml'),
      `transfers:\n  - { id: ${planned.id}, date: ${planned.date}, datasets: [${planned.dataset}], recipient: ${planned.recipient}, purpose: ${planned.purpose} }\n`,
    );
    const viaYaml = await json(['assess', dir, '--as-of', AS_OF, '--transfer', planned.id, '--json']);
    expect(viaCheck.code).toBe(viaYaml.code);
    expect(viaCheck.body.transfer).toEqual(viaYaml.body.transfers[0]);
    expect(viaCheck.body.transfer.yearToDate.persons).toBeGreaterThanOrEqual(100_000); // the year's earlier transfers count
  });

  it('validates the transfer like the YAML: every problem names its flag; nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-check-bad-'));
    cpSync(ACME, dir, { recursive: true });
    const before = readFileSync(join(dir, 'transfers', '2026.yaml'), 'utf8');
    const r = await json(['check', dir, '--dataset', 'crm-buyers', '--recipient', 'acme-gmbx', '--purpose', 'x', '--organization', 'acme-c', '--json']);
    expect(r.code).toBe(2);
    expect(r.body.error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['--dataset', '--organization', '--recipient']);
    expect(r.body.error.issues.every((i: { file?: string; line?: number }) => i.file === undefined && i.line === undefined)).toBe(true);
    const dup = await json(['check', dir, '--dataset', 'bom-global', '--recipient', 'acme-plant-hu', '--purpose', 'x', '--id', 't-2026-001', '--json']);
    expect(dup.body.error.issues[0]).toMatchObject({ field: '--id', message: { code: 'check.duplicate-id' } });
    expect((await en(['check', dir, '--recipient', 'acme-gmbh', '--purpose', 'x'])).code).toBe(2);
    expect((await en(['check', dir, '--dataset', 'bom-global', '--recipient', 'acme-gmbh', '--purpose', 'x', '--kind', 'carrier-pigeon'])).code).toBe(2);
    expect((await en(['check', dir, '--dataset', 'bom-global', '--recipient', 'acme-gmbh', '--purpose', 'x', '--date', '2026-02-30'])).code).toBe(2);
    expect(readFileSync(join(dir, 'transfers', '2026.yaml'), 'utf8')).toBe(before);
  });
});

describe('--json means JSON for errors too, on stdout', () => {
  const cases: string[][] = [
    ['assess', 'nowhere', '--json'],
    ['assess', ACME, '--json', '--as-of', 'soon'],
    ['assess', ACME, '--json', '--format', 'junit'],
    ['validate', 'nowhere', '--json'],
    ['status', ACME, '--json', '--soon', 'x'],
    ['explain', 'NOPE-1', '--json'],
    ['rules', '--pack', 'x', '--json'],
    ['check', ACME, '--json', '--dataset', 'x', '--recipient', 'y', '--purpose', 'z'],
    ['scan', 'annotations', 'nowhere.json', '--format', 'coco', '--json'],
    ['assess', ACME, '--json', '--no-such-flag'],
    ['--json', 'no-such-command'],
  ];
  for (const args of cases) {
    it(args.join(' '), async () => {
      const r = await en(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('');
      const body = JSON.parse(r.stdout);
      expect(body).toMatchObject({ schema: 'chujing.error/1', error: { code: expect.stringMatching(/^(bad-input|not-found)$/), exitCode: 2, message: { code: expect.any(String), text: expect.any(String) } } });
      for (const issue of body.error.issues) {
        expect(issue.message).toMatchObject({ code: expect.any(String), params: expect.any(Object), text: expect.any(String) });
        if (issue.expected) expect(issue.expected).toMatchObject({ code: expect.any(String), text: expect.any(String) });
      }
    });
  }
});

describe('every JSON output carries its schema version', () => {
  it.each([
    [['assess', ACME, '--as-of', AS_OF, '--json'], 'chujing.assess/2'],
    [['validate', ACME, '--json'], 'chujing.validate/1'],
    [['status', ACME, '--as-of', AS_OF, '--json'], 'chujing.status/2'],
    [['explain', 'DRAFT-J6', '--json'], 'chujing.explain/1'],
    [['rules', '--json'], 'chujing.rules/1'],
    [['check', ACME, '--dataset', 'bom-global', '--recipient', 'acme-plant-hu', '--purpose', 'x', '--json'], 'chujing.check/1'],
    [['scan', 'annotations', join(ACME, 'data', 'adas', 'labels.json'), '--format', 'coco', '--json'], 'chujing.scan-annotations/1'],
  ])('%s', async (args, schema) => {
    expect((await json(args as string[])).body.schema).toBe(schema);
  });

  it('status actions carry their message as {code, params, text} beside their kind', async () => {
    const r = (await json(['status', ACME, '--as-of', AS_OF, '--json'])).body;
    for (const a of r.actions) expect(a.message).toMatchObject({ code: `status.action.${a.kind}`, params: expect.any(Object), text: expect.any(String) });
  });
});

describe('JUnit XML', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });

  it('one testcase per transfer; a failure exactly where assess fails; parsed back and checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-junit-'));
    const file = join(dir, 'report.xml');
    const r = await en(['assess', ACME, '--as-of', AS_OF, '--junit', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('chujing assessment'); // stdout keeps its own format
    const xml = readFileSync(file, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true); // well-formed
    const doc = parser.parse(xml);
    const whole = (await json(['assess', ACME, '--as-of', AS_OF, '--json'])).body;
    const failing = whole.transfers.filter((t: { covered: boolean; path: string }) => !t.covered || t.path === 'prohibited').map((t: { id: string }) => t.id);

    // The JUnit structure CI systems read: testsuites > testsuite > testcase (> failure), counts that add up.
    const suites = doc.testsuites.testsuite;
    expect(suites).toHaveLength(1); // no ledger findings on the example: one suite
    const cases = suites[0].testcase;
    expect(cases.map((c: { name: string }) => c.name)).toEqual(whole.transfers.map((t: { id: string }) => t.id));
    expect(Number(doc.testsuites.tests)).toBe(cases.length);
    expect(Number(suites[0].tests)).toBe(cases.length);
    expect(Number(doc.testsuites.failures)).toBe(failing.length);
    expect(Number(suites[0].failures)).toBe(failing.length);
    expect(cases.filter((c: { failure?: unknown }) => c.failure).map((c: { name: string }) => c.name)).toEqual(failing);
    for (const c of cases) {
      expect(c.classname).toBe('chujing.acme-cn.transfers');
      if (!c.failure) continue;
      // A failure's file and line point at the transfer in the YAML.
      const lines = readFileSync(join(REPO_ROOT, c.file), 'utf8').split('\n');
      expect(lines[Number(c.line) - 1]).toContain(`id: ${c.name}`);
    }
    const t3 = cases.find((c: { name: string }) => c.name === 't-2026-003');
    expect(t3.failure).toMatchObject({ type: 'uncovered', message: 't-2026-003: needs a security assessment approval' });
    expect(t3.failure['#text']).toContain('PATH-SA-1');
    expect(cases.find((c: { name: string }) => c.name === 't-2026-010').failure.type).toBe('prohibited');
    expect(suites[0].properties.property).toContainEqual({ name: 'asOf', value: AS_OF });
  });

  it('--format junit on stdout is the same document; a selection narrows it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-junit-'));
    await en(['assess', ACME, '--as-of', AS_OF, '--junit', join(dir, 'a.xml')]);
    expect((await en(['assess', ACME, '--as-of', AS_OF, '--format', 'junit'])).stdout).toBe(readFileSync(join(dir, 'a.xml'), 'utf8'));
    const one = parser.parse((await en(['assess', ACME, '--as-of', AS_OF, '--format', 'junit', '--transfer', 't-2026-001'])).stdout);
    expect(one.testsuites).toMatchObject({ tests: '1', failures: '0' });
  });

  it('escapes what XML cannot hold as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-junit-esc-'));
    writeFileSync(
      join(dir, 'chujing.yaml'),
      `version: 1
organization: { id: acme, name: 'A "quoted" & <tagged> Co.', processorType: oem }
datasets:
  - { id: crm, name: CRM, scenario: other, dataType: customer-records, personalInfo: { persons: 200000 } }
recipients:
  - { id: hq, name: HQ, country: DE }
transfers:
  - { id: t1, date: 2026-03-01, datasets: [crm], recipient: hq, purpose: 'R&D <model> "v2"' }
approvals:
  - { id: sc1, mechanism: standard-contract, status: filed, effective: 2026-01-05, filed: 2026-01-10, covers: { datasets: [crm], purposes: [marketing] } }
`,
    );
    const r = await en(['assess', dir, '--as-of', AS_OF, '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const failure = parser.parse(r.stdout).testsuites.testsuite[0].testcase[0].failure;
    expect(failure['#text']).toContain('R&D <model> "v2"'); // the purpose, in the near miss, read back intact
  });

  it('a --junit file that cannot be written is bad input, and nothing claims success', async () => {
    const r = await en(['assess', ACME, '--as-of', AS_OF, '--junit', join(tmpdir(), 'no-such-folder-chujing', 'r.xml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('GitHub Actions annotations', () => {
  it('one ::error per failing transfer, at its line of the YAML, with escaped text', async () => {
    const r = await en(['assess', ACME, '--as-of', AS_OF, '--format', 'github']);
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(5);
    const t3 = errors.find((l) => l.includes('t-2026-003'))!;
    const m = /^::error file=([^,]+),line=(\d+),title=([^:]+)::(.*)$/.exec(t3)!;
    expect(m).not.toBeNull();
    expect(m[1]).toBe(relative(REPO_ROOT, join(ACME, 'transfers', '2026.yaml')));
    expect(readFileSync(join(REPO_ROOT, m[1]!), 'utf8').split('\n')[Number(m[2]) - 1]).toContain('id: t-2026-003');
    expect(m[3]).toBe('chujing%3A transfer t-2026-003'); // ':' escaped in a property
    expect(m[4]).toMatch(/^t-2026-003: needs a security assessment approval%0A/); // newlines escaped in the message
    expect(m[4]).not.toMatch(/[\r\n]/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^14 datasets|^\d+ datasets/);
  });
});

describe('the real binary', () => {
  it('exit codes of assess --transfer and check, and Chinese --help from the locale', () => {
    expect(runCli(['assess', 'examples/acme-auto', '--as-of', AS_OF, '--transfer', 't-2026-001'], { env }).code).toBe(0);
    expect(runCli(['assess', 'examples/acme-auto', '--as-of', AS_OF, '--transfer', 't-2026-003'], { env }).code).toBe(1);
    const args = ['check', 'examples/acme-auto', '--as-of', AS_OF, '--date', '2026-12-01', '--recipient', 'acme-gmbh', '--purpose', 'p'];
    expect(runCli([...args, '--dataset', 'bom-global'], { env }).code).toBe(0);
    expect(runCli([...args, '--dataset', 'defence-site-survey'], { env }).code).toBe(1);
    const bad = runCli([...args, '--dataset', 'nope', '--json'], { env });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).schema).toBe('chujing.error/1');
    const help = runCli(['--help'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^用法： chujing \[选项\] \[命令\]/);
    expect(existsSync(join(REPO_ROOT, 'bin', 'chujing.js'))).toBe(true);
  });
});
