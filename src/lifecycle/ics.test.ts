import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, formatStamp } from './ics.js';

describe('iCalendar text rules (RFC 5545)', () => {
  it('escapes backslash, semicolon, comma and newlines (§3.3.11)', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds lines at 75 octets with CRLF + space, never splitting a UTF-8 character (§3.1)', () => {
    const ascii = `SUMMARY:${'x'.repeat(200)}`;
    const folded = foldLine(ascii);
    const parts = folded.split('\r\n');
    expect(parts.every((p) => Buffer.byteLength(p, 'utf8') <= 75)).toBe(true);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(ascii);

    const cjk = `SUMMARY:${'标准合同备案'.repeat(10)}`; // 3 octets per character
    const cjkParts = foldLine(cjk).split('\r\n');
    expect(cjkParts.length).toBeGreaterThan(1);
    for (const p of cjkParts) {
      expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(75);
      expect(p).not.toContain('\uFFFD');
    }
    expect(cjkParts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(cjk);
  });

  it('leaves a 75-octet line alone', () => {
    const line = 'X'.repeat(75);
    expect(foldLine(line)).toBe(line);
  });

  it('formats DTSTAMP as UTC basic format', () => {
    expect(formatStamp(new Date('2026-11-23T00:00:00Z'))).toBe('20261123T000000Z');
  });
});
