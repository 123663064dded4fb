/**
 * The security protection checklist: the requirements of the guidelines' four aspects — management,
 * technical protection, log management, emergency response (UPD-1, SEC-*) — each with its confidence,
 * the evidence the tool itself holds (for logs: the ledger, its verification and its retention), what
 * the organisation attested in the workspace (`security.attestations`), and what it still must attest.
 * Outbound data-security incidents (`security.incidents`, SEC-ER-1) are listed under emergency response.
 */
import { msg, type Msg } from '../../../i18n/index.js';
import { blank, bullets, code, h1, h2, note, para, rule, rules, table, txt, warning, type Block, type CheckState, type Content } from '../model.js';
import { citedRule, SECURITY_ASPECTS } from '../references.js';
import { complete, confidenceName, label, num, sourceText, subtitle } from '../parts.js';
import type { DocumentsView, TransferView } from '../view.js';
import type { BuildContext } from './context.js';

/** What the tool holds for a requirement, and whether that alone meets it (only the verified ledger does). */
function toolEvidence(view: DocumentsView, transfers: TransferView[], id: string): { items: Content[]; meets: boolean } {
  const ledger = view.ledger;
  switch (id) {
    case 'SEC-MGT-2':
      return {
        items: [
          [txt(msg('doc.sec.evidence.workspace', { transfers: num(transfers.length), approvals: num(view.approvals.length) }))],
          ...(ledger ? [[txt(msg('doc.sec.evidence.ledger-entries', { n: num(ledger.recordedTransfers) }))]] : []),
        ],
        meets: false,
      };
    case 'SEC-TECH-1': {
      const channels = [...new Set(transfers.map((t) => t.channel).filter((c): c is string => c !== null))];
      return {
        items: [[txt(msg('doc.sec.evidence.recipients', { n: num(new Set(transfers.map((t) => t.recipient)).size) }))], ...(channels.length ? [[txt(msg('doc.sec.evidence.channels', { channels }))]] : [])],
        meets: false,
      };
    }
    case 'SEC-TECH-2': {
      const files = view.datasets.flatMap((d) => d.evidence);
      return { items: files.length ? [[txt(msg('doc.sec.evidence.hashes', { n: num(files.length) }))]] : [], meets: false };
    }
    case 'SEC-TECH-3': {
      const remote = transfers.filter((t) => t.kind === 'remote-access');
      return {
        items: remote.length ? [[txt(msg('doc.sec.evidence.remote', { ids: remote.map((t) => t.id) })), txt(' '), rule('OUT-2')]] : [[txt(msg('doc.sec.evidence.no-remote')), txt(' '), rule('OUT-2')]],
        meets: false,
      };
    }
    case 'SEC-LOG-1': {
      if (!ledger) return { items: [[txt(msg('doc.sec.evidence.no-ledger'))]], meets: false };
      const v = ledger.verification;
      const items: Content[] = [[txt(msg('doc.sec.evidence.ledger', { source: ledger.source, n: num(ledger.recordedTransfers) }))]];
      if (v) items.push([txt(msg(v.intact ? 'doc.sec.evidence.verified' : 'doc.sec.evidence.broken', { entries: num(v.entries), checkpoints: num(v.checkpoints), at: v.firstBreak ?? '' }))]);
      else items.push([txt(msg('doc.sec.evidence.not-verified'))]);
      items.push([txt(msg('doc.sec.evidence.retention', { years: view.settings.logRetentionYears, minimum: view.periods.logRetentionYears }))]);
      if (ledger.findings.length) items.push([txt(msg('doc.sec.evidence.ledger-findings', { n: num(ledger.findings.length) }))]);
      return { items, meets: Boolean(v?.intact) && view.settings.logRetentionYears >= view.periods.logRetentionYears };
    }
    case 'SEC-ER-1':
      return { items: [[txt(msg('doc.sec.evidence.incidents', { n: num(view.security.incidents.length) }))]], meets: false };
    default:
      return { items: [], meets: false };
  }
}

function stateOf(view: DocumentsView, id: string, meets: boolean): CheckState {
  if (view.security.attestations.some((a) => a.requirement === id)) return 'attested';
  if (meets) return 'ready';
  return 'missing';
}

