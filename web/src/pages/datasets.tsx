/**
 * Datasets: each one's level (core / important / general) and why — every binding finding with its
 * rule, source and confidence —, measured against declared facts (understatements flagged), the
 * evidence files and when they were measured, and the advisory findings set apart.
 */
import { api } from '../api.js';
import { Condition, ConfidenceBadge, Empty, LevelBadge, MsgList, RuleButton, Show, Titled } from '../components.js';
import { useWords } from '../i18n.js';
import { useLoad } from '../load.js';
import type { PageProps } from '../main.js';
import { go, href, type Route } from '../router.js';
import { formatSource } from '../sources.js';
import { FilterBar, PagedTable } from '../table.js';
import type { Choices, Dataset, EvidenceFile, FindingW, PageOf } from '../types.js';

const LEVELS = ['core', 'important', 'general'] as const;
const LIMIT = 50;

export function DatasetsPage({ route, session }: PageProps) {
  const canEdit = session.permissions.includes('edit');
  if (route.parts[0]) return <DatasetDetail id={route.parts[0]} canEdit={canEdit} />;
  return <DatasetList route={route} canEdit={canEdit} />;
}

function DatasetList({ route, canEdit }: { route: Route; canEdit: boolean }) {
  const w = useWords();
  const level = route.query.get('level') ?? '';
  const understated = route.query.get('understated') ?? '';
  const qParam = route.query.get('q') ?? '';
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const load = useLoad(() => api.get<PageOf<Dataset>>('/v1/ui/datasets', { level, understated, q: qParam, offset, limit: LIMIT }), [route.query.toString()]);
  const set = (k: string, v: string) => go('datasets', { level, understated, q: qParam, [k]: v });
  return (
    <div class="page" data-testid="datasets" aria-busy={load.state === 'loading' ? 'true' : 'false'}>
      <div class="page-head">
        <h1>{w.t('web.datasets.title')}</h1>
        {canEdit && (
          <span class="actions">
            <a class="btn btn-primary" href={href('new/datasets')}>
              {w.t('web.datasets.add')}
            </a>
            <a class="btn" href={href('new/recipients')}>
              {w.t('web.recipients.add')}
            </a>
          </span>
        )}
      </div>
      <FilterBar
        values={{ level, understated, q: qParam }}
        onSet={set}
        search={{ key: 'q', id: 'd-q' }}
        filters={[
          { kind: 'select', key: 'level', id: 'd-level', label: w.t('web.col.level'), options: [{ value: '', label: w.t('web.filter.all') }, ...LEVELS.map((l) => ({ value: l, label: w.t(`level.${l}`) }))] },
          { kind: 'check', key: 'understated', id: 'd-under', label: w.t('web.datasets.only-understated') },
        ]}
      />
      <Show load={load}>
        {(page) => (
          <PagedTable
            page={page}
            onPage={(o) => go('datasets', { level, understated, q: qParam, offset: o })}
            rows={page.items}
            rowKey={(d) => d.id}
            class="list"
            testid="dataset-table"
            caption={w.t('web.datasets.title')}
            empty={w.t('web.datasets.none')}
            columns={[
              {
                head: w.t('web.col.dataset'),
                cell: (d) => (
                  <>
                    <a href={href(`datasets/${d.id}`)}>{d.id}</a>
                    <div class="muted small">{d.name}</div>
                  </>
                ),
              },
              {
                head: w.t('web.col.scenario'),
                cell: (d) => (
                  <>
                    <Titled title={d.titles?.scenario} code={d.scenario} /> / <Titled title={d.titles?.dataType} code={d.dataType} />
                  </>
                ),
              },
              {
                head: w.t('web.col.level'),
                cell: (d) => (
                  <>
                    <LevelBadge level={d.level} />
                    {d.factComparison.some((c) => c.understated) && <span class="badge b-bad">{w.t('web.dataset.understated')}</span>}
                    {(d.measurementReview?.length ?? 0) > 0 && (
                      <span class="badge b-warn" title={w.t('display.web.measurement-review.hint')} data-testid="measurement-review">
                        {w.t('display.web.measurement-review')}
                      </span>
                    )}
                    {d.levelsByPack?.map((l) => (
                      <div key={l.pack} class="muted small" data-testid="level-by-pack">
                        {w.t('display.web.level-by-pack', { pack: l.pack, level: w.maybe(`level.${l.level}`, l.level), transfers: w.list(l.transfers) })}
                      </div>
                    ))}
                  </>
                ),
              },
              {
                head: w.t('web.col.findings'),
                cell: (d) => (
                  <>
                    {[...new Set(d.findings.map((f) => f.rule))].map((rule) => (
                      <RuleButton key={rule} id={rule} />
                    ))}
                    {d.advisories.length > 0 && <span class="muted small"> {w.t('web.dataset.advisory-count', { count: d.advisories.length })}</span>}
                  </>
                ),
              },
              {
                head: w.t('web.col.persons'),
                num: true,
                cell: (d) => (
                  <>
                    {w.exact(d.personalInfo.persons)}
                    {d.personalInfo.sensitivePersons > 0 && <span class="muted"> ({w.exact(d.personalInfo.sensitivePersons)})</span>}
                  </>
                ),
              },
              { head: w.t('web.col.transfers'), num: true, cell: (d) => <a href={href('transfers', { dataset: d.id })}>{w.exact(d.transfers)}</a> },
            ]}
          />
        )}
      </Show>
      <Recipients canEdit={canEdit} />
    </div>
  );
}

