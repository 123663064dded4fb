/**
 * The implementation plan (PROC-1): for each transfer, data identification → path determination → the
 * steps of that path, with the materials, who does what, and the dates on the working-day calendar —
 * including the important-data filing step the 2026 guidelines put first (UPD-1). Dates come from the
 * approvals' life cycle (the same as `status`) where an approval exists, and are computed back from the
 * transfer's date otherwise (SA-3's review periods, SC-2's filing period).
 */
import { msg, type Msg } from '../../../i18n/index.js';
import { code, h1, h2, note, para, rule, rules, table, txt, warning, type Block, type Content, type DocText } from '../model.js';
import { complete, counterText, datasetsOf, label, pathName, recipientName, subtitle } from '../parts.js';
import type { ApprovalView, DocumentsView, TransferView } from '../view.js';
import { approvalDeadlineNotes, approvalsFor, levelCells } from '../sections.js';
import type { PlanFigures } from '../figures.js';
import type { BuildContext } from './context.js';
import { dateText, deadlineText, workingDaysAfter, workingDaysBefore } from './dates.js';

/** `to-confirm`: a step the tool cannot see done (notice and consent, a PIPIA, an important-data filing). */
type StepState = 'done' | 'to-do' | 'overdue' | 'not-met' | 'to-confirm' | 'not-applicable';

interface Step {
  what: Msg;
  rules: string[];
  who: string;
  materials: Msg | null;
  when: DocText;
  state: StepState;
}

/** SA-3 (recalled): 5 working days for the provincial completeness check, 45 for the national review. */
const SA_REVIEW_WORKING_DAYS = 5 + 45;

const MECHANISMS_OF: Record<TransferView['path'], ApprovalView['mechanism'][]> = {
  'security-assessment': ['security-assessment'],
  'standard-contract-or-certification': ['standard-contract', 'certification'],
  exempt: [],
  prohibited: [],
};

/**
 * The approval that covers the transfer, or else the one meant for it (same entity, datasets and
 * recipient in scope) that does not cover it yet — e.g. issued a day after the transfer — so the plan
 * shows what was done (declared, filed) and what went wrong (transferred before the result).
 */
function approvalOf(view: DocumentsView, t: TransferView): ApprovalView | null {
  if (t.coveredBy) return view.approvals.find((a) => a.id === t.coveredBy) ?? null;
  return approvalsFor(view, [t]).find((a) => MECHANISMS_OF[t.path].includes(a.mechanism)) ?? null;
}

