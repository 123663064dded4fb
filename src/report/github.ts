/**
 * `assess --format github`: GitHub Actions workflow commands, so that a failing transfer shows as an
 * error annotation on its line of the workspace YAML in the pull request
 * (`::error file=…,line=…,title=…::message`). Ledger entries the workspace does not account for are
 * errors without a file. The last line is the report's summary, as plain log text.
 */
import type { AssessReport } from '../engine/types.js';
import { render, t, type Lang } from '../i18n/index.js';
import { failureDetails, failureMessage, transferFails, type Locate } from './junit.js';

/** Message data: %, CR and LF are escaped (GitHub's toCommandValue). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values: also ':' and ',' (GitHub's toCommandProperties). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: 'error' | 'warning' | 'notice', properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${kind}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

export function renderGithub(report: AssessReport, lang: Lang, locate: Locate): string {
  const lines: string[] = [];
  for (const tr of report.transfers) {
    if (!transferFails(tr)) continue;
    const where = locate(tr.id);
    const message = [render(lang, failureMessage(tr)), ...failureDetails(lang, tr)].join('\n');
    lines.push(command('error', { file: where.file, line: where.line, title: t(lang, 'ci.annotation-title', { transfer: tr.id }) }, message));
  }
  for (const f of report.ledger?.findings ?? []) {
    lines.push(command('error', { title: t(lang, 'ci.annotation-ledger-title', { entry: f.entry }) }, render(lang, f.message)));
  }
  const s = report.summary;
  lines.push(
    t(lang, 'report.summary', {
      datasets: s.datasets,
      important: s.important,
      core: s.core,
      transfers: s.transfers,
      sa: s.byPath['security-assessment'],
      sc: s.byPath['standard-contract-or-certification'],
      exempt: s.byPath.exempt,
      prohibited: s.byPath.prohibited,
      uncovered: s.uncovered,
    }),
  );
  return lines.join('\n') + '\n';
}
