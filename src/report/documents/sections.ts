/**
 * Sections that several documents share, in the templates' words: the processor, the transfers, the
 * data items per scenario with their characteristics and the rules that make them important data, the
 * recipients, the approvals in force, the points for legal review.
 */
import { msg, type Msg } from '../../i18n/index.js';
import { lookupRule, type JudgmentRule } from '../../rules/index.js';
import { blank, bullets, code, fields, note, para, rule, rules, table, txt, warning, type Block, type Content, type Inline } from './model.js';
import {
  characteristics,
  counterText,
  dataTypeText,
  entityName,
  factName,
  factValue,
  findingContent,
  label,
  num,
  pathName,
  recipientName,
  scenarioText,
  yesNo,
} from './parts.js';
import type { ApprovalView, DatasetView, DocumentsView, TransferView } from './view.js';

export function entitiesOf(view: DocumentsView, transfers: TransferView[]) {
  const ids = new Set(transfers.map((t) => t.organization));
  const found = view.entities.filter((e) => ids.has(e.id));
  return found.length ? found : [view.organization];
}

/** PROC-3: several entities in one document are a group's consolidated declaration or filing. */
export function groupNote(view: DocumentsView, transfers: TransferView[]): Block[] {
  const entities = entitiesOf(view, transfers);
  if (entities.length < 2) return [];
  const groups = [...new Set(entities.map((e) => e.group))];
  const group = groups.length === 1 ? groups[0] : null;
  return [
    group
      ? note(txt(msg('doc.group.consolidated', { group, entities: entities.map((e) => e.name) })), txt(' '), rule('PROC-3'))
      : warning(txt(msg('doc.group.not-one-group', { entities: entities.map((e) => e.name) }))),
  ];
}

/** The processor's basic situation: what the workspace knows, blanks for the rest. */
export function processorFields(view: DocumentsView, transfers: TransferView[]): Block[] {
  const out: Block[] = [...groupNote(view, transfers)];
  for (const e of entitiesOf(view, transfers)) {
    out.push(
      fields([
        { label: msg('doc.field.name'), value: [txt(e.name)] },
        { label: msg('doc.field.processor-type'), value: [txt(label('doc.processor-type', e.processorType))] },
        { label: msg('doc.field.ciio'), value: [txt(yesNo(e.ciio))] },
        { label: msg('doc.field.ftz'), value: [txt(e.ftz ? msg('doc.ftz', { zone: e.ftz.zone, list: e.ftz.list }) : msg('common.no'))] },
        { label: msg('doc.field.group'), value: [txt(e.group ?? msg('common.none'))] },
        { label: msg('doc.field.credit-code'), value: [blank(msg('doc.blank.credit-code'))] },
        { label: msg('doc.field.registered-office-address'), value: [blank(msg('doc.blank.address'))] },
        { label: msg('doc.field.business'), value: [blank(msg('doc.blank.business'))] },
        { label: msg('doc.field.employees'), value: [blank(msg('doc.blank.employees'))] },
        { label: msg('doc.field.pi-scale'), value: [blank(msg('doc.blank.pi-scale'))] },
      ]),
    );
  }
  out.push(...transferYearToDateTable(view, transfers), ...crossings(view, transfers).blocks);
  return out;
}

/**
 * Each transfer's year-to-date count including it — the count its path was judged on (the engine's):
 * one count per transfer, the same in every table and sentence of the document.
 */
export function transferYearToDateTable(view: DocumentsView, transfers: TransferView[]): Block[] {
  if (!transfers.length) return [];
  return [
    para(txt(msg('doc.ytd.per-transfer')), txt(' '), ...rules(['CNT-1', 'CNT-2', 'CNT-3'])),
    table(
      [msg('doc.col.transfer'), msg('doc.col.organization'), msg('doc.col.date'), msg('doc.col.ytd-including'), msg('doc.col.sensitive'), msg('doc.col.charging')],
      transfers.map((t) => [[code(t.id)], [txt(entityName(view, t.organization))], [txt(t.date)], [txt(num(t.yearToDate.persons))], [txt(num(t.yearToDate.sensitivePersons))], [txt(num(t.yearToDate.chargingConsumptionPersons))]]),
      [14, 24, 14, 18, 15, 15],
    ),
  ];
}

