/**
 * Issue 10, "Chinese, completely": every command, in Chinese, on the example workspaces and on bad input,
 * fails on any untranslated string. In process through `main()` (the process boundary is not the point
 * here); the rule for "untranslated" is in test/helpers/untranslated.ts. JSON output is checked where it
 * carries text for people: the `text` of every message.
 *
 * `--help` is walked from the program's own list of commands, so a new command is covered without
 * editing this file.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runMain, type CliResult } from '../helpers/cli.js';
import { messageTexts, stringsOf, untranslated, userStringsOf, type UntranslatedOptions } from '../helpers/untranslated.js';

const KEY = 'chinese-test-key-0123456789abcdef';
/** A Chinese locale (not --lang): the default language must come from it. */
const ZH = { LANG: 'zh_CN.UTF-8', CHUJING_HMAC_KEY: KEY, DATABASE_URL: '' };
const ACME = join(REPO_ROOT, 'examples', 'acme-auto');
const DEMO = join(REPO_ROOT, 'examples', 'lifecycle-demo');
const AS_OF = '2026-11-23';


const USER = [...userStringsOf(ACME), ...userStringsOf(DEMO)];

/** Command names listed under 命令： in a help text. */
function commandsIn(help: string): string[] {
  const section = help.split('命令：\n')[1]?.split('\n\n')[0] ?? '';
  return section
    .split('\n')
    .filter((l) => /^ {2}\S/.test(l))
    .map((l) => l.trim().split(/\s+/)[0]!)
    .filter((n) => n !== 'help');
}

/** chujing's command names, from its own help, sub-commands included (they are typed as they are). */
async function commandNames(path: string[] = []): Promise<string[]> {
  const names = commandsIn((await runMain([...path, '--help'], { env: ZH })).stdout);
  return [...names, ...(await Promise.all(names.map((n) => commandNames([...path, n])))).flat()];
}
const COMMANDS = ['help', ...(await commandNames())];

function expectChinese(r: CliResult, options: UntranslatedOptions & { exit?: number[]; json?: boolean } = {}) {
  const opts = { ...options, commands: COMMANDS, userStrings: [...USER, ...(options.userStrings ?? [])] };
  if (options.exit) expect(options.exit, `exit code ${r.code}; stderr: ${r.stderr}`).toContain(r.code);
  const texts = options.json ? messageTexts(JSON.parse(r.stdout)) : [r.stdout];
  const bad = [...texts, r.stderr].flatMap((t) => untranslated(t, opts)).map((u) => `${u.words.join(' ')}  ⟵  ${u.line.trim()}`);
  expect(bad).toEqual([]);
  // Something was said, and it is Chinese.
  expect(`${texts.join('')}${r.stderr}`).toMatch(/[\u4e00-\u9fff]/);
}

const zh = (args: string[], cwd = REPO_ROOT) => runMain(args, { env: ZH, cwd });

/**
 * Outputs still in English because their module belongs to another helper working at the same time
 * (translated on their branch, not yet merged here). Each runs as `it.fails`: the day it is translated,
 * the test fails and the entry must be removed — a gap cannot be forgotten here.
 */
const KNOWN_GAPS: Record<string, string> = {};
const itOrGap = (name: string) => (name in KNOWN_GAPS ? it.fails : it);

