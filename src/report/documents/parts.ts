/**
 * Pieces every document shares: how figures and facts are written, the title lines, the context the
 * officer asks for in every document (CAC statistics, rule packs, settings, overrides, warnings), and
 * the closing lists of cited rules and of the placeholders a person must fill in.
 */
import { hasMessage, msg, type Msg, type Text } from '../../i18n/index.js';
import { AUTO_PACKS } from '../../rules/index.js';
import { formatSource } from '../../rules/sources.js';
import { CAC_APPROVAL_STATISTICS, citedRule, isResearchId } from './references.js';
import {
  code,
  finish,
  h1,
  note,
  para,
  rule,
  table,
  txt,
  type Block,
  type Content,
  type DocumentKind,
  type Bilingual,
  type DocText,
  type DocumentTree,
  type Inline,
} from './model.js';
import type { Counter, DatasetView, DocumentsView, FindingView, TransferView } from './view.js';

/** Figures are written in full with thousands separators in both languages (1,050,000): exact, as in `assess --json`. */
export function num(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

export function yesNo(value: boolean): Msg {
  return msg(value ? 'common.yes' : 'common.no');
}

/** A fact's name in words, or its code when no message names it. */
export function factName(fact: string): Text {
  return hasMessage(`fact.${fact}`) ? msg(`fact.${fact}`) : fact;
}

/** A citation of sources ("S-PROV Art. 7") as each language writes it (第7条). */
export function sourceText(source: string): Bilingual {
  return { en: formatSource(source, 'en'), zh: formatSource(source, 'zh') };
}

/** The unit of a fact, from the judgment rules that test it (h, km, px, vehicles, persons). */
const FACT_UNITS: ReadonlyMap<string, string> = new Map(
  AUTO_PACKS.flatMap((p) => p.judgmentRules.flatMap((r) => r.conditions.filter((c) => c.unit).map((c) => [c.fact, c.unit!] as const))),
);
export function factUnit(fact: string): string | null {
  return FACT_UNITS.get(fact) ?? null;
}

export function factValue(value: number | boolean | null, unit?: string | null): Text {
  if (value === null) return '—';
  if (typeof value === 'boolean') return yesNo(value);
  // One message per unit ("1,500 hours" / "1,500小时"): word order and spacing differ by language.
  if (unit && hasMessage(`doc.unit-value.${unit}`)) return msg(`doc.unit-value.${unit}`, { value: num(value) });
  return unit ? `${num(value)} ${unit}` : num(value);
}

/** A PI category in words (the message tables name the common ones; a category of the user's own stays as written). */
export const categoryName = (c: string): Text => label('doc.pi-category', c);

export function label<T extends string>(prefix: string, value: T): Text {
  return hasMessage(`${prefix}.${value}`) ? msg(`${prefix}.${value}`) : value;
}

/** A path as people read it; general data (FREE-1) needs no mechanism, which is not an exemption. */
export const pathName = (path: string, exemption?: string | null): Text => (exemption === 'FREE-1' ? msg('path.free') : label('path', path));
/** A confidence as people read it, with the rule's provenance when its wording is itself in doubt (regulation.md §13). */
export const confidenceName = (c: string, provenance?: string | null): Text =>
  provenance ? msg('confidence.with-provenance', { confidence: label('confidence', c), provenance: label('provenance', provenance) }) : label('confidence', c);

/** Scenario or data type by its pack title in the document's language (the id when the pack has none). */
export function scenarioText(d: DatasetView): DocText {
  return d.scenarioTitle ?? d.scenario;
}
export function dataTypeText(d: DatasetView): DocText {
  return d.dataTypeTitle ?? d.dataType;
}

export function counterText(c: Counter): Text {
  return msg('doc.counter', { persons: num(c.persons), sensitive: num(c.sensitivePersons) });
}

const COMPARATOR_SIGN: Record<string, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '==': '=', '!=': '≠' };

