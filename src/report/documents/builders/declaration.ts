/**
 * The security-assessment declaration (数据出境安全评估申报), field by field as the CAC's online system
 * asks for them (UPD-6, eight steps), filled from the workspace — per outbound scenario and recipient,
 * with the year-to-date volume that includes the persons already sent that year under a standard
 * contract or certification (UPD-9) — and the materials list with what is ready and what is missing.
 *
 * First a form (`DeclarationForm`, printed as JSON to copy from: `null` is a blank to fill in), then
 * the document from the form. Identity-document numbers and signatures are never stored: they are
 * always blanks (the JSON has `null` and the document a placeholder).
 */
import { msg } from '../../../i18n/index.js';
import { blank, code, fields, h1, h2, note, para, rule, rules, table, txt, warning, type Block, type CheckState, type Content } from '../model.js';
import { complete, counterText, datasetsOf, factName, factUnit, factValue, label, num, recipientName, scenarioText, subtitle } from '../parts.js';
import { entitiesOf, groupNote, importantByTransfer, levelCells } from '../sections.js';
import { declarationVolume, situationOf, type Situation, type VolumeFigures } from '../figures.js';
import type { Counter } from '../view.js';
import type { BuildContext } from './context.js';

export const DECLARATION_SCHEMA = 'chujing.declaration/1';

/** Person counts are shown as persons, not among the scale facts. */
const PERSON_FACTS: ReadonlySet<string> = new Set(['piPersons', 'piSensitivePersons', 'chargingConsumptionPersons']);

/** A person's details the form asks for: never known to the tool, always blank. */
export interface PersonBlanks {
  name: null;
  nationality: null;
  idDocumentType: null;
  /** Never stored, never printed: the declarant types it into the CAC system. */
  idDocumentNumber: null;
  title: null;
  phone: null;
  email: null;
}
const person = (): PersonBlanks => ({ name: null, nationality: null, idDocumentType: null, idDocumentNumber: null, title: null, phone: null, email: null });

/** UPD-9: the declarant's year-to-date count and how it splits by what covered each transfer on its date. */
export type DeclarationVolume = VolumeFigures;

export interface DeclarationForm {
  schema: typeof DECLARATION_SCHEMA;
  asOf: string;
  /** Step 1: which situations apply (the engine's decisions and every volume band its counts reach). */
  situation: Situation;
  /** Step 2: the processor(s); a group's consolidated declaration lists several (PROC-3). */
  processors: {
    id: string;
    name: string;
    processorType: string;
    nature: null;
    creditCode: null;
    registeredAddress: null;
    officeAddress: null;
    ciio: boolean;
    employees: null;
    /** Distinct natural persons whose PI the processor handles (not only those sent abroad). */
    personalInfoScale: null;
    volume: DeclarationVolume[];
  }[];
  /** Steps 3-5. */
  legalRepresentative: PersonBlanks;
  securityOfficer: PersonBlanks & { organisationUnit: null };
  handlingPerson: PersonBlanks;
  /** Step 6: compliance with Chinese law, free text. */
  compliance: null;
  /** Step 7: per outbound scenario, its data items; per recipient, its details. */
  scenarios: {
    scenario: string;
    title: { en: string; zh: string } | null;
    description: null;
    transfers: string[];
    dataItems: {
      dataset: string;
      name: string;
      dataType: string;
      level: string;
      important: boolean;
      rules: string[];
      /** Who identified it as important data (the catalogue's authority, a notification…). */
      identifiedBy: null;
      sector: 'automobile';
      /** Characteristics, not the data (IMP-GEN-5): measured or declared facts with units. */
      scale: { fact: string; value: number | boolean; unit: string | null; basis: string }[];
      persons: Counter;
    }[];
    recipients: { id: string; name: string; country: string; mainBusiness: null; responsiblePerson: null; responsiblePersonTitle: null; contact: null; address: null }[];
  }[];
  /** Step 8. */
  materials: { id: string; status: CheckState; rule: string; note: string | null }[];
}

