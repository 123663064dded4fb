/**
 * `assess` and `status` tables fit the terminal (issue 10): through the CLI in-process, at 100 columns,
 * in both languages (Chinese characters count double); with a pipe and no COLUMNS rows stay whole.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../test/helpers/main-in-process.js';
import { displayWidth } from './table.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/acme-auto', import.meta.url));
const env = { CHUJING_HMAC_KEY: 'example-key-for-tests-0123456789' };

/** The lines of the tables: from a header line to the blank line after its rows. */
function tableLines(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!/^-+( +-+)+$/.test(lines[i]!)) continue;
    out.push(lines[i - 1]!);
    for (let j = i; j < lines.length && lines[j] !== ''; j++) out.push(lines[j]!);
  }
  return out;
}

describe('tables fit the terminal', () => {
  for (const lang of ['en', 'zh']) {
    it(`assess and status at 100 columns (${lang})`, async () => {
      for (const command of ['assess', 'status']) {
        const r = await runMain([command, EXAMPLE, '--as-of', '2026-11-23', '--lang', lang], { env, tty: true, columns: 100 });
        expect(r.stderr).toBe('');
        const lines = tableLines(r.stdout);
        expect(lines.length, command).toBeGreaterThan(10);
        for (const line of lines) expect(displayWidth(line), `${command}: ${line}`).toBeLessThanOrEqual(100);
      }
    });
  }

  it('COLUMNS sets the width; a pipe without it keeps each row on one line', async () => {
    const narrow = await runMain(['assess', EXAMPLE, '--as-of', '2026-11-23'], { env: { ...env, COLUMNS: '90' } });
    for (const line of tableLines(narrow.stdout)) expect(displayWidth(line)).toBeLessThanOrEqual(90);
    const piped = await runMain(['assess', EXAMPLE, '--as-of', '2026-11-23'], { env });
    const rows = tableLines(piped.stdout).filter((l) => /^t-20\d\d-\d{3} /.test(l));
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((l) => displayWidth(l) > 0)).toBe(true);
    expect(Math.max(...tableLines(piped.stdout).map(displayWidth))).toBeGreaterThan(100);
  });
});
