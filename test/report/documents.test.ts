/**
 * Every document for the example workspace, in every language and every format but PDF (pdf.test.ts),
 * read back as its reader would: the DOCX as a Word package with the templates' section headings in
 * heading styles, the HTML through an HTML validator, the JSON parsed. Every figure must equal
 * `assess --json`; no raw identifier may appear, even one typed into a free-text field.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentInputFor } from '../../src/report/documents/input.js';
import { DOCUMENT_KINDS, renderDocument, type DocumentInput, type DocumentKind } from '../../src/report/documents/index.js';
import { findIdentifiers } from '../../src/report/documents/redact.js';
import { AS_OF, EXAMPLE, cli, context, copyExample, readDocx, removeDir } from './helpers.js';

const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const fmt = (n: number) => n.toLocaleString('en-US');

/** The template's section headings, as the Chinese documents must show them (UPD-6, UPD-7, UPD-8, SEC-*). */
const HEADINGS: Record<DocumentKind, { level: 1 | 2; text: string }[]> = {
  'self-assessment': [
    { level: 1, text: '一、自评估工作情况' },
    { level: 1, text: '二、出境活动整体情况' },
    { level: 2, text: '（一）数据处理者基本情况' },
    { level: 2, text: '（二）拟出境数据情况' },
    { level: 2, text: '（三）数据处理者数据安全保障能力情况' },
    { level: 2, text: '（四）境外接收方情况' },
    { level: 2, text: '（五）法律文件约定数据安全保护责任义务的情况' },
    { level: 2, text: '（六）其他需要说明的情况' },
    { level: 1, text: '三、出境活动风险自评估情况及结论' },
  ],
  declaration: [
    { level: 1, text: '一、适用情形' },
    { level: 1, text: '二、数据处理者信息' },
    { level: 1, text: '三、法定代表人信息' },
    { level: 1, text: '四、数据安全负责人及管理机构信息' },
    { level: 1, text: '五、经办人信息' },
    { level: 1, text: '六、遵守中国法律、行政法规情况' },
    { level: 1, text: '七、数据出境情况（按出境业务场景和境外接收方）' },
    { level: 1, text: '八、申报材料' },
  ],
  pipia: [
    { level: 1, text: '一、评估工作简述' },
    { level: 1, text: '二、出境活动整体情况' },
    { level: 2, text: '（一）个人信息处理者基本情况' },
    { level: 2, text: '（二）出境涉及的业务和信息系统情况' },
    { level: 2, text: '（三）拟出境个人信息情况' },
    { level: 2, text: '（四）个人信息处理者个人信息保护能力情况' },
    { level: 2, text: '（五）境外接收方情况' },
    { level: 2, text: '（六）境外接收方再转移及合同条款执行保障情况' },
    { level: 1, text: '三、拟出境活动的影响评估情况' },
    { level: 1, text: '四、评估结论' },
  ],
  'sc-filing': [
    { level: 1, text: '一、备案主体' },
    { level: 1, text: '二、备案期限' },
    { level: 1, text: '三、备案材料' },
    { level: 1, text: '四、审核与反馈' },
    { level: 1, text: '五、应当重新订立或补充备案的情形' },
  ],
  plan: [
    { level: 1, text: '一、概览' },
    { level: 2, text: '（一）数据识别' },
    { level: 2, text: '（二）路径判定' },
    { level: 2, text: '（三）实施步骤' },
  ],
  'security-checklist': [
    { level: 1, text: '一、管理制度' },
    { level: 1, text: '二、技术防护' },
    { level: 1, text: '三、日志管理' },
    { level: 1, text: '四、应急处置' },
  ],
  annual: [
    { level: 1, text: '一、报告期' },
    { level: 1, text: '二、本年度数据出境情况' },
    { level: 1, text: '三、重要数据出境情况' },
  ],
};

interface AssessJson {
  schema: string;
  organizations: { organization: string; year: number; yearToDate: { persons: number; sensitivePersons: number; chargingConsumptionPersons: number } }[];
  transfers: {
    id: string;
    organization: string;
    date: string;
    path: string;
    volume: { persons: number; sensitivePersons: number };
    counted: { persons: number; sensitivePersons: number; chargingConsumptionPersons: number; method: string };
  }[];
}

let input: DocumentInput;
let assessed: AssessJson;

/** The organisation's year-to-date counters as `assess --json` reports them. */
function yearToDate(org: string) {
  const y = assessed.organizations.find((o) => o.organization === org && o.year === 2026);
  if (!y) throw new Error(`assess --json has no 2026 counters for ${org}`);
  return y.yearToDate;
}

