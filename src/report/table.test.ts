import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, fitWidths, renderTable, tableWidth, wrapCell, writeTable } from './table.js';

describe('renderTable', () => {
  it('lines up Chinese text (two columns per character)', () => {
    const text = renderTable(['标识', 'level'], [['数据集', 'important'], ['x', '一般数据']]);
    expect(text).toBe('标识    level\n------  ---------\n数据集  important\nx       一般数据\n');
  });

  it('handles far more rows than a function may take arguments (no spread)', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => [`t${i}`, 'exempt']);
    const lines: string[] = [];
    writeTable((l) => lines.push(l), ['id', 'path'], rows);
    expect(lines).toHaveLength(300_002);
    expect(lines[300_001]).toBe('t299999  exempt');
  });

  it('takes rows from a function, walked twice, without holding them', () => {
    let walks = 0;
    const rows = function* () {
      walks++;
      for (let i = 0; i < 3; i++) yield [`r${i}`, 'x'.repeat(i)];
    };
    expect(renderTable(['id', 'v'], rows)).toBe('id  v\n--  --\nr0\nr1  x\nr2  xx\n');
    expect(walks).toBe(2);
  });

  it('fits a width: the widest columns wrap, narrow ones keep their width, every line fits', () => {
    const rows = [
      ['t-2026-004', '标准合同或个人信息保护认证', 'OUT-1 PATH-SC-2 CNT-2 CNT-3 DRAFT-J6 maxFaceBoxMinSidePx=48 >= 32', 'yes'],
      ['t-2026-005', 'exempt (EXEMPT-4)', 'OUT-1 EXEMPT-4 EXEMPT-8', 'sa-2026-001'],
    ];
    const text = renderTable(['id', 'path', 'rules', 'covered'], rows, { width: 70 });
    for (const line of text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(70);
    expect(text.split('\n').length).toBeGreaterThan(5);
    expect(text).toContain('t-2026-004');
    expect(text.replace(/\s+/g, '')).toContain('covered');
    // Every word of every cell is still there, in order.
    const cells = text.split('\n').slice(2).join(' ');
    for (const word of ['OUT-1', 'PATH-SC-2', 'maxFaceBoxMinSidePx=48', 'sa-2026-001']) expect(cells).toContain(word);
  });

  it('wrapped cells never exceed their width and keep every character (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '-', '数', '据', '，', 'x') , maxLength: 60 }), fc.integer({ min: 2, max: 20 }), (s, w) => {
        const lines = wrapCell(s, w);
        for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(w);
        expect(lines.join('').replace(/ /g, '')).toBe(s.replace(/ /g, ''));
      }),
    );
  });

  it('column widths: unchanged when they fit, shared out when they do not', () => {
    expect(fitWidths([10, 20], 100)).toEqual([10, 20]);
    expect(fitWidths([10, 10, 80], 60)).toEqual([10, 10, 36]);
    expect(fitWidths([10, 60, 80], 60)).toEqual([10, 23, 23]);
  });

  it('which width: COLUMNS, else a terminal\'s columns, else none (pipes keep whole rows)', () => {
    expect(tableWidth({ isTTY: true, columns: 120 }, {})).toBe(120);
    expect(tableWidth({ isTTY: false, columns: 120 }, {})).toBeUndefined();
    expect(tableWidth({ isTTY: false }, { COLUMNS: '100' })).toBe(100);
    expect(tableWidth({ isTTY: true, columns: 80 }, { COLUMNS: 'wide' })).toBe(80);
  });
});
