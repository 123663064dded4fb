/**
 * 个人信息保护影响评估报告 — the PI protection impact assessment (PIPIA) report, in the template's
 * structure for a standard-contract filing (UPD-8) and certification (CERT-3): 一、the work; 二、the
 * outbound activity (processor; business and systems; PI exported; PI-protection capability;
 * recipient; onward transfers and how the contract is enforced); 三、the six matters of SC-4; 四、the
 * conclusion. PI-5 asks for it before any PI goes abroad, exemptions included (PATH-SC-4).
 */
import { msg } from '../../../i18n/index.js';
import { blank, bullets, code, fields, h1, h2, note, para, rule, rules, table, txt, type Block } from '../model.js';
import { categoryName, complete, counterText, datasetsOf, label, num, subtitle } from '../parts.js';
import {
  approvalsFor,
  approvalsTable,
  pathTable,
  processorFields,
  recipientsSection,
  reviewPoints,
  transfersTable,
} from '../sections.js';
import type { BuildContext } from './context.js';

export function buildPipia({ view, transfers }: BuildContext) {
  const datasets = datasetsOf(view, transfers).filter((d) => d.personalInfo.persons > 0 || d.personalInfo.sensitivePersons > 0);
  const exempt = transfers.filter((t) => t.path === 'exempt');
  const countries = [...new Set(transfers.map((t) => t.country))];

  const body: Block[] = [
    note(txt(msg('doc.pipia.template-note')), txt(' '), ...rules(['UPD-8', 'SC-4', 'CERT-3', 'PI-5'])),
    ...(exempt.length ? [note(txt(msg('doc.pipia.exempt-kept', { ids: exempt.map((t) => t.id) })), txt(' '), ...rules(['PI-5', 'PATH-SC-4']))] : []),

    h1(msg('doc.pipia.work')),
    fields([
      { label: msg('doc.sa.work.dates'), value: [blank(msg('doc.blank.pipia-dates'))] },
      { label: msg('doc.sa.work.team'), value: [blank(msg('doc.blank.sa-team'))] },
      { label: msg('doc.sa.work.method'), value: [txt(msg('doc.sa.work.method.tool')), txt(' '), blank(msg('doc.blank.sa-method'))] },
      { label: msg('doc.pipia.third-party'), value: [blank(msg('doc.blank.pipia-third-party'))] },
    ]),

    h1(msg('doc.pipia.activity')),
    h2(msg('doc.pipia.processor')),
    ...processorFields(view, transfers),
    h2(msg('doc.pipia.business')),
    transfersTable(view, transfers),
    para(blank(msg('doc.blank.systems'))),
    h2(msg('doc.pipia.pi')),
    note(txt(msg('doc.characteristics-only')), txt(' '), rule('IMP-GEN-5')),
    table(
      [msg('doc.col.dataset'), msg('doc.col.subjects'), msg('doc.col.categories'), msg('doc.col.persons'), msg('doc.col.sensitive'), msg('doc.col.count-basis')],
      datasets.map((d) => [
        [txt(d.name), txt(' '), code(d.id)],
        d.personalInfo.subjects.length ? d.personalInfo.subjects.flatMap((s, i) => [...(i ? [txt(msg('doc.sep'))] : []), txt(label('doc.subject', s))]) : [txt('—')],
        d.personalInfo.categories.length ? d.personalInfo.categories.flatMap((c, i) => [...(i ? [txt(msg('doc.sep'))] : []), txt(categoryName(c))]) : [txt('—')],
        [txt(num(d.personalInfo.persons))],
        [txt(num(d.personalInfo.sensitivePersons))],
        [txt(label('doc.pi-basis', d.personalInfo.basis))],
      ]),
      [24, 14, 22, 12, 12, 16],
    ),
    para(txt(msg('doc.pipia.sensitive')), txt(' '), rule('PI-4')),
    bullets(transfers.map((t) => [code(t.id), txt(': '), txt(msg('doc.pipia.transfer-volume', { volume: counterText(t.volume), ytd: counterText(t.yearToDate), method: label('doc.counting', t.counted.method) }))])),
    h2(msg('doc.pipia.capability')),
    para(txt(msg('doc.sa.capability.attestations', { n: view.security.attestations.length }))),
    para(blank(msg('doc.blank.pi-capability'))),
    h2(msg('doc.pipia.recipient')),
    ...recipientsSection(view, transfers),
    h2(msg('doc.pipia.onward')),
    approvalsTable(view, approvalsFor(view, transfers)),
    para(blank(msg('doc.blank.onward'))),

    h1(msg('doc.pipia.impact')),
    h2(msg('doc.pipia.impact.legality')),
    para(txt(msg('doc.sa.risk.legality.tool', { purposes: [...new Set(transfers.map((t) => t.purpose))] }))),
    para(blank(msg('doc.blank.pipia-legality'))),
    h2(msg('doc.pipia.impact.scale')),
    para(txt(msg('doc.pipia.impact.scale.tool', { persons: num(datasets.reduce((n, d) => n + d.personalInfo.persons, 0)), sensitive: num(datasets.reduce((n, d) => n + d.personalInfo.sensitivePersons, 0)) }))),
    para(blank(msg('doc.blank.pipia-scale'))),
    h2(msg('doc.pipia.impact.recipient')),
    para(blank(msg('doc.blank.pipia-recipient'))),
    h2(msg('doc.pipia.impact.leak')),
    para(txt(msg('doc.pipia.notice')), txt(' '), rule('PI-2')),
    para(blank(msg('doc.blank.notice'))),
    para(blank(msg('doc.blank.pipia-leak'))),
    h2(msg('doc.pipia.impact.law')),
    para(txt(msg('doc.pipia.impact.law.countries', { countries }))),
    para(blank(msg('doc.blank.foreign-law'))),
    h2(msg('doc.pipia.impact.other')),
    ...reviewPoints(view, transfers),

    h1(msg('doc.pipia.conclusion')),
    pathTable(view, transfers),
    para(blank(msg('doc.blank.pipia-conclusion'))),
    note(txt(msg('doc.pipia.retention')), txt(' '), rule('PI-5')),
  ];
  return complete('pipia', msg('doc.kind.pipia'), subtitle(view, transfers), body, view);
}