function stepsFor(ctx: BuildContext, t: TransferView): Step[] {
  const { view, calendar } = ctx;
  const approval = approvalOf(view, t);
  const datasets = datasetsOf(view, [t]);
  const important = datasets.some((d) => d.important) || t.containsImportantData;
  const hasPi = t.volume.persons > 0 || t.volume.sensitivePersons > 0;
  const past = t.date <= view.asOf;
  const steps: Step[] = [];
  const importantFiling: Step = {
    what: msg('doc.plan.step.important-filing'),
    rules: ['UPD-1', 'IMP-GEN-4'],
    who: 'security-officer',
    materials: msg('doc.plan.materials.important-filing'),
    when: msg('doc.plan.when.before-declaring'),
    state: 'to-confirm',
  };
  const piDuties: Step[] = hasPi
    ? [
        { what: msg('doc.plan.step.notice'), rules: ['PI-2'], who: 'business', materials: msg('doc.plan.materials.notice'), when: msg('doc.plan.when.before', { date: t.date }), state: 'to-confirm' },
        { what: msg('doc.plan.step.pipia'), rules: ['PI-5', 'SC-4'], who: 'security-officer', materials: msg('doc.plan.materials.pipia'), when: msg('doc.plan.when.before', { date: t.date }), state: 'to-confirm' },
      ]
    : [];

  switch (t.path) {
    case 'prohibited':
      steps.push({ what: msg('doc.plan.step.remove-core'), rules: ['IMP-GEN-6'], who: 'security-officer', materials: null, when: msg('doc.plan.when.before', { date: t.date }), state: past ? 'overdue' : 'to-do' });
      break;
    case 'security-assessment': {
      const issued = approval?.issued ?? null;
      const declareBy = workingDaysBefore(calendar, t.date, SA_REVIEW_WORKING_DAYS);
      const declared = approval?.applied ?? null;
      if (important) steps.push(importantFiling);
      steps.push(...piDuties);
      steps.push({
        what: msg('doc.plan.step.self-assessment'),
        rules: ['SA-1', 'PROC-4', 'UPD-7'],
        who: 'security-officer',
        materials: msg('doc.plan.materials.self-assessment'),
        when: msg('doc.plan.when.within-3-months'),
        state: declared || issued ? 'done' : 'to-do',
      });
      steps.push({ what: msg('doc.plan.step.contract'), rules: ['SA-1', 'SA-2'], who: 'legal', materials: msg('doc.plan.materials.contract'), when: msg('doc.plan.when.before-declaring'), state: declared || issued ? 'done' : 'to-do' });
      steps.push({
        what: msg('doc.plan.step.declare'),
        rules: ['PROC-2', 'SA-2', 'SA-3', 'UPD-6'],
        who: 'handling-person',
        materials: msg('doc.plan.materials.declaration'),
        when: declared ? msg('doc.plan.when.done-on', { date: declared }) : msg('doc.plan.when.declare-by', { date: dateText(declareBy), days: SA_REVIEW_WORKING_DAYS }),
        state: declared || issued ? 'done' : declareBy.date !== null && declareBy.date < view.asOf ? 'overdue' : 'to-do',
      });
      steps.push({
        what: msg('doc.plan.step.wait-result'),
        rules: ['PROC-4', 'SA-4'],
        who: 'security-officer',
        materials: null,
        when: issued ? msg('doc.plan.when.issued', { date: issued, end: approval?.validity.end ?? '—' }) : msg('doc.plan.when.before', { date: t.date }),
        // An executed transfer without a valid result on its date did not wait for it.
        state: t.covered ? 'done' : t.status === 'executed' ? 'not-met' : past ? 'overdue' : 'to-do',
      });
      const window = approval?.deadlines.find((d) => d.kind === 'sa-extension-window');
      steps.push({
        what: msg('doc.plan.step.extension'),
        rules: ['SA-6', 'SA-5', 'PROC-5'],
        who: 'security-officer',
        materials: null,
        when: window?.date ? msg('doc.plan.when.window', { from: deadlineText(window)!, until: window.until ?? '—' }) : msg('doc.plan.when.before-expiry'),
        state: window?.state === 'done' ? 'done' : 'to-do',
      });
      break;
    }
    case 'standard-contract-or-certification': {
      const effective = approval?.mechanism === 'standard-contract' ? approval.effective : null;
      const filing = approval?.deadlines.find((d) => d.kind === 'sc-filing');
      const fileBy = effective ? workingDaysAfter(calendar, effective, view.periods.scFilingWorkingDays) : workingDaysAfter(calendar, t.date, view.periods.scFilingWorkingDays);
      const review = approval?.deadlines.find((d) => d.kind === 'sc-review');
      steps.push(...piDuties);
      steps.push({
        what: msg('doc.plan.step.sign-contract'),
        rules: ['SC-1', 'SC-2'],
        who: 'legal-representative',
        materials: msg('doc.plan.materials.sc-contract'),
        when: effective ? msg('doc.plan.when.effective', { date: effective }) : msg('doc.plan.when.before', { date: t.date }),
        state: effective ? 'done' : past ? 'overdue' : 'to-do',
      });
      steps.push({
        what: msg('doc.plan.step.file-contract'),
        rules: ['SC-2', 'SC-6', 'UPD-8'],
        who: 'handling-person',
        materials: msg('doc.plan.materials.sc-filing'),
        when: approval?.filed
          ? msg('doc.plan.when.done-on', { date: approval.filed })
          : msg(effective ? 'doc.plan.when.file-by' : 'doc.plan.when.file-by-if', { date: (filing && deadlineText(filing)) ?? dateText(fileBy), days: view.periods.scFilingWorkingDays }),
        state: approval?.filed ? 'done' : filing?.state === 'overdue' ? 'overdue' : 'to-do',
      });
      steps.push({
        what: msg('doc.plan.step.answer'),
        rules: ['SC-3'],
        who: 'handling-person',
        materials: null,
        when: approval?.answered ? msg('doc.plan.when.done-on', { date: approval.answered }) : review?.date ? msg('doc.plan.when.answer-by', { date: review.date }) : msg('doc.plan.when.after-filing', { days: view.periods.scReviewWorkingDays }),
        state: approval?.answered ? 'done' : review?.state === 'overdue' ? 'overdue' : 'to-do',
      });
      steps.push({ what: msg('doc.plan.step.certification'), rules: ['CERT-1', 'CERT-3', 'CERT-5'], who: 'security-officer', materials: msg('doc.plan.materials.pipia'), when: msg('doc.plan.when.instead'), state: 'not-applicable' });
      break;
    }
    case 'exempt':
      steps.push({ what: msg('doc.plan.step.keep-basis', { rule: t.exemption ?? '' }), rules: [t.exemption ?? 'FREE-1', 'EXEMPT-8'], who: 'legal', materials: msg('doc.plan.materials.basis'), when: msg('doc.plan.when.before', { date: t.date }), state: 'to-confirm' });
      steps.push(...piDuties.map((s) => ({ ...s, rules: [...s.rules, 'PATH-SC-4'] })));
      break;
  }
  // Done only when the evidence exists: the ledger records the transfer. An executed transfer the
  // ledger does not hold is for the officer to confirm (another log) or to record.
  steps.push({
    what: msg('doc.plan.step.record'),
    rules: ['SEC-LOG-1', 'CNT-9'],
    who: 'engineering',
    materials: null,
    when: t.recorded ? msg('doc.plan.state.recorded') : t.status === 'executed' ? msg('doc.plan.record.none') : msg('doc.plan.when.on-transfer'),
    state: t.recorded ? 'done' : t.path === 'prohibited' ? 'not-applicable' : t.status === 'executed' ? 'to-confirm' : 'to-do',
  });
  return steps;
}

