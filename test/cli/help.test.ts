/**
 * The help table (src/i18n/{en,zh}/help.ts) and the commands' own English texts agree: every command,
 * argument and option has a key, and where a key exists its English is exactly what the code says — so
 * a description changed in the code without its Chinese fails here, naming the key.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_REGISTRATIONS } from '../../src/cli/commands/all.js';
import { argumentKey, commandTree, helpKeys, optionKey, wrapText } from '../../src/cli/help.js';
import type { CliContext } from '../../src/cli/context.js';
import { hasMessage, template } from '../../src/i18n/index.js';
import { displayWidth } from '../../src/report/table.js';

function program(): Command {
  const p = new Command('chujing');
  p.version('0.0.0', '-V, --version').option('--lang <lang>');
  const ctx = { stdout: { write() {}, isTTY: false }, stderr: { write() {}, isTTY: false }, env: {}, cwd: '/', exitCode: 0, lang: () => 'en' } as CliContext;
  for (const register of COMMAND_REGISTRATIONS) register(p, ctx);
  return p;
}

describe('help texts', () => {
  const tree = commandTree(program());

  it('every command, argument and option has a help key', () => {
    const missing: string[] = [];
    for (const { path, command } of tree) {
      const keys = helpKeys(path);
      if (!hasMessage(keys.command)) missing.push(keys.command);
      for (const a of command.registeredArguments) if (!argumentKey(path, a)) missing.push(keys.argument(a.name()));
      for (const o of command.options) if (!optionKey(path, o)) missing.push(keys.option(o.long ?? o.flags));
    }
    expect(missing).toEqual([]);
  });

  it("a key's English is the command's own text (so the Chinese is revisited when it changes)", () => {
    const differ: string[] = [];
    for (const { path, command } of tree) {
      const keys = helpKeys(path);
      const check = (code: string, text: string) => {
        if (text && hasMessage(code) && template('en', code) !== text) differ.push(`${code}: code says "${text}", table says "${template('en', code)}"`);
      };
      check(keys.command, command.description());
      for (const a of command.registeredArguments) check(keys.argument(a.name()), a.description);
      for (const o of command.options) check(keys.option(o.long ?? o.flags), o.description);
    }
    expect(differ).toEqual([]);
  });

  it('wraps Chinese text between characters, never before closing punctuation, within the width', () => {
    const text = '审批与备案、有效期、已开启的申请窗口、逾期备案、未覆盖的数据出境、台账发现的问题和范围变更（有需要处理的事项时退出码为 1）';
    const lines = wrapText(text, 30).split('\n');
    expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(32); // a closing mark may hang over by one character
    for (const l of lines.slice(1)) expect(l).not.toMatch(/^[，。、；：）]/);
    expect(wrapText('word word word', 9)).toBe('word word\nword');
  });

  it('keeps a short code span on one line (what the reader types)', () => {
    const text = '可被他人读取的密钥文件：否则拒绝，请对其执行 `chmod 600 key.pem` 后再试';
    for (const width of [20, 24, 28, 32, 36, 40]) {
      const lines = wrapText(text, width).split('\n');
      expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      expect(lines.filter((l) => l.includes('`chmod 600 key.pem`'))).toHaveLength(1);
    }
  });
});