beforeAll(async () => {
  input = await documentInputFor(EXAMPLE, context(), { asOf: AS_OF });
  const r = await cli(['assess', EXAMPLE, '--json', '--as-of', AS_OF]);
  assessed = JSON.parse(r.stdout) as AssessJson;
  expect(assessed.schema).toBe('chujing.assess/2');
});

describe.each(DOCUMENT_KINDS)('%s for the example workspace', (kind) => {
  it('DOCX (zh) is a Word package with the template headings in heading styles and no raw identifier', async () => {
    const out = await renderDocument(input, { kind, format: 'docx', lang: 'zh' });
    expect(out.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const docx = readDocx(out.bytes);
    expect(docx.files).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'word/styles.xml']));
    expect(docx.styles).toEqual(expect.arrayContaining(['Title', 'Heading1', 'Heading2']));
    expect(docx.paragraphs[0]).toMatchObject({ style: 'Title' });
    const headings = docx.paragraphs.filter((p) => p.style?.startsWith('Heading'));
    for (const h of HEADINGS[kind]) {
      expect(headings, h.text).toContainEqual({ style: `Heading${h.level}`, text: h.text });
    }
    // The closing lists: rules cited and placeholders, each placeholder marked in the text and listed.
    expect(headings.map((h) => h.text)).toEqual(expect.arrayContaining(['所引规则及其来源和可信度', '待人工填写事项']));
    const marks = [...docx.text.matchAll(/【待填写(\d+)：/g)].map((m) => Number(m[1]));
    const listed = [...docx.text.matchAll(/【待填写(\d+)】/g)].map((m) => Number(m[1]));
    expect(listed).toEqual(marks);
    expect(marks).toEqual(marks.map((_, i) => i + 1));
    expect(findIdentifiers(docx.text)).toEqual([]);
    expect(docx.text).not.toMatch(/\[(doc|common|path|fact|level)\.[a-z]/);
  });

  it('HTML (zh and en) is self-contained and passes the HTML validator', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    for (const lang of ['zh', 'en'] as const) {
      const html = decode((await renderDocument(input, { kind, format: 'html', lang })).bytes);
      const report = await validator.validateString(html);
      expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message} (${m.line}:${m.column})`))).toEqual([]);
      expect(html).toContain(lang === 'zh' ? '<html lang="zh-CN">' : '<html lang="en">');
      expect(html).not.toMatch(/<(script|link|img|iframe)\b|url\(|https?:\/\//);
      expect(html).toContain('size: A4');
      expect(findIdentifiers(html)).toEqual([]);
    }
  });

  it('Markdown (en) carries every message rendered and no raw identifier', async () => {
    const md = decode((await renderDocument(input, { kind, format: 'md', lang: 'en' })).bytes);
    expect(md).toMatch(/^# /);
    expect(md).toContain('Rules cited, with their source and confidence');
    expect(md).toContain('CAC security-assessment statistics');
    expect(md).not.toMatch(/\[(doc|common|path|fact|level)\.[a-z]/);
    expect(md).not.toMatch(/【待填写|草稿|数据处理者/); // an English document throughout
    expect(findIdentifiers(md)).toEqual([]);
  });

  it('names the CAC statistics with their confidence, and the packs and settings used', async () => {
    const md = decode((await renderDocument(input, { kind, format: 'md', lang: 'zh' })).bytes);
    expect(md).toContain('申报出境的509项重要数据中325项通过安全评估（63.9%）');
    expect(md).toMatch(/可信度：未经证实/);
    for (const p of input.view.packs) expect(md).toContain(p.id);
    // Settings by their Chinese names and values, never their keys.
    expect(md).toContain('| 依豁免情形出境的人数 | 不计入当年累计数 |');
    expect(md).not.toContain('countExemptTransfers');
  });
});

describe('figures equal assess --json', () => {
  it('self-assessment: year-to-date counts per organisation and each transfer\'s volume', async () => {
    const docx = readDocx((await renderDocument(input, { kind: 'self-assessment', format: 'docx', lang: 'zh' })).bytes);
    for (const org of ['acme-cn', 'acme-charging']) {
      const y = yearToDate(org);
      expect(docx.text).toContain(fmt(y.persons));
      expect(docx.text).toContain(fmt(y.sensitivePersons));
    }
    for (const t of assessed.transfers.filter((t) => t.path === 'security-assessment')) {
      expect(docx.text).toContain(`本次${fmt(t.volume.persons)}人`);
    }
  });

  it('declaration JSON: the year-to-date volume is the engine\'s, including persons sent under SC/CERT (UPD-9)', async () => {
    const form = JSON.parse(decode((await renderDocument(input, { kind: 'declaration', format: 'json', lang: 'zh' })).bytes));
    expect(form.schema).toBe('chujing.declaration/1');
    expect(form.situation.importantData).toBe(true);
    const charging = form.processors.find((p: { id: string }) => p.id === 'acme-charging');
    const v = charging.volume.find((x: { year: number }) => x.year === 2026);
    expect(v.yearToDate).toEqual(yearToDate('acme-charging'));
    // 600,000 persons were sent under the standard-contract path earlier that year (t-2026-006), without the contract.
    const sc = assessed.transfers.filter((t) => t.organization === 'acme-charging' && t.path === 'standard-contract-or-certification');
    const row = v.rows.find((r: { row: string }) => r.row === 'sc-missing');
    expect(row.counter.persons).toBe(sc.reduce((n, t) => n + t.counted.persons, 0));
    expect(row.counter.persons).toBeGreaterThan(0);
    // Blanks are null, and identity numbers are never filled in.
    expect(form.legalRepresentative.idDocumentNumber).toBeNull();
    expect(form.handlingPerson.idDocumentNumber).toBeNull();
    expect(form.materials.find((m: { id: string }) => m.id === 'self-assessment').status).toBe('draft');
    expect(form.materials.find((m: { id: string }) => m.id === 'contract').status).toBe('missing');
  });

  it('annual: every transfer of the year with its persons', async () => {
    const md = decode((await renderDocument(input, { kind: 'annual', format: 'md', lang: 'en' })).bytes);
    for (const t of assessed.transfers.filter((t) => t.date.startsWith('2026'))) {
      expect(md).toContain(`\`${t.id}\``);
      expect(md).toContain(`${fmt(t.volume.persons)} persons (of whom ${fmt(t.volume.sensitivePersons)} with sensitive PI)`);
    }
    expect(md).toContain('due on 2026-12-15');
  });

  it('sc-filing: the 10-working-day deadline is the one `status` computes', async () => {
    const status = JSON.parse((await cli(['status', EXAMPLE, '--json', '--as-of', AS_OF])).stdout);
    const filing = status.deadlines.find((d: { approval: string; kind: string }) => d.approval === 'sc-2026-001' && d.kind === 'sc-filing');
    const md = decode((await renderDocument(input, { kind: 'sc-filing', format: 'md', lang: 'en', selection: { transfer: 't-2026-004' } })).bytes);
    expect(md).toContain(`| \`sc-2026-001\` | SH-SC-2026-0311 | 2026-03-20 | ${filing.date} | 2026-03-27 |`);
  });
});