function Recipients({ canEdit }: { canEdit: boolean }) {
  const w = useWords();
  const load = useLoad(() => api.get<Choices>('/v1/ui/choices'), []);
  return (
    <section aria-labelledby="recipients-h">
      <h2 id="recipients-h">{w.t('web.recipients.title')}</h2>
      <Show load={load}>
        {(c) =>
          c.recipients.length === 0 ? (
            <Empty>{w.t('web.recipients.none')}</Empty>
          ) : (
            <table data-testid="recipients">
              <thead>
                <tr>
                  <th scope="col">{w.t('web.field.id')}</th>
                  <th scope="col">{w.t('web.field.name')}</th>
                  <th scope="col">{w.t('web.field.country')}</th>
                  <th scope="col">{w.t('web.col.transfers')}</th>
                </tr>
              </thead>
              <tbody>
                {c.recipients.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.id}</th>
                    <td>{r.name}</td>
                    <td>{r.country}</td>
                    <td>
                      <a href={href('transfers', { recipient: r.id })}>{w.t('web.recipients.transfers')}</a>
                      {canEdit && (
                        <>
                          {' · '}
                          <a href={href(`edit/recipients/${r.id}`)} aria-label={w.t('web.form.edit-title.recipients', { id: r.id })}>
                            {w.t('web.edit')}
                          </a>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </section>
  );
}

function Findings({ items, caption }: { items: FindingW[]; caption: string }) {
  const w = useWords();
  return (
    <div class="scroll">
      <table>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{w.t('web.col.rule')}</th>
            <th scope="col">{w.t('web.finding.what')}</th>
            <th scope="col">{w.t('web.finding.test')}</th>
            <th scope="col">{w.t('web.finding.value')}</th>
            <th scope="col">{w.t('web.finding.source')}</th>
            <th scope="col">{w.t('web.finding.confidence')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((f, i) => (
            <tr key={i}>
              <td>
                <RuleButton id={f.rule} />
                <div class="muted small">{f.pack}</div>
              </td>
              <td>
                {w.of(f.title)}
                <MsgList items={f.notes} class="notes" />
              </td>
              <td>
                <Condition c={{ fact: f.fact, comparator: f.comparator, threshold: f.threshold, ...(f.unit ? { unit: f.unit } : {}) }} />
                {f.overridden && <span class="badge b-warn">{w.t('web.finding.overridden')}</span>}
              </td>
              <td>
                {typeof f.value === 'number' ? w.exact(f.value) : f.value === null ? '—' : w.t(f.value ? 'common.yes' : 'common.no')}
                <div class="muted small">{w.maybe(`web.basis.${f.basis}`, f.basis)}</div>
              </td>
              <td>{formatSource(f.source, w.lang)}</td>
              <td>
                <ConfidenceBadge confidence={f.confidence} provenance={f.provenance} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DatasetDetail({ id, canEdit }: { id: string; canEdit: boolean }) {
  const w = useWords();
  const load = useLoad(() => api.get<{ dataset: Dataset; files: EvidenceFile[]; measuredFor: string; asOf: string }>(`/v1/ui/datasets/${encodeURIComponent(id)}`), [id]);
  return (
    <Show load={load}>
      {({ dataset: d, files, measuredFor, asOf }) => (
        <div class="page" data-testid="dataset-detail">
          <p class="crumbs">
            <a href={href('datasets')}>{w.t('web.nav.datasets')}</a> / {d.id}
          </p>
          <div class="page-head">
            <h1>
              {d.name} <LevelBadge level={d.level} />
            </h1>
            {canEdit && (
              <a class="btn btn-primary" href={href(`edit/datasets/${d.id}`)}>
                {w.t('web.edit')}
              </a>
            )}
          </div>
          <dl class="facts">
            <dt>{w.t('web.col.dataset')}</dt>
            <dd>
              <code>{d.id}</code>
            </dd>
            <dt>{w.t('web.col.scenario')}</dt>
            <dd>
              <Titled title={d.titles?.scenario} code={d.scenario} /> / <Titled title={d.titles?.dataType} code={d.dataType} /> · {d.pack}
            </dd>
            <dt>{w.t('web.dataset.declared-level')}</dt>
            <dd>{d.declaredLevel ? <LevelBadge level={d.declaredLevel} /> : w.t('web.dataset.not-declared')}</dd>
            <dt>{w.t('web.dataset.personal-info')}</dt>
            <dd>
              {w.t('web.counter', { persons: w.exact(d.personalInfo.persons), sensitive: w.exact(d.personalInfo.sensitivePersons) })} · {w.maybe(`web.basis.${d.personalInfo.basis}`, d.personalInfo.basis)}
            </dd>
            <dt>{w.t('web.col.transfers')}</dt>
            <dd>
              <a href={href('transfers', { dataset: d.id })}>{w.t('web.dataset.sent-by', { count: d.transfers })}</a>
            </dd>
            {(d.levelsByPack?.length ?? 0) > 0 && (
              <>
                <dt>{w.t('display.web.levels-by-pack')}</dt>
                <dd data-testid="levels-by-pack">
                  {d.levelsByPack!.map((l) => (
                    <div key={l.pack}>
                      {w.t('display.web.level-by-pack', { pack: l.pack, level: w.maybe(`level.${l.level}`, l.level), transfers: w.list(l.transfers) })}
                    </div>
                  ))}
                </dd>
              </>
            )}
          </dl>
          {(d.measurementReview?.length ?? 0) > 0 && (
            <section class="alert alert-warn" aria-labelledby="d-measurement-review" data-testid="measurement-review">
              <h2 id="d-measurement-review">{w.t('display.web.measurement-review')}</h2>
              <p class="small">{w.t('display.web.measurement-review.hint')}</p>
              <MsgList items={d.measurementReview!} />
            </section>
          )}
          <MsgList items={d.warnings} class="msgs alert alert-warn" />

          <section aria-labelledby="d-findings">
            <h2 id="d-findings">{w.t('web.dataset.findings', { count: d.findings.length })}</h2>
            {d.findings.length ? <Findings items={d.findings} caption={w.t('web.dataset.findings', { count: d.findings.length })} /> : <Empty>{w.t('web.dataset.no-findings')}</Empty>}
          </section>

          <section aria-labelledby="d-facts">
            <h2 id="d-facts">{w.t('web.dataset.facts')}</h2>
            {d.factComparison.length > 0 && (
              <table data-testid="fact-comparison">
                <caption>{w.t('web.dataset.measured-vs-declared')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{w.t('web.dataset.fact')}</th>
                    <th scope="col" class="num">
                      {w.t('web.dataset.declared')}
                    </th>
                    <th scope="col" class="num">
                      {w.t('web.dataset.measured')}
                    </th>
                    <th scope="col">{w.t('web.dataset.check')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.factComparison.map((c) => (
                    <tr key={c.fact} class={c.understated ? 'row-bad' : ''}>
                      <th scope="row">
                        <Titled title={w.maybe(`fact.${c.fact}`, '')} code={c.fact} />
                      </th>
                      <td class="num">{fmt(w, c.declared)}</td>
                      <td class="num">{fmt(w, c.measured)}</td>
                      <td>
                        {c.understated ? (
                          <span class="badge b-bad">{w.t('web.dataset.understated')}</span>
                        ) : (
                          <span class="muted">{w.t(c.declared === null ? 'web.dataset.measured-only' : 'web.dataset.consistent')}</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <table>
              <caption>{w.t('web.dataset.facts-used')}</caption>
              <tbody>
                {Object.entries(d.facts).map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row">
                      <Titled title={w.maybe(`fact.${k}`, '')} code={k} />
                    </th>
                    <td class="num">{fmt(w, v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <section aria-labelledby="d-evidence">
            <h2 id="d-evidence">{w.t('web.dataset.evidence')}</h2>
            {d.evidence.length === 0 ? (
              <Empty>{w.t('web.dataset.no-evidence')}</Empty>
            ) : (
              <>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{w.t('web.evidence.file')}</th>
                      <th scope="col">{w.t('web.evidence.kind')}</th>
                      <th scope="col">{w.t('web.evidence.modified')}</th>
                      <th scope="col">{w.t('web.evidence.content')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.evidence.map((e, i) => {
                      const f = files[i];
                      return (
                        <tr key={i}>
                          <td>
                            <code>{e.path}</code>
                          </td>
                          <td>
                            {e.kind}
                            {e.format ? ` (${e.format})` : ''}
                          </td>
                          <td>{f?.exists ? w.time(f.modified) : w.t('web.evidence.missing')}</td>
                          <td>
                            <code class="small" title={e.contentHash}>
                              {e.contentHash.slice(0, 12)}…
                            </code>{' '}
                            {e.cached ? w.t('web.evidence.cached') : w.t('web.evidence.scanned')}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
                <p class="muted">{w.t('web.evidence.measured-at', { time: w.time(measuredFor) })}</p>
              </>
            )}
          </section>

          {(d.negativeListHits.length > 0 || d.positiveListHits.length > 0) && (
            <section aria-labelledby="d-lists">
              <h2 id="d-lists">{w.t('web.dataset.lists')}</h2>
              <ul>
                {d.negativeListHits.map((h, i) => (
                  <li key={`n${i}`}>
                    <Titled title={w.maybe(`webui.list.${h.list}`, '')} code={h.list} /> · {h.item}: {w.of(h.title)} → {w.maybe(`mechanism.${h.mechanism}`, h.mechanism)}
                  </li>
                ))}
                {d.positiveListHits.map((h, i) => (
                  <li key={`p${i}`}>
                    <Titled title={w.maybe(`webui.list.${h.list}`, '')} code={h.list} /> · {h.item}: {w.of(h.title)} — {h.conditionsMet ? w.t('web.dataset.conditions-met') : w.t('web.dataset.conditions-not-met')}
                    <MsgList items={h.failed} class="notes" />
                  </li>
                ))}
              </ul>
            </section>
          )}

          <section aria-labelledby="d-advisories" class="advisories">
            <h2 id="d-advisories">{w.t('web.dataset.advisories', { count: d.advisories.length })}</h2>
            <p class="muted">{w.t('web.dataset.advisories-help')}</p>
            {d.advisories.length ? <Findings items={d.advisories} caption={w.t('web.dataset.advisories', { count: d.advisories.length })} /> : <Empty>{w.t('web.dataset.no-advisories')}</Empty>}
          </section>
          <p class="muted">{w.t('web.as-of', { asOf })}</p>
        </div>
      )}
    </Show>
  );
}

function fmt(w: ReturnType<typeof useWords>, v: number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return w.exact(v);
  return w.t(v ? 'common.yes' : 'common.no');
}
