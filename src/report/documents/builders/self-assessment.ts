/**
 * 数据出境风险自评估报告 — the data outbound risk self-assessment report (SA-1, PROC-4), in the
 * template's structure (UPD-7): 一、work done; 二、the outbound activity — (一) the processor, (二) the
 * data to be exported, (三) the processor's data-security capability, (四) the recipient, (五) the
 * legal documents, (六) other; 三、the risk self-assessment of SA-1's matters and the conclusion.
 * The tool writes what the workspace, the evidence and the ledger show; the rest is a placeholder.
 */
import { msg } from '../../../i18n/index.js';
import { blank, bullets, code, fields, h1, h2, h3, note, para, rule, rules, txt, type Block } from '../model.js';
import { complete, counterText, datasetsOf, num, subtitle } from '../parts.js';
import {
  approvalDeadlineNotes,
  approvalsFor,
  approvalsTable,
  dataItemsByScenario,
  importantByTransfer,
  pathTable,
  processorFields,
  recipientsSection,
  reviewPoints,
  transfersTable,
} from '../sections.js';
import type { BuildContext } from './context.js';

export function buildSelfAssessment({ view, transfers }: BuildContext) {
  const datasets = datasetsOf(view, transfers);
  const important = datasets.filter((d) => d.important);
  const ledger = view.ledger;
  const approvals = approvalsFor(view, transfers);
  const attested = view.security.attestations;

  const body: Block[] = [
    note(txt(msg('doc.sa.template-note')), txt(' '), ...rules(['UPD-7', 'SA-1', 'PROC-4'])),

    h1(msg('doc.sa.work')),
    para(txt(msg('doc.sa.work.generated', { date: view.asOf, packs: view.packs.map((p) => ({ en: p.id, zh: `《${p.title.zh}》` })) }))),
    fields([
      { label: msg('doc.sa.work.dates'), value: [blank(msg('doc.blank.sa-dates'))] },
      { label: msg('doc.sa.work.team'), value: [blank(msg('doc.blank.sa-team'))] },
      { label: msg('doc.sa.work.method'), value: [txt(msg('doc.sa.work.method.tool')), txt(' '), blank(msg('doc.blank.sa-method'))] },
      { label: msg('doc.sa.work.third-party'), value: [blank(msg('doc.blank.third-party'))] },
    ]),
    note(txt(msg('doc.sa.work.window')), txt(' '), rule('UPD-6')),

    h1(msg('doc.sa.activity')),
    h2(msg('doc.sa.processor')),
    ...processorFields(view, transfers),
    fields([
      { label: msg('doc.sa.ownership'), value: [blank(msg('doc.blank.ownership'))] },
      { label: msg('doc.sa.controller'), value: [blank(msg('doc.blank.controller'))] },
      { label: msg('doc.sa.organisation-chart'), value: [blank(msg('doc.blank.organisation-chart'))] },
    ]),

    h2(msg('doc.sa.data')),
    h3(msg('doc.sa.data.business')),
    transfersTable(view, transfers),
    para(blank(msg('doc.blank.legality'))),
    h3(msg('doc.sa.data.items')),
    note(txt(msg('doc.characteristics-only')), txt(' '), rule('IMP-GEN-5')),
    ...dataItemsByScenario(datasets, view, transfers),
    ...importantByTransfer(view, transfers),
    ...(important.length
      ? [para(txt(msg('doc.sa.data.important', { n: important.length, datasets: important.map((d) => d.id) })), txt(' '), ...rules(['PATH-SA-1', 'CNT-7']))]
      : []),
    para(txt(msg('doc.sa.data.important-filing')), txt(' '), ...rules(['UPD-1', 'IMP-GEN-4']), txt(' '), blank(msg('doc.blank.important-filing'))),

    h2(msg('doc.sa.capability')),
    para(txt(msg('doc.sa.capability.tool'))),
    bullets([
      ledger
        ? [txt(msg('doc.sa.capability.ledger', { source: ledger.source, n: num(ledger.recordedTransfers) })), txt(' '), rule('SEC-LOG-1')]
        : [txt(msg('doc.sa.capability.no-ledger')), txt(' '), rule('SEC-LOG-1')],
      [txt(msg('doc.sa.capability.attestations', { n: attested.length }))],
    ]),
    para(blank(msg('doc.blank.capability'))),

    h2(msg('doc.sa.recipient')),
    ...recipientsSection(view, transfers),

    h2(msg('doc.sa.legal-documents')),
    para(txt(msg('doc.sa.legal-documents.approvals'))),
    approvalsTable(view, approvals),
    ...approvalDeadlineNotes(approvals),
    para(blank(msg('doc.blank.contract'))),

    h2(msg('doc.sa.other')),
    ...reviewPoints(view, transfers),
    para(blank(msg('doc.blank.other'))),

    h1(msg('doc.sa.risk')),
    h2(msg('doc.sa.risk.legality')),
    para(txt(msg('doc.sa.risk.legality.tool', { purposes: [...new Set(transfers.map((t) => t.purpose))] }))),
    para(blank(msg('doc.blank.risk-legality'))),
    h2(msg('doc.sa.risk.scale')),
    bullets(
      transfers.map((t) => [
        code(t.id),
        txt(': '),
        txt(msg('doc.sa.risk.scale.transfer', { volume: counterText(t.volume), ytd: counterText(t.yearToDate), datasets: t.datasets })),
      ]),
    ),
    para(blank(msg('doc.blank.risk-scale'))),
    h2(msg('doc.sa.risk.recipient')),
    para(blank(msg('doc.blank.risk-recipient'))),
    h2(msg('doc.sa.risk.leak')),
    para(txt(msg(ledger ? 'doc.sa.risk.leak.ledger' : 'doc.sa.risk.leak.no-ledger')), txt(' '), rule('SEC-LOG-1')),
    para(blank(msg('doc.blank.risk-leak'))),
    h2(msg('doc.sa.risk.contract')),
    para(blank(msg('doc.blank.risk-contract'))),
    h2(msg('doc.sa.conclusion')),
    para(txt(msg('doc.sa.conclusion.paths'))),
    pathTable(view, transfers),
    para(blank(msg('doc.blank.conclusion'))),
  ];
  return complete('self-assessment', msg('doc.kind.self-assessment'), subtitle(view, transfers), body, view);
}