const SA_BANDS: Record<string, 'doc.crossed' | 'doc.crossed.sensitive'> = { 'PATH-SA-2': 'doc.crossed', 'PATH-SA-3': 'doc.crossed.sensitive' };

/**
 * An organisation whose year-to-date count on the as-of date reached the security-assessment bands
 * (the engine's thresholdsReached): stated where a transfer of the document was judged below them —
 * the later crossing is a fact of the same as-of date, said once, with the engine's count.
 */
export function crossings(view: DocumentsView, transfers: TransferView[]): { blocks: Block[]; organizations: { organization: string; rules: string[] }[] } {
  const blocks: Block[] = [];
  const organizations: { organization: string; rules: string[] }[] = [];
  for (const org of new Set(transfers.map((t) => t.organization))) {
    const y = view.years.find((x) => x.organization === org);
    if (!y) continue;
    const reached = y.thresholdsReached.filter((r) => r in SA_BANDS);
    if (!reached.length) continue;
    organizations.push({ organization: org, rules: reached });
    const planned = view.transfers.filter((t) => t.organization === org && t.status === 'planned' && t.date <= view.asOf && t.date.startsWith(`${y.year}-`)).map((t) => t.id);
    for (const r of reached) {
      if (!transfers.some((t) => t.organization === org && !t.thresholdsReached.includes(r))) continue;
      const sensitive = r === 'PATH-SA-3';
      blocks.push(
        warning(
          txt(
            msg(SA_BANDS[r]!, {
              asOf: view.asOf,
              name: entityName(view, org),
              persons: num(sensitive ? y.yearToDate.sensitivePersons : y.yearToDate.persons),
              planned: planned.length ? planned : [msg('common.none')],
              threshold: num(sensitive ? y.thresholds.saSensitivePersons : y.thresholds.saPersons),
            }),
          ),
          txt(' '),
          rule(r),
        ),
      );
    }
  }
  return { blocks, organizations };
}

/** Year-to-date distinct persons per organisation (CNT-1, CNT-2), from the engine's report. */
export function yearToDateTable(view: DocumentsView, transfers: TransferView[]): Block[] {
  const orgs = new Set(entitiesOf(view, transfers).map((e) => e.id));
  const years = view.years.filter((y) => orgs.has(y.organization));
  if (!years.length) return [];
  return [
    para(txt(msg('doc.ytd.intro')), txt(' '), ...rules(['CNT-1', 'CNT-2', 'CNT-3'])),
    table(
      [msg('doc.col.organization'), msg('doc.col.year'), msg('doc.col.persons'), msg('doc.col.sensitive'), msg('doc.col.charging'), msg('doc.col.from-ledger'), msg('doc.col.from-workspace')],
      years.map((y) => [
        [txt(entityName(view, y.organization))],
        [txt(String(y.year))],
        [txt(num(y.yearToDate.persons))],
        [txt(num(y.yearToDate.sensitivePersons))],
        [txt(num(y.yearToDate.chargingConsumptionPersons))],
        [txt(counterText(y.sources.ledger))],
        [txt(counterText(y.sources.workspace))],
      ]),
      [20, 8, 13, 13, 13, 16, 17],
    ),
  ];
}

/** The transfers: when, to whom, how, why, and the path the engine found. */
export function transfersTable(view: DocumentsView, transfers: TransferView[]): Block {
  return table(
    [msg('doc.col.transfer'), msg('doc.col.date'), msg('doc.col.recipient'), msg('doc.col.method'), msg('doc.col.purpose'), msg('doc.col.datasets'), msg('doc.col.path')],
    transfers.map((t) => [
      [code(t.id)],
      [txt(t.date), txt(' '), txt(msg(`doc.status.${t.status}`))],
      [txt(recipientName(view, t.recipient)), txt(` (${t.country})`)],
      [txt(label('doc.transfer-kind', t.kind)), ...(t.channel ? [txt(` — ${t.channel}`)] : [])],
      [txt(t.purpose)],
      t.datasets.flatMap((d, i) => (i ? [txt(', '), code(d)] : [code(d)])),
      [txt(pathName(t.path, t.exemption)), ...(t.exemption ? [txt(' '), rule(t.exemption)] : [])],
    ]),
    [12, 12, 16, 12, 18, 14, 16],
  );
}

