/**
 * Every figure and tick a document states is the engine's (issue 17). For every document kind × every
 * transfer of examples/acme-auto and examples/lifecycle-demo (and per processor for the annual report),
 * the document's JSON form (`--format json`: `figures`, and the declaration's form) is compared with
 * `assess --json` and `status --json` for the same as-of date; where a kind does not apply to a
 * transfer, the refusal (exit 2) is asserted instead. The engine runs once per example: the documents
 * are rendered in-process from the same input the CLI builds (documentInputFor), the expected values
 * come from the CLI's own JSON.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChujingError, exitCodeFor } from '../../src/errors.js';
import { documentInputFor } from '../../src/report/documents/input.js';
import { DOCUMENT_KINDS, renderDocument, type DocumentInput, type DocumentKind, type DocumentFigures } from '../../src/report/documents/index.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { AS_OF, cli, context } from './helpers.js';

type Counter = { persons: number; sensitivePersons: number; chargingConsumptionPersons: number };
interface AssessTransfer {
  id: string;
  date: string;
  organization: string;
  status: 'planned' | 'executed';
  path: string;
  exemption: string | null;
  covered: boolean;
  coveredBy: string | null;
  containsImportantData: boolean;
  datasets: string[];
  volume: Counter;
  counted: Counter & { method: string };
  yearToDate: Counter & { thresholdsReached: string[] };
  rules: string[];
  ledger: { recorded: boolean };
}
interface AssessJson {
  asOf: string;
  transfers: AssessTransfer[];
  organizations: { organization: string; year: number; yearToDate: Counter; thresholdsReached: string[]; thresholds: { saPersons: number } }[];
  datasets: { id: string; level: string }[];
  ledger: unknown;
}

const counter = (c: Counter): Counter => ({ persons: c.persons, sensitivePersons: c.sensitivePersons, chargingConsumptionPersons: c.chargingConsumptionPersons });
const fmt = (n: number) => n.toLocaleString('en-US');
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

/** When a kind applies to a transfer, from the engine's path and volume only (docs/documents.md). */
function applies(kind: DocumentKind, t: AssessTransfer): boolean {
  const organisationLevel = kind === 'plan' || kind === 'security-checklist';
  if (t.path === 'prohibited' && !organisationLevel) return false;
  switch (kind) {
    case 'self-assessment':
    case 'declaration':
      return t.path === 'security-assessment';
    case 'sc-filing':
      return t.path === 'standard-contract-or-certification';
    case 'pipia':
      return t.volume.persons > 0 || t.volume.sensitivePersons > 0;
    default:
      return true;
  }
}

interface Example {
  name: string;
  dir: string;
  input: DocumentInput;
  assess: AssessJson;
  status: { asOf: string; approvals: { id: string; deadlines: { kind: string; date: string | null; state: string }[] }[] };
}

const EXAMPLES = ['acme-auto', 'lifecycle-demo'];
const loaded = new Map<string, Example>();

beforeAll(async () => {
  for (const name of EXAMPLES) {
    const dir = join(REPO_ROOT, 'examples', name);
    const input = await documentInputFor(dir, context(), { asOf: AS_OF });
    const assess = JSON.parse((await cli(['assess', dir, '--json', '--as-of', AS_OF])).stdout) as AssessJson;
    const status = JSON.parse((await cli(['status', dir, '--json', '--as-of', AS_OF])).stdout);
    loaded.set(name, { name, dir, input, assess, status });
  }
}, 120_000);

async function figuresOf(ex: Example, kind: DocumentKind, selection: { transfer?: string; organization?: string }, lang: 'zh' | 'en' = 'zh') {
  const out = await renderDocument(ex.input, { kind, format: 'json', lang, selection });
  const json = JSON.parse(decode(out.bytes)) as { figures: DocumentFigures; document?: unknown };
  const text = lang === 'zh' ? decode((await renderDocument(ex.input, { kind, format: 'md', lang, selection })).bytes) : '';
  return { figures: json.figures, json, text };
}

/** The refusal a kind that does not apply gets: bad input, exit 2. */
async function refusal(ex: Example, kind: DocumentKind, selection: { transfer?: string; organization?: string }): Promise<number> {
  try {
    await renderDocument(ex.input, { kind, format: 'json', lang: 'zh', selection });
  } catch (e) {
    if (e instanceof ChujingError) return exitCodeFor(e.code);
    throw e;
  }
  return 0;
}