function stepRows(steps: Step[]): Content[][] {
  return steps.map((s, i) => [
    [txt(String(i + 1))],
    [txt(s.what), txt(' '), ...rules(s.rules)],
    [txt(label('doc.role', s.who))],
    [txt(s.materials ?? '—')],
    [txt(s.when)],
    [txt(label('doc.step-state', s.state), s.state === 'overdue' || s.state === 'not-met')],
  ]);
}

export function buildPlan(ctx: BuildContext) {
  const { view, transfers } = ctx;
  const plans = transfers.map((t) => ({ t, steps: stepsFor(ctx, t) }));
  const next = (steps: Step[]) => steps.find((s) => s.state === 'not-met' || s.state === 'overdue') ?? steps.find((s) => s.state === 'to-do');
  const body: Block[] = [
    note(txt(msg('doc.plan.intro')), txt(' '), ...rules(['PROC-1', 'UPD-1'])),
    h1(msg('doc.plan.overview')),
    table(
      [msg('doc.col.transfer'), msg('doc.col.date'), msg('doc.col.path'), msg('doc.col.covered'), msg('doc.col.next-step'), msg('doc.col.state')],
      plans.map(({ t, steps }) => {
        const n = next(steps);
        return [
          [code(t.id)],
          [txt(t.date)],
          [txt(pathName(t.path)), ...(t.exemption ? [txt(' '), rule(t.exemption)] : [])],
          [txt(t.covered ? msg('common.yes') : msg('common.no'))],
          [txt(n?.what ?? msg('doc.plan.nothing', { n: steps.filter((s) => s.state === 'to-confirm').length }))],
          [txt(label('doc.step-state', n ? n.state : steps.some((s) => s.state === 'to-confirm') ? 'to-confirm' : 'done'), n?.state === 'overdue' || n?.state === 'not-met')],
        ];
      }),
      [14, 12, 18, 10, 32, 14],
    ),
  ];
  for (const { t, steps } of plans) {
    const datasets = datasetsOf(view, [t]);
    body.push(h1(msg('doc.plan.transfer', { id: t.id, recipient: recipientName(view, t.recipient), date: t.date })));
    body.push(h2(msg('doc.plan.identification')));
    body.push(
      table(
        [msg('doc.col.dataset'), msg('doc.col.level'), msg('doc.col.basis')],
        datasets.map((d) => {
          const cells = levelCells(view, d, [t]);
          return [[txt(d.name), txt(' '), code(d.id)], cells.level, cells.basis];
        }),
        [30, 14, 56],
      ),
    );
    if (datasets.some((d) => d.important)) body.push(para(txt(msg('doc.plan.important-filing')), txt(' '), ...rules(['UPD-1', 'IMP-GEN-3', 'IMP-GEN-4'])));
    body.push(h2(msg('doc.plan.path')));
    body.push(para(txt(pathName(t.path), true), txt(' — '), txt(t.explanation), txt(' '), ...rules(t.rules)));
    body.push(note(txt(msg('doc.judged-at', { count: counterText(t.yearToDate) }))));
    for (const m of t.missing) body.push(warning(txt(m)));
    body.push(h2(msg('doc.plan.steps')));
    body.push(table([msg('doc.col.n'), msg('doc.col.step'), msg('doc.col.who'), msg('doc.col.materials'), msg('doc.col.when'), msg('doc.col.state')], stepRows(steps), [5, 33, 13, 19, 18, 12]));
    const approval = approvalOf(view, t);
    if (approval) body.push(...approvalDeadlineNotes([approval]));
    if (t.path === 'security-assessment' && !t.covered && !approvalOf(view, t)?.applied) body.push(note(txt(msg('doc.plan.sa-estimate', { days: SA_REVIEW_WORKING_DAYS })), txt(' '), rule('SA-3')));
  }
  body.push(h1(msg('doc.plan.roles')));
  body.push(table([msg('doc.col.who'), msg('doc.col.does')], ['security-officer', 'legal', 'business', 'engineering', 'handling-person', 'legal-representative'].map((r) => [[txt(label('doc.role', r))], [txt(msg(`doc.role-does.${r}`))]]), [30, 70]));
  const figures: PlanFigures = { steps: plans.flatMap(({ t, steps }) => steps.map((s) => ({ transfer: t.id, step: s.what.code, state: s.state }))) };
  return { doc: complete('plan', msg('doc.kind.plan'), subtitle(view, transfers), body, view), figures };
}
