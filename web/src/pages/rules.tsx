/**
 * Rules: the rule packs (`/v1/rules`, what `chujing rules` lists) — scenarios, data types, judgment
 * rules with their conditions, sources and confidence, the national thresholds and periods —, the FTZ
 * lists, and the open questions of the regulation with the settings in force (docs/judgments.md).
 */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Condition, ConfidenceBadge, RuleButton, Show, Titled } from '../components.js';
import { useWords, type Wordy } from '../i18n.js';
import { useLoad } from '../load.js';
import type { PageProps } from '../main.js';
import { go } from '../router.js';
import { SOURCES, formatSource } from '../sources.js';
import { DataTable } from '../table.js';
import type { Choices } from '../types.js';

interface Cond {
  fact: string;
  comparator: string;
  threshold: number | boolean;
  unit?: string;
}
interface Pack {
  id: string;
  title: Wordy;
  effective: string;
  source: string;
  status: string;
  note?: Wordy;
  scenarios: { id: string; title: Wordy; dataTypes: { id: string; title: Wordy }[] }[];
  judgmentRules: { id: string; aliases?: string[]; title: Wordy; conditions: Cond[]; dataTypes?: string[]; outcome: string; source: string; confidence: string; provenance?: string; note?: Wordy }[];
  exemptions: Record<string, string>;
  pathThresholds?: Record<string, Cond>;
  periods?: Record<string, number>;
  references: { id: string; title: Wordy; source: string; confidence: string }[];
}
interface RulesJson {
  packs: Pack[];
  negativeLists: { id: string; kind: string; zone: string; name: string; source: string; confidence: string; items: { id: string; title: Wordy; mechanism: string }[] }[];
}

/** The open questions of regulation.md §12 and the setting that answers each (null: a fixed judgment). */
const QUESTIONS: { id: string; setting: string | null }[] = [
  { id: 'Q-1', setting: 'sensitiveOverlap' },
  { id: 'Q-2', setting: 'countExemptTransfers' },
  { id: 'Q-3', setting: 'autoExemptionForImportantData' },
  { id: 'Q-4', setting: 'auto21PersonsAsImportant' },
  { id: 'Q-5', setting: 'boxMeasure' },
  { id: 'Q-6', setting: null },
  { id: 'Q-7', setting: null },
  { id: 'Q-8', setting: 'logRetentionYears' },
  { id: 'Q-11', setting: null },
  { id: 'Q-12', setting: null },
  { id: 'Q-14', setting: 'detectorNearThreshold' },
];

