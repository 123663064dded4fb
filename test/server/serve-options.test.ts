/**
 * `chujing serve`'s own options: a value that is not what the option takes is refused (exit 2) naming
 * the option and what it expects, before anything is opened.
 */
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/main-in-process.js';

describe('chujing serve options', () => {
  it.each(['soon', '-1', '10s', ''])('--database-lock-timeout %j is refused, naming the option', async (value) => {
    const r = await runMain(['serve', 'no-such-workspace', '--database-lock-timeout', value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--database-lock-timeout');
    expect(r.stderr).toContain('seconds');
  });

  it('says the same in Chinese', async () => {
    const r = await runMain(['serve', 'no-such-workspace', '--database-lock-timeout', 'soon'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('不是秒数');
  });
});