/** One finding as a sentence: rule, fact, measured value against the threshold, source, confidence. */
export function findingContent(f: FindingView): Content {
  return [
    rule(f.rule),
    txt(': '),
    txt(f.title),
    txt(
      msg('doc.finding.detail', {
        fact: factName(f.fact),
        value: factValue(f.value, f.unit ?? factUnit(f.fact)),
        comparator: COMPARATOR_SIGN[f.comparator] ?? f.comparator,
        threshold: factValue(f.threshold, f.unit ?? factUnit(f.fact)),
        basis: label('doc.basis', f.basis),
        confidence: confidenceName(f.confidence, f.provenance),
      }),
    ),
    txt(sourceText(f.source)),
    txt(msg('doc.finding.close')),
  ];
}

/** The data characteristics of a dataset (IMP-GEN-5): facts and persons, never the data. */
export function characteristics(d: DatasetView): Content {
  const out: Inline[] = [];
  const facts = Object.entries(d.facts).filter(([k]) => !['piPersons', 'piSensitivePersons', 'chargingConsumptionPersons'].includes(k));
  facts.forEach(([k, v], i) => {
    if (i > 0) out.push(txt(msg('doc.sep')));
    const unit = [...d.findings, ...d.advisories].find((f) => f.fact === k)?.unit ?? factUnit(k);
    out.push(txt(msg('doc.fact-is', { fact: factName(k), value: factValue(v, unit) })));
  });
  if (d.personalInfo.persons || d.personalInfo.sensitivePersons) {
    if (out.length) out.push(txt(msg('doc.sep')));
    out.push(txt(counterText(d.personalInfo)));
    if (d.personalInfo.categories.length) out.push(txt(msg('doc.pi-categories', { categories: d.personalInfo.categories.map(categoryName) })));
  }
  if (d.evidence.length) {
    out.push(txt(msg('doc.measured-from', { files: d.evidence.map((e) => `${e.path}${e.format ? ` (${e.format})` : ''}`) })));
  }
  return out.length ? out : [txt(msg('doc.no-characteristics'))];
}

export function datasetsOf(view: DocumentsView, transfers: TransferView[]): DatasetView[] {
  const ids = new Set(transfers.flatMap((t) => t.datasets));
  return view.datasets.filter((d) => ids.has(d.id));
}

export function entityName(view: DocumentsView, id: string): string {
  return view.entities.find((e) => e.id === id)?.name ?? id;
}

export function recipientName(view: DocumentsView, id: string): string {
  return view.recipients.find((r) => r.id === id)?.name ?? id;
}

/** Title lines: organisation, as-of date, what the draft covers, and that it is a draft. */
export function subtitle(view: DocumentsView, transfers: TransferView[], scope?: Text): Text[] {
  const entities = [...new Set(transfers.map((t) => t.organization))];
  const names = entities.length ? entities.map((e) => entityName(view, e)) : [view.organization.name];
  return [
    msg('doc.subtitle.organization', { names }),
    msg('doc.subtitle.as-of', { date: view.asOf }),
    ...(scope ? [scope] : transfers.length ? [msg('doc.subtitle.transfers', { ids: transfers.map((t) => t.id) })] : []),
    msg('doc.subtitle.draft'),
  ];
}

