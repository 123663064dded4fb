/**
 * Workspace loading through the CLI (in-process `main()`): includes stay inside the workspace, hostile
 * YAML is bad input (exit 2, the file named), large inputs are bounded, globs work as users expect, and
 * every loader message exists in Chinese.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/main-in-process.js';

const WORKSPACE = `version: 1
organization: { id: acme, name: ACME, processorType: oem }
datasets:
  - { id: crm, name: CRM, scenario: other, dataType: customers, personalInfo: { persons: 10 } }
recipients:
  - { id: hq, name: HQ, country: DE }
transfers:
  - { id: t1, date: 2026-03-01, datasets: [crm], recipient: hq, purpose: CRM }
`;

const transferFile = (id: string) => `transfers:\n  - { id: ${id}, date: 2026-04-01, datasets: [crm], recipient: hq, purpose: x }\n`;

/** A folder holding `ws/` (the workspace) and `elsewhere/` (outside it, with a file that must never be read). */
function layout(files: Record<string, string>, include?: string[]): { top: string; ws: string } {
  const top = mkdtempSync(join(tmpdir(), 'chujing-loading-'));
  const ws = join(top, 'ws');
  mkdirSync(join(top, 'elsewhere'), { recursive: true });
  writeFileSync(join(top, 'elsewhere', 'x.yaml'), transferFile('SECRET-OUTSIDE'));
  const root = include ? WORKSPACE.replace('version: 1\n', `version: 1\ninclude: ${JSON.stringify(include)}\n`) : WORKSPACE;
  for (const [name, text] of Object.entries({ 'chujing.yaml': root, ...files })) {
    mkdirSync(join(ws, name, '..'), { recursive: true });
    writeFileSync(join(ws, name), text);
  }
  return { top, ws };
}

const validate = (ws: string, ...extra: string[]) => runMain(['validate', ws, ...extra], { cwd: ws });

