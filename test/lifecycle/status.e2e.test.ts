/**
 * `chujing status` end to end, through the built CLI, on examples/lifecycle-demo as of 2026-11-23.
 * The expected dates were counted by hand (see the comments in src/lifecycle/calendar.test.ts and the
 * header of the example workspace).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, runMain } from '../helpers/cli.js';
import { readIcs, strictRead } from './ical-reader.js';

const DEMO = join(REPO_ROOT, 'examples', 'lifecycle-demo');
const AS_OF = '2026-11-23';

interface Json {
  schema: string;
  asOf: string;
  needsAction: boolean;
  summary: Record<string, number>;
  calendar: { years: number[]; provisionalYearsUsed: number[]; sources: { year: number; provisional: boolean; origin: string }[] };
  approvals: { id: string; state: string; expiringSoon: boolean; organizations: string[]; validity: { start: string | null; end: string | null }; daysToExpiry: number | null }[];
  deadlines: { approval: string; kind: string; date: string | null; until?: string; state: string; action: boolean; rules: string[]; provisionalYears: number[]; notes: { code: string; text: string }[]; error?: { code: string; text: string } }[];
  uncoveredTransfers: { transfer: string; date: string; path: string }[];
  changes: { approval: string; kind: string; now: string | number; approved: unknown; transfers: string[]; rules: string[] }[];
  actions: { kind: string; approval?: string; transfer?: string; entry?: string; date: string | null; rules: string[]; message: { code: string; params: Record<string, unknown>; text: string } }[];
}

function tempWorkspace(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-status-'));
  writeFileSync(join(dir, 'chujing.yaml'), yaml);
  return dir;
}

const HEADER = `version: 1
organization: { id: acme-cn, name: ACME, processorType: oem }
datasets:
  - { id: crm, name: CRM, scenario: other, dataType: contacts, personalInfo: { persons: 150000 } }
recipients:
  - { id: acme-us, name: ACME Inc., country: US }
`;

describe('chujing status on the life-cycle demo', () => {
  const r = runCli(['status', DEMO, '--as-of', AS_OF, '--json']);
  const report = JSON.parse(r.stdout) as Json;
  const deadline = (approval: string, kind: string) => report.deadlines.find((d) => d.approval === approval && d.kind === kind)!;

  it('exits 1 because something needs action, and prints the stable JSON shape', () => {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(report.schema).toBe('chujing.status/2');
    expect(report.asOf).toBe(AS_OF);
    expect(report.needsAction).toBe(true);
    expect(report.summary).toEqual({ approvals: 4, valid: 4, expiringSoon: 1, windowsOpen: 1, filingsOverdue: 1, uncoveredTransfers: 2, changes: 2, ledgerFindings: 0, actions: 5 });
    // 2028-2035 are computed on the statutory holidays (src/lifecycle/statutory.ts).
    expect(report.calendar.years).toEqual([2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035]);
  });

  it('security assessment: expires 2026-12-19, extension window open since 2026-09-21 (SA-4, SA-6)', () => {
    const sa = report.approvals.find((a) => a.id === 'sa-2023-adas')!;
    expect(sa).toMatchObject({ state: 'valid', expiringSoon: true, daysToExpiry: 26, validity: { start: '2023-12-20', end: '2026-12-19' } });
    expect(deadline('sa-2023-adas', 'sa-expiry')).toMatchObject({ date: '2026-12-19', state: 'upcoming', rules: ['SA-4'] });
    const win = deadline('sa-2023-adas', 'sa-extension-window');
    expect(win).toMatchObject({ date: '2026-09-21', until: '2026-12-19', state: 'open', action: true, rules: ['SA-6'], provisionalYears: [] });
    expect(win.notes.map((n) => n.text).join(' ')).toContain('SA-5');
  });

  it('standard contract: filing due 2026-11-12 and overdue; the other filed in time across the Spring Festival (SC-2, SC-3)', () => {
    expect(deadline('sc-2026-crm', 'sc-filing')).toMatchObject({ date: '2026-11-12', state: 'overdue', action: true, rules: ['SC-2'] });
    expect(deadline('sc-2026-warranty', 'sc-filing')).toMatchObject({ date: '2026-03-04', state: 'done', action: false });
    expect(deadline('sc-2026-warranty', 'sc-review')).toMatchObject({ date: '2026-03-18', state: 'done' });
  });

  it('certification: group approval for both entities, valid to 2029-01-14, re-apply from 2028-07-14 (CERT-4, PROC-3)', () => {
    const cert = report.approvals.find((a) => a.id === 'cert-2026-group')!;
    expect(cert.organizations).toEqual(['acme-cn', 'acme-dealer-sh']);
    expect(cert.validity.end).toBe('2029-01-14');
    expect(deadline('cert-2026-group', 'cert-renewal')).toMatchObject({ date: '2028-07-14', state: 'upcoming', action: false, rules: ['CERT-4'] });
    expect(report.uncoveredTransfers.map((u) => u.transfer)).not.toContain('t-2026-005');
  });

  it('uncovered transfers and scope changes', () => {
    // As assess decides them: t-2026-014 changed purpose and retention, so the SA no longer covers it (SA-5).
    expect(report.uncoveredTransfers).toMatchObject([
      { transfer: 't-2026-014', date: '2026-09-15', path: 'security-assessment' },
      { transfer: 't-2026-021', date: '2026-11-10', path: 'standard-contract-or-certification' },
    ]);
    expect(report.changes.map((c) => [c.approval, c.kind, c.now, c.transfers])).toEqual([
      ['sa-2023-adas', 'purpose', 'validation of EU type-approval ADAS functions', ['t-2026-014']],
      ['sa-2023-adas', 'retention', 36, ['t-2026-014']],
    ]);
    expect(report.changes.every((c) => c.rules.includes('SA-5'))).toBe(true);
    expect(report.actions.map((a) => a.kind)).toEqual(['extension-window-open', 'filing-overdue', 'uncovered-transfer', 'uncovered-transfer', 'scope-change']);
  });

  it('prints the human table in English and in Chinese from one message table', () => {
    const en = runCli(['status', DEMO, '--as-of', AS_OF]);
    expect(en.code).toBe(1);
    expect(en.stdout).toContain('Extension window of sa-2023-adas opens (apply by 2026-12-19)');
    expect(en.stdout).toMatch(/2026-11-12\s+OVERDUE/);
    expect(en.stdout).toContain('5 item(s) need action.');
    const zh = runCli(['status', DEMO, '--as-of', AS_OF, '--lang', 'zh']);
    expect(zh.code).toBe(1);
    expect(zh.stdout).toContain('标准合同备案已逾期（应于 2026-11-12 前，SC-2）');
    expect(zh.stdout).toContain('工作日历：2024、2025、2026、2027（暂定）');
  });

  it('as of the day before the filing deadline, the filing is due, not overdue', () => {
    const before = JSON.parse(runCli(['status', DEMO, '--as-of', '2026-11-12', '--json']).stdout) as Json;
    expect(before.deadlines.find((d) => d.approval === 'sc-2026-crm' && d.kind === 'sc-filing')).toMatchObject({ state: 'due', action: true });
    expect(before.summary.filingsOverdue).toBe(0);
  });
});

describe('chujing status exit codes', () => {
  it('exits 0 when nothing needs action', () => {
    const dir = tempWorkspace(`${HEADER}approvals:
  - { id: cert, mechanism: certification, status: certified, issued: 2026-01-15, covers: { datasets: [crm], recipients: [acme-us] } }
transfers:
  - { id: t1, date: 2026-03-01, datasets: [crm], recipient: acme-us, purpose: crm }
`);
    const r = runCli(['status', dir, '--as-of', '2026-11-23']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Nothing needs action.');
  });

  it('exits 2 on a bad --as-of, a malformed workspace, a missing calendar file or a bad --lang', () => {
    const bad = runCli(['status', DEMO, '--as-of', '2026-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--as-of');
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
    const dir = tempWorkspace(`${HEADER}approvals:\n  - { id: sc, mechanism: standard-contract, effective: 2026-13-01 }\n`);
    const malformed = runCli(['status', dir, '--as-of', AS_OF]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/chujing\.yaml:\d+/);
    expect(malformed.stderr).toContain('approvals[0].effective');
    expect(runCli(['status', DEMO, '--as-of', AS_OF, '--calendar', 'no-such-calendar.yaml']).code).toBe(2);
    expect(runCli(['status', DEMO, '--as-of', AS_OF, '--lang', 'fr']).code).toBe(2);
  });
});

describe('chujing status --ics', () => {
  it('writes the deadlines as an RFC 5545 calendar that a parser reads back with the right dates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-ics-'));
    const file = join(dir, 'deadlines.ics');
    const r = runCli(['status', DEMO, '--as-of', AS_OF, '--ics', file, '--json']);
    expect(r.code).toBe(1);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    // The strict reader always runs (CRLF, 75-octet lines, nesting, required properties)...
    const strict = strictRead(text);
    // ...and the standard parser ical.js (a devDependency) must read it too.
    const read = await readIcs(text);
    expect(read.parser).toBe('ical.js');
    for (const events of [strict, read.events]) {
      const byUid = new Map(events.map((e) => [e.uid, e]));
      expect(events).toHaveLength(7);
      // UIDs name the approval and the kind of deadline, never the date (a moved date updates the event).
      expect(byUid.get('sa-2023-adas.sa-extension-window@chujing')).toMatchObject({ start: '2026-09-21', end: '2026-09-22', allDay: true });
      expect(byUid.get('sa-2023-adas.sa-expiry@chujing')).toMatchObject({ start: '2026-12-19', allDay: true });
      expect(byUid.get('sc-2026-crm.sc-filing@chujing')!.start).toBe('2026-11-12');
      expect(byUid.get('sc-2026-warranty.sc-filing@chujing')!.start).toBe('2026-03-04');
      expect(byUid.get('cert-2026-group.cert-renewal@chujing')!.start).toBe('2028-07-14');
      expect(byUid.get('cert-2026-group.cert-expiry@chujing')!.start).toBe('2029-01-14');
      expect(byUid.get('sa-2023-adas.sa-extension-window@chujing')!.summary).toBe('Extension window of sa-2023-adas opens (apply by 2026-12-19)');
      expect(byUid.get('cert-2026-group.cert-renewal@chujing')!.description).toContain('UNCONFIRMED');
      // A reminder a week before each deadline.
      for (const e of events) expect(e.alarms).toEqual(['-P7D']);
    }
    // DTSTAMP comes from --as-of, not the clock.
    expect(strict.every((e) => e.dtstamp === '20261123T000000Z')).toBe(true);
  });

  it('writes Chinese summaries folded on character boundaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-ics-'));
    const file = join(dir, 'zh.ics');
    expect(runCli(['status', DEMO, '--as-of', AS_OF, '--ics', file, '--lang', 'zh']).code).toBe(1);
    const events = strictRead(readFileSync(file, 'utf8'));
    expect(events.find((e) => e.uid.startsWith('sc-2026-crm.sc-filing'))!.summary).toBe('标准合同 sc-2026-crm 向省级网信部门备案（最后一日）');
  });

  it('writes nothing when the input is bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-ics-'));
    const file = join(dir, 'never.ics');
    expect(runCli(['status', DEMO, '--as-of', 'tomorrow', '--ics', file]).code).toBe(2);
    expect(existsSync(file)).toBe(false);
  });
});

describe('chujing status and the working-day calendar', () => {
  it('flags every deadline counted through a provisional year, in JSON, the table and the .ics', async () => {
    const dir = tempWorkspace(`${HEADER}approvals:
  - { id: sc27, mechanism: standard-contract, effective: 2027-02-03, covers: { datasets: [crm] } }
`);
    const ics = join(dir, 'd.ics');
    const r = runCli(['status', dir, '--as-of', '2027-02-10', '--json', '--ics', ics]);
    const report = JSON.parse(r.stdout) as Json;
    // Hand count in src/lifecycle/calendar.test.ts: 2027-02-03 + 10 working days = 2027-02-23 (provisional 2027).
    expect(report.deadlines[0]).toMatchObject({ kind: 'sc-filing', date: '2027-02-23', state: 'due', provisionalYears: [2027] });
    expect(report.calendar.provisionalYearsUsed).toEqual([2027]);
    const human = runCli(['status', dir, '--as-of', '2027-02-10']);
    expect(human.stdout).toContain('2027-02-23*');
    expect(human.stdout).toContain('WARNING: the working-day calendar for 2027 is provisional');
    expect(strictRead(readFileSync(ics, 'utf8'))[0]!.description).toContain('provisional calendar year (2027)');
  });

  it('counts through years without a published notice on their statutory holidays, provisional with the reason', () => {
    const dir = tempWorkspace(`${HEADER}approvals:
  - { id: sa, mechanism: security-assessment, issued: 2026-03-02, covers: { datasets: [crm] } }
`);
    // T15: valid to 2029-03-01; 60 working days back on the statutory holidays of 2028-2029 (src/lifecycle/deadlines.test.ts).
    const report = JSON.parse(runCli(['status', dir, '--as-of', AS_OF, '--json']).stdout) as Json;
    const win = report.deadlines.find((d) => d.kind === 'sa-extension-window')!;
    expect(win).toMatchObject({ date: '2028-11-30', state: 'upcoming', provisionalYears: [2028, 2029] });
    expect(win.notes.map((n) => n.code)).toEqual(['law.calendar.statutory', 'law.calendar.statutory', 'law.extension.growth-condition', 'law.extension.no-figures']);
    expect(report.calendar.sources.find((y) => y.year === 2029)).toMatchObject({ provisional: true, origin: 'statutory' });
    const human = runCli(['status', dir, '--as-of', AS_OF]);
    expect(human.stdout).toContain('2028-11-30*');
    expect(human.stdout).toContain('2029 is provisional: no State Council holiday notice is encoded for it');
  });

  it('reports a deadline beyond the known years as unknown, and counts it once the user adds the year', () => {
    const yaml = `${HEADER}approvals:
  - { id: sa, mechanism: security-assessment, issued: 2033-06-02, covers: { datasets: [crm] } }
`;
    const dir = tempWorkspace(yaml);
    const unknown = JSON.parse(runCli(['status', dir, '--as-of', AS_OF, '--json']).stdout) as Json;
    const win = unknown.deadlines.find((d) => d.kind === 'sa-extension-window')!;
    expect(win.state).toBe('unknown');
    expect(win.error!.text).toContain('years known: 2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035');
    expect(win.action).toBe(true);
    expect(unknown.actions).toContainEqual(expect.objectContaining({ kind: 'deadline-unknown', approval: 'sa', date: '2036-06-01' }));
    expect(unknown.needsAction).toBe(true);

    // Valid to Sun 2036-06-01. A user calendar for 2036 with no holidays at all (weekdays only) in
    // .chujing/calendar.yaml: 60 weekdays before it = 12 weeks back from Fri 2036-05-30 = Mon 2036-03-10.
    mkdirSync(join(dir, '.chujing'));
    writeFileSync(join(dir, '.chujing', 'calendar.yaml'), 'years:\n  2036:\n    source: test, weekdays only\n    holidays: []\n');
    const known = JSON.parse(runCli(['status', dir, '--as-of', AS_OF, '--json']).stdout) as Json;
    expect(known.deadlines.find((d) => d.kind === 'sa-extension-window')).toMatchObject({ date: '2036-03-10', until: '2036-06-01', state: 'upcoming', provisionalYears: [] });
    expect(known.calendar.years).toEqual([2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035, 2036]);
  });
});

describe('status: undated filings, uncomputable deadlines, ledger findings, calendar updates (issue 10)', () => {
  it('a standard contract marked filed without a filing date: the date is missing (an action), not overdue', async () => {
    const dir = tempWorkspace(`${HEADER}approvals:
  - { id: sc-undated, mechanism: standard-contract, status: filed, effective: 2026-03-02, covers: { datasets: [crm], recipients: [acme-us] } }
transfers:
  - { id: t1, date: 2026-04-01, datasets: [crm], recipient: acme-us, purpose: crm }
`);
    const r = runCli(['status', dir, '--as-of', AS_OF, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Json;
    expect(report.deadlines.find((d) => d.kind === 'sc-filing')).toMatchObject({ state: 'date-missing', action: true, date: '2026-03-16' });
    expect(report.summary.filingsOverdue).toBe(0);
    expect(report.actions.map((a) => a.kind)).toEqual(['filing-date-missing']);
    expect(report.actions[0]!.message.text).toBe('sc-undated: marked filed, but no filing date is recorded; add filed: YYYY-MM-DD (SC-2, due 2026-03-16)');
    const human = runCli(['status', dir, '--as-of', AS_OF, '--lang', 'zh']);
    expect(human.stdout).toMatch(/2026-03-16\s+缺少日期/);
    expect(human.stdout).not.toContain('已逾期');
  });

  it('a deadline the calendar cannot compute is an action (exit 1), never "nothing needs action"', () => {
    const dir = tempWorkspace(`${HEADER}approvals:
  - { id: sa, mechanism: security-assessment, issued: 2033-06-02, covers: { datasets: [crm], recipients: [acme-us] } }
transfers:
  - { id: t1, date: 2026-04-01, datasets: [crm], recipient: acme-us, purpose: crm }
`);
    const r = runCli(['status', dir, '--as-of', AS_OF]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('Nothing needs action.');
    expect(r.stdout).toContain('sa: Extension window of sa opens (apply by 2036-06-01) cannot be computed: the working-day calendar has no data for 2036');
    // The unknown window, and t1 of 2026, before the approval of 2033.
    expect(r.stdout).toContain('2 item(s) need action.');
  });

  it('.ics: the same UID when a date moves, a higher SEQUENCE when regenerated later, a reminder', async () => {
    const yaml = (effective: string) => `${HEADER}approvals:
  - { id: sc1, mechanism: standard-contract, effective: ${effective}, covers: { datasets: [crm] } }
`;
    const dir = tempWorkspace(yaml('2026-10-29'));
    const file = join(dir, 'd.ics');
    expect(runCli(['status', dir, '--as-of', '2026-11-01', '--ics', file]).code).toBe(1);
    const first = (await readIcs(readFileSync(file, 'utf8'))).events;
    writeFileSync(join(dir, 'chujing.yaml'), yaml('2026-11-02')); // the effective date was corrected
    expect(runCli(['status', dir, '--as-of', '2026-11-05', '--ics', file]).code).toBe(1);
    const second = (await readIcs(readFileSync(file, 'utf8'))).events;
    expect(second.map((e) => e.uid)).toEqual(first.map((e) => e.uid)); // same event, updated
    expect(first[0]).toMatchObject({ uid: 'sc1.sc-filing@chujing', start: '2026-11-12' });
    expect(second[0]).toMatchObject({ uid: 'sc1.sc-filing@chujing', start: '2026-11-16' });
    expect(second[0]!.sequence).toBeGreaterThan(first[0]!.sequence);
    expect(second[0]!.alarms).toEqual(['-P7D']);
    // Regenerated for the same --as-of, the file is the same byte for byte.
    const again = join(dir, 'again.ics');
    runCli(['status', dir, '--as-of', '2026-11-05', '--ics', again]);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(file, 'utf8'));
  });

  it('reports the ledger entries assess finds not covered as actions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-status-ledger-'));
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'ledger', 'workspace'), dir, { recursive: true });
    writeFileSync(join(dir, 'sent.csv'), 'phone\n13800000001\n13800000002\n');
    const env = { CHUJING_HMAC_KEY: 'status-ledger-key-0123456789abcdef', DATABASE_URL: '' };
    // t-2026-002 (trajectories to acme-inc) needs a standard contract it lacks, and was sent anyway.
    const recorded = await runMain(['ledger', 'import', 'sent.csv', '--transfer', 't-2026-002', '-w', dir], { env, cwd: dir });
    expect(recorded.code, recorded.stderr).toBe(0);
    const assessed = JSON.parse((await runMain(['assess', dir, '--as-of', AS_OF, '--json'], { env })).stdout);
    expect(assessed.ledger.findings).toContainEqual(expect.objectContaining({ entry: 't-2026-002', kind: 'uncovered' }));
    const r = await runMain(['status', dir, '--as-of', AS_OF, '--json'], { env });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Json & { summary: { ledgerFindings: number } };
    expect(report.actions).toContainEqual(expect.objectContaining({ kind: 'ledger-finding', entry: 't-2026-002', date: '2026-04-01', rules: ['SEC-LOG-1'] }));
    expect(report.summary.ledgerFindings).toBe(assessed.ledger.findings.filter((f: { kind: string }) => f.kind !== 'volume-differs').length);
    const human = await runMain(['status', dir, '--as-of', AS_OF, '--lang', 'zh'], { env });
    expect(human.stdout).toMatch(/- 台账条目 t-2026-002（2026-04-01）：台账条目 t-2026-002 于 2026-04-01 执行/);
  });
});