describe('--help of the program and of every command, in Chinese', () => {
  it('every command, found by walking the help itself', async () => {
    const seen: string[] = [];
    const visit = async (path: string[]) => {
      const r = await zh([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout).toContain('用法：');
      expectChinese(r, { help: true });
      seen.push(path.join(' ') || '(program)');
      for (const sub of commandsIn(r.stdout)) await visit([...path, sub]);
    };
    await visit([]);
    // The walk reached the commands this issue added and the nested ones.
    expect(seen).toEqual(expect.arrayContaining(['(program)', 'assess', 'check', 'status', 'export inventory', 'scan annotations', 'ledger verify']));
    // `help` and `--lang zh` give the same Chinese help under an English locale.
    const viaFlag = await runMain(['--lang', 'zh', 'help', 'assess'], { env: { LANG: 'en_US.UTF-8' } });
    expect(viaFlag.stdout).toBe((await zh(['assess', '--help'])).stdout);
  });

  it('--version is the version alone', async () => {
    expect((await zh(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('every command on the example workspaces, in Chinese', () => {
  it('assess: the report, one transfer, GitHub annotations', async () => {
    expectChinese(await zh(['assess', ACME, '--as-of', AS_OF]), { exit: [1] });
    expectChinese(await zh(['assess', ACME, '--as-of', AS_OF, '--transfer', 't-2026-003']), { exit: [1] });
    expectChinese(await zh(['assess', ACME, '--as-of', AS_OF, '--dataset', 'bom-global']), { exit: [0] });
    // GitHub's workflow-command syntax (::error file=…,line=…::) is for the runner; the messages are prose.
    const github = await zh(['assess', ACME, '--as-of', AS_OF, '--format', 'github']);
    expectChinese({ ...github, stdout: github.stdout.replace(/^::(error|warning|notice)[^:]*::/gm, '').replace(/%0A/g, '\n') }, { exit: [1] });
    expectChinese(await zh(['assess', ACME, '--as-of', AS_OF, '--json']), { exit: [1], json: true });
  });

  it('assess --format junit: the failure messages and details', async () => {
    const r = await zh(['assess', ACME, '--as-of', AS_OF, '--format', 'junit']);
    expect(r.code).toBe(1);
    const texts = [...r.stdout.matchAll(/message="([^"]*)"|>([^<>]+)<\/failure>|<testsuite name="([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
    expect(texts.length).toBeGreaterThan(5);
    expectChinese({ ...r, stdout: texts.join('\n') });
  });

  it('check: may go, needs a mechanism, prohibited', async () => {
    const base = ['check', ACME, '--as-of', AS_OF, '--date', '2026-12-01'];
    expectChinese(await zh([...base, '--dataset', 'bom-global', '--recipient', 'acme-plant-hu', '--purpose', '生产计划']), { exit: [0] });
    expectChinese(await zh([...base, '--dataset', 'crm-buyers-h2', '--recipient', 'acme-hq-crm', '--purpose', '全球客户关系管理']), { exit: [0, 1] });
    expectChinese(await zh([...base, '--dataset', 'defence-site-survey', '--recipient', 'acme-gmbh', '--purpose', '测绘']), { exit: [1] });
    expectChinese(await zh([...base, '--dataset', 'adas-road-test', '--recipient', 'acme-gmbh', '--purpose', '训练', '--json']), { exit: [0, 1], json: true });
  });

  it('validate, status (table, JSON, .ics), explain, rules', async () => {
    expectChinese(await zh(['validate', ACME]), { exit: [0] });
    expectChinese(await zh(['status', ACME, '--as-of', AS_OF]), { exit: [1] });
    expectChinese(await zh(['status', DEMO, '--as-of', AS_OF]), { exit: [1] });
    expectChinese(await zh(['status', DEMO, '--as-of', AS_OF, '--json']), { exit: [1], json: true });
    const dir = mkdtempSync(join(tmpdir(), 'chujing-zh-'));
    await zh(['status', DEMO, '--as-of', AS_OF, '--ics', join(dir, 'd.ics')]);
    const ics = readFileSync(join(dir, 'd.ics'), 'utf8').replace(/\r\n /g, '');
    const icsTexts = [...ics.matchAll(/^(?:SUMMARY|DESCRIPTION|X-WR-CALNAME):(.*)$/gm)].map((m) => m[1]!.replace(/\\n/g, '\n').replace(/\\([,;\\])/g, '$1'));
    expectChinese({ code: 0, stdout: icsTexts.join('\n'), stderr: '' });
    for (const rule of ['DRAFT-J6', 'PATH-SA-2', 'EXEMPT-6', 'SC-2', 'IMP-A21-4', 'EXEMPT-7', 'SA-6']) {
      const r = await zh(['explain', rule]);
      // The other language's title is shown on purpose, labelled 英文： — a bilingual cross-reference.
      expectChinese({ ...r, stdout: r.stdout.replace(/^ {2}英文：.*$/gm, '') }, { exit: [0] });
    }
    expectChinese(await zh(['rules']), { exit: [0] });
  });

  it('scan annotations, manifest and drive log', async () => {
    expectChinese(await zh(['scan', 'annotations', join(ACME, 'data', 'adas', 'labels.json'), '--format', 'coco', '--as-of', AS_OF]), { exit: [0] });
    expectChinese(await zh(['scan', 'annotations', join(ACME, 'data', 'adas', 'labels.json'), '--format', 'coco', '--as-of', AS_OF, '--fail-on', 'qualifying']), { exit: [1] });
    expectChinese(await zh(['scan', 'manifest', join(REPO_ROOT, 'test', 'fixtures', 'manifests', 'persons.csv')]), { exit: [0] });
    expectChinese(await zh(['scan', 'drivelog', join(REPO_ROOT, 'test', 'fixtures', 'manifests', 'drivelog.csv')]), { exit: [0] });
  });

  it('report: a document in Markdown on stdout', async () => {
    // Markdown with a little HTML (<strong>, <br>, &amp;): the markup is not prose.
    const unmark = (s: string) => s.replace(/<\/?[a-z]+\/?>/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
    for (const kind of ['self-assessment', 'plan', 'pipia']) {
      const r = await zh(['report', kind, ACME, '--as-of', AS_OF]);
      expectChinese({ ...r, stdout: unmark(r.stdout) }, { exit: [0] });
    }
  });

  it('init: the message, the Chinese template (its comments) and the .gitignore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-zh-init-'));
    const r = await zh(['init', dir]);
    expectChinese(r, { exit: [0] });
    const template = readFileSync(join(dir, 'chujing.yaml'), 'utf8');
    // In YAML, the keys and values are the format; the comments are prose — except a commented-out line
    // of YAML (`# evidence:`, `#   - { kind: … }`), whose prose, if any, follows a second #.
    const comments = template
      .split('\n')
      .map((l) => (l.includes('#') ? l.slice(l.indexOf('#') + 1) : ''))
      .map((c) => (/^\s*([\w-]+:|- )/.test(c) ? (c.includes('#') ? c.slice(c.indexOf('#') + 1) : '') : c))
      .join('\n');
    expectChinese({ code: 0, stdout: comments, stderr: '' }, { userStrings: stringsOf(parse(template), true) });
    const gitignore = readFileSync(join(dir, '.gitignore'), 'utf8');
    expectChinese({ code: 0, stdout: gitignore.split('\n').filter((l) => l.startsWith('#')).join('\n'), stderr: '' });
  });

  it('export inventory: the message and the file (headers and words)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chujing-zh-export-'));
    const r = await zh(['export', 'inventory', ACME, '--as-of', AS_OF, '--out', join(dir, 'inventory.csv')]);
    expectChinese(r, { exit: [0] });
    expectChinese({ code: 0, stdout: readFileSync(join(dir, 'inventory.csv'), 'utf8'), stderr: '' });
  });
});

describe('the ledger, in Chinese', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-zh-ledger-'));
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'ledger', 'workspace'), dir, { recursive: true });
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'ledger', 'buyers.csv'), join(dir, 'buyers.csv'));
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'ledger', 'entries.json'), join(dir, 'entries.json'));
  const user = [...userStringsOf(dir), ...stringsOf(JSON.parse(readFileSync(join(dir, 'entries.json'), 'utf8')))];

  // Each step depends on the ones before (one database): they run in order.
  const steps: [string, string[], number[]][] = [
    ['ledger import', ['ledger', 'import', 'buyers.csv', '--transfer', 't-2026-001', '-w', '.'], [0]],
    ['ledger record', ['ledger', 'record', 'entries.json', '-w', '.', '--force'], [0, 2]],
    ['ledger stats', ['ledger', 'stats', '-w', '.'], [0]],
    ['ledger verify', ['ledger', 'verify', '-w', '.'], [0]],
    ['ledger export', ['ledger', 'export', '--format', 'csv', '--out', 'audit.csv', '-w', '.'], [0]],
    ['ledger prune', ['ledger', 'prune', '--before', '2022-01-01', '--as-of', '2026-12-01', '-w', '.'], [0]],
    ['status with ledger findings', ['status', '.', '--as-of', AS_OF], [1]],
    ['assess with ledger findings', ['assess', '.', '--as-of', AS_OF], [1]],
  ];
  for (const [name, args, exit] of steps) {
    itOrGap(name)(name, async () => expectChinese(await zh(args, dir), { exit, userStrings: user }));
  }
});