/** Context in every document: the CAC statistics, the packs and settings used, overrides, warnings. */
export function contextSection(view: DocumentsView): Block[] {
  const stats = CAC_APPROVAL_STATISTICS;
  const share = ((stats.approved / stats.declared) * 100).toFixed(1);
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: msg('doc.context.title'), numbered: false },
    { kind: 'heading', level: 2, text: msg('doc.context.statistics'), numbered: false },
    para(txt(msg('doc.context.statistics.text', { approved: num(stats.approved), declared: num(stats.declared), share, asOf: stats.asOf })), txt(' '), rule(stats.rule)),
    note(txt(msg('doc.context.statistics.confidence', { confidence: confidenceName(citedRule(stats.rule)?.confidence ?? 'UNCONFIRMED') }))),
    { kind: 'heading', level: 2, text: msg('doc.context.packs'), numbered: false },
    table(
      [msg('doc.col.pack'), msg('doc.col.title'), msg('doc.col.effective'), msg('doc.col.status'), msg('doc.col.why-applied'), msg('doc.col.notes')],
      view.packs.map((p) => [
        [code(p.id)],
        [txt(p.title)],
        [txt(p.effective)],
        [txt(label('pack-status', p.status))],
        [txt(label('doc.pack-reason', p.reason))],
        p.notes.length ? p.notes.flatMap((n, i) => (i ? [txt(msg('doc.sep')), txt(n)] : [txt(n)])) : [txt('—')],
      ]),
      [18, 30, 12, 12, 14, 14],
    ),
    { kind: 'heading', level: 2, text: msg('doc.context.settings'), numbered: false },
    table(
      [msg('doc.col.setting'), msg('doc.col.value'), msg('doc.col.question')],
      Object.entries(view.settings)
        .filter(([k]) => k !== 'hmacKeyEnv')
        // Named in words (the message tables); a setting without words (a number of years) shows its value.
        .map(([k, v]) => [[txt(label('setting', k))], [txt(hasMessage(`setting.${k}.${String(v)}`) ? msg(`setting.${k}.${String(v)}`) : String(v))], [txt(label('doc.setting', k))]]),
      [28, 22, 50],
    ),
  ];
  if (view.overrides.length) {
    blocks.push(
      { kind: 'heading', level: 2, text: msg('doc.context.overrides'), numbered: false },
      table(
        [msg('doc.col.rule'), msg('doc.col.change'), msg('doc.col.reason')],
        view.overrides.map((o) => [[rule(o.rule)], [txt(`${o.kind}: ${o.detail}`)], [txt(o.reason)]]),
        [18, 42, 40],
      ),
    );
  } else {
    blocks.push(note(txt(msg('doc.context.no-overrides'))));
  }
  if (view.warnings.length) {
    blocks.push({ kind: 'heading', level: 2, text: msg('doc.context.warnings'), numbered: false }, { kind: 'list', ordered: false, items: view.warnings.map((w) => [txt(w)]) });
  }
  if (view.provisionalYears.length) blocks.push(note(txt(msg('doc.context.provisional-calendar', { years: view.provisionalYears.map(String) }))));
  return blocks;
}

/** The block the templates end with: the organisation's seal and date, the signature of the person in charge. */
export function closingBlock(): Block[] {
  return [
    { kind: 'heading', level: 1, text: msg('doc.closing.title'), numbered: false },
    {
      kind: 'fields',
      rows: [
        { label: msg('doc.closing.seal'), value: [{ kind: 'placeholder', prompt: msg('doc.blank.seal') }] },
        { label: msg('doc.closing.date'), value: [{ kind: 'placeholder', prompt: msg('doc.blank.seal-date') }] },
        { label: msg('doc.closing.signature'), value: [{ kind: 'placeholder', prompt: msg('doc.blank.signature') }] },
      ],
    },
  ];
}

/**
 * Number the document, then close it with every rule it cites (title, source, confidence) and the
 * list of placeholders a person must fill in.
 */
export function complete(kind: DocumentKind, title: DocText, subtitleLines: DocText[], body: Block[], view: DocumentsView): DocumentTree {
  const doc = finish({ kind, title, subtitle: subtitleLines, body: [...body, ...closingBlock(), ...contextSection(view)] });
  doc.rules = doc.rules.filter((id) => !isResearchId(id));
  const cited = doc.rules.map((id) => {
    const r = citedRule(id);
    return [
      [code(id)],
      [txt(r ? r.title : msg('doc.rules.unknown'))],
      [txt(r ? sourceText(r.source) : '—')],
      [txt(r ? confidenceName(r.confidence, r.provenance) : '—')],
    ] as Content[];
  });
  doc.body.push({ kind: 'heading', level: 1, text: msg('doc.rules.title'), numbered: false });
  doc.body.push(table([msg('doc.col.rule'), msg('doc.col.content'), msg('doc.col.source'), msg('doc.col.confidence')], cited, [14, 48, 24, 14]));
  doc.body.push({ kind: 'heading', level: 1, text: msg('doc.placeholders.title'), numbered: false });
  if (doc.placeholders.length) {
    doc.body.push(note(txt(msg('doc.placeholders.intro', { n: doc.placeholders.length }))));
    doc.body.push({ kind: 'list', ordered: false, items: doc.placeholders.map((p) => [txt(msg('doc.placeholder.number', { n: p.n }), true), txt(p.prompt)]) });
  } else {
    doc.body.push(para(txt(msg('doc.placeholders.none'))));
  }
  return doc;
}

export { h1 };
