/** Overview: what is exported under which mechanism, what is missing, what is due, and how close each
 * organisation is to the volume thresholds this year. */
import { api } from '../api.js';
import { Empty, MsgList, PathBadge, Show } from '../components.js';
import { useWords } from '../i18n.js';
import { useLoad } from '../load.js';
import type { PageProps } from '../main.js';
import { href } from '../router.js';
import type { Overview } from '../types.js';
import { DeadlineTable } from './approvals.js';
import { ThresholdChart } from './thresholds.js';

const PATHS = ['security-assessment', 'standard-contract-or-certification', 'exempt', 'prohibited'] as const;

export function OverviewPage(_: PageProps) {
  const w = useWords();
  const load = useLoad(() => api.get<Overview>('/v1/ui/overview'), []);
  return (
    <Show load={load}>
      {(o) => (
        <div class="page" data-testid="overview">
          <h1>{w.t('web.overview.title')}</h1>
          <p class="muted">{w.t('web.overview.subtitle', { name: o.organization.name, asOf: o.asOf })}</p>
          {o.reload && (
            <div class="alert alert-warn" role="alert">
              {w.t('web.overview.reload-failed')} {w.of(o.reload.message)}
            </div>
          )}
          {o.problems.length > 0 && (
            <div class="alert alert-warn" role="alert" data-testid="server-problems">
              {w.t('web.overview.server-problems')}
              <MsgList items={o.problems} />
            </div>
          )}
          {o.warnings.length > 0 && (
            <div class="alert alert-warn">
              <MsgList items={o.warnings} />
            </div>
          )}

          <section aria-labelledby="ov-paths">
            <h2 id="ov-paths">{w.t('web.overview.by-path')}</h2>
            <ul class="cards">
              {PATHS.map((p) => (
                <li key={p} class="card">
                  <a href={href('transfers', { path: p })} data-testid={`count-${p}`}>
                    <span class="card-n">{w.exact(o.summary.byPath[p])}</span>
                    <PathBadge path={p} />
                  </a>
                </li>
              ))}
              <li class={`card ${o.uncovered.total ? 'card-bad' : ''}`}>
                <a href={href('transfers', { covered: 'false' })} data-testid="count-uncovered">
                  <span class="card-n">{w.exact(o.summary.uncovered)}</span>
                  <span>{w.t('web.overview.uncovered')}</span>
                </a>
              </li>
              <li class={`card ${o.summary.prohibited ? 'card-bad' : ''}`}>
                <a href={href('transfers', { path: 'prohibited' })} data-testid="count-prohibited-total">
                  <span class="card-n">{w.exact(o.summary.prohibited)}</span>
                  <span>{w.t('web.overview.prohibited')}</span>
                </a>
              </li>
              <li class="card">
                <a href={href('transfers', { review: 'true' })}>
                  <span class="card-n">{w.exact(o.summary.legalReview)}</span>
                  <span>{w.t('web.overview.legal-review')}</span>
                </a>
              </li>
              <li class="card">
                <a href={href('datasets', { level: 'important' })}>
                  <span class="card-n">
                    {w.exact(o.summary.important)} / {w.exact(o.summary.datasets)}
                  </span>
                  <span>{w.t('web.overview.important-datasets', { core: o.summary.core })}</span>
                </a>
              </li>
            </ul>
          </section>

          <div class="two">
            <section aria-labelledby="ov-uncovered">
              <h2 id="ov-uncovered">{w.t('web.overview.uncovered-title', { count: o.uncovered.total })}</h2>
              <BriefList items={o.uncovered.items} empty={w.t('web.overview.none-uncovered')} />
              {o.uncovered.total > o.uncovered.items.length && <a href={href('transfers', { covered: 'false' })}>{w.t('web.overview.see-all', { count: o.uncovered.total })}</a>}
            </section>
            <section aria-labelledby="ov-prohibited">
              <h2 id="ov-prohibited">{w.t('web.overview.prohibited-title', { count: o.prohibited.total })}</h2>
              <BriefList items={o.prohibited.items} empty={w.t('web.overview.none-prohibited')} />
              {o.prohibited.total > o.prohibited.items.length && <a href={href('transfers', { path: 'prohibited' })}>{w.t('web.overview.see-all', { count: o.prohibited.total })}</a>}
            </section>
          </div>

          <section aria-labelledby="ov-deadlines">
            <h2 id="ov-deadlines">{w.t('web.overview.deadlines', { days: o.deadlines.horizonDays })}</h2>
            <DeadlineTable deadlines={o.deadlines.items} caption={w.t('web.overview.deadlines', { days: o.deadlines.horizonDays })} empty={w.t('web.overview.no-deadlines', { until: o.deadlines.until })} />
            {o.unknownDeadlines > 0 && (
              <p class="muted">
                <a href={href('approvals')}>{w.t('web.overview.unknown-deadlines', { count: o.unknownDeadlines })}</a>
              </p>
            )}
            {o.calendar.provisionalYearsUsed.length > 0 && <p class="alert alert-warn">{w.life('calendar.provisional', { years: o.calendar.provisionalYearsUsed.join(', ') })}</p>}
          </section>

          <section aria-labelledby="ov-ytd">
            <h2 id="ov-ytd">{w.t('web.overview.ytd')}</h2>
            <p class="muted">{w.t('web.overview.ytd-help')}</p>
            <div class="ytds">
              {o.organizations.map((org) => (
                <ThresholdChart key={org.organization} org={org} />
              ))}
            </div>
            <p class="muted">{o.ledger ? w.t('web.overview.ledger-read', { count: o.ledger.recordedTransfers, findings: o.ledger.findings }) : w.t('web.overview.ledger-not-read')}</p>
          </section>

          <section aria-labelledby="ov-actions">
            <h2 id="ov-actions">{w.t('web.overview.actions', { count: o.actions.total })}</h2>
            <MsgList items={o.actions.items} empty={w.t('web.overview.no-actions')} />
          </section>
        </div>
      )}
    </Show>
  );
}

function BriefList({ items, empty }: { items: Overview['uncovered']['items']; empty: string }) {
  const w = useWords();
  if (!items.length) return <Empty>{empty}</Empty>;
  return (
    <ul class="briefs">
      {items.map((t) => (
        <li key={t.id}>
          <a href={href(`transfers/${t.id}`)}>{t.id}</a> <span class="muted">{t.date}</span> → {t.recipient} <PathBadge path={t.path} />
          <MsgList items={t.missing} class="missing" />
          <span class="sr-only">{w.list(t.datasets)}</span>
        </li>
      ))}
    </ul>
  );
}
