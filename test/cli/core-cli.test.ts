/**
 * End-to-end: the built `chujing` binary on workspaces, checking the JSON contract and exit codes
 * (0 covered, 1 something missing or prohibited, 2 bad input) and that bad input never shows a stack.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'chujing-cli-'));
const NO_STACK = /\n\s+at .+:\d+:\d+/;

const COVERED = `version: 1
organization: { id: acme, name: ACME, processorType: oem }
datasets:
  - { id: traj, name: trajectories, scenario: connected-operation, dataType: vehicle-data, personalInfo: { persons: 800, sensitivePersons: 800 } }
recipients:
  - { id: hq, name: HQ, country: DE }
transfers:
  - { id: t1, date: 2026-04-01, datasets: [traj], recipient: hq, purpose: study }
approvals:
  - { id: sc1, mechanism: standard-contract, effective: 2026-03-01, filed: 2026-03-05, covers: { datasets: [traj] } }
`;

function workspaceDir(text: string): string {
  const d = tmp();
  writeFileSync(join(d, 'chujing.yaml'), text);
  return d;
}

describe('chujing assess (example workspace)', () => {
  const r = runCli(['assess', 'examples/acme-auto', '--json', '--as-of', '2026-11-23'], { env: { CHUJING_HMAC_KEY: 'example-key-for-tests-0123456789' } });
  const report = JSON.parse(r.stdout);
  const t = (id: string) => report.transfers.find((x: { id: string }) => x.id === id);

  it('exits 1 because some transfers lack a mechanism, and prints the JSON contract', () => {
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(r.code).toBe(1);
    expect(report.asOf).toBe('2026-11-23');
    for (const tr of report.transfers) {
      expect(tr).toHaveProperty('path');
      expect(tr).toHaveProperty('exemption');
      expect(Array.isArray(tr.rules)).toBe(true);
      expect(typeof tr.covered).toBe('boolean');
      expect(Array.isArray(tr.missing)).toBe(true);
    }
  });

  it('measures the faces in the ADAS annotations and flags the understated declaration', () => {
    const adas = report.datasets.find((d: { id: string }) => d.id === 'adas-road-test');
    expect(adas.important).toBe(true);
    expect(adas.level).toBe('important');
    expect(adas.findings[0]).toMatchObject({ rule: 'DRAFT-J6', pack: 'cn-auto@2026', fact: 'maxFaceBoxMinSidePx', value: 48, threshold: 32, basis: 'measured' });
    expect(adas.factComparison).toContainEqual({ fact: 'maxFaceBoxMinSidePx', declared: 24, measured: 48, understated: true });
  });

  it('reaches every path, with the rules that decided each', () => {
    expect(t('t-2026-001')).toMatchObject({ path: 'exempt', exemption: 'EXEMPT-6', covered: true });
    expect(t('t-2026-002')).toMatchObject({ path: 'exempt', exemption: 'EXEMPT-1' });
    expect(t('t-2026-003')).toMatchObject({ path: 'security-assessment', covered: false });
    expect(t('t-2026-003').missing[0]).toMatchObject({ code: 'missing.security-assessment', text: 'a security assessment approval' });
    expect(t('t-2026-003').rules).toEqual(expect.arrayContaining(['PATH-SA-1', 'DRAFT-J6']));
    expect(t('t-2026-004')).toMatchObject({ path: 'standard-contract-or-certification', covered: true, coveredBy: 'sc-2026-001' });
    expect(t('t-2026-005')).toMatchObject({ path: 'exempt', exemption: 'EXEMPT-4' });
    expect(t('t-2026-007')).toMatchObject({ path: 'security-assessment', covered: true, coveredBy: 'sa-2026-001' });
    expect(t('t-2026-008')).toMatchObject({ path: 'standard-contract-or-certification', covered: false, yearToDate: expect.objectContaining({ persons: 100_000 }) });
    expect(t('t-2026-009')).toMatchObject({ path: 'exempt', exemption: 'EXEMPT-AUTO-1' });
    expect(t('t-2026-010')).toMatchObject({ path: 'prohibited', covered: false });
    expect(t('t-2026-011').rules).toContain('OUT-2');
    expect(t('t-2026-012')).toMatchObject({ path: 'exempt', exemption: 'EXEMPT-2' });
    expect(t('t-2026-013')).toMatchObject({ path: 'security-assessment' });
    expect(t('t-2026-013').rules).toContain('DRAFT-J12');
    expect(t('t-2025-031').packs).toContain('cn-auto@2025-draft');
  });

  it('shows the settings in force in every report', () => {
    expect(report.settings).toMatchObject({ sensitiveOverlap: 'count-in-both', countExemptTransfers: false, autoExemptionForImportantData: 'by-pack', splittingCheck: 'group-same-scenario' });
  });

  it('prints a human table in English and Chinese', () => {
    const en = runCli(['assess', 'examples/acme-auto', '--as-of', '2026-11-23', '--lang', 'en'], { env: { CHUJING_HMAC_KEY: 'example-key-for-tests-0123456789' } });
    expect(en.stdout).toContain('Transfers');
    expect(en.stdout).toContain('security assessment');
    const zh = runCli(['assess', 'examples/acme-auto', '--as-of', '2026-11-23', '--lang', 'zh'], { env: { CHUJING_HMAC_KEY: 'example-key-for-tests-0123456789' } });
    expect(zh.stdout).toContain('出境活动');
    expect(zh.stdout).toContain('数据出境安全评估');
  });
});

describe('chujing assess: exit codes and bad input', () => {
  it('exits 0 when every transfer is covered', () => {
    const r = runCli(['assess', workspaceDir(COVERED), '--json', '--as-of', '2026-11-23']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).transfers[0]).toMatchObject({ path: 'standard-contract-or-certification', covered: true, coveredBy: 'sc1' });
  });

  it('malformed YAML: exit 2, file and line, no stack trace', () => {
    const d = workspaceDir('version: 1\norganization: { id: acme, name: [oops }\n');
    const r = runCli(['assess', d]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/chujing\.yaml:2:\d+: malformed YAML/);
    expect(r.stderr).not.toMatch(NO_STACK);
    // With --json the error is JSON on stdout, and stderr stays empty.
    const j = runCli(['assess', d, '--json']);
    expect(j.code).toBe(2);
    expect(j.stderr).toBe('');
    const error = JSON.parse(j.stdout);
    expect(error).toMatchObject({ schema: 'chujing.error/1', error: { code: 'bad-input', exitCode: 2 } });
    expect(error.error.issues[0]).toMatchObject({ file: expect.stringMatching(/chujing\.yaml$/), line: 2, message: { code: expect.any(String), text: expect.stringMatching(/malformed YAML/) } });
  });

  it('wrong field: exit 2 naming the file, line and field', () => {
    const r = runCli(['assess', workspaceDir(COVERED.replace('purpose: study', 'purpose: study, recipent: hq'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/chujing\.yaml:8:\d+ transfers\[0\]: unknown field 'recipent'/);
  });

  it('a transfer naming a missing dataset: exit 2', () => {
    const r = runCli(['validate', workspaceDir(COVERED.replace('datasets: [traj], recipient', 'datasets: [nope], recipient'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('names dataset nope, which is not defined');
  });

  it('a bad --as-of: exit 2', () => {
    const r = runCli(['assess', workspaceDir(COVERED), '--as-of', '2026-13-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('YYYY-MM-DD');
  });

  it('no workspace: exit 2 with a hint', () => {
    const r = runCli(['assess', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('chujing init');
  });

  it('an unknown command or option: exit 2', () => {
    expect(runCli(['asses']).code).toBe(2);
    expect(runCli(['assess', '--jsn']).code).toBe(2);
  });
});

describe('chujing init / validate / explain / rules / schema', () => {
  it('init writes a starter that validates and assesses; refuses to overwrite', () => {
    const d = tmp();
    expect(runCli(['init', d]).code).toBe(0);
    expect(existsSync(join(d, 'chujing.yaml'))).toBe(true);
    expect(readFileSync(join(d, 'chujing.yaml'), 'utf8')).toContain('# chujing workspace');
    const v = runCli(['validate', d, '--json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, datasets: 2, transfers: 1 });
    const a = runCli(['assess', d, '--json', '--as-of', '2026-11-23']);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).transfers[0]).toMatchObject({ path: 'exempt', exemption: 'EXEMPT-6' });
    const again = runCli(['init', d]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('explain shows a rule with its source, threshold and confidence', () => {
    const r = runCli(['explain', 'DRAFT-J6', '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(maxFaceBoxMinSidePx) ≥ 32 px');
    expect(r.stdout).toContain('cn-auto@2025-draft');
    expect(r.stdout).toContain('cn-auto@2026');
    expect(r.stdout).toContain('source:');
    expect(runCli(['explain', 'PATH-SA-2']).stdout).toContain('S-PROV Art. 7');
    expect(runCli(['explain', 'IMP-DA-R1']).stdout).toContain('DRAFT-J6');
    const bad = runCli(['explain', 'DRAFT-J99']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('DRAFT-J1');
  });

  it('rules lists the packs and the built-in FTZ lists', () => {
    const r = runCli(['rules', '--json']);
    const { packs, negativeLists } = JSON.parse(r.stdout);
    expect(packs.map((p: { id: string }) => p.id)).toEqual(['cn-national@2024', 'cn-auto@2021', 'cn-auto@2025-draft', 'cn-auto@2026']);
    expect(negativeLists.map((l: { id: string }) => l.id)).toEqual(['beijing-ftz-2024', 'shanghai-lingang-2024', 'chongqing-ftz-2025', 'fujian-ftz-2025']);
    expect(negativeLists[0].items).toHaveLength(7);
    for (const p of packs) for (const rule of p.judgmentRules) expect(rule).toEqual(expect.objectContaining({ id: expect.any(String), source: expect.any(String), confidence: expect.any(String), title: { en: expect.any(String), zh: expect.any(String) } }));
  });

  it('schema prints a JSON Schema with documented fields', () => {
    const schema = JSON.parse(runCli(['schema']).stdout);
    expect(schema.properties.organization.properties.processorType.enum).toContain('autonomous-driving-provider');
    expect(schema.properties.transfers.items.properties.date.description).toContain('Date of the transfer');
  });
});

describe('chujing status agrees with assess', () => {
  it('lists exactly the transfers assess finds uncovered, and names a prohibited one as such', () => {
    const env = { CHUJING_HMAC_KEY: 'example-key-for-tests-0123456789' };
    const assessed = JSON.parse(runCli(['assess', 'examples/acme-auto', '--json', '--as-of', '2026-11-23'], { env }).stdout);
    const status = runCli(['status', 'examples/acme-auto', '--json', '--as-of', '2026-11-23'], { env });
    expect(status.code).toBe(1);
    const report = JSON.parse(status.stdout);
    const uncovered = assessed.transfers.filter((t: { covered: boolean }) => !t.covered).map((t: { id: string }) => t.id).sort();
    expect(report.uncoveredTransfers.map((u: { transfer: string }) => u.transfer).sort()).toEqual(uncovered);
    expect(report.actions).toContainEqual(expect.objectContaining({ kind: 'prohibited-transfer', transfer: 't-2026-010', rules: ['IMP-GEN-6'] }));
    expect(report.actions.filter((a: { kind: string }) => a.kind === 'review-overdue')).toEqual([]);
    expect(report.settings).toMatchObject({ sensitiveOverlap: 'count-in-both', countExemptTransfers: false });
    expect(runCli(['status', 'examples/acme-auto', '--as-of', '2026-11-23'], { env }).stdout).toContain('persons with sensitive PI (sensitiveOverlap): counted in both counters (Q-1)');
  });
});
