/**
 * The parts of the documents on their own: heading numbers per language, placeholders numbered and
 * listed, rules cited and resolvable, the identifier filter (property-based), the Markdown writer's
 * escaping, and the workspace's `security` section.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentInputFor } from '../../src/report/documents/input.js';
import { lookupRule } from '../../src/rules/index.js';
import { settingsSchema, workspaceSchema } from '../../src/model/workspace.js';
import { hasMessage } from '../../src/i18n/index.js';
import { DOCUMENT_KINDS, type DocumentInput } from '../../src/report/documents/index.js';
import { buildDocument } from '../../src/report/documents/index.js';
import { chineseNumeral, localize } from '../../src/report/documents/localize.js';
import { blank, finish, h1, h2, h3, para, rule, txt } from '../../src/report/documents/model.js';
import { citedRule } from '../../src/report/documents/references.js';
import { REDACTED, findIdentifiers, redactIdentifiers } from '../../src/report/documents/redact.js';
import { writeMarkdown } from '../../src/report/documents/writers/markdown.js';
import { AS_OF, EXAMPLE, cli, context, copyExample, removeDir } from './helpers.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

describe('localize', () => {
  const doc = finish({
    kind: 'plan',
    title: 'T',
    subtitle: [],
    body: [h1('A'), h2('A.1'), h3('A.1.1'), h2('A.2'), para(blank('who signs'), txt(' '), rule('SA-1')), h1('B'), { kind: 'heading', level: 1, text: 'Appendix', numbered: false }, h2('B.1'), para(blank('when'), rule('SA-1'), rule('SC-2'))],
  });

  it('numbers headings as each language writes them, skipping unnumbered ones', () => {
    const zh = localize(doc, 'zh').body.filter((b) => b.kind === 'heading').map((b) => (b.kind === 'heading' ? b.text : ''));
    expect(zh).toEqual(['一、A', '（一）A.1', '1. A.1.1', '（二）A.2', '二、B', 'Appendix', '（一）B.1']);
    const en = localize(doc, 'en').body.filter((b) => b.kind === 'heading').map((b) => (b.kind === 'heading' ? b.text : ''));
    expect(en).toEqual(['1. A', '1.1 A.1', '1.1.1 A.1.1', '1.2 A.2', '2. B', 'Appendix', '2.1 B.1']);
  });

  it('writes Chinese numerals up to 99', () => {
    expect([1, 9, 10, 11, 19, 20, 21, 99].map(chineseNumeral)).toEqual(['一', '九', '十', '十一', '十九', '二十', '二十一', '九十九']);
  });

  it('numbers the placeholders in reading order, lists them, and collects the rules cited once each', () => {
    expect(doc.placeholders.map((p) => [p.n, p.prompt])).toEqual([
      [1, 'who signs'],
      [2, 'when'],
    ]);
    expect(doc.rules).toEqual(['SA-1', 'SC-2']);
    const zh = localize(doc, 'zh');
    expect(zh.placeholders.map((p) => p.prompt)).toEqual(['【待填写1：who signs】', '【待填写2：when】']);
  });
});

describe('identifiers never reach a document', () => {
  const digit = fc.integer({ min: 0, max: 9 }).map(String);
  const idNumber = fc.tuple(fc.array(digit, { minLength: 17, maxLength: 17 }), fc.constantFrom(...'0123456789X'.split(''))).map(([d, c]) => `${d.join('')}${c}`);
  const mobile = fc.tuple(fc.constantFrom('3', '4', '5', '6', '7', '8', '9'), fc.array(digit, { minLength: 9, maxLength: 9 }), fc.constantFrom('', '+86 ', '86-')).map(([b, rest, prefix]) => `${prefix}1${b}${rest.join('')}`);
  const vinChar = fc.constantFrom(...'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'.split(''));
  const vin = fc.array(vinChar, { minLength: 15, maxLength: 15 }).map((c) => `L${c.join('')}7`);
  const words = fc.constantFrom('', ' ', '，', '：', '(', ') ', 'tel ', '车辆', ' VIN ');

  it('masks ID numbers, mobile numbers and VINs wherever they stand in text', () => {
    fc.assert(
      fc.property(words, fc.oneof(idNumber, mobile, vin), words, (before, id, after) => {
        const out = redactIdentifiers(`${before}${id}${after}`);
        expect(out).not.toContain(id);
        expect(out).toContain(REDACTED);
        expect(findIdentifiers(out)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves the documents\' own figures, dates, hashes and references alone', () => {
    const ordinary = [
      '1,050,000 persons',
      '2026-03-01',
      'CAC-SA-2026-0117',
      'MIIT-CSTIS-2026-00421',
      'd0c1b4e32b4e91404334d500b99c4c4aea28bfc495eaea7f81c82c332f22347b',
      'DRAFT-J12',
      '50,000,000 km',
      '1050000',
      '325 of 509 (63.9%)',
    ];
    for (const s of ordinary) expect(redactIdentifiers(s)).toBe(s);
  });
});

describe('rules cited by the documents', () => {
  let input: DocumentInput;
  beforeAll(async () => {
    input = await documentInputFor(EXAMPLE, context(), { asOf: AS_OF });
  });

  it('the rules the documents cite live in the packs, so `explain` finds them', () => {
    for (const id of ['PROC-1', 'SEC-ER-1', 'SEC-TECH-1', 'UPD-7', 'QA-5', 'IMP-GEN-5']) expect(lookupRule(id).length, id).toBeGreaterThan(0);
  });

  it.each(DOCUMENT_KINDS)('every rule %s cites resolves to a title, a source and a confidence', (kind) => {
    const { tree } = buildDocument(input, kind);
    expect(tree.rules.length).toBeGreaterThan(0);
    for (const id of tree.rules) {
      const r = citedRule(id);
      expect(r, id).not.toBeNull();
      expect(['confirmed', 'recalled', 'UNCONFIRMED']).toContain(r!.confidence);
    }
  });
});

describe('settings', () => {
  it('every open-question setting the engine reports has a label in the documents', () => {
    for (const key of Object.keys(settingsSchema.parse({})).filter((k) => k !== 'hmacKeyEnv')) expect(hasMessage(`doc.setting.${key}`), key).toBe(true);
  });
});

describe('Markdown writer', () => {
  it('escapes Markdown syntax in data and keeps bold readable next to Chinese punctuation', () => {
    const doc = finish({ kind: 'plan', title: 'T', subtitle: [], body: [para(txt('a | b * c _d_ <x>')), { kind: 'table', head: ['h'], rows: [[[txt('x | y')]]] }, para(blank('签字'), txt('后'))] });
    const md = writeMarkdown(localize(doc, 'zh'));
    expect(md).toContain('a \\| b \\* c \\_d\\_ \\<x>');
    expect(md).toContain('| x \\| y |');
    expect(md).toContain('<strong>【待填写1：签字】</strong>后');
  });
});

describe('workspace security section', () => {
  const base = { version: 1, organization: { id: 'o', name: 'O', processorType: 'oem' } };

  it('is optional and defaults to empty lists', () => {
    expect(workspaceSchema.parse(base).security).toEqual({ attestations: [], incidents: [] });
  });

  it('accepts attestations and incidents, and refuses unknown requirements and fields', () => {
    const ok = workspaceSchema.parse({
      ...base,
      security: {
        attestations: [{ requirement: 'SEC-TECH-1', statement: 'TLS 1.3 to the recipient', by: 'CISO office', date: '2026-02-01', reference: 'POL-7' }],
        incidents: [{ id: 'i1', date: '2026-05-02', kind: 'loss', summary: 'laptop lost', reportedTo: 'Shanghai CAC', reportedOn: '2026-05-03', individualsNotified: true }],
      },
    });
    expect(ok.security.incidents[0]!.transfers).toEqual([]);
    expect(workspaceSchema.safeParse({ ...base, security: { attestations: [{ requirement: 'SEC-FOO', statement: 's', by: 'b', date: '2026-01-01' }] } }).success).toBe(false);
    expect(workspaceSchema.safeParse({ ...base, security: { attestations: [], remarks: 'x' } }).success).toBe(false);
    expect(workspaceSchema.safeParse({ ...base, security: { incidents: [{ id: 'i', date: '2026-13-01', kind: 'leak', summary: 's' }] } }).success).toBe(false);
  });

  it('passes `chujing validate`, is in `chujing schema`, and a bad field is exit 2 naming it', async () => {
    const dir = copyExample();
    try {
      const yaml = `version: 1
organization: { id: o, name: O, processorType: oem }
security:
  attestations:
    - { requirement: SEC-LOG-1, statement: ledger kept 3 years, by: data-security officer, date: 2026-01-10 }
`;
      writeFileSync(join(dir, 'chujing.yaml'), yaml);
      expect((await cli(['validate', dir])).code).toBe(0);
      writeFileSync(join(dir, 'chujing.yaml'), yaml.replace('SEC-LOG-1', 'SEC-LOG-9'));
      const bad = await cli(['validate', dir]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/security\.attestations\[0\]\.requirement/);
      const schema = JSON.parse((await cli(['schema'])).stdout);
      expect(Object.keys(schema.properties)).toContain('security');
    } finally {
      removeDir(dir);
    }
  });
});