function expectTransfersAreEngines(ex: Example, figures: DocumentFigures) {
  expect(figures.asOf).toBe(ex.assess.asOf);
  for (const f of figures.transfers) {
    const t = ex.assess.transfers.find((x) => x.id === f.id)!;
    expect(f, f.id).toEqual({
      id: t.id,
      date: t.date,
      organization: t.organization,
      status: t.status,
      path: t.path,
      exemption: t.exemption,
      covered: t.covered,
      coveredBy: t.coveredBy,
      containsImportantData: t.containsImportantData,
      recorded: t.ledger.recorded,
      volume: counter(t.volume),
      yearToDate: counter(t.yearToDate),
      thresholdsReached: t.yearToDate.thresholdsReached,
    });
  }
  for (const o of figures.organizations) {
    const y = ex.assess.organizations.find((x) => x.organization === o.organization)!;
    expect(o).toEqual({ organization: y.organization, year: y.year, yearToDate: counter(y.yearToDate), thresholdsReached: y.thresholdsReached });
  }
}

/**
 * The printed document states the same figures, in one number format: digits with separators. 万
 * stays only in the law's own wording of its thresholds (1万, 10万, 100万人以上 in rule titles).
 */
function expectPrinted(kind: DocumentKind, text: string, figures: DocumentFigures) {
  if (kind !== 'security-checklist') for (const t of figures.transfers) expect(text, t.id).toContain(fmt(t.yearToDate.persons));
  const values = [...figures.transfers.flatMap((t) => [t.volume, t.yearToDate]), ...figures.organizations.map((o) => o.yearToDate)].flatMap((c) => [c.persons, c.sensitivePersons]);
  for (const v of values) if (v >= 10_000 && v % 10_000 === 0 && ![10_000, 100_000, 1_000_000].includes(v)) expect(text).not.toMatch(new RegExp(`(?<![\\d,])${v / 10_000}万`));
  expect(text).not.toMatch(/\d万人（/);
}

function expectKindFigures(ex: Example, kind: DocumentKind, ids: string[], figures: DocumentFigures, text: string) {
  const engine = ex.assess.transfers;
  const selected = engine.filter((t) => ids.includes(t.id));
  switch (kind) {
    case 'declaration': {
      const s = figures.situation!;
      expect(s.importantData).toBe(selected.some((t) => t.containsImportantData));
      expect(s.persons1M).toBe(selected.some((t) => t.yearToDate.thresholdsReached.includes('PATH-SA-2')));
      expect(s.sensitivePersons10K).toBe(selected.some((t) => t.yearToDate.thresholdsReached.includes('PATH-SA-3')));
      expect(s.criticalInfrastructureOperator).toBe(selected.some((t) => t.rules.includes('PATH-SA-4')));
      // The ticks printed are the ticks of the form.
      const ticked = (line: string) => text.split('\n').find((l) => l.includes(line))!.includes('☑');
      expect(ticked('累计向境外提供100万人以上个人信息')).toBe(s.persons1M);
      expect(ticked('向境外提供重要数据')).toBe(s.importantData);
      for (const v of figures.volume!) {
        const through = engine.find((t) => t.id === v.through)!;
        expect(v.yearToDate).toEqual(counter(through.yearToDate));
        const upTo = engine.slice(0, engine.indexOf(through) + 1).filter((t) => t.organization === v.organization && t.date.startsWith(`${v.year}-`));
        for (const row of v.rows) {
          for (const id of row.transfers) {
            const t = upTo.find((x) => x.id === id)!;
            expect(t, `${id} in ${row.row}`).toBeDefined();
            // "通过…出境" only for a transfer an approval covered on its date.
            if (row.row === 'sa' || row.row === 'sc') expect(t.covered, `${id} in ${row.row}`).toBe(true);
            if (row.row.endsWith('-planned')) expect([t.covered, t.status]).toEqual([false, 'planned']);
            if (row.row.endsWith('-missing')) expect([t.covered, t.status]).toEqual([false, 'executed']);
          }
        }
        expect(v.rows.flatMap((r) => r.transfers).sort()).toEqual(upTo.map((t) => t.id).sort());
        expect(text).toContain(fmt(v.yearToDate.persons));
      }
      break;
    }
    case 'sc-filing': {
      const reached = ex.assess.organizations.filter((o) => selected.some((t) => t.organization === o.organization) && o.thresholdsReached.some((r) => r === 'PATH-SA-2' || r === 'PATH-SA-3'));
      expect(figures.scFiling!.securityAssessmentReached.map((o) => o.organization)).toEqual(reached.map((o) => o.organization));
      expect(figures.scFiling!.deadlines.map((d) => d.transfer)).toEqual(selected.filter((t) => !t.covered).map((t) => t.id));
      for (const d of figures.scFiling!.deadlines) if (d.fileBy) expect(d.passed).toBe(d.fileBy < ex.assess.asOf);
      break;
    }
    case 'plan': {
      for (const s of figures.plan!.steps.filter((x) => x.step === 'doc.plan.step.record')) {
        const t = engine.find((x) => x.id === s.transfer)!;
        // Done only when the ledger holds it.
        expect(s.state === 'done', s.transfer).toBe(t.ledger.recorded);
      }
      break;
    }
  }
}