/**
 * The rules by which a transfer carries important data by the year's total: the year-to-date judgment
 * rules (DRAFT-J12 …) and counting conventions (CNT-*) among the rules that decided it (the engine's).
 */
function yearRules(t: TransferView): string[] {
  return t.rules.filter((r) => r.startsWith('CNT-') || lookupRule(r).some((f) => f.kind === 'judgment' && (f.rule as JudgmentRule).scope === 'year-to-date'));
}

/** Transfers that carry important data although none of their datasets is important or core on its own. */
function importantByYear(view: DocumentsView, transfers: TransferView[]): TransferView[] {
  const levelOf = new Map(view.datasets.map((d) => [d.id, d.level]));
  return transfers.filter((t) => t.containsImportantData && t.datasets.every((d) => levelOf.get(d) === 'general'));
}

/** A dataset's level and its basis, saying "important by the year's total" where a transfer of it is. */
export function levelCells(view: DocumentsView, d: DatasetView, transfers: TransferView[]): { level: Content; basis: Content } {
  const byYear = importantByYear(view, transfers).filter((t) => t.datasets.includes(d.id));
  const onDates = levelsByPackFor(d, transfers);
  if (!byYear.length) return { level: [txt(label('level', d.level)), ...onDates], basis: levelBasis(d) };
  const yr = [...new Set(byYear.flatMap(yearRules))];
  return {
    level: [txt(msg('doc.level.by-year', { transfers: byYear.map((t) => t.id) }), true), ...onDates],
    basis: [txt(msg('doc.level-basis.by-year', { rules: yr })), txt(' '), ...rules(yr)],
  };
}

/**
 * The dataset's level under another pack on the dates of these transfers, where it differs (the
 * engine's levelsByPack): a transfer judged under the pack in force on its date then does not read as
 * contradicting the level above (UPD-9's neighbour finding in issue 19).
 */
function levelsByPackFor(d: DatasetView, transfers: TransferView[]): Content {
  const ids = new Set(transfers.map((t) => t.id));
  return d.levelsByPack.flatMap((l) => {
    const on = l.transfers.filter((t) => ids.has(t));
    return on.length ? [txt('\n'), txt(msg('doc.level.by-pack', { pack: l.pack, level: label('level', l.level), transfers: on }))] : [];
  });
}

/** Data items per scenario with their characteristics and why each is (or is not) important data. */
export function dataItemsByScenario(datasets: DatasetView[], view?: DocumentsView, transfers: TransferView[] = []): Block[] {
  const out: Block[] = [];
  const scenarios = [...new Set(datasets.map((d) => d.scenario))];
  for (const s of scenarios) {
    const items = datasets.filter((d) => d.scenario === s);
    out.push(para(txt(msg('doc.scenario'), true), txt(msg('doc.colon')), txt(items[0] ? scenarioText(items[0]) : s)));
    out.push(
      table(
        [msg('doc.col.dataset'), msg('doc.col.data-type'), msg('doc.col.level'), msg('doc.col.characteristics'), msg('doc.col.basis')],
        items.map((d) => {
          const cells = view ? levelCells(view, d, transfers) : { level: [txt(label('level', d.level))], basis: levelBasis(d) };
          return [[txt(d.name), txt(' '), code(d.id)], [txt(dataTypeText(d))], cells.level, characteristics(d), cells.basis];
        }),
        [20, 14, 10, 26, 30],
      ),
    );
    for (const d of items) {
      for (const c of d.factComparison.filter((c) => c.understated)) {
        out.push(warning(txt(msg('doc.understated', { dataset: d.id, fact: factName(c.fact), declared: factValue(c.declared), measured: factValue(c.measured) }))));
      }
    }
  }
  const advisories = datasets.flatMap((d) => d.advisories.map((a) => ({ d, a })));
  if (advisories.length) {
    out.push(note(txt(msg('doc.advisories.intro'))));
    out.push(bullets(advisories.map(({ d, a }) => [code(d.id), txt(': '), ...findingContent(a), ...a.notes.flatMap((n) => [txt(' '), txt(n)])])));
  }
  return out;
}

/**
 * Transfers that carry important data although none of their datasets is important on its own: a
 * year-to-date rule (DRAFT-J12, charging consumption of a year) made it so. The engine's explanation says which.
 */