describe('errors, in Chinese (human and --json)', () => {
  const bad = mkdtempSync(join(tmpdir(), 'chujing-zh-bad-'));
  const yaml = (name: string, text: string) => {
    mkdirSync(join(bad, name), { recursive: true });
    writeFileSync(join(bad, name, 'chujing.yaml'), text);
    return { path: join(bad, name), strings: stringsOf(parse(text, { prettyErrors: false, strict: false }) ?? {}, true) };
  };
  const OK = `version: 1
organization: { id: acme, name: ACME, processorType: oem }
datasets:
  - { id: crm, name: CRM, scenario: other, dataType: customer-records, personalInfo: { persons: 10 } }
recipients:
  - { id: hq, name: HQ, country: DE }
transfers:
  - { id: t1, date: 2026-03-01, datasets: [crm], recipient: hq, purpose: CRM }
`;
  const malformed = { path: join(bad, 'malformed'), strings: ['oops'] };
  mkdirSync(malformed.path);
  writeFileSync(join(malformed.path, 'chujing.yaml'), 'version: 1\norganization: { id: acme, name: [oops }\n');
  const unknownRef = yaml('unknown-ref', OK.replace('datasets: [crm]', 'datasets: [crn]'));
  const ok = yaml('ok', OK);

  const cases: [string, string[], UntranslatedOptions?][] = [
    ['unknown command', ['asses']],
    ['unknown option', ['assess', ok.path, '--jsn']],
    ['missing argument', ['explain']],
    ['option without its value', ['assess', ok.path, '--as-of']],
    ['bad choice', ['assess', ok.path, '--format', 'xml']],
    ['too many arguments', ['validate', ok.path, 'extra']],
    ['bad date', ['assess', ok.path, '--as-of', '2026-13-01']],
    ['no workspace', ['assess', join(bad, 'nowhere')]],
    ['malformed YAML', ['validate', malformed.path], { userStrings: malformed.strings }],
    ['unknown reference', ['validate', unknownRef.path], { userStrings: unknownRef.strings }],
    ['unknown rule', ['explain', 'PATH-SA-9']],
    ['unknown pack', ['rules', '--pack', 'cn-auto@1999']],
    ['unknown transfer for --transfer', ['assess', ok.path, '--transfer', 't2']],
    ['check without a dataset', ['check', ok.path, '--recipient', 'hq', '--purpose', 'x']],
    ['check with unknown names', ['check', ok.path, '--dataset', 'crn', '--recipient', 'hx', '--purpose', 'x']],
    ['check without its purpose', ['check', ok.path, '--dataset', 'crm', '--recipient', 'hq']],
    ['status with a bad --soon', ['status', ok.path, '--soon', 'soon']],
    ['init over an existing workspace', ['init', ok.path]],
    ['export to an unknown format', ['export', 'inventory', ok.path, '--out', join(bad, 'x.pdf')]],
    ['scan with an unknown format', ['scan', 'annotations', join(ACME, 'data', 'adas', 'labels.json'), '--format', 'cocoa']],
  ];
  for (const [name, args, options] of cases) {
    itOrGap(name)(name, async () => {
      const human = await zh(args);
      expect(human.code).toBe(2);
      expect(human.stdout).toBe('');
      expectChinese(human, { ...options, userStrings: [...(options?.userStrings ?? []), ...ok.strings, ...args] });
      const json = await zh([...args, '--json']);
      expect(json.code).toBe(2);
      expect(json.stderr).toBe('');
      const error = JSON.parse(json.stdout);
      expect(error.schema).toBe('chujing.error/1');
      expectChinese(json, { json: true, ...options, userStrings: [...(options?.userStrings ?? []), ...ok.strings, ...args] });
    });
  }

  it('an unknown --lang under a Chinese locale is an error in Chinese', async () => {
    const r = await zh(['--lang', 'fr', 'rules']);
    expect(r.code).toBe(2);
    expectChinese(r, { userStrings: ['fr'] });
  });
});