export function declarationForm({ view, transfers }: Pick<BuildContext, 'view' | 'transfers'>): DeclarationForm {
  const datasets = datasetsOf(view, transfers);
  const scenarios = [...new Set(datasets.map((d) => d.scenario))];
  const evidence = datasets.flatMap((d) => d.evidence);
  return {
    schema: DECLARATION_SCHEMA,
    asOf: view.asOf,
    situation: situationOf(view, transfers),
    processors: entitiesOf(view, transfers).map((e) => ({
      id: e.id,
      name: e.name,
      processorType: e.processorType,
      nature: null,
      creditCode: null,
      registeredAddress: null,
      officeAddress: null,
      ciio: e.ciio,
      employees: null,
      personalInfoScale: null,
      volume: declarationVolume(view, transfers).filter((v) => v.organization === e.id),
    })),
    legalRepresentative: person(),
    securityOfficer: { ...person(), organisationUnit: null },
    handlingPerson: person(),
    compliance: null,
    scenarios: scenarios.map((s) => {
      const items = datasets.filter((d) => d.scenario === s);
      const ts = transfers.filter((t) => t.datasets.some((id) => items.some((d) => d.id === id)));
      return {
        scenario: s,
        title: items[0]?.scenarioTitle ?? null,
        description: null,
        transfers: ts.map((t) => t.id),
        dataItems: items.map((d) => ({
          dataset: d.id,
          name: d.name,
          dataType: d.dataType,
          level: d.level,
          important: d.important,
          rules: d.findings.map((f) => f.rule),
          identifiedBy: null,
          sector: 'automobile' as const,
          scale: Object.entries(d.facts)
            .filter(([k, v]) => typeof v === 'number' && !PERSON_FACTS.has(k))
            .map(([fact, value]) => ({
              fact,
              value,
              unit: d.findings.find((f) => f.fact === fact)?.unit ?? factUnit(fact),
              basis: d.factComparison.some((c) => c.fact === fact && c.measured !== null) ? 'measured' : 'declared',
            })),
          persons: { persons: d.personalInfo.persons, sensitivePersons: d.personalInfo.sensitivePersons, chargingConsumptionPersons: d.personalInfo.chargingConsumptionPersons },
        })),
        recipients: [...new Set(ts.map((t) => t.recipient))].map((id) => {
          const r = view.recipients.find((x) => x.id === id);
          return { id, name: r?.name ?? id, country: r?.country ?? '', mainBusiness: null, responsiblePerson: null, responsiblePersonTitle: null, contact: null, address: null };
        }),
      };
    }),
    materials: [
      { id: 'declaration-form', status: 'draft', rule: 'SA-2', note: null },
      { id: 'self-assessment', status: 'draft', rule: 'SA-1', note: 'chujing report self-assessment' },
      { id: 'contract', status: 'missing', rule: 'SA-2', note: null },
      { id: 'commitment-letter', status: 'missing', rule: 'UPD-6', note: null },
      { id: 'credit-code', status: 'missing', rule: 'UPD-6', note: null },
      { id: 'legal-representative-id', status: 'missing', rule: 'UPD-6', note: null },
      { id: 'handling-person-id', status: 'missing', rule: 'UPD-6', note: null },
      { id: 'power-of-attorney', status: 'missing', rule: 'UPD-6', note: null },
      {
        id: 'evidence',
        status: evidence.length || view.ledger ? 'ready' : 'missing',
        rule: 'UPD-6',
        note: [...evidence.map((e) => e.path), ...(view.ledger ? [`ledger: ${view.ledger.source}`] : [])].join('; ') || null,
      },
    ],
  };
}

const personRows = (prefix: string): { label: ReturnType<typeof msg>; value: Content }[] =>
  ['name', 'nationality', 'id-type', 'id-number', 'title', 'phone', 'email'].map((f) => ({
    label: msg(`doc.decl.person.${f}`),
    value: [blank(msg(f === 'id-number' ? 'doc.blank.id-number' : `doc.blank.${prefix}`, { field: msg(`doc.decl.person.${f}`) }))],
  }));