export function importantByTransfer(view: DocumentsView, transfers: TransferView[]): Block[] {
  return importantByYear(view, transfers).map((t) => {
    const yr = yearRules(t);
    return warning(txt(msg('doc.important-by-year', { id: t.id, rules: yr, explanation: t.explanation })), txt(' '), ...rules(yr));
  });
}

/** Why a dataset has its level: its binding findings, or that no rule holds. */
export function levelBasis(d: DatasetView): Content {
  if (!d.findings.length) return [txt(msg(d.declaredLevel ? 'doc.level-basis.declared' : 'doc.level-basis.none', { level: label('level', d.declaredLevel ?? d.level) }))];
  const out: Inline[] = [];
  d.findings.forEach((f, i) => {
    if (i) out.push(txt('\n'));
    out.push(...findingContent(f));
  });
  return out;
}

/** Recipients: what the workspace knows, blanks for what the form asks and only the officer knows. */
export function recipientsSection(view: DocumentsView, transfers: TransferView[]): Block[] {
  const ids = [...new Set(transfers.map((t) => t.recipient))];
  const out: Block[] = [];
  for (const id of ids) {
    const r = view.recipients.find((x) => x.id === id);
    if (!r) continue;
    out.push(para(txt(r.name, true), txt(' '), code(r.id)));
    out.push(
      fields([
        { label: msg('doc.field.country'), value: [txt(r.country)] },
        { label: msg('doc.field.storage-country'), value: [txt(r.storageCountry ?? r.country)] },
        { label: msg('doc.field.affiliate'), value: [txt(yesNo(r.affiliate))] },
        { label: msg('doc.field.recipient-business'), value: [blank(msg('doc.blank.recipient-business'))] },
        { label: msg('doc.decl.responsible-person'), value: [blank(msg('doc.blank.responsible-person'))] },
        { label: msg('doc.field.recipient-contact'), value: [blank(msg('doc.blank.recipient-contact'))] },
        { label: msg('doc.field.recipient-address'), value: [blank(msg('doc.blank.recipient-address'))] },
        { label: msg('doc.field.recipient-capability'), value: [blank(msg('doc.blank.recipient-capability'))] },
      ]),
    );
  }
  return out;
}

export function approvalsFor(view: DocumentsView, transfers: TransferView[]): ApprovalView[] {
  const orgs = new Set(transfers.map((t) => t.organization));
  const datasets = new Set(transfers.flatMap((t) => t.datasets));
  const recipients = new Set(transfers.map((t) => t.recipient));
  const covering = new Set(transfers.map((t) => t.coveredBy).filter((x): x is string => x !== null));
  return view.approvals.filter(
    (a) =>
      covering.has(a.id) ||
      (a.organizations.some((o) => orgs.has(o)) &&
        (a.covers.datasets === null || a.covers.datasets.some((d) => datasets.has(d))) &&
        (a.covers.recipients === null || a.covers.recipients.some((r) => recipients.has(r)))),
  );
}

export function approvalsTable(view: DocumentsView, approvals: ApprovalView[]): Block {
  if (!approvals.length) return para(txt(msg('doc.approvals.none')));
  return table(
    [msg('doc.col.approval'), msg('doc.col.mechanism'), msg('doc.col.reference'), msg('doc.col.state'), msg('doc.col.validity'), msg('doc.col.scope')],
    approvals.map((a) => [
      [code(a.id)],
      [txt(label('mechanism', a.mechanism))],
      [txt(a.reference ?? '—')],
      [txt(label('doc.approval-state', a.state))],
      [txt(msg('doc.validity', { start: a.validity.start ?? '—', end: a.validity.end ?? msg('doc.open-ended') }))],
      [txt(msg('doc.scope', { datasets: a.covers.datasets ?? [msg('doc.any')], recipients: a.covers.recipients ?? [msg('doc.any')] }))],
    ]),
    [14, 14, 18, 12, 20, 22],
  );
}

/**
 * What the life cycle says about the approvals' dates beyond the date itself: a deadline counted
 * through a provisional calendar year (marked 暂定, with the life cycle's reason), and the conditions of
 * an SA-6 extension window that is open or coming (SA-6-C1, UPD-9), always UNCONFIRMED, with the growth
 * seen so far. Everything is the life cycle's (status); nothing is decided here.
 */
