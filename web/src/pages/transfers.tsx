/**
 * Transfers: one page at a time from `/v1/ui/transfers` (the server slices the assessment; a 10,000-
 * transfer workspace never reaches the browser whole), filters in the URL, and each transfer's
 * decision in full: path, exemption, the rules (each opens its explanation), coverage, what is missing,
 * the PIPL duties, legal-review points, splitting and how its persons were counted.
 */
import { api } from '../api.js';
import { CoveredBadge, MsgList, PathBadge, RuleButton, RuleList, Show } from '../components.js';
import { useWords } from '../i18n.js';
import { useLoad } from '../load.js';
import type { PageProps } from '../main.js';
import { go, href, type Route } from '../router.js';
import { FilterBar, PagedTable } from '../table.js';
import type { Choices, PageOf, Transfer } from '../types.js';

const PATHS = ['security-assessment', 'standard-contract-or-certification', 'exempt', 'prohibited'] as const;
const LIMIT = 50;

export function TransfersPage({ route, session }: PageProps) {
  if (route.parts[0]) return <TransferDetail id={route.parts[0]} canEdit={session.permissions.includes('edit')} />;
  return <TransferList route={route} canEdit={session.permissions.includes('edit')} />;
}

const FILTERS = ['path', 'covered', 'organization', 'recipient', 'dataset', 'review', 'q', 'order'] as const;