export function RulesPage({ route }: PageProps) {
  const w = useWords();
  const load = useLoad(() => api.get<RulesJson>('/v1/rules'), []);
  const choices = useLoad(() => api.get<Choices & { settings: Record<string, unknown> }>('/v1/ui/choices'), []);
  const [filter, setFilter] = useState('');
  const selected = route.query.get('pack');
  return (
    <div class="page" data-testid="rules">
      <h1>{w.t('web.rules.title')}</h1>
      <Show load={load}>
        {(r) => {
          const latestAuto = r.packs.filter((p) => p.id.startsWith('cn-auto') && p.status === 'in-force').sort((a, b) => b.effective.localeCompare(a.effective))[0];
          const pack = r.packs.find((p) => p.id === selected) ?? latestAuto ?? r.packs[0]!;
          const needle = filter.trim().toLowerCase();
          const match = (id: string, title: Wordy) => !needle || id.toLowerCase().includes(needle) || w.of(title).toLowerCase().includes(needle);
          return (
            <>
              <div class="filters">
                <div class="field">
                  <label for="r-pack">{w.t('web.rules.pack')}</label>
                  <select id="r-pack" value={pack.id} onChange={(e) => go('rules', { pack: (e.target as HTMLSelectElement).value })}>
                    {r.packs.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.id} — {w.of(p.title)}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="field grow">
                  <label for="r-filter">{w.t('web.rules.filter')}</label>
                  <input id="r-filter" type="search" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
                </div>
              </div>
              <section aria-labelledby="r-pack-h" data-testid="pack">
                <h2 id="r-pack-h">
                  {w.of(pack.title)} <span class={`badge ${pack.status === 'in-force' ? 'b-ok' : 'b-warn'}`}>{w.maybe(`pack-status.${pack.status}`, pack.status)}</span>
                </h2>
                <p class="muted">{w.t('web.rules.pack-line', { id: pack.id, effective: pack.effective, source: formatSource(pack.source, w.lang) })}</p>
                {pack.note && <p class="note">{w.of(pack.note)}</p>}

                {pack.scenarios.length > 0 && (
                  <details>
                    <summary>{w.t('web.rules.scenarios', { count: pack.scenarios.length })}</summary>
                    <ul class="scenarios">
                      {pack.scenarios.map((s) => (
                        <li key={s.id}>
                          <strong>{w.of(s.title)}</strong>
                          <span class="code-tag">{s.id}</span>
                          <ul>
                            {s.dataTypes.map((d) => (
                              <li key={d.id}>
                                {w.of(d.title)}
                                <span class="code-tag">{d.id}</span>
                              </li>
                            ))}
                          </ul>
                        </li>
                      ))}
                    </ul>
                  </details>
                )}

                {pack.judgmentRules.length > 0 && (
                  <>
                    <h3>{w.t('web.rules.judgment')}</h3>
                    <DataTable
                      rows={pack.judgmentRules.filter((j) => match(j.id, j.title))}
                      rowKey={(j) => j.id}
                      caption={w.t('web.rules.judgment')}
                      testid="judgment-rules"
                      columns={[
                        { head: w.t('web.col.rule'), cell: (j) => <RuleButton id={j.id} /> },
                        {
                          head: w.t('web.finding.what'),
                          cell: (j) => (
                            <>
                              {w.of(j.title)}
                              {j.dataTypes && (
                                <div class="muted small">
                                  {j.dataTypes.map((id, n) => (
                                    <span key={id}>
                                      {n > 0 && (w.lang === 'zh' ? '、' : ', ')}
                                      <Titled title={dataTypeTitle(pack, id)} code={id} />
                                    </span>
                                  ))}
                                </div>
                              )}
                            </>
                          ),
                        },
                        {
                          head: w.t('web.finding.test'),
                          cell: (j) =>
                            j.conditions.map((c, i) => (
                              <div key={i}>
                                {i > 0 && `${w.t('web.rule.or')} `}
                                <Condition c={c} />
                              </div>
                            )),
                        },
                        { head: w.t('web.rule.outcome'), cell: (j) => w.maybe(`level.${j.outcome}`, j.outcome) },
                        { head: w.t('web.finding.source'), cell: (j) => formatSource(j.source, w.lang) },
                        { head: w.t('web.finding.confidence'), cell: (j) => <ConfidenceBadge confidence={j.confidence} provenance={j.provenance} /> },
                      ]}
                    />
                  </>
                )}

                {pack.pathThresholds && (
                  <>
                    <h3>{w.t('web.rules.thresholds')}</h3>
                    <ul>
                      {Object.entries(pack.pathThresholds).map(([k, c]) => (
                        <li key={k}>
                          {w.maybe(`web.threshold.${k}`, k)}: <Condition c={c} />
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                {pack.periods && (
                  <>
                    <h3>{w.t('web.rules.periods')}</h3>
                    <ul>
                      {Object.entries(pack.periods).map(([k, v]) => (
                        <li key={k}>
                          {w.maybe(`web.period.${k}`, k)}: {v}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                {Object.keys(pack.exemptions).length > 0 && (
                  <>
                    <h3>{w.t('web.rules.exemptions')}</h3>
                    <ul>
                      {Object.entries(pack.exemptions).map(([claim, rule]) => (
                        <li key={claim}>
                          {w.maybe(`web.claim.${claim}`, claim)} <code class="small">{claim}</code> → <RuleButton id={rule} />
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                {pack.references.length > 0 && (
                  <>
                    <h3>{w.t('web.rules.references')}</h3>
                    <div class="scroll">
                      <table>
                        <thead>
                          <tr>
                            <th scope="col">{w.t('web.col.rule')}</th>
                            <th scope="col">{w.t('web.finding.what')}</th>
                            <th scope="col">{w.t('web.finding.source')}</th>
                            <th scope="col">{w.t('web.finding.confidence')}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {pack.references
                            .filter((x) => match(x.id, x.title))
                            .map((x) => (
                              <tr key={x.id}>
                                <th scope="row">
                                  <RuleButton id={x.id} />
                                </th>
                                <td>{w.of(x.title)}</td>
                                <td>{formatSource(x.source, w.lang)}</td>
                                <td>
                                  <ConfidenceBadge confidence={x.confidence} />
                                </td>
                              </tr>
                            ))}
                        </tbody>
                      </table>
                    </div>
                  </>
                )}
              </section>

              <section aria-labelledby="r-lists">
                <h2 id="r-lists">{w.t('web.rules.lists')}</h2>
                {r.negativeLists.map((l) => (
                  <details key={l.id}>
                    <summary>
                       {w.maybe(`webui.list.${l.id}`, l.name)}
                      <span class="code-tag">{l.id}</span> · {w.maybe(`web.list-kind.${l.kind}`, l.kind)} · <ConfidenceBadge confidence={l.confidence} />
                    </summary>
                    <p class="muted small">{formatSource(l.source, w.lang)}</p>
                    <ul>
                      {l.items.map((i) => (
                        <li key={i.id}>
                          <code class="small">{i.id}</code> {w.of(i.title)} → {w.maybe(`mechanism.${i.mechanism}`, i.mechanism)}
                        </li>
                      ))}
                    </ul>
                  </details>
                ))}
              </section>
            </>
          );
        }}
      </Show>

      <section aria-labelledby="r-sources">
        <h2 id="r-sources">{w.t('web.rules.sources')}</h2>
        <p class="muted">{w.t('web.rules.sources-help')}</p>
        <table data-testid="sources">
          <thead>
            <tr>
              <th scope="col">{w.t('web.rules.source-key')}</th>
              <th scope="col">{w.t('web.rules.source-title')}</th>
              <th scope="col">{w.t('web.rules.source-issued')}</th>
              <th scope="col">{w.t('web.rules.source-status')}</th>
            </tr>
          </thead>
          <tbody>
            {SOURCES.map((src) => (
              <tr key={src.key}>
                <th scope="row">
                  <code class="source-key">{src.key}</code>
                </th>
                <td>{w.of(src.title)}</td>
                <td>{w.of(src.issued)}</td>
                <td>{w.of(src.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="r-questions">
        <h2 id="r-questions">{w.t('web.rules.questions')}</h2>
        <p class="muted">{w.t('web.rules.questions-help')}</p>
        <Show load={choices}>
          {(c) => (
            <table data-testid="settings">
              <caption class="sr-only">{w.t('web.rules.questions')}</caption>
              <thead>
                <tr>
                  <th scope="col">{w.t('web.rules.question')}</th>
                  <th scope="col">{w.t('web.rules.setting')}</th>
                  <th scope="col">{w.t('web.rules.in-force')}</th>
                </tr>
              </thead>
              <tbody>
                {QUESTIONS.map((q) => (
                  <tr key={q.id}>
                    <th scope="row">
                      {q.id} {w.maybe(`web.question.${q.id}`, q.id)}
                    </th>
                    <td>
                      {q.setting ? (
                        <>
                          {w.maybe(`setting.${q.setting}`, '')}
                          <span class="code-tag">{q.setting}</span>
                        </>
                      ) : (
                        w.t('web.rules.fixed-judgment')
                      )}
                    </td>
                    <td>{q.setting ? <SettingValue name={q.setting} value={c.settings[q.setting]} /> : '—'}</td>
                  </tr>
                ))}
                {Object.keys(c.settings)
                  .filter((k) => !QUESTIONS.some((q) => q.setting === k))
                  .map((k) => (
                    <tr key={k}>
                      <th scope="row">—</th>
                      <td>
                        {w.maybe(`setting.${k}`, w.maybe(`web.setting.${k}`, ''))}
                        <span class="code-tag">{k}</span>
                      </td>
                      <td>
                        <SettingValue name={k} value={c.settings[k]} />
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </Show>
      </section>
    </div>
  );
}

/** A setting's value as written, and what it means (`setting.<name>.<value>`, the CLI's words). */
function SettingValue({ name, value }: { name: string; value: unknown }) {
  const w = useWords();
  const meaning = w.maybe(`setting.${name}.${String(value)}`, '');
  // The value as written follows its meaning in small type (the meaning alone is what a person reads).
  if (!meaning) return <code>{String(value)}</code>;
  return (
    <>
      {meaning}
      <span class="code-tag">{String(value)}</span>
    </>
  );
}

/** A data type's title in a pack (its scenarios list them). */
function dataTypeTitle(pack: { scenarios: { dataTypes: { id: string; title: Wordy }[] }[] }, id: string): Wordy {
  for (const s of pack.scenarios) for (const d of s.dataTypes) if (d.id === id) return d.title;
  return null;
}