export function approvalDeadlineNotes(approvals: ApprovalView[]): Block[] {
  const out: Block[] = [];
  for (const a of approvals) {
    for (const d of a.deadlines) {
      const what = msg(`status.kind.${d.kind}`, { approval: a.id, until: d.until ?? '—' });
      if (d.date !== null && d.provisionalYears.length) {
        const near = d.notes.some((n) => typeof n !== 'string' && n.code === 'law.calendar.near-unknown');
        // The calendar's own reasons only (the deadline's other notes, e.g. the extension condition, follow apart).
        const reasons = d.notes.filter((n) => typeof n !== 'string' && n.code.startsWith('law.calendar.'));
        const content = [txt(msg('display.doc.deadline-provisional', { what, date: d.date, years: d.provisionalYears.map(String) }), true), ...reasons.flatMap((n) => [txt(' '), txt(n)]), txt(' '), ...rules(d.rules)];
        out.push(near ? warning(...content) : note(...content));
      }
      for (const c of d.conditions) {
        const content = [
          txt(msg('display.doc.extension-condition', { approval: a.id, from: d.date ?? '—', until: d.until ?? '—' }), true),
          txt(' '),
          // The condition in the documents' words (the life cycle's message names research IDs); its
          // source and confidence are in the closing list of rules cited, under the rule.
          txt(msg('display.doc.growth-condition', { max: c.params.maxGrowthPercent, years: c.params.years, confidence: label('confidence', c.confidence) })),
          txt(' '),
          rule(c.rule),
          txt(' '),
          txt(c.comparison),
        ];
        out.push(c.exceeds ? warning(...content) : note(...content));
      }
    }
  }
  return out;
}

/** Points for counsel: unsupported claims, splitting, legal-review messages, ledger findings. */
export function reviewPoints(view: DocumentsView, transfers: TransferView[]): Block[] {
  const items: Content[] = [];
  for (const t of transfers) {
    for (const l of t.legalReview) items.push([code(t.id), txt(': '), txt(l)]);
    for (const c of t.claims.filter((c) => !c.supported)) items.push([code(t.id), txt(': '), txt(msg('doc.claim.unsupported', { claim: c.claim })), txt(' '), txt(c.reason)]);
    if (t.splitting) {
      items.push([code(t.id), txt(': '), txt(msg('doc.splitting', { group: t.splitting.group, entities: t.splitting.entities, persons: num(t.splitting.yearTotal.persons), path: pathName(t.splitting.path) })), txt(' '), rule('PATH-SC-3')]);
    }
  }
  const ids = new Set(transfers.map((t) => t.organization));
  for (const f of view.ledger?.findings ?? []) if (ids.has(f.organization)) items.push([code(f.entry), txt(': '), txt(f.message)]);
  return items.length ? [bullets(items)] : [para(txt(msg('doc.review.none')))];
}

/** The path of each transfer with its rules and the engine's one-sentence reason. */
export function pathTable(view: DocumentsView, transfers: TransferView[]): Block {
  return table(
    [msg('doc.col.transfer'), msg('doc.col.path'), msg('doc.col.rules'), msg('doc.col.reason'), msg('doc.col.covered')],
    transfers.map((t) => [
      [code(t.id)],
      [txt(pathName(t.path, t.exemption)), ...(t.exemption ? [txt(' '), rule(t.exemption)] : [])],
      rules(t.rules),
      [txt(t.explanation)],
      [txt(t.covered ? msg('doc.covered-by', { approval: t.coveredBy ?? msg('doc.no-mechanism-needed') }) : msg('doc.not-covered')), ...t.missing.flatMap((m) => [txt('\n'), txt(m)])],
    ]),
    [12, 16, 18, 34, 20],
  );
}

/** The persons this transfer adds and the organisation's year-to-date counters it was judged on. */
export function volumeFields(t: TransferView): { label: Msg; value: Content }[] {
  return [
    { label: msg('doc.field.volume'), value: [txt(counterText(t.volume))] },
    { label: msg('doc.field.counted'), value: [txt(counterText(t.counted)), txt(' — '), txt(label('doc.counting', t.counted.method))] },
    { label: msg('doc.field.ytd'), value: [txt(counterText(t.yearToDate))] },
  ];
}
