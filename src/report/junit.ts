/**
 * `assess --junit FILE` / `--format junit`: the assessment as JUnit XML, the format every CI system
 * reads (Jenkins, GitLab, Azure DevOps, GitHub test reporters). One testcase per transfer; it fails when
 * the transfer needs a mechanism it lacks or is prohibited, with the action, the reason and what is
 * missing. Ledger entries the workspace does not account for are a second suite, one failing testcase
 * each, so the failures add up to the exit code. No timestamps or durations: the same report gives the
 * same file.
 */
import type { AssessReport, TransferResult } from '../engine/types.js';
import { msg, render, t, type Lang, type Msg } from '../i18n/index.js';

/** Where a transfer is written in the workspace (file relative to the current folder, line). */
export type Locate = (transferId: string) => { file?: string; line?: number };

/** Characters XML 1.0 cannot hold at all (control characters other than tab, newline, return). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlText(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** Whether a transfer fails the gate: it needs a mechanism it lacks, or it is prohibited. */
export function transferFails(t: TransferResult): boolean {
  return t.path === 'prohibited' || !t.covered;
}

/** The one-line reason a transfer fails (the same words as the report's "needs action"). */
export function failureMessage(tr: TransferResult): Msg {
  return tr.path === 'prohibited' ? msg('action.prohibited', { transfer: tr.id }) : msg('action.uncovered', { transfer: tr.id, needed: msg(`missing.${tr.path}`) });
}

/** The details of a failing transfer, one line each: why, what is missing, legal review, rules. */
export function failureDetails(lang: Lang, tr: TransferResult): string[] {
  return [
    render(lang, tr.explanation),
    ...tr.missing.map((m) => t(lang, 'ci.missing-line', { missing: m })),
    ...tr.legalReview.map((m) => t(lang, 'ci.review-line', { review: m })),
    t(lang, 'ci.rules-line', { rules: tr.rules.join(' ') }),
  ];
}

export function renderJunit(report: AssessReport, lang: Lang, locate: Locate): string {
  const org = report.organization.id;
  const failing = report.transfers.filter(transferFails);
  const findings = report.ledger?.findings ?? [];
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = report.transfers.length + findings.length;
  out.push(`<testsuites name="chujing assess" tests="${total}" failures="${failing.length + findings.length}" errors="0">`);
  out.push(`  <testsuite name="${xmlAttr(t(lang, 'ci.suite-transfers', { organization: org }))}" tests="${report.transfers.length}" failures="${failing.length}" errors="0" skipped="0">`);
  out.push('    <properties>');
  for (const [name, value] of [['schema', report.schema], ['asOf', report.asOf], ['organization', org], ['packs', report.packs.map((p) => p.id).join(' ')]] as const) {
    out.push(`      <property name="${name}" value="${xmlAttr(value)}"/>`);
  }
  out.push('    </properties>');
  for (const tr of report.transfers) {
    const attrs = [`name="${xmlAttr(tr.id)}"`, `classname="${xmlAttr(`chujing.${org}.transfers`)}"`];
    if (!transferFails(tr)) {
      out.push(`    <testcase ${attrs.join(' ')}/>`);
      continue;
    }
    // Where to fix it: the transfer's place in the YAML (looked up for failures only: a large workspace
    // passes by the thousand, and each lookup walks its file).
    const where = locate(tr.id);
    if (where.file) attrs.push(`file="${xmlAttr(where.file)}"`);
    if (where.line !== undefined) attrs.push(`line="${where.line}"`);
    out.push(`    <testcase ${attrs.join(' ')}>`);
    out.push(`      <failure message="${xmlAttr(render(lang, failureMessage(tr)))}" type="${tr.path === 'prohibited' ? 'prohibited' : 'uncovered'}">${xmlText(failureDetails(lang, tr).join('\n'))}</failure>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>');
  if (findings.length) {
    out.push(`  <testsuite name="${xmlAttr(t(lang, 'ci.suite-ledger', { organization: org }))}" tests="${findings.length}" failures="${findings.length}" errors="0" skipped="0">`);
    findings.forEach((f, i) => {
      out.push(`    <testcase name="${xmlAttr(`${f.entry} #${i + 1}`)}" classname="${xmlAttr(`chujing.${f.organization}.ledger`)}">`);
      out.push(`      <failure message="${xmlAttr(render(lang, f.message))}" type="ledger-${f.kind}">${xmlText(`${f.organization} ${f.date}`)}</failure>`);
      out.push('    </testcase>');
    });
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