describe.each(EXAMPLES)('%s: every document kind × every transfer states the engine\'s figures', (name) => {
  it.each(DOCUMENT_KINDS.filter((k) => k !== 'annual'))('%s', async (kind) => {
    const ex = loaded.get(name)!;
    for (const t of ex.assess.transfers) {
      if (!applies(kind, t)) {
        expect(await refusal(ex, kind, { transfer: t.id }), `${kind} ${t.id}`).toBe(2);
        continue;
      }
      const { figures, text } = await figuresOf(ex, kind, { transfer: t.id });
      expect(figures.transfers.map((x) => x.id)).toEqual([t.id]);
      expectTransfersAreEngines(ex, figures);
      expectPrinted(kind, text, figures);
      expectKindFigures(ex, kind, [t.id], figures, text);
    }
  });

  it('annual, per processor: what was sent, planned apart, important data never core, sent without a mechanism', async () => {
    const ex = loaded.get(name)!;
    const year = Number(AS_OF.slice(0, 4));
    for (const org of new Set(ex.assess.transfers.map((t) => t.organization))) {
      const own = ex.assess.transfers.filter((t) => t.organization === org);
      if (!own.some((t) => t.containsImportantData)) {
        expect(await refusal(ex, 'annual', { organization: org }), org).toBe(2);
        continue;
      }
      const { figures, text } = await figuresOf(ex, 'annual', { organization: org });
      expectTransfersAreEngines(ex, figures);
      const a = figures.annual!;
      const ofYear = own.filter((t) => t.date.startsWith(`${year}-`));
      const sent = ofYear.filter((t) => (ex.assess.ledger ? t.ledger.recorded : t.status === 'executed' && t.date <= AS_OF));
      expect(a.source).toBe(ex.assess.ledger ? 'ledger' : 'workspace-executed');
      expect(a.sent).toEqual(sent.map((t) => t.id));
      expect(a.planned).toEqual(ofYear.filter((t) => !sent.includes(t)).map((t) => t.id));
      const level = new Map(ex.assess.datasets.map((d) => [d.id, d.level]));
      for (const d of a.importantData) expect(level.get(d), d).not.toBe('core');
      expect(a.importantData).toEqual(expect.arrayContaining([...new Set(sent.flatMap((t) => t.datasets.filter((d) => level.get(d) === 'important')))]));
      for (const d of a.importantData) expect(sent.some((t) => t.datasets.includes(d)), d).toBe(true);
      expect(a.executedWithoutMechanism).toEqual(sent.filter((t) => !t.covered && t.path !== 'exempt').map((t) => t.id));
      for (const o of figures.organizations) expect(text).toContain(fmt(o.yearToDate.persons));
    }
  });
});

