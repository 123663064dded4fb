/**
 * The standard-contract filing package (个人信息出境标准合同备案): who may file (the domestic legal
 * person that signed — SC-6; a group company for its members; not a branch — UPD-8, PROC-3), the
 * deadline (10 working days after the contract takes effect, SC-2, on the working-day calendar), the
 * materials with what is ready and what is missing, the provincial CAC's answer (SC-3), and when to
 * re-sign or supplement the filing (SC-5). Certification is the alternative (CERT-1..5).
 */
import { msg, type Msg } from '../../../i18n/index.js';
import { blank, bullets, code, h1, note, para, rule, rules, table, txt, type Block, type CheckState } from '../model.js';
import { complete, label, recipientName, subtitle } from '../parts.js';
import { approvalDeadlineNotes, approvalsFor, crossings, entitiesOf, transferYearToDateTable, transfersTable } from '../sections.js';
import type { ScFilingFigures } from '../figures.js';
import { daysBetween } from '../../../model/dates.js';
import type { BuildContext } from './context.js';
import { dateText, deadlineText, workingDaysAfter } from './dates.js';

export function buildScFiling({ view, transfers, calendar }: BuildContext) {
  const days = view.periods.scFilingWorkingDays;
  const review = view.periods.scReviewWorkingDays;
  const contracts = approvalsFor(view, transfers).filter((a) => a.mechanism === 'standard-contract');
  const certificates = approvalsFor(view, transfers).filter((a) => a.mechanism === 'certification');
  const signed = contracts.filter((a) => a.effective);

  const body: Block[] = [
    note(txt(msg('doc.scf.intro')), txt(' '), ...rules(['SC-1', 'SC-2', 'SC-3', 'UPD-8'])),
    transfersTable(view, transfers),
    ...transferYearToDateTable(view, transfers),

    h1(msg('doc.scf.filer')),
    para(txt(msg('doc.scf.filer.rule')), txt(' '), ...rules(['SC-6', 'UPD-8', 'PROC-3'])),
    table(
      [msg('doc.col.organization'), msg('doc.field.processor-type'), msg('doc.field.group'), msg('doc.col.may-file')],
      entitiesOf(view, transfers).map((e) => [
        [txt(e.name), txt(' '), code(e.id)],
        [txt(label('doc.processor-type', e.processorType))],
        [txt(e.group ?? msg('common.none'))],
        [txt(msg('doc.scf.may-file')), txt(' '), blank(msg('doc.blank.signatory'))],
      ]),
      [30, 20, 16, 34],
    ),

    h1(msg('doc.scf.deadline')),
    para(txt(msg('doc.scf.deadline.rule', { days })), txt(' '), rule('SC-2')),
  ];
  if (contracts.length) {
    body.push(
      table(
        [msg('doc.col.approval'), msg('doc.col.reference'), msg('doc.col.effective'), msg('doc.col.file-by'), msg('doc.col.filed'), msg('doc.col.state')],
        contracts.map((a) => {
          const d = a.deadlines.find((x) => x.kind === 'sc-filing');
          return [
            [code(a.id)],
            [txt(a.reference ?? '—')],
            [txt(a.effective ?? msg('doc.scf.not-effective'))],
            [txt((d && deadlineText(d)) ?? (a.effective ? dateText(workingDaysAfter(calendar, a.effective, days)) : '—'))],
            [txt(a.filed ?? '—')],
            [txt(d ? label('doc.deadline-state', d.state) : label('doc.approval-state', a.state))],
          ];
        }),
        [14, 20, 16, 18, 14, 18],
      ),
    );
    body.push(...approvalDeadlineNotes(contracts));
  }
  // Transfers no contract covers yet: the latest filing date if the contract takes effect on the transfer's date.
  const uncovered = transfers.filter((t) => !t.covered);
  const deadlines: ScFilingFigures['deadlines'] = uncovered.map((t) => {
    const fileBy = workingDaysAfter(calendar, t.date, days);
    return { transfer: t.id, fileBy: fileBy.date, passed: fileBy.date !== null && fileBy.date < view.asOf };
  });
  if (uncovered.length) {
    body.push(para(txt(msg('doc.scf.uncovered'))));
    body.push(
      bullets(
        uncovered.map((t, i) => {
          const d = deadlines[i]!;
          const fileBy = workingDaysAfter(calendar, t.date, days);
          const shown = d.fileBy === null ? dateText(fileBy) : msg(d.passed ? 'doc.scf.file-by-passed' : 'doc.scf.file-by-open', { date: dateText(fileBy), days: daysBetween(d.fileBy, view.asOf) });
          return [code(t.id), txt(': '), txt(msg('doc.scf.uncovered.item', { date: t.date, recipient: recipientName(view, t.recipient), fileBy: shown }), d.passed)];
        }),
      ),
    );
    body.push(note(txt(msg('doc.scf.may-begin')), txt(' '), rule('SC-2')));
  }
  // The organisation crossed the SA threshold this year (as of the as-of date): say so, with the engine's count.
  const crossed = crossings(view, transfers);
  body.push(...crossed.blocks);
  if (!signed.length) body.push(para(blank(msg('doc.blank.contract-effective'))));

  // The contract is ready only when a signed one covers every transfer of the package.
  const signedIds = new Set(signed.map((a) => a.id));
  const withContract = transfers.filter((t) => t.coveredBy !== null && signedIds.has(t.coveredBy));
  const without = transfers.filter((t) => !withContract.includes(t));
  const contractDetail = signed.length
    ? msg('doc.scf.contract-detail', { contracts: signed.map((a) => `${a.id}${a.reference ? ` (${a.reference})` : ''}`), covered: withContract.map((t) => t.id), uncovered: without.length ? without.map((t) => t.id) : [msg('common.none')] })
    : null;
  const items: { id: string; state: CheckState; rule: string; detail?: Msg | string }[] = [
    { id: 'sc-contract', state: without.length === 0 ? 'ready' : 'missing', rule: 'SC-1', ...(contractDetail ? { detail: contractDetail } : {}) },
    { id: 'sc-pipia', state: 'draft', rule: 'SC-2', detail: msg('doc.plan.materials.pipia') },
    { id: 'credit-code', state: 'missing', rule: 'UPD-8' },
    { id: 'legal-representative-id', state: 'missing', rule: 'UPD-8' },
    { id: 'handling-person-id', state: 'missing', rule: 'UPD-8' },
    { id: 'power-of-attorney', state: 'missing', rule: 'UPD-8' },
    { id: 'commitment-letter', state: 'missing', rule: 'UPD-8' },
  ];
  body.push(
    h1(msg('doc.scf.materials')),
    { kind: 'checklist', items: items.map((i) => ({ state: i.state, label: [txt(msg(`doc.material.${i.id}`)), txt(' '), rule(i.rule)], ...(i.detail ? { detail: [txt(i.detail)] } : {}) })) },

    h1(msg('doc.scf.review')),
    para(txt(msg('doc.scf.review.rule', { days: review })), txt(' '), rule('SC-3')),
  );
  const reviews = contracts.flatMap((a) => a.deadlines.filter((d) => d.kind === 'sc-review').map((d) => ({ a, d })));
  if (reviews.length) {
    body.push(
      table(
        [msg('doc.col.approval'), msg('doc.col.filed'), msg('doc.col.answer-by'), msg('doc.col.answered'), msg('doc.col.state')],
        reviews.map(({ a, d }) => [[code(a.id)], [txt(a.filed ?? '—')], [txt(deadlineText(d) ?? '—')], [txt(a.answered ?? '—')], [txt(label('doc.deadline-state', d.state))]]),
        [18, 18, 22, 18, 24],
      ),
    );
  }
  body.push(
    h1(msg('doc.scf.changes')),
    para(txt(msg('doc.scf.changes.rule')), txt(' '), rule('SC-5')),
    bullets(['purpose', 'storage', 'retention', 'law', 'other'].map((k) => [txt(msg(`doc.scf.change.${k}`))])),
    h1(msg('doc.scf.certification')),
    para(txt(msg('doc.scf.certification.rule')), txt(' '), ...rules(['CERT-1', 'CERT-3', 'CERT-4', 'CERT-5'])),
    ...(certificates.length ? [para(txt(msg('doc.scf.certificates', { ids: certificates.map((c) => c.id) })))] : []),
  );
  const figures: ScFilingFigures = { deadlines, securityAssessmentReached: crossed.organizations };
  return { doc: complete('sc-filing', msg('doc.kind.sc-filing'), subtitle(view, transfers), body, view), figures };
}
