/**
 * The regulator's language (issue 17): Chinese documents cite the law's title and article, never a
 * source key or a research ID; settings, categories and open questions in words; the templates'
 * sections and closing block; each placeholder once. And the provenance of rules carried over from the
 * draft shown wherever a confidence is printed — without changing any legal outcome.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { thresholdsReached } from '../../src/engine/decide.js';
import { documentInputFor } from '../../src/report/documents/input.js';
import { DOCUMENT_KINDS, renderDocument, type DocumentInput, type DocumentKind } from '../../src/report/documents/index.js';
import { NATIONAL_PACKS, lookupRule } from '../../src/rules/index.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { TITLED_CODES, untranslated, userStringsOf } from '../helpers/untranslated.js';
import { AS_OF, EXAMPLE, cli, context } from './helpers.js';

const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const TRANSFER: Partial<Record<DocumentKind, string>> = { 'self-assessment': 't-2026-013', declaration: 't-2026-013', pipia: 't-2026-006', 'sc-filing': 't-2026-006' };

let input: DocumentInput;
const docs = new Map<DocumentKind, { md: string; placeholders: string[] }>();

beforeAll(async () => {
  input = await documentInputFor(EXAMPLE, context(), { asOf: AS_OF });
  for (const kind of DOCUMENT_KINDS) {
    const selection = TRANSFER[kind] ? { transfer: TRANSFER[kind] } : {};
    const md = decode((await renderDocument(input, { kind, format: 'md', lang: 'zh', selection })).bytes);
    // Every placeholder where it stands in the text (the list at the end repeats only their numbers).
    docs.set(kind, { md, placeholders: [...md.matchAll(/【待填写\d+：([^】]*)】/g)].map((m) => m[1]!) });
  }
}, 120_000);

describe.each(DOCUMENT_KINDS)('%s in Chinese', (kind) => {
  it('cites sources by the law\'s name and article; no source key, research ID, CLI flag or workspace key', () => {
    const { md } = docs.get(kind)!;
    const text = md.replace(/`[^`]*`/g, ''); // identifiers the officer looks up stay in code spans
    expect(text).not.toMatch(/\bS-(?:SAM|PROV|SCM|PIPL|AUTO21|GD2[56]|43697|SEED|QA|TOOL|FTZ|CERT|NDSMR)\b/);
    expect(text).not.toMatch(/\b(?:UPD|QA)-\d+\b/);
    expect(text).not.toMatch(/--(?:format|organization|transfer)\b|security\.attestations|settings\.[a-z]|\bQ-\d\b|第\d+条/);
    expect(text).not.toMatch(/phone, payment|any-face-or-plate|countExemptTransfers|platform-operation|connected-operation/);
    if (kind !== 'security-checklist' && kind !== 'annual' && kind !== 'plan') expect(text).toContain('《');
  });

  it('ends with the templates\' closing block, and asks for each thing once', () => {
    const { md, placeholders } = docs.get(kind)!;
    for (const s of ['单位盖章', '日期', '负责人签字']) expect(md).toContain(`| ${s} |`);
    expect(placeholders.length).toBeGreaterThan(0);
    // Asked once each, except what is asked per requirement, per recipient or per person (ID numbers).
    const once = placeholders.filter((p) => !/的声明|负责人姓名及职务|境外接收方|身份证件号码/.test(p));
    expect(new Set(once).size, once.join('\n')).toBe(once.length);
  });
});


const CODES = TITLED_CODES;
const DEMO = join(REPO_ROOT, 'examples', 'lifecycle-demo');
const DEMO_TRANSFER: Partial<Record<DocumentKind, string>> = { 'self-assessment': 't-2026-001', declaration: 't-2026-001', pipia: 't-2026-020', 'sc-filing': 't-2026-020' };

describe.each([
  ['acme-auto', EXAMPLE, TRANSFER],
  ['lifecycle-demo', DEMO, DEMO_TRANSFER],
] as const)('every kind of %s in Chinese: no English word, internal code or pack id (issue 17)', (_name, dir, transfers) => {
  const user = userStringsOf(dir);
  it.each(DOCUMENT_KINDS)('%s', async (kind) => {
    const r = await cli(['report', kind, dir, '--as-of', AS_OF, '--lang', 'zh', '--format', 'md', ...(transfers[kind] ? ['--transfer', transfers[kind]!] : [])]);
    expect(r.code, r.stderr).toBe(0);
    for (const text of [r.stdout, r.stderr]) {
      // Markdown carries a little HTML (<strong>, <br>): markup, not prose.
      const bad = untranslated(text.replace(/<\/?(?:strong|br|em|sup|sub)\s*\/?>/g, ' '), { userStrings: user, codes: CODES }).map((u) => `${u.words.join(' ')}  ⟵  ${u.line.trim()}`);
      expect(bad).toEqual([]);
      // A pack by its Chinese title; its id only in a code span next to the title (the packs table).
      expect(text.replace(/`[^`]*`/g, '')).not.toMatch(/cn-auto@\d{4}|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b/);
    }
  }, 60_000);
});

describe('command-line errors in words', () => {
  it('--out naming a folder says so, not EISDIR', async () => {
    const r = await cli(['report', 'plan', EXAMPLE, '--as-of', AS_OF, '--lang', 'zh', '--out', REPO_ROOT]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('这是一个文件夹，请给出文件名');
    expect(r.stderr).not.toContain('EISDIR');
  });

  it('an unknown transfer lists the known ones once ("应为：以下之一", not "应为：应为…")', async () => {
    const r = await cli(['report', 'plan', EXAMPLE, '--as-of', AS_OF, '--lang', 'zh', '--transfer', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('（应为：以下之一：t-2025-031、');
    expect(r.stderr).not.toContain('应为：应为');
  });
});

describe('the templates\' sections', () => {
  it('self-assessment 二（一） asks for the shareholding, the actual controller and the organisation', () => {
    const { md } = docs.get('self-assessment')!;
    for (const s of ['股权结构', '实际控制人', '组织架构']) expect(md).toContain(`| ${s} |`);
  });

  it('PIPIA 一、评估工作简述 asks whether a third party took part', () => {
    const { md } = docs.get('pipia')!;
    const work = md.slice(md.indexOf('一、评估工作简述'), md.indexOf('二、出境活动整体情况'));
    expect(work).toContain('| 第三方机构参与情况 |');
  });

  it('the declaration asks for the addresses and the recipient\'s responsible person once each', () => {
    const { placeholders } = docs.get('declaration')!;
    expect(placeholders.filter((p) => p === '注册地址和办公地址')).toHaveLength(1);
    expect(placeholders.filter((p) => p === '负责人姓名及职务')).toHaveLength(1); // t-2026-013 has one recipient
  });
});

describe('rules carried over from the draft: provenance shown, outcome unchanged', () => {
  it('carries provenance in the pack data, only in cn-auto@2026', () => {
    const j6 = lookupRule('DRAFT-J6');
    expect(j6.find((f) => f.pack.id === 'cn-auto@2026')!.rule.provenance).toBe('carried-over-unconfirmed');
    expect(j6.find((f) => f.pack.id === 'cn-auto@2025-draft')!.rule.provenance).toBeUndefined();
    // A display status: the rule stays confirmed and binding as before.
    expect(j6.find((f) => f.pack.id === 'cn-auto@2026')!.rule.confidence).toBe('confirmed');
  });

  it('documents print it next to the confidence', async () => {
    const sa = decode((await renderDocument(input, { kind: 'self-assessment', format: 'md', lang: 'zh', selection: { transfer: 't-2026-007' } })).bytes);
    expect(sa).toContain('可信度：已核实（沿用征求意见稿，待对照官方附件核对）');
    const { md } = docs.get('declaration')!;
    expect(md).toMatch(/`DRAFT-J12` \|[^\n]*\| 已核实（沿用征求意见稿，待对照官方附件核对） \|/);
  });

  it('explain (text and JSON) and assess --json show it; the finding stays binding', async () => {
    const zh = await cli(['explain', 'DRAFT-J6', '--lang', 'zh']);
    expect(zh.stdout).toContain('已核实（沿用征求意见稿，待对照官方附件核对）');
    const en = await cli(['explain', 'DRAFT-J12', '--lang', 'en']);
    expect(en.stdout).toContain('confirmed (carried over from the draft, to be checked against the official annex)');
    const json = JSON.parse((await cli(['explain', 'DRAFT-J6', '--json'])).stdout);
    expect(json.rules.find((r: { pack: string }) => r.pack === 'cn-auto@2026').provenance).toBe('carried-over-unconfirmed');
    const assess = JSON.parse((await cli(['assess', EXAMPLE, '--json', '--as-of', AS_OF])).stdout);
    const adas = assess.datasets.find((d: { id: string }) => d.id === 'adas-road-test');
    const finding = adas.findings.find((f: { rule: string; pack: string }) => f.rule === 'DRAFT-J6' && f.pack === 'cn-auto@2026');
    expect(finding).toMatchObject({ provenance: 'carried-over-unconfirmed', binding: true, confidence: 'confirmed' });
    expect(adas.level).toBe('important');
  });
});

describe('thresholdsReached: every band, not only the deciding one', () => {
  const t = NATIONAL_PACKS[0]!.pathThresholds!;
  const c = (persons: number, sensitivePersons: number) => ({ persons, sensitivePersons, chargingConsumptionPersons: 0 });
  it('lists each band the counts reach (以上: at the threshold)', () => {
    expect(thresholdsReached(c(1_050_000, 0), t)).toEqual(['PATH-SA-2', 'PATH-SC-1']);
    expect(thresholdsReached(c(1_000_000, 10_000), t)).toEqual(['PATH-SA-2', 'PATH-SA-3', 'PATH-SC-1', 'PATH-SC-2']);
    expect(thresholdsReached(c(99_999, 0), t)).toEqual([]);
    expect(thresholdsReached(c(100_000, 800), t)).toEqual(['PATH-SC-1', 'PATH-SC-2']);
  });

  it('assess --json carries it per organisation and per transfer', async () => {
    const assess = JSON.parse((await cli(['assess', join(REPO_ROOT, 'examples', 'acme-auto'), '--json', '--as-of', AS_OF])).stdout);
    expect(assess.organizations.find((o: { organization: string }) => o.organization === 'acme-charging').thresholdsReached).toEqual(['PATH-SA-2', 'PATH-SC-1']);
    const t13 = assess.transfers.find((x: { id: string }) => x.id === 't-2026-013');
    // On the SA path for important data (PATH-SA-1), and past 1,000,000 persons as well.
    expect(t13.rules).toContain('PATH-SA-1');
    expect(t13.yearToDate.thresholdsReached).toContain('PATH-SA-2');
  });
});
