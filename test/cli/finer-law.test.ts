/**
 * Issue 19, "the law's finer conditions" and "histories that cannot happen", through the CLI (in
 * process: the same code path as the binary).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
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

  it('the bundled examples are possible histories', async () => {
    for (const dir of ['examples/acme-auto', 'examples/lifecycle-demo']) expect((await runMain(['validate', dir])).code).toBe(0);
  });
});
