/**
 * Issue 19, "the law's finer conditions" and "histories that cannot happen", through the CLI (in
 * process: the same code path as the binary).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorText, runMain } from '../helpers/cli.js';

function folder(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-law-'));
  writeFileSync(join(dir, 'chujing.yaml'), yaml);
  return dir;
}

const HEAD = `version: 1
organization: { id: oem, name: OEM, processorType: oem }
recipients:
  - { id: hq, name: HQ, country: DE }
`;

describe('FTZ-1 / EXEMPT-7: a zone list applies only in its own zone', () => {
  it('a Tianjin processor naming the Beijing list is refused, naming both zones, with file and line', async () => {
    const dir = folder(`version: 1
organization:
  id: oem
  name: OEM
  processorType: oem
  ftz: { zone: tianjin, list: beijing-ftz-2024 }
`);
    const r = await runMain(['validate', dir]);
    expect(r.code).toBe(2);
    const text = errorText(r);
    expect(text).toMatch(/chujing\.yaml:6:\d+ organization\.ftz\.list: /);
    expect(text).toContain('registered in the tianjin free trade zone but names beijing-ftz-2024, the list of the beijing zone');
    const json = await runMain(['validate', dir, '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error.issues[0].message).toMatchObject({ code: 'law.ftz.zone-mismatch', params: { zone: 'tianjin', list: 'beijing-ftz-2024', listZone: 'beijing' } });
    // The same processor registered in Beijing is accepted, and assess grants EXEMPT-7 only then.
    const ok = await runMain(['validate', folder(`version: 1\norganization: { id: oem, name: OEM, processorType: oem, ftz: { zone: beijing, list: beijing-ftz-2024 } }\n`)]);
    expect(ok.code).toBe(0);
  });

  it('an affiliate in the wrong zone is refused too, and assess refuses the workspace', async () => {
    const dir = folder(`${HEAD}affiliates:
  - { id: aff, name: Aff, processorType: dealer, ftz: { zone: shanghai-lingang, list: beijing-ftz-2024 } }
`);
    const r = await runMain(['assess', dir, '--no-ledger']);
    expect(r.code).toBe(2);
    expect(errorText(r)).toMatch(/chujing\.yaml:6:\d+ affiliates\[0\]\.ftz\.list: .*shanghai-lingang/);
  });
});

describe('HIST-1..8: histories that cannot happen are refused', () => {
  const approval = (lines: string) => folder(`${HEAD}approvals:\n${lines}`);
  const cases: [string, string, RegExp][] = [
    ['HIST-1', `  - id: sa
    mechanism: security-assessment
    applied: 2023-08-01
    issued: 2023-12-20
    extensions:
      - { applied: 2026-10-01, granted: 2026-09-01 }
`, /chujing\.yaml:11:\d+ approvals\[0\]\.extensions\[0\]\.granted: HIST-1: approval sa: extensions\.granted \(2026-09-01\) is before extensions\.applied \(2026-10-01\)/],
    ['HIST-2', `  - id: sa
    mechanism: security-assessment
    issued: 2023-12-20
    extensions:
      - { applied: 2023-11-01 }
`, /approvals\[0\]\.extensions\[0\]\.applied: HIST-2: .*extensions\.applied \(2023-11-01\) is before issued \(2023-12-20\)/],
    ['HIST-3', `  - id: sa
    mechanism: security-assessment
    applied: 2024-02-01
    issued: 2024-01-10
`, /chujing\.yaml:9:\d+ approvals\[0\]\.issued: HIST-3: approval sa: issued \(2024-01-10\) is before applied \(2024-02-01\)/],
    ['HIST-4', `  - id: sc
    mechanism: standard-contract
    signed: 2026-03-10
    effective: 2026-03-01
`, /chujing\.yaml:9:\d+ approvals\[0\]\.effective: HIST-4: .*effective \(2026-03-01\) is before signed \(2026-03-10\)/],
    ['HIST-5', `  - id: sc
    mechanism: standard-contract
    effective: 2026-03-10
    filed: 2026-03-01
`, /chujing\.yaml:9:\d+ approvals\[0\]\.filed: HIST-5: .*filed \(2026-03-01\) is before effective \(2026-03-10\)/],
    ['HIST-6', `  - id: sc
    mechanism: standard-contract
    effective: 2026-03-01
    filed: 2026-03-05
    answered: 2026-03-04
`, /approvals\[0\]\.answered: HIST-6: /],
    ['HIST-7', `  - id: cert
    mechanism: certification
    status: certified
    issued: 2026-01-15
    expires: 2025-12-31
`, /chujing\.yaml:10:\d+ approvals\[0\]\.expires: HIST-7: .*expires \(2025-12-31\) is before issued \(2026-01-15\)/],
    ['HIST-8', `  - id: cert-1
    mechanism: certification
    issued: 2026-01-15
  - id: cert-2
    mechanism: certification
    applied: 2025-06-01
    issued: 2026-08-01
    renews: cert-1
`, /chujing\.yaml:11:\d+ approvals\[1\]\.applied: HIST-8: approval cert-2 renews cert-1, but its applied \(2025-06-01\) is before cert-1 came into being \(2026-01-15\)/],
  ];
  for (const [check, yaml, expected] of cases) {
    it(`${check}: validate, assess and status exit 2 naming the file, line and check`, async () => {
      const dir = approval(yaml);
      for (const args of [['validate', dir], ['assess', dir, '--no-ledger'], ['status', dir, '--as-of', '2026-12-01']]) {
        const r = await runMain(args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(errorText(r)).toMatch(expected);
      }
    });
  }

  it('the same approvals in the order the procedure allows are accepted', async () => {
    const dir = approval(`  - id: sa
    mechanism: security-assessment
    applied: 2023-08-01
    issued: 2023-12-20
    extensions:
      - { applied: 2026-10-01, granted: 2026-10-01 }
  - id: sc
    mechanism: standard-contract
    signed: 2026-03-01
    effective: 2026-03-01
    filed: 2026-03-01
    answered: 2026-03-01
  - id: cert-1
    mechanism: certification
    issued: 2026-01-15
    expires: 2026-01-16
  - id: cert-2
    mechanism: certification
    applied: 2026-01-15
    issued: 2026-08-01
    renews: cert-1
`);
    const r = await runMain(['validate', dir]);
    expect(errorText(r)).toBe('');
    expect(r.code).toBe(0);
  });

  it('each check is a rule `explain` knows, with its source', async () => {
    for (const id of ['HIST-1', 'HIST-4', 'HIST-8']) {
      const r = await runMain(['explain', id]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`${id} — `);
    }
    expect((await runMain(['explain', 'EXEMPT-AUTO-5'])).stdout).toContain('UPD-2');
    expect((await runMain(['explain', 'SA-6-C1'])).stdout).toContain('CAC Q&A, July 2026');
  });

  it('the bundled examples are possible histories', async () => {
    for (const dir of ['examples/acme-auto', 'examples/lifecycle-demo']) expect((await runMain(['validate', dir])).code).toBe(0);
  });
});

describe('UPD-2: automobile exemptions reach only the important data they are about (cn-auto@2026)', () => {
  const ws = (claims: string) => folder(`${HEAD}datasets:
  - id: tcu-vuln
    name: TCU vulnerability traces
    scenario: connected-operation
    dataType: vehicle-data
    facts: { iovSecurityData: true }
  - id: adas-imagery
    name: ADAS training imagery
    scenario: driving-automation
    dataType: algorithm-training-data
    facts: { rawImageryHours: 2500 }
  - id: ota-package
    name: Brake-controller OTA package source
    scenario: software-upgrade
    dataType: software-upgrade-data
    level: important
transfers:
  - id: t
    date: 2026-07-01
    datasets: [tcu-vuln, adas-imagery, ota-package]
    recipient: hq
    purpose: fix the reported TCU vulnerability and recall the brake controller
    exemptionClaims:
${claims}`);

  it('a vulnerability claim and a recall claim exempt their own kind; the ADAS imagery keeps PATH-SA-1, per dataset explained', async () => {
    const dir = ws(`      - { claim: vulnerability-remediation, reference: MIIT-1, basis: patch the TCU, datasets: [tcu-vuln, adas-imagery] }
      - { claim: defect-recall-ota, reference: SAMR-R-1, basis: brake recall, datasets: [ota-package, adas-imagery] }
`);
    const r = await runMain(['assess', dir, '--json', '--as-of', '2026-12-31', '--no-ledger']);
    expect(r.stderr).toBe('');
    const t = JSON.parse(r.stdout).transfers[0];
    expect(t.path).toBe('security-assessment');
    expect(t.rules).toEqual(expect.arrayContaining(['PATH-SA-1', 'EXEMPT-AUTO-5']));
    expect(t.exemptedDatasets).toEqual([{ dataset: 'tcu-vuln', rule: 'EXEMPT-AUTO-1' }, { dataset: 'ota-package', rule: 'EXEMPT-AUTO-3' }]);
    const [vuln, recall] = t.claims;
    expect(vuln.coverage.map((c: { dataset: string; exempted: boolean; rule: string }) => [c.dataset, c.exempted, c.rule])).toEqual([['tcu-vuln', true, 'EXEMPT-AUTO-1'], ['adas-imagery', false, 'EXEMPT-AUTO-5']]);
    expect(recall.coverage.map((c: { dataset: string; exempted: boolean; rule: string }) => [c.dataset, c.exempted, c.rule])).toEqual([['ota-package', true, 'EXEMPT-AUTO-3'], ['adas-imagery', false, 'EXEMPT-AUTO-5']]);
    expect(vuln.coverage[1].reason).toMatchObject({ code: 'law.auto.not-of-kind', params: { rule: 'EXEMPT-AUTO-1', dataset: 'adas-imagery', by: ['DRAFT-J7 (rawImageryHours)'], dataType: 'algorithm-training-data' } });
    // Only the imagery is judged: its 2,500 hours make it important (DRAFT-J7).
    expect(t.explanation.params.datasets).toEqual(['adas-imagery']);

    const human = await runMain(['assess', dir, '--as-of', '2026-12-31', '--no-ledger']);
    expect(human.stdout).toContain('adas-imagery is important data not of the kind EXEMPT-AUTO-1 is about (security-vulnerability / IoV network and data security data): it is important under DRAFT-J7 (rawImageryHours)');
    expect(human.stdout).toContain('tcu-vuln is important data of the kind EXEMPT-AUTO-1 is about');
    // Declared important (IMP-GEN-3) software-upgrade data is of the recall exemption's kind by its data type.
    expect(human.stdout).toContain('ota-package is important data of the kind EXEMPT-AUTO-3 is about (software-upgrade (OTA) data: upgrade packages and their source code: important under IMP-GEN-3)');
    const zh = await runMain(['assess', dir, '--as-of', '2026-12-31', '--no-ledger', '--lang', 'zh']);
    expect(zh.stdout).toContain('adas-imagery 为重要数据，但不属于 EXEMPT-AUTO-1 所涉的数据（安全漏洞及车联网网络和数据安全数据）');
  });

  it('the same data under only the claims of their kind is exempt; under the 2025 draft the conservative default keeps it in SA', async () => {
    const dir = ws(`      - { claim: vulnerability-remediation, reference: MIIT-1, basis: patch the TCU, datasets: [tcu-vuln] }
      - { claim: defect-recall-ota, reference: SAMR-R-1, basis: brake recall, datasets: [ota-package] }
`);
    const r = await runMain(['assess', dir, '--json', '--as-of', '2026-12-31', '--no-ledger', '--transfer', 't']);
    const t = JSON.parse(r.stdout).transfers[0];
    // The imagery, claimed by nothing, is still there: SA for it alone.
    expect(t.path).toBe('security-assessment');
    expect(t.explanation.params.datasets).toEqual(['adas-imagery']);
  });
});

describe('a dataset judged under another pack on the transfer\'s date', () => {
  it('the transfer names the pack and level on its date; the datasets table shows the other pack\'s level', async () => {
    const dir = folder(`${HEAD}datasets:
  - id: vehicles
    name: Fleet telemetry
    scenario: connected-operation
    dataType: vehicle-data
    facts: { distinctVehicles: 200000 }
transfers:
  - { id: t-2025, date: 2025-05-01, datasets: [vehicles], recipient: hq, purpose: fleet analytics }
  - { id: t-2026, date: 2026-05-01, datasets: [vehicles], recipient: hq, purpose: fleet analytics }
`);
    const r = await runMain(['assess', dir, '--json', '--as-of', '2026-12-31', '--no-ledger']);
    const report = JSON.parse(r.stdout);
    expect(report.datasets[0]).toMatchObject({ level: 'important', pack: 'cn-auto@2026', levelsByPack: [{ pack: 'cn-auto@2021', level: 'general', transfers: ['t-2025'] }] });
    const [old, current] = report.transfers;
    expect(old.levelsOnDate).toEqual([{ dataset: 'vehicles', pack: 'cn-auto@2021', level: 'general', reportPack: 'cn-auto@2026', reportLevel: 'important' }]);
    expect(current.levelsOnDate).toBeUndefined();
    const human = await runMain(['assess', dir, '--as-of', '2026-12-31', '--no-ledger']);
    expect(human.stdout).toMatch(/vehicles\s+important data \(cn-auto@2021: general data\)/);
    expect(human.stdout).toContain('Judged on its date (2025-05-01): vehicles was general data under cn-auto@2021, the pack in force then (the datasets table judges it under cn-auto@2026: important data).');
  });
});

describe('SA-6-C1 (UPD-9): the extension condition where the window is open or coming', () => {
  const ws = (scale: string) => folder(`${HEAD}datasets:
  - { id: adas, name: ADAS imagery, scenario: driving-automation, dataType: algorithm-training-data, level: important, personalInfo: { persons: 50000 } }
approvals:
  - id: sa-adas
    mechanism: security-assessment
    applied: 2023-08-01
    issued: 2024-01-10
    covers: { datasets: [adas], recipients: [hq]${scale} }
transfers:
  - { id: t-2024, date: 2024-03-01, datasets: [adas], recipient: hq, purpose: training }
  - { id: t-2026, date: 2026-03-01, datasets: [adas], recipient: hq, purpose: training, persons: 80000 }
`);

  it('JSON: an UNCONFIRMED condition with code, params, rule, source, and the growth seen so far; human and .ics show it', async () => {
    const dir = ws('');
    const r = await runMain(['status', dir, '--as-of', '2026-11-02', '--json', '--ics', join(dir, 'deadlines.ics')]);
    const report = JSON.parse(r.stdout);
    const win = report.deadlines.find((d: { kind: string }) => d.kind === 'sa-extension-window');
    expect(win.state).toBe('open');
    expect(win.conditions).toHaveLength(1);
    const c = win.conditions[0];
    expect(c).toMatchObject({ code: 'sa-extension-growth', rule: 'SA-6-C1', confidence: 'UNCONFIRMED', status: 'unconfirmed', params: { maxGrowthPercent: 20, years: 3 }, source: 'CAC Q&A, July 2026 (secondary, UPD-9)' });
    expect(c.comparison).toEqual({ basis: 'workspace', from: { kind: 'year', year: 2024, persons: 50000 }, to: { year: 2026, persons: 80000 }, growthPercent: 60, exceeds: true });
    expect(c.message.text).toContain('the persons must grow by no more than 20% over the next 3 years');
    expect(c.comparisonMessage.code).toBe('law.extension.growth-exceeds');

    const human = await runMain(['status', dir, '--as-of', '2026-11-02']);
    expect(human.stdout).toContain('sa-adas: Extension condition (SA-6-C1, unconfirmed; UPD-9): the persons must grow by no more than 20% over the next 3 years');
    expect(human.stdout).toContain('Growth so far under sa-adas: 50000 persons in 2024 to 80000 persons in 2026, 60% (from the workspace\'s declarations), already above the 20% the condition allows');
    const zh = await runMain(['status', dir, '--as-of', '2026-11-02', '--lang', 'zh']);
    expect(zh.stdout).toContain('延期条件（SA-6-C1，');
    const ics = readFileSync(join(dir, 'deadlines.ics'), 'utf8').replace(/\r\n[ \t]/g, '');
    expect(ics).toContain('Extension condition (SA-6-C1\\, unconfirmed\\; UPD-9)');
  });

  it('against the approved scale when the approval states one; nothing once the extension was applied for', async () => {
    const r = await runMain(['status', ws(', maxPersons: 100000'), '--as-of', '2026-11-02', '--json']);
    const win = JSON.parse(r.stdout).deadlines.find((d: { kind: string }) => d.kind === 'sa-extension-window');
    expect(win.conditions[0].comparison).toMatchObject({ from: { kind: 'approved-scale', year: null, persons: 100000 }, to: { year: 2026, persons: 80000 }, growthPercent: -20, exceeds: false });
    const early = await runMain(['status', ws(''), '--as-of', '2026-06-01', '--json']);
    expect(JSON.parse(early.stdout).deadlines.find((d: { kind: string }) => d.kind === 'sa-extension-window')).toMatchObject({ state: 'upcoming', conditions: [{ rule: 'SA-6-C1' }] });
  });
});

describe('UPD-11: deadlines in years without a published calendar', () => {
  it('computed on the statutory holidays, provisional with the reason, warned near a holiday: JSON, human and .ics', async () => {
    const dir = folder(`${HEAD}approvals:
  - { id: sc, mechanism: standard-contract, signed: 2029-01-28, effective: 2029-01-29 }
`);
    const ics = join(dir, 'd.ics');
    const r = await runMain(['status', dir, '--as-of', '2029-01-30', '--json', '--ics', ics]);
    const filing = JSON.parse(r.stdout).deadlines.find((d: { kind: string }) => d.kind === 'sc-filing');
    // Mon 2029-01-29 + 10 working days across 除夕-初三 (12-15 Feb 2029) = Fri 2029-02-16.
    expect(filing).toMatchObject({ date: '2029-02-16', state: 'due', provisionalYears: [2029] });
    expect(filing.notes.map((n: { code: string }) => n.code)).toEqual(['law.calendar.statutory', 'law.calendar.near-unknown']);
    const human = await runMain(['status', dir, '--as-of', '2029-01-30']);
    expect(human.stdout).toContain('2029-02-16*');
    expect(human.stdout).toContain('WARNING: 2029-02-16 is within 3 working days of 春节 Spring Festival (2029-02-12 to 2029-02-15) in provisional 2029');
    expect(readFileSync(ics, 'utf8').replace(/\r\n[ \t]/g, '')).toContain('2029 is provisional: no State Council holiday notice is encoded');
    // The official year, once encoded, replaces the computed one (here: a user calendar with 10-18 Feb off:
    // Jan 30 - Feb 9 are working days 1-9, Mon Feb 19 the 10th).
    const official = join(dir, 'calendar.yaml');
    writeFileSync(official, 'years:\n  2029:\n    source: official notice (test)\n    holidays:\n      - { name: 春节, from: 2029-02-10, to: 2029-02-18 }\n');
    const replaced = JSON.parse((await runMain(['status', dir, '--as-of', '2029-01-30', '--json', '--calendar', official])).stdout);
    expect(replaced.deadlines.find((d: { kind: string }) => d.kind === 'sc-filing')).toMatchObject({ date: '2029-02-19', provisionalYears: [], notes: [] });
  });
});