describe('no raw identifier, even typed into the workspace by a person', () => {
  const PLANTED = ['13812345678', '+86 139-8765-4321', '110101199003078515', 'LSVAU2180N2183294', '89860012345678901234'];
  let dir: string;
  let planted: DocumentInput;

  beforeAll(async () => {
    dir = copyExample();
    const file = join(dir, 'chujing.yaml');
    let yaml = readFileSync(file, 'utf8').replace('name: ACME GmbH (global R&D)', 'name: ACME GmbH (global R&D) fleet LSVAU2180N2183294');
    yaml += `
security:
  attestations:
    - requirement: SEC-MGT-1
      statement: "Officer appointed (mobile 13812345678, ID 110101199003078515, SIM 89860012345678901234)"
      by: data-security officer
      date: 2026-01-05
  incidents:
    - id: inc-1
      date: 2026-06-03
      kind: leak
      summary: "Call +86 139-8765-4321 about vehicle LSVAU2180N2183294"
      transfers: [t-2026-004]
`;
    writeFileSync(file, yaml);
    planted = await documentInputFor(dir, context(), { asOf: AS_OF });
  });
  afterAll(() => removeDir(dir));

  it.each(['self-assessment', 'declaration', 'security-checklist', 'annual'] as const)('%s in every format', async (kind) => {
    for (const format of ['md', 'html', 'json', 'docx'] as const) {
      const bytes = (await renderDocument(planted, { kind, format, lang: 'zh' })).bytes;
      const text = format === 'docx' ? readDocx(bytes).text : decode(bytes);
      for (const p of PLANTED) expect(text, `${kind}.${format}`).not.toContain(p);
      expect(findIdentifiers(text), `${kind}.${format}`).toEqual([]);
    }
  });

  it('the attestation and the incident are shown (redacted) in the security checklist', async () => {
    const md = decode((await renderDocument(planted, { kind: 'security-checklist', format: 'md', lang: 'en' })).bytes);
    expect(md).toContain('Officer appointed (mobile ＊＊＊, ID ＊＊＊, SIM ＊＊＊)');
    expect(md).toContain('`inc-1`');
    expect(md).toContain('Incident inc-1 has not been reported to an authority.');
    expect(md).toMatch(/\*\*attested\*\* `SEC-MGT-1`/);
  });
});