describe('include: stays inside the workspace', () => {
  it('refuses ../ patterns, naming the include', async () => {
    const { ws } = layout({}, ['../elsewhere/*.yaml']);
    const r = await validate(ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("include '../elsewhere/*.yaml' leads outside the workspace");
    expect(r.stderr).toMatch(/chujing\.yaml:2:\d+ include\[0\]/);
    expect(r.stderr + r.stdout).not.toContain('SECRET-OUTSIDE');
  });

  it('refuses absolute paths', async () => {
    const { top, ws } = layout({});
    writeFileSync(join(ws, 'chujing.yaml'), WORKSPACE.replace('version: 1\n', `version: 1\ninclude: ["${join(top, 'elsewhere', 'x.yaml')}"]\n`));
    const r = await validate(ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('leads outside the workspace');
  });

  it('refuses a symbolic link to a file outside, and a linked folder leading out', async () => {
    const { top, ws } = layout({ 'transfers/ok.yaml': transferFile('t2') }, ['transfers/*.yaml']);
    symlinkSync(join(top, 'elsewhere', 'x.yaml'), join(ws, 'transfers', 'link.yaml'));
    const r = await validate(ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("include 'transfers/*.yaml' matches transfers/link.yaml, a symbolic link that leads outside the workspace");
    expect(r.stderr + r.stdout).not.toContain('SECRET-OUTSIDE');

    const second = layout({}, ['linked/*.yaml']);
    symlinkSync(join(second.top, 'elsewhere'), join(second.ws, 'linked'));
    const r2 = await validate(second.ws);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('a symbolic link that leads outside the workspace');
  });

  it('follows a symbolic link that stays inside', async () => {
    const { ws } = layout({ 'shared/t.yaml': transferFile('t2') }, ['transfers/*.yaml']);
    mkdirSync(join(ws, 'transfers'));
    symlinkSync(join(ws, 'shared', 't.yaml'), join(ws, 'transfers', 't.yaml'));
    const r = await validate(ws, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).transfers).toBe(2);
  });

  it('a missing included file and a pattern that matches nothing are errors', async () => {
    const missing = await validate(layout({}, ['transfers/2026.yaml']).ws);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("included file 'transfers/2026.yaml' does not exist");
    const none = await validate(layout({ 'transfers/a.yml.bak': 'x' }, ['transfers/*.yaml']).ws);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("include 'transfers/*.yaml' matches no YAML file");
  });
});

describe('include: globs as users expect them', () => {
  it('braces, ** and negation', async () => {
    const { ws } = layout(
      {
        'transfers/2025/a.yaml': transferFile('t2025'),
        'transfers/2026/b.yaml': transferFile('t2026'),
        'transfers/2026/draft-c.yaml': transferFile('tdraft'),
        'transfers/2027/d.yaml': transferFile('t2027'),
        'more/deep/er/e.yml': transferFile('tdeep'),
      },
      ['transfers/{2025,2026}/*.yaml', '!transfers/**/draft-*.yaml', 'more/**/*.yml'],
    );
    const r = await validate(ws, '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.transfers).toBe(4);
    expect(out.files.map((f: string) => f.slice(ws.length + 1)).sort()).toEqual(['chujing.yaml', 'more/deep/er/e.yml', 'transfers/2025/a.yaml', 'transfers/2026/b.yaml']);
  });
});

const BOMB = ['lol0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 11 }, (_, i) => `lol${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n');

describe('YAML alias bombs are bad input (exit 2, the file named)', () => {
  it('in the workspace file', async () => {
    const { ws } = layout({});
    writeFileSync(join(ws, 'chujing.yaml'), `${WORKSPACE}${BOMB.replace(/^lol/gm, 'x-lol')}\n`);
    const r = await validate(ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('chujing.yaml');
    expect(r.stderr).toContain('alias bomb');
  });

  it('in an included file', async () => {
    const r = await validate(layout({ 'transfers/bomb.yaml': `${BOMB}\ntransfers: [*a11]\n` }, ['transfers/*.yaml']).ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/transfers\/bomb\.yaml: YAML aliases/);
  });

  it('in a --calendar file', async () => {
    const { ws } = layout({ 'cal.yaml': `${BOMB}\nyears: {}\n` });
    const r = await runMain(['status', ws, '--as-of', '2026-06-01', '--calendar', 'cal.yaml'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cal\.yaml: YAML aliases/);
    expect(r.stderr).not.toContain('internal error');
  });

  it('an alias cycle and deep nesting', async () => {
    const cycle = await validate(layout({ 'transfers/c.yaml': 'transfers: &t [*t]\n' }, ['transfers/*.yaml']).ws);
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toContain('refers to a value that contains the alias itself');
    const { ws } = layout({});
    writeFileSync(join(ws, 'chujing.yaml'), `${WORKSPACE}deep: ${'['.repeat(100_000)}\n`);
    const deep = await validate(ws);
    expect(deep.code).toBe(2);
    expect(deep.stderr).toMatch(/chujing\.yaml:9:\d+: malformed YAML: values are nested more than 64 levels deep/);
  });
});

describe('large inputs are bounded', () => {
  const saved = process.env.CHUJING_MAX_WORKSPACE_MB;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHUJING_MAX_WORKSPACE_MB;
    else process.env.CHUJING_MAX_WORKSPACE_MB = saved;
  });

  it('a file over the size limit is refused before it is read, with the limit named', async () => {
    const { ws } = layout({ 'transfers/big.yaml': transferFile('t2') + `# ${'x'.repeat(200_000)}\n` }, ['transfers/*.yaml']);
    process.env.CHUJING_MAX_WORKSPACE_MB = '0.1';
    const r = await validate(ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/transfers\/big\.yaml is 0\.19 MiB; one workspace file may hold at most 0\.10 MiB/);
  });

  it('the workspace files together are limited too', async () => {
    const pad = `# ${'x'.repeat(60_000)}\n`;
    const { ws } = layout({ 'transfers/a.yaml': transferFile('t2') + pad, 'transfers/b.yaml': transferFile('t3') + pad }, ['transfers/*.yaml']);
    process.env.CHUJING_MAX_WORKSPACE_MB = '0.1';
    const r = await validate(ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the workspace files hold');
  });

  it('an error deep in a large file is found with its line, without a tree of the file', async () => {
    const lines = [WORKSPACE.trimEnd()];
    for (let i = 2; i <= 20_000; i++) lines.push(`  - { id: t${i}, date: 2026-03-01, datasets: [crm], recipient: hq, purpose: p }`);
    lines.push('  - { id: bad, date: 2026-02-30, datasets: [crm], recipient: hq, purpose: p }');
    const { ws } = layout({});
    writeFileSync(join(ws, 'chujing.yaml'), `${lines.join('\n')}\n`);
    const r = await validate(ws);
    expect(r.code).toBe(2);
    const line = lines.join('\n').split('\n').length;
    expect(r.stderr).toContain(`chujing.yaml:${line}:22 transfers[20000].date: expected a calendar date YYYY-MM-DD`);
  });

  it('thousands of problems: the first hundred are listed and the rest counted', async () => {
    const lines = [WORKSPACE.trimEnd()];
    for (let i = 2; i <= 1000; i++) lines.push(`  - { id: t${i}, date: 2026-03-01, datasets: [crm], recipient: nobody, purpose: p }`);
    const { ws } = layout({});
    writeFileSync(join(ws, 'chujing.yaml'), `${lines.join('\n')}\n`);
    const r = await validate(ws);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.includes('names recipient nobody'))).toHaveLength(100);
    expect(r.stderr).toContain('… and 899 more problems of the same kind (only the first 100 are listed)');
  });
});

describe('loader messages in Chinese', () => {
  it('include, YAML and format errors', async () => {
    const zh = { env: { LANG: 'zh_CN.UTF-8' } };
    const { ws } = layout({}, ['../elsewhere/*.yaml']);
    const include = await runMain(['validate', ws], { ...zh, cwd: ws });
    expect(include.stderr).toContain('include “../elsewhere/*.yaml” 指向工作区之外');

    const bad = layout({});
    writeFileSync(join(bad.ws, 'chujing.yaml'), `${WORKSPACE}extra: [1, 2\n`);
    const yaml = await runMain(['validate', bad.ws], { ...zh, cwd: bad.ws });
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toContain('不是有效的 YAML');
    expect(yaml.stderr).toContain('YAML 格式错误：[ 或 { 没有闭合');

    writeFileSync(join(bad.ws, 'chujing.yaml'), WORKSPACE.replace('purpose: CRM', 'purpose: CRM, purpse: typo').replace('persons: 10', 'persons: many'));
    const format = await runMain(['validate', bad.ws], { ...zh, cwd: bad.ws });
    expect(format.stderr).toContain('工作区不符合格式');
    expect(format.stderr).toContain("未知字段 'purpse'");
    expect(format.stderr).toContain('应为数字，实际为文本');
    expect(format.stderr).not.toMatch(/Invalid input|Unrecognized key/);
  });
});
