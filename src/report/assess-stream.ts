/**
 * A streamed assessment (src/engine assessStream) as the writers take it: the JSON value, with the
 * transfers as a streamed array and the counts written when reached, in the order `assess --json` prints
 * its fields; and the human report's view, whose transfers are judged again each time they are read.
 */
import type { AssessmentStream } from '../engine/assess.js';
import type { HumanReport } from './assess-human.js';
import { later, streamedArray } from './json-stream.js';

export function streamedJson(s: AssessmentStream): Record<string, unknown> {
  const h = s.head;
  return {
    schema: h.schema,
    asOf: h.asOf,
    organization: h.organization,
    packs: h.packs,
    settings: h.settings,
    overrides: h.overrides,
    datasets: h.datasets,
    transfers: streamedArray(s.transfers()),
    organizations: h.organizations,
    summary: later(() => s.tail().summary),
    ledger: later(() => s.tail().ledger),
    warnings: h.warnings,
    actions: later(() => s.tail().actions),
  };
}

export function streamedHuman(s: AssessmentStream): HumanReport {
  return {
    ...s.head,
    transfers: { [Symbol.iterator]: () => s.transfers() },
    get summary() {
      return s.tail().summary;
    },
    get ledger() {
      return s.tail().ledger;
    },
    get actions() {
      return s.tail().actions;
    },
  };
}

/** The exit code of a drained stream: 0 when every transfer is covered and the ledger agrees. */
export function streamedExitCode(s: AssessmentStream): number {
  const { summary, ledger } = s.tail();
  return summary.uncovered === 0 && (ledger?.findings.length ?? 0) === 0 ? 0 : 1;
}