function TransferList({ route, canEdit }: { route: Route; canEdit: boolean }) {
  const w = useWords();
  const f = Object.fromEntries(FILTERS.map((k) => [k, route.query.get(k) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const key = route.query.toString();
  const load = useLoad(() => api.get<PageOf<Transfer>>('/v1/ui/transfers', { ...f, offset, limit: LIMIT }), [key]);
  const choices = useLoad(() => api.get<Choices>('/v1/ui/choices'), []);
  const set = (k: string, v: string) => go('transfers', { ...f, [k]: v, offset: undefined });

  return (
    <div class="page" data-testid="transfers" aria-busy={load.state === 'loading' ? 'true' : 'false'}>
      <div class="page-head">
        <h1>{w.t('web.transfers.title')}</h1>
        {canEdit && (
          <a class="btn btn-primary" href={href('new/transfers')}>
            {w.t('web.transfers.add')}
          </a>
        )}
      </div>
      <FilterBar
        values={f}
        onSet={set}
        search={{ key: 'q', id: 'f-q', placeholder: w.t('web.filter.search-placeholder') }}
        filters={[
          { kind: 'select', key: 'path', id: 'f-path', label: w.t('web.col.path'), options: [{ value: '', label: w.t('web.filter.all') }, ...PATHS.map((p) => ({ value: p, label: w.t(`path.${p}`) }))] },
          {
            kind: 'select',
            key: 'covered',
            id: 'f-covered',
            label: w.t('web.col.covered'),
            options: [
              { value: '', label: w.t('web.filter.all') },
              { value: 'true', label: w.t('web.filter.covered') },
              { value: 'false', label: w.t('web.filter.uncovered') },
            ],
          },
          { kind: 'select', key: 'organization', id: 'f-org', label: w.t('web.col.organization'), options: [{ value: '', label: w.t('web.filter.all') }, ...(choices.data?.organizations ?? []).map((o) => ({ value: o.id, label: o.name }))] },
          {
            kind: 'select',
            key: 'order',
            id: 'f-order',
            label: w.t('web.filter.order'),
            options: [
              { value: '', label: w.t('web.filter.oldest') },
              { value: 'desc', label: w.t('web.filter.newest') },
            ],
          },
          { kind: 'check', key: 'review', id: 'f-review', label: w.t('web.filter.review') },
        ]}
      >
        {(f.recipient || f.dataset) && (
          <p class="muted">
            {f.recipient && w.t('web.filter.recipient-is', { id: f.recipient })} {f.dataset && w.t('web.filter.dataset-is', { id: f.dataset })}{' '}
            <a href={href('transfers', { ...f, recipient: '', dataset: '' })}>{w.t('web.filter.clear')}</a>
          </p>
        )}
      </FilterBar>
      <Show load={load}>
        {(page) => (
          <PagedTable
            page={page}
            onPage={(o) => go('transfers', { ...f, offset: o })}
            rows={page.items}
            rowKey={(t) => t.id}
            rowData={(t) => ({ 'data-transfer': t.id })}
            class="list"
            testid="transfer-table"
            caption={w.t('web.transfers.caption', { from: page.offset + 1, count: page.items.length, total: page.matched })}
            empty={w.t('web.transfers.none')}
            columns={[
              {
                head: w.t('web.col.transfer'),
                cell: (t) => (
                  <>
                    <a href={href(`transfers/${t.id}`)}>{t.id}</a>
                    {t.legalReview.length > 0 && (
                      <span class="badge b-warn" title={w.t('web.transfer.review-count', { count: t.legalReview.length })}>
                        {w.t('web.transfer.review-short')}
                      </span>
                    )}
                  </>
                ),
              },
              { head: w.t('web.col.date'), nowrap: true, cell: (t) => t.date },
              {
                head: w.t('web.col.route'),
                cell: (t) => (
                  <>
                    {t.organization} → {t.recipient} <span class="muted">({t.country})</span>
                  </>
                ),
              },
              { head: w.t('web.col.datasets'), cell: (t) => w.list(t.datasets) },
              {
                head: w.t('web.col.path'),
                cell: (t) => (
                  <>
                    <PathBadge path={t.path} exemption={t.exemption} />
                    {t.exemption && t.exemption !== 'FREE-1' && (
                      <>
                        {' '}
                        <RuleButton id={t.exemption} />
                      </>
                    )}
                  </>
                ),
              },
              { head: w.t('web.col.covered'), cell: (t) => <CoveredBadge covered={t.covered} by={t.coveredBy} path={t.path} /> },
              {
                head: w.t('web.col.ytd'),
                num: true,
                nowrap: true,
                cell: (t) => (
                  <>
                    {w.exact(t.yearToDate.persons)}
                    {t.yearToDate.sensitivePersons > 0 && <span class="muted"> ({w.exact(t.yearToDate.sensitivePersons)})</span>}
                  </>
                ),
              },
            ]}
          />
        )}
      </Show>
    </div>
  );
}

function Counter({ c }: { c: { persons: number; sensitivePersons: number; chargingConsumptionPersons: number } }) {
  const w = useWords();
  return (
    <>
      {w.t('web.counter', { persons: w.exact(c.persons), sensitive: w.exact(c.sensitivePersons) })}
      {c.chargingConsumptionPersons > 0 && ` · ${w.t('web.counter.charging', { n: w.exact(c.chargingConsumptionPersons) })}`}
    </>
  );
}

export function TransferDetail({ id, canEdit }: { id: string; canEdit: boolean }) {
  const w = useWords();
  const load = useLoad(() => api.get<{ transfer: Transfer; asOf: string }>(`/v1/ui/transfers/${encodeURIComponent(id)}`), [id]);
  return (
    <Show load={load}>
      {({ transfer: t, asOf }) => (
        <div class="page" data-testid="transfer-detail">
          <p class="crumbs">
            <a href={href('transfers')}>{w.t('web.nav.transfers')}</a> / {t.id}
          </p>
          <div class="page-head">
            <h1>
              {w.t('web.transfer.title', { id: t.id })} <PathBadge path={t.path} exemption={t.exemption} />
            </h1>
            <span class="actions">
              <a class="btn" href={href('documents', { transfer: t.id })}>
                {w.t('web.transfer.documents')}
              </a>
              {canEdit && (
                <a class="btn btn-primary" href={href(`edit/transfers/${t.id}`)}>
                  {w.t('web.edit')}
                </a>
              )}
            </span>
          </div>
          <p class="lead" data-testid="explanation">
            {w.of(t.explanation)}
          </p>
          <dl class="facts">
            <dt>{w.t('web.col.date')}</dt>
            <dd>
              {t.date} · {w.maybe(`web.status.${t.status}`, t.status)} · {w.maybe(`web.kind.${t.kind}`, t.kind)}
            </dd>
            <dt>{w.t('web.col.route')}</dt>
            <dd>
              {t.organization} → <a href={href('transfers', { recipient: t.recipient })}>{t.recipient}</a> ({t.country})
            </dd>
            <dt>{w.t('web.col.datasets')}</dt>
            <dd>
              {t.datasets.map((d) => (
                <a key={d} href={href(`datasets/${d}`)} class="sep">
                  {d}
                </a>
              ))}
              {t.containsImportantData && <span class="badge b-sa">{w.t('web.transfer.important-data')}</span>}
              {(t.levelsOnDate?.length ?? 0) > 0 && (
                <div class="muted small" data-testid="levels-on-date">
                  <strong>{w.t('display.web.levels-on-date')}</strong>
                  {t.levelsOnDate!.map((l) => (
                    <div key={l.dataset}>
                      {w.t('display.web.level-on-date', { dataset: l.dataset, pack: l.pack, level: w.maybe(`level.${l.level}`, l.level), reportPack: l.reportPack, reportLevel: w.maybe(`level.${l.reportLevel}`, l.reportLevel) })}
                    </div>
                  ))}
                </div>
              )}
            </dd>
            <dt>{w.t('web.col.path')}</dt>
            <dd data-testid="transfer-path">
              <PathBadge path={t.path} exemption={t.exemption} />
              {t.exemption && (
                <>
                  {' '}
                  {w.t('web.transfer.exemption')} <RuleButton id={t.exemption} />
                </>
              )}
            </dd>
            <dt>{w.t('web.transfer.rules')}</dt>
            <dd>
              <RuleList ids={t.rules} />
            </dd>
            <dt>{w.t('web.transfer.packs')}</dt>
            <dd>{w.list(t.packs)}</dd>
            <dt>{w.t('web.col.covered')}</dt>
            <dd>
              <CoveredBadge covered={t.covered} by={t.coveredBy} path={t.path} />{' '}
              {t.coveredBy && (
                <a href={href('approvals', { approval: t.coveredBy })}>{w.t('web.transfer.see-approval', { approval: t.coveredBy })}</a>
              )}
            </dd>
          </dl>

          {t.missing.length > 0 && (
            <section aria-labelledby="t-missing" class="alert alert-bad">
              <h2 id="t-missing">{w.t('web.transfer.missing')}</h2>
              <MsgList items={t.missing} />
            </section>
          )}
          <section aria-labelledby="t-duties">
            <h2 id="t-duties">{w.t('web.transfer.duties')}</h2>
            <p class="muted">{w.t('web.transfer.duties-help')}</p>
            <MsgList items={t.duties} empty={w.t('web.transfer.no-duties')} />
          </section>
          <section aria-labelledby="t-review">
            <h2 id="t-review">{w.t('web.transfer.legal-review')}</h2>
            <MsgList items={t.legalReview} empty={w.t('web.transfer.no-review')} />
          </section>
          {t.claims.length > 0 && (
            <section aria-labelledby="t-claims">
              <h2 id="t-claims">{w.t('web.transfer.claims')}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{w.t('web.transfer.claim')}</th>
                    <th scope="col">{w.t('web.col.rules')}</th>
                    <th scope="col">{w.t('web.col.datasets')}</th>
                    <th scope="col">{w.t('web.transfer.supported')}</th>
                    <th scope="col">{w.t('web.transfer.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {t.claims.map((c, i) => (
                    <tr key={i}>
                      <td>{w.maybe(`web.claim.${c.claim}`, c.claim)}</td>
                      <td>{c.rule ? <RuleButton id={c.rule} /> : '—'}</td>
                      <td>{w.list(c.datasets)}</td>
                      <td>{c.supported ? <span class="badge b-ok">{w.t('common.yes')}</span> : <span class="badge b-bad">{w.t('common.no')}</span>}</td>
                      <td>{w.of(c.reason)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {t.claims.some((c) => (c.coverage?.length ?? 0) > 0) && (
                <>
                  <h3 id="t-coverage">{w.t('display.web.coverage')}</h3>
                  <table aria-labelledby="t-coverage" data-testid="claim-coverage">
                    <thead>
                      <tr>
                        <th scope="col">{w.t('web.transfer.claim')}</th>
                        <th scope="col">{w.t('web.col.dataset')}</th>
                        <th scope="col">{w.t('web.col.state')}</th>
                        <th scope="col">{w.t('web.col.rules')}</th>
                        <th scope="col">{w.t('web.transfer.reason')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {t.claims.flatMap((c, i) =>
                        (c.coverage ?? []).map((v) => (
                          <tr key={`${i}.${v.dataset}`}>
                            <td>{w.maybe(`web.claim.${c.claim}`, c.claim)}</td>
                            <td>
                              <a href={href(`datasets/${v.dataset}`)}>{v.dataset}</a>
                            </td>
                            <td>{v.exempted ? <span class="badge b-ok">{w.t('display.web.coverage.exempted')}</span> : <span class="badge b-sa">{w.t('display.web.coverage.kept')}</span>}</td>
                            <td>
                              <RuleButton id={v.rule} />
                            </td>
                            <td>{w.of(v.reason)}</td>
                          </tr>
                        )),
                      )}
                    </tbody>
                  </table>
                </>
              )}
            </section>
          )}
          <section aria-labelledby="t-count">
            <h2 id="t-count">{w.t('web.transfer.counting')}</h2>
            <dl class="facts">
              <dt>{w.t('web.transfer.volume')}</dt>
              <dd>
                <Counter c={t.volume} />
              </dd>
              <dt>{w.t('web.transfer.counted')}</dt>
              <dd>
                <Counter c={t.counted} /> — <span data-testid="counting-method">{w.maybe(`web.method.${t.counted.method}`, t.counted.method)}</span>
              </dd>
              <dt>{w.t('web.transfer.before-ledger')}</dt>
              <dd>
                <Counter c={t.yearToDate.before.ledger} />
              </dd>
              <dt>{w.t('web.transfer.before-workspace')}</dt>
              <dd>
                <Counter c={t.yearToDate.before.workspace} />
              </dd>
              <dt>{w.t('web.transfer.ytd')}</dt>
              <dd>
                <Counter c={t.yearToDate} /> {t.yearToDate.counted ? '' : `(${w.t('web.transfer.not-counted')})`}
              </dd>
              <dt>{w.t('web.transfer.excluding-exempt')}</dt>
              <dd>
                <Counter c={t.yearToDate.excludingExempt} />
              </dd>
              <dt>{w.t('web.transfer.including-exempt')}</dt>
              <dd>
                <Counter c={t.yearToDate.includingExempt} />
              </dd>
            </dl>
          </section>
          <section aria-labelledby="t-split">
            <h2 id="t-split">{w.t('web.transfer.splitting')}</h2>
            {t.splitting ? (
              <div class="alert alert-warn">
                <p>
                  {w.t('web.transfer.splitting-text', { group: t.splitting.group, kind: t.splitting.kind, entities: w.list(t.splitting.entities), path: w.t(`path.${t.splitting.path}`) })}
                </p>
                <p>
                  <Counter c={t.splitting.yearTotal} />
                </p>
                <p>
                  {w.t('web.transfer.splitting-transfers')}{' '}
                  {t.splitting.transfers.map((x) => (
                    <a key={x} href={href(`transfers/${x}`)} class="sep">
                      {x}
                    </a>
                  ))}
                </p>
              </div>
            ) : (
              <p class="muted">{w.t('web.transfer.no-splitting')}</p>
            )}
          </section>
          {t.exemptedDatasets.length > 0 && (
            <section aria-labelledby="t-exempted">
              <h2 id="t-exempted">{w.t('web.transfer.exempted-datasets')}</h2>
              <ul>
                {t.exemptedDatasets.map((e) => (
                  <li key={e.dataset}>
                    {e.dataset} — <RuleButton id={e.rule} />
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby="t-ledger">
            <h2 id="t-ledger">{w.t('web.transfer.ledger')}</h2>
            <p>
              {t.ledger.recorded ? w.t('web.transfer.recorded') : w.t('web.transfer.not-recorded')}
              {t.ledger.forced && ` · ${w.t('web.transfer.forced')}`}
            </p>
            {t.ledger.recordedVolume && (
              <p>
                <Counter c={t.ledger.recordedVolume} />
              </p>
            )}
          </section>
          <p class="muted">{w.t('web.as-of', { asOf })}</p>
        </div>
      )}
    </Show>
  );
}