describe('chujing report (command line)', () => {
  it('writes a file with --out and says so; Markdown to stdout by default', async () => {
    const dir = copyExample();
    try {
      const r = await cli(['report', 'declaration', '.', '--as-of', AS_OF, '--out', 'decl.docx', '--lang', 'zh'], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('已写入decl.docx');
      expect(readDocx(readFileSync(join(dir, 'decl.docx'))).paragraphs[0]!.text).toBe('数据出境安全评估申报表（草稿）');
      const md = await cli(['report', 'plan', '.', '--as-of', AS_OF, '--transfer', 't-2026-006'], { cwd: dir });
      expect(md.code).toBe(0);
      expect(md.stdout).toMatch(/^# Data outbound implementation plan/);
      expect(md.stdout).toContain('Transfer t-2026-006');
      expect(md.stdout).not.toContain('Transfer t-2026-005');
    } finally {
      removeDir(dir);
    }
  });

  it.each([
    [['self-assessment', EXAMPLE, '--transfer', 'nope'], /unknown transfer 'nope'/, /one of t-2025-031/],
    [['self-assessment', EXAMPLE, '--transfer', 't-2026-001'], /t-2026-001 is exempt \(EXEMPT-6\): it needs no security assessment/, null],
    [['declaration', EXAMPLE, '--transfer', 't-2026-004'], /needs standard contract or certification, not a security assessment/, null],
    [['sc-filing', EXAMPLE, '--transfer', 't-2026-003'], /needs security assessment: a standard contract cannot cover it/, null],
    [['pipia', EXAMPLE, '--transfer', 't-2026-011'], /carries no personal information/, null],
    [['self-assessment', EXAMPLE, '--transfer', 't-2026-010'], /prohibited \(core data must not leave China\)/, null],
    [['self-assessment', EXAMPLE, '--recipient', 'acme-hr-global'], /no transfer selected needs a Data outbound risk self-assessment report/, /t-2026-005 is exempt \(EXEMPT-4\)/],
    [['self-assessment', EXAMPLE, '--scenario', 'flying'], /unknown scenario 'flying'/, null],
    [['minutes', EXAMPLE], /unknown document 'minutes'/, /self-assessment, declaration/],
    [['plan', EXAMPLE, '--format', 'odt'], /unknown format 'odt'/, /docx, html, pdf, md, json/],
    [['plan', EXAMPLE, '--format', 'docx'], /docx is a binary format: name the file with --out/, null],
    [['plan', EXAMPLE, '--out', '/no/such/folder/plan.md'], /the folder does not exist/, null],
    [['plan', EXAMPLE, '--as-of', '2026-13-01'], /is not a date/, null],
  ])('bad input %j exits 2 with a clear message', async (args, message, detail) => {
    const list = args as string[];
    const r = await cli(['report', ...list, ...(list.includes('--as-of') ? [] : ['--as-of', AS_OF])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    if (detail) expect(r.stderr).toMatch(detail as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(r.stdout).toBe('');
  });

  it('explains in Chinese with --lang zh', async () => {
    const r = await cli(['report', 'self-assessment', EXAMPLE, '--transfer', 't-2026-001', '--as-of', AS_OF, '--lang', 'zh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('出境活动t-2026-001免予申报（EXEMPT-6）');
  });

  it('refuses an annual report for a processor without important data, and writes nothing', async () => {
    const dir = copyExample();
    try {
      writeFileSync(
        join(dir, 'chujing.yaml'),
        `version: 1
organization: { id: small, name: Small Dealer Co., processorType: dealer }
datasets: [{ id: d, name: buyers, scenario: other, dataType: customer-records, personalInfo: { persons: 10 } }]
recipients: [{ id: r, name: HQ, country: DE }]
transfers: [{ id: t, date: 2026-03-01, datasets: [d], recipient: r, purpose: crm }]
`,
      );
      const r = await cli(['report', 'annual', '.', '--as-of', AS_OF, '--out', 'annual.md'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/only from processors of important data/);
      expect(existsSync(join(dir, 'annual.md'))).toBe(false);
    } finally {
      removeDir(dir);
    }
  });

  it('refuses incidents that name unknown transfers', async () => {
    const dir = copyExample();
    try {
      const file = join(dir, 'chujing.yaml');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\nsecurity:\n  incidents:\n    - { id: i1, date: 2026-06-01, kind: loss, summary: lost disk, transfers: [t-9] }\n`);
      // validate sees it too: the check is one of the workspace's reference checks.
      for (const args of [['report', 'security-checklist', '.', '--as-of', AS_OF], ['validate', '.']]) {
        const r = await cli(args, { cwd: dir });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('security.incidents[0].transfers[0]: the incident names transfer t-9, which is not defined');
      }
    } finally {
      removeDir(dir);
    }
  });
});