export function buildSecurityChecklist({ view, transfers }: BuildContext) {
  const summary: { state: CheckState; label: Content }[] = [];
  const sections: Block[] = [];
  for (const { aspect, requirements } of SECURITY_ASPECTS) {
    sections.push(h1(msg(`doc.sec.aspect.${aspect}`)));
    for (const id of requirements) {
      const r = citedRule(id);
      const evidence = toolEvidence(view, transfers, id);
      const attestations = view.security.attestations.filter((a) => a.requirement === id);
      const state = stateOf(view, id, evidence.meets);
      summary.push({ state, label: [rule(id), txt(' '), txt(r?.title ?? id)] });
      sections.push(h2(r?.title ?? id));
      sections.push(para(rule(id), txt(' — '), txt(msg('doc.sec.confidence', { confidence: confidenceName(r?.confidence ?? 'UNCONFIRMED', r?.provenance) })), txt(r ? sourceText(r.source) : '—')));
      if (r?.confidence === 'UNCONFIRMED') sections.push(note(txt(msg('doc.sec.unconfirmed'))));
      sections.push(para(txt(msg('doc.sec.tool-holds'), true), txt(msg('doc.colon'))));
      sections.push(evidence.items.length ? bullets(evidence.items) : para(txt(msg('doc.sec.tool-holds.nothing'))));
      sections.push(para(txt(msg('doc.sec.attested'), true), txt(msg('doc.colon'))));
      if (attestations.length) {
        sections.push(
          table(
            [msg('doc.col.statement'), msg('doc.col.by'), msg('doc.col.date'), msg('doc.col.reference')],
            attestations.map((a) => [[txt(a.statement)], [txt(a.by)], [txt(a.date)], [txt(a.reference ?? '—')]]),
            [50, 18, 14, 18],
          ),
        );
      } else {
        sections.push(para(txt(msg('doc.sec.not-attested'))));
      }
      sections.push(para(txt(msg('doc.sec.to-attest'), true), txt(msg('doc.colon')), txt(msg(`doc.sec.attest.${id}`))));
      if (!attestations.length && !evidence.meets) sections.push(para(blank(msg('doc.blank.attest', { rule: id, title: r?.title ?? id }))));
      if (id === 'SEC-LOG-1') sections.push(note(txt(msg('doc.sec.log-fields')), txt(' '), rule('SEC-LOG-2')));
    }
    if (aspect === 'emergency') sections.push(...incidents(view));
  }
  const body: Block[] = [
    note(txt(msg('doc.sec.intro')), txt(' '), ...rules(['UPD-1'])),
    { kind: 'heading', level: 1, text: msg('doc.sec.summary'), numbered: false },
    { kind: 'checklist', items: summary },
    ...sections,
  ];
  return complete('security-checklist', msg('doc.kind.security-checklist'), subtitle(view, transfers, msg('doc.sec.scope', { n: transfers.length })), body, view);
}

function incidents(view: DocumentsView): Block[] {
  const list = view.security.incidents;
  if (!list.length) return [para(txt(msg('doc.sec.incidents.none')))];
  const reported = (i: DocumentsView['security']['incidents'][number]): Msg | string =>
    i.reportedTo ? msg('doc.sec.incidents.reported', { to: i.reportedTo, on: i.reportedOn ?? '—', reference: i.reference ?? '—' }) : msg('doc.sec.incidents.not-reported');
  return [
    h2(msg('doc.sec.incidents')),
    table(
      [msg('doc.col.incident'), msg('doc.col.date'), msg('doc.col.kind'), msg('doc.col.summary'), msg('doc.col.reported'), msg('doc.col.notified'), msg('doc.col.closed')],
      list.map((i) => [
        [code(i.id)],
        [txt(i.date)],
        [txt(label('doc.incident-kind', i.kind))],
        [txt(i.summary), ...(i.transfers.length ? [txt('\n'), txt(msg('doc.subtitle.transfers', { ids: i.transfers }))] : [])],
        [txt(reported(i))],
        [txt(i.individualsNotified === null ? '—' : msg(i.individualsNotified ? 'common.yes' : 'common.no'))],
        [txt(i.closed ?? msg('doc.sec.incidents.open'))],
      ]),
      [12, 11, 11, 26, 18, 10, 12],
    ),
    ...list.filter((i) => !i.reportedTo).map((i) => warning(txt(msg('doc.sec.incidents.report-needed', { id: i.id })), txt(' '), rule('SEC-ER-1'))),
  ];
}
