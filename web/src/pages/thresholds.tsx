/**
 * An organisation's year-to-date persons and sensitive persons drawn against the national thresholds
 * (PATH-SC-1 100,000; PATH-SA-2 1,000,000; PATH-SA-3 10,000 sensitive), each bar split by where the
 * persons come from: the ledger (executed transfers, exact) and the workspace (declared or measured).
 * The thresholds come from the assessment (`organizations[].thresholds`), never from this file.
 */
import type { OrganizationYear } from '../../../src/engine/types.js';
import { useWords } from '../i18n.js';

const W = 640;
const LEFT = 8;
const RIGHT = 8;
const BAR = 22;

interface Mark {
  at: number;
  label: string;
}

function Bar({ id, title, ledger, workspace, total, marks, max }: { id: string; title: string; ledger: number; workspace: number; total: number; marks: Mark[]; max: number }) {
  const w = useWords();
  const span = W - LEFT - RIGHT;
  const x = (v: number) => LEFT + (Math.min(v, max) / max) * span;
  const ledgerW = x(ledger) - LEFT;
  // The engine's total can differ from ledger + workspace only if a source is missing; draw the total.
  const workspaceW = Math.max(0, x(Math.max(total, ledger + workspace)) - x(ledger));
  return (
    <g>
      <text x={LEFT} y={14} class="chart-title">
        {title}
      </text>
      <rect x={LEFT} y={22} width={span} height={BAR} class="chart-track" />
      {marks.map((m, i) => (
        <rect key={`band-${i}`} x={x(m.at)} y={22} width={Math.max(0, (i + 1 < marks.length ? x(marks[i + 1]!.at) : LEFT + span) - x(m.at))} height={BAR} class={`chart-band band-${i}`} />
      ))}
      <rect x={LEFT} y={26} width={ledgerW} height={BAR - 8} class="chart-ledger" data-testid={`${id}-ledger`} />
      <rect x={LEFT + ledgerW} y={26} width={workspaceW} height={BAR - 8} class="chart-workspace" data-testid={`${id}-workspace`} />
      {marks.map((m, i) => (
        <g key={`mark-${i}`}>
          <line x1={x(m.at)} x2={x(m.at)} y1={18} y2={22 + BAR + 4} class="chart-mark" />
          <text x={x(m.at)} y={22 + BAR + 16} class="chart-mark-label" text-anchor={x(m.at) > W - 120 ? 'end' : 'middle'}>
            {m.label}
          </text>
        </g>
      ))}
      <text x={LEFT + span} y={14} class="chart-value" text-anchor="end">
        {w.exact(total)}
      </text>
    </g>
  );
}

export function ThresholdChart({ org }: { org: OrganizationYear & { name: string } }) {
  const w = useWords();
  const th = org.thresholds;
  const persons = org.yearToDate.persons;
  const sensitive = org.yearToDate.sensitivePersons;
  const personsMax = Math.max(th.saPersons * 1.2, persons * 1.1);
  const sensitiveMax = Math.max(th.saSensitivePersons * 1.2, sensitive * 1.1);
  const id = `ytd-${org.organization}`;
  const summary = w.t('web.ytd.summary', {
    organization: org.name,
    year: org.year,
    persons: w.exact(persons),
    sensitive: w.exact(sensitive),
    sc: w.exact(th.scPersons),
    sa: w.exact(th.saPersons),
    saSensitive: w.exact(th.saSensitivePersons),
  });
  return (
    <figure class="ytd" data-testid={id}>
      <figcaption>
        <strong>{org.name}</strong> <span class="muted">({org.organization}) · {w.t('web.ytd.year', { year: org.year })}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} 150`} role="img" aria-label={summary} class="chart" preserveAspectRatio="xMinYMin meet">
        <Bar
          id={`${id}-persons`}
          title={w.t('web.ytd.persons')}
          ledger={org.sources.ledger.persons}
          workspace={org.sources.workspace.persons}
          total={persons}
          max={personsMax}
          marks={[
            { at: th.scPersons, label: w.t('web.ytd.mark-sc', { n: w.count(th.scPersons) }) },
            { at: th.saPersons, label: w.t('web.ytd.mark-sa', { n: w.count(th.saPersons) }) },
          ]}
        />
        <g transform="translate(0 76)">
          <Bar
            id={`${id}-sensitive`}
            title={w.t('web.ytd.sensitive')}
            ledger={org.sources.ledger.sensitivePersons}
            workspace={org.sources.workspace.sensitivePersons}
            total={sensitive}
            max={sensitiveMax}
            marks={[{ at: th.saSensitivePersons, label: w.t('web.ytd.mark-sa-sensitive', { n: w.count(th.saSensitivePersons) }) }]}
          />
        </g>
      </svg>
      <table class="compact">
        <caption class="sr-only">{summary}</caption>
        <thead>
          <tr>
            <th scope="col">{w.t('web.ytd.counter')}</th>
            <th scope="col" class="num">
              <span class="key key-ledger" aria-hidden="true" /> {w.t('web.ytd.from-ledger')}
            </th>
            <th scope="col" class="num">
              <span class="key key-workspace" aria-hidden="true" /> {w.t('web.ytd.from-workspace')}
            </th>
            <th scope="col" class="num">
              {w.t('web.ytd.total')}
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{w.t('web.ytd.persons')}</th>
            <td class="num">{w.exact(org.sources.ledger.persons)}</td>
            <td class="num">{w.exact(org.sources.workspace.persons)}</td>
            <td class="num">{w.exact(persons)}</td>
          </tr>
          <tr>
            <th scope="row">{w.t('web.ytd.sensitive')}</th>
            <td class="num">{w.exact(org.sources.ledger.sensitivePersons)}</td>
            <td class="num">{w.exact(org.sources.workspace.sensitivePersons)}</td>
            <td class="num">{w.exact(sensitive)}</td>
          </tr>
        </tbody>
      </table>
    </figure>
  );
}
