/**
 * Bad input gets a clear error naming the file, the line and the field, and what was expected.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChujingError } from '../../src/errors.js';
import { loadWorkspace } from '../../src/model/load.js';
import { checkReferences } from '../../src/model/references.js';
import { text } from '../../src/i18n/index.js';

/** An issue's message and expected part as English text. */
const en = (issue: { message: unknown; expected?: unknown }) => ({ message: text('en', issue.message as never), expected: issue.expected === undefined ? undefined : text('en', issue.expected as never) });

const GOOD = `version: 1
organization:
  id: acme
  name: ACME
  processorType: oem
datasets:
  - id: crm
    name: CRM
    scenario: other
    dataType: customers
    personalInfo: { persons: 10 }
recipients:
  - { id: hq, name: HQ, country: DE }
transfers:
  - id: t1
    date: 2026-03-01
    datasets: [crm]
    recipient: hq
    purpose: CRM
`;

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'chujing-load-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

function error(fn: () => unknown): ChujingError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ChujingError) return e;
    throw e;
  }
  throw new Error('expected a ChujingError');
}

const load = (d: string) => {
  const loaded = loadWorkspace(d, d);
  checkReferences(loaded);
  return loaded;
};

describe('loadWorkspace', () => {
  it('loads a valid workspace with defaults applied', () => {
    const { workspace } = load(dir({ 'chujing.yaml': GOOD }));
    expect(workspace.organization.ciio).toBe(false);
    expect(workspace.settings.sensitiveOverlap).toBe('count-in-both');
    expect(workspace.transfers[0]!.kind).toBe('transmit');
  });

  it('malformed YAML: file and line', () => {
    const e = error(() => load(dir({ 'chujing.yaml': 'version: 1\norganization:\n  id: [unclosed\n  name: x\n' })));
    expect(e.code).toBe('bad-input');
    expect(e.issues[0]).toMatchObject({ file: 'chujing.yaml', message: expect.stringContaining('malformed YAML') });
    expect(e.issues[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('unknown field: file, line, field and what was expected', () => {
    const e = error(() => load(dir({ 'chujing.yaml': GOOD.replace('    purpose: CRM', '    purpose: CRM\n    purpse: typo') })));
    expect(e.issues[0]).toMatchObject({ file: 'chujing.yaml', line: 15, field: 'transfers[0]', message: "unknown field 'purpse'" });
  });

  it('a negative count and a date that is not a date', () => {
    const text = GOOD.replace('persons: 10', 'persons: -5').replace('date: 2026-03-01', 'date: 2026-02-30');
    const e = error(() => load(dir({ 'chujing.yaml': text })));
    const fields = Object.fromEntries(e.issues.map((i) => [i.field, i]));
    expect(fields['datasets[0].personalInfo.persons']).toMatchObject({ line: 11, message: 'persons must not be negative' });
    expect(fields['transfers[0].date']).toMatchObject({ line: 16, message: 'expected a calendar date YYYY-MM-DD' });
  });

  it('an unknown enum value lists the accepted ones', () => {
    const e = error(() => load(dir({ 'chujing.yaml': GOOD.replace('processorType: oem', 'processorType: carmaker') })));
    expect(e.issues[0]).toMatchObject({ field: 'organization.processorType', line: 5 });
    expect(e.issues[0]!.expected).toContain('oem');
  });

  it('a transfer naming a dataset that does not exist', () => {
    const e = error(() => load(dir({ 'chujing.yaml': GOOD.replace('datasets: [crm]', 'datasets: [crm, ghost]') })));
    expect(e.issues[0]).toMatchObject({ field: 'transfers[0].datasets[1]', line: 17 });
    expect(en(e.issues[0]!)).toEqual({ message: 'transfer t1 names dataset ghost, which is not defined', expected: 'one of crm' });
  });

  it('an unknown scenario and data type', () => {
    const e = error(() => load(dir({ 'chujing.yaml': GOOD.replace('scenario: other', 'scenario: driving-automation') })));
    expect(e.issues[0]).toMatchObject({ field: 'datasets[0].dataType' });
    expect(en(e.issues[0]!).message).toBe('unknown data type customers for scenario driving-automation');
    const e2 = error(() => load(dir({ 'chujing.yaml': GOOD.replace('scenario: other', 'scenario: driving-automaton') })));
    expect(e2.issues[0]).toMatchObject({ field: 'datasets[0].scenario', line: 9 });
    expect(en(e2.issues[0]!)).toEqual({ message: 'unknown scenario driving-automaton', expected: 'did you mean driving-automation?' });
  });

  it('include: merges lists and reports errors at the included file\'s line', () => {
    const root = GOOD.replace('version: 1\n', 'version: 1\ninclude: ["more/*.yaml"]\n');
    const d = dir({ 'chujing.yaml': root, 'more/t.yaml': 'transfers:\n  - id: t2\n    date: 2026-04-01\n    datasets: [crm]\n    recipient: nobody\n    purpose: x\n' });
    const e = error(() => load(d));
    expect(e.issues[0]).toMatchObject({ file: join('more', 't.yaml'), line: 5, field: 'transfers[1].recipient' });
    const ok = load(dir({ 'chujing.yaml': root, 'more/t.yaml': 'transfers:\n  - id: t2\n    date: 2026-04-01\n    datasets: [crm]\n    recipient: hq\n    purpose: x\n' }));
    expect(ok.workspace.transfers.map((t) => t.id)).toEqual(['t1', 't2']);
    expect(ok.files).toHaveLength(2);
  });

  it('duplicate ids and unknown override rules', () => {
    const text = GOOD.replace('recipients:', 'overrides:\n  promote: [{ rule: DRAFT-J99, reason: x }]\nrecipients:').replace('  - { id: hq, name: HQ, country: DE }', '  - { id: hq, name: HQ, country: DE }\n  - { id: hq, name: HQ2, country: FR }');
    const e = error(() => load(dir({ 'chujing.yaml': text })));
    expect(e.issues.map((i) => en(i).message)).toEqual(expect.arrayContaining(['duplicate id hq', 'unknown rule DRAFT-J99']));
  });

  it('a missing workspace is not-found', () => {
    const e = error(() => loadWorkspace(join(tmpdir(), 'no-such-chujing-dir')));
    expect(e.code).toBe('not-found');
  });
});