describe('the defects of issue 17, through the real command line', () => {
  const acme = join(REPO_ROOT, 'examples', 'acme-auto');
  const json = async (args: string[]) => {
    const r = await cli([...args, '--as-of', AS_OF, '--format', 'json', '--lang', 'zh']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  const md = async (args: string[]) => {
    const r = await cli([...args, '--as-of', AS_OF, '--format', 'md', '--lang', 'zh']);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };

  it('declaration for t-2026-013 ticks 100万人以上 (1,050,000) and names no uncovered transfer "通过…出境"', async () => {
    const form = await json(['report', 'declaration', acme, '--transfer', 't-2026-013']);
    expect(form.situation.persons1M).toBe(true);
    const v = form.processors.find((p: { id: string }) => p.id === 'acme-charging').volume[0];
    expect(v.yearToDate.persons).toBe(1_050_000);
    expect(v.rows.map((r: { row: string; transfers: string[] }) => [r.row, r.transfers])).toEqual([
      ['sa-planned', ['t-2026-013']],
      ['sc-missing', ['t-2026-006']],
    ]);
    const text = await md(['report', 'declaration', acme, '--transfer', 't-2026-013']);
    expect(text).toMatch(/100万人以上个人信息（不含敏感个人信息） \| ☑/);
    expect(text).toContain('其中拟通过安全评估出境');
    expect(text).toContain('其中已出境但尚未取得所需的标准合同或认证');
    expect(text).not.toContain('其中通过安全评估出境');
    expect(text).not.toContain('其中通过标准合同或认证出境');
  });

  it('annual report: what was sent, planned apart, its source; no core data as important data; t-2026-003 sent before its SA result', async () => {
    const doc = await json(['report', 'annual', acme]);
    const a = doc.figures.annual;
    expect(a.source).toBe('workspace-executed');
    expect(a.sent).toEqual(['t-2026-001', 't-2026-002', 't-2026-003', 't-2026-004', 't-2026-005', 't-2026-006', 't-2026-007']);
    expect(a.planned).toEqual(['t-2026-008', 't-2026-009', 't-2026-010', 't-2026-011', 't-2026-012', 't-2026-013']);
    expect(a.importantData).toEqual(['adas-road-test']);
    expect(a.executedWithoutMechanism).toEqual(['t-2026-003', 't-2026-006']);
    const text = await md(['report', 'annual', acme]);
    const important = text.slice(text.indexOf('重要数据出境情况'), text.indexOf('计划中、尚未实施的出境活动'));
    expect(important).not.toContain('defence-site-survey');
    expect(text).toContain('2026年度共实施7项出境活动');
    expect(text).toContain('“已出境”的依据：工作区中标记为已实施且日期不晚于2026-11-23的出境活动');
    expect(text).toContain('`t-2026-003`: <strong>于2026-03-01实施；sa-2026-001于2026-03-02方才取得或生效，晚于出境日期。</strong>');
  });

  it('a dataset important by the year\'s total says so and names the rule (DRAFT-J12)', async () => {
    const text = await md(['report', 'declaration', acme, '--transfer', 't-2026-013']);
    expect(text).toContain('按当年累计构成重要数据（出境活动t-2026-013）');
    expect(text).toMatch(/按当年累计规则构成重要数据：[^\n]*DRAFT-J12/);
    expect(text).not.toContain('未命中任何判断规则');
  });

  it('plan: recording is done only when the ledger holds the transfer', async () => {
    const doc = await json(['report', 'plan', acme]);
    const record = doc.figures.plan.steps.filter((s: { step: string }) => s.step === 'doc.plan.step.record');
    expect(record.length).toBeGreaterThan(0);
    expect(record.filter((s: { state: string }) => s.state === 'done')).toEqual([]);
  });

  it('PIPIA for t-2026-006: one count per transfer, and the crossing of 1,000,000 said once with the engine\'s count', async () => {
    const text = await md(['report', 'pipia', acme, '--transfer', 't-2026-006']);
    expect(text).toContain('| `t-2026-006` | ACME e-Charging (Shanghai) Co., Ltd. | 2026-05-10 | 600,000 |');
    expect(text).toContain('截至2026-11-23，ACME e-Charging (Shanghai) Co., Ltd.本年度累计向境外提供1,050,000人的个人信息（含截至该日的计划出境活动：t-2026-013），已达1,000,000人以上');
    expect(text).not.toMatch(/\d+万人（/);
    expect(text).not.toContain('105万');
  });

  it('SC filing for t-2026-006: its filing deadline passed, and the company crossed 1,000,000 persons (SA)', async () => {
    const doc = await json(['report', 'sc-filing', acme, '--transfer', 't-2026-006']);
    expect(doc.figures.scFiling.deadlines).toEqual([{ transfer: 't-2026-006', fileBy: '2026-05-22', passed: true }]);
    expect(doc.figures.scFiling.securityAssessmentReached).toEqual([{ organization: 'acme-charging', rules: ['PATH-SA-2'] }]);
    const text = await md(['report', 'sc-filing', acme, '--transfer', 't-2026-006']);
    expect(text).toContain('2026-05-22——已逾期');
    expect(text).toContain('已达1,000,000人以上：自达到之时起的出境活动须申报数据出境安全评估');
  });

  it('one number format per document: digits with thousands separators, never 万', async () => {
    for (const kind of DOCUMENT_KINDS) {
      const transfer = kind === 'sc-filing' ? 't-2026-006' : kind === 'pipia' ? 't-2026-006' : kind === 'self-assessment' || kind === 'declaration' ? 't-2026-013' : undefined;
      const text = await md(['report', kind, acme, ...(transfer ? ['--transfer', transfer] : [])]);
      expect(text, kind).not.toMatch(/\d+万人（/);
      expect(text, kind).not.toMatch(/(?<![\d,])(?:105|60|45|6|25|39\.2|2|15)万/);
    }
  });

  it('an annual report for a processor with no important data is refused (exit 2), as docs/documents.md says', async () => {
    const r = await cli(['report', 'annual', join(REPO_ROOT, 'examples', 'lifecycle-demo'), '--organization', 'acme-dealer-sh', '--as-of', AS_OF, '--lang', 'zh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('仅由重要数据处理者报送');
  });
});