function counterCells(c: Counter): Content[] {
  return [[txt(num(c.persons))], [txt(num(c.sensitivePersons))], [txt(num(c.chargingConsumptionPersons))]];
}

export function buildDeclaration(ctx: BuildContext) {
  const { view, transfers } = ctx;
  const form = declarationForm(ctx);
  const datasets = datasetsOf(view, transfers);
  const check = (on: boolean) => (on ? '☑' : '☐');
  const body: Block[] = [
    note(txt(msg('doc.decl.intro')), txt(' '), ...rules(['UPD-6', 'PROC-6', 'SA-2'])),
    warning(txt(msg('doc.decl.no-id-numbers'))),

    h1(msg('doc.decl.situation')),
    table(
      [msg('doc.col.situation'), msg('doc.col.applies'), msg('doc.col.rule')],
      [
        [[txt(msg('doc.decl.situation.ciio'))], [txt(check(form.situation.criticalInfrastructureOperator))], [rule('PATH-SA-4')]],
        [[txt(msg('doc.decl.situation.important'))], [txt(check(form.situation.importantData))], [rule('PATH-SA-1')]],
        [[txt(msg('doc.decl.situation.persons'))], [txt(check(form.situation.persons1M))], [rule('PATH-SA-2')]],
        [[txt(msg('doc.decl.situation.sensitive'))], [txt(check(form.situation.sensitivePersons10K))], [rule('PATH-SA-3')]],
      ],
      [60, 15, 25],
    ),

    h1(msg('doc.decl.processor')),
    ...groupNote(view, transfers),
  ];
  for (const p of form.processors) {
    body.push(
      fields([
        { label: msg('doc.field.name'), value: [txt(p.name)] },
        { label: msg('doc.decl.nature'), value: [blank(msg('doc.blank.nature'))] },
        { label: msg('doc.field.processor-type'), value: [txt(label('doc.processor-type', p.processorType))] },
        { label: msg('doc.field.credit-code'), value: [blank(msg('doc.blank.credit-code'))] },
        { label: msg('doc.field.registered-office-address'), value: [blank(msg('doc.blank.address'))] },
        { label: msg('doc.field.ciio'), value: [txt(p.ciio ? msg('common.yes') : msg('common.no'))] },
        { label: msg('doc.field.employees'), value: [blank(msg('doc.blank.employees'))] },
        { label: msg('doc.field.pi-scale'), value: [blank(msg('doc.blank.pi-scale'))] },
      ]),
    );
    body.push(para(txt(msg('doc.decl.volume', { name: p.name })), txt(' '), ...rules(['UPD-9', 'CNT-2', 'CNT-6'])));
    for (const v of p.volume) body.push(note(txt(msg('doc.vol.through', { transfer: v.through, date: view.transfers.find((t) => t.id === v.through)?.date ?? '', year: v.year }))));
    body.push(
      table(
        [msg('doc.col.year'), msg('doc.col.what'), msg('doc.col.persons'), msg('doc.col.sensitive'), msg('doc.col.charging')],
        p.volume.flatMap((v) => [
          [[txt(String(v.year))], [txt(msg('doc.decl.volume.total'), true)], ...counterCells(v.yearToDate)],
          ...v.rows.map((r) => [[txt('')], [txt(msg(`doc.vol.${r.row}`)), txt(msg('doc.decl.volume.transfers', { ids: r.transfers }))], ...counterCells(r.counter)]),
        ]),
        [10, 42, 16, 16, 16],
      ),
    );
  }

  body.push(
    h1(msg('doc.decl.legal-representative')),
    fields(personRows('legal-representative')),
    h1(msg('doc.decl.security-officer')),
    fields([...personRows('security-officer'), { label: msg('doc.decl.security-unit'), value: [blank(msg('doc.blank.security-unit'))] }]),
    h1(msg('doc.decl.handling-person')),
    fields(personRows('handling-person')),
    h1(msg('doc.decl.compliance')),
    para(blank(msg('doc.blank.compliance'))),
    h1(msg('doc.decl.outbound')),
    note(txt(msg('doc.characteristics-only')), txt(' '), rule('IMP-GEN-5')),
  );
  for (const s of form.scenarios) {
    const first = datasets.find((d) => d.scenario === s.scenario);
    body.push(h2(first ? scenarioText(first) : s.scenario));
    body.push(para(txt(msg('doc.decl.scenario.id', { scenario: s.title ?? s.scenario, ids: s.transfers }))));
    body.push(fields([{ label: msg('doc.decl.scenario.description'), value: [blank(msg('doc.blank.scenario-description'))] }]));
    body.push(
      table(
        [msg('doc.col.dataset'), msg('doc.col.level'), msg('doc.col.identified-by'), msg('doc.col.sector'), msg('doc.col.scale'), msg('doc.col.basis')],
        s.dataItems.map((item) => {
          const d = datasets.find((x) => x.id === item.dataset)!;
          const scale: Content = item.scale.flatMap((f, i) => [
            ...(i ? [txt('\n')] : []),
            txt(msg('doc.fact-is', { fact: factName(f.fact), value: factValue(f.value, f.unit) })),
            txt(` (${f.basis === 'measured' ? '✓' : '·'})`),
          ]);
          return [
            [txt(item.name), txt(' '), code(item.dataset)],
            levelCells(view, d, transfers).level,
            item.important ? [blank(msg('doc.blank.identified-by'))] : [txt('—')],
            [txt(msg('doc.decl.sector.automobile'))],
            scale.length ? [...scale, txt('\n'), txt(counterText(item.persons))] : [txt(counterText(item.persons))],
            levelCells(view, d, transfers).basis,
          ];
        }),
        [18, 10, 14, 10, 24, 24],
      ),
    );
    body.push(...importantByTransfer(view, transfers.filter((t) => s.transfers.includes(t.id))));
    body.push(note(txt(msg('doc.decl.scale-legend'))));
    for (const r of s.recipients) {
      body.push(para(txt(msg('doc.decl.recipient'), true), txt(msg('doc.colon')), txt(recipientName(view, r.id)), txt(' '), code(r.id)));
      body.push(
        fields([
          { label: msg('doc.field.name'), value: [txt(r.name)] },
          { label: msg('doc.field.country'), value: [txt(r.country)] },
          { label: msg('doc.field.recipient-business'), value: [blank(msg('doc.blank.recipient-business'))] },
          { label: msg('doc.decl.responsible-person'), value: [blank(msg('doc.blank.responsible-person'))] },
          { label: msg('doc.field.recipient-contact'), value: [blank(msg('doc.blank.recipient-contact'))] },
          { label: msg('doc.field.recipient-address'), value: [blank(msg('doc.blank.recipient-address'))] },
        ]),
      );
    }
  }

  body.push(
    h1(msg('doc.decl.materials')),
    {
      kind: 'checklist',
      items: form.materials.map((m) => ({
        state: m.status,
        label: [txt(msg(`doc.material.${m.id}`)), txt(' '), rule(m.rule)],
        // The form's note names the command; the document says it in words.
        ...(m.id === 'self-assessment' ? { detail: [txt(msg('doc.plan.materials.self-assessment'))] } : m.note ? { detail: [txt(m.note.replace(/^ledger: |; ledger: /, (x) => (x.startsWith(';') ? '; ' : '')))] } : {}),
      })),
    },
    note(txt(msg('doc.decl.materials.window')), txt(' '), ...rules(['UPD-6', 'PROC-4'])),
  );
  const scope = msg('doc.subtitle.transfers', { ids: transfers.map((t) => t.id) });
  return { form, doc: complete('declaration', msg('doc.kind.declaration'), subtitle(view, transfers, scope), body, view) };
}

