/**
 * One decision of the gate or the API (`GET /v1/decisions/:id`), explained: what was asked, the answer,
 * its reasons (the API's reason messages, rendered), the rules that decided it, the workspace revision
 * it was judged on, and what would make it pass — the engine's own list of what is missing (which
 * approval, or which part of the scope the nearest approval does not cover). Nothing is judged here.
 */
import { api } from '../api.js';
import { MsgList, PathBadge, RuleList, Show } from '../components.js';
import { useWords, type WireMsg } from '../i18n.js';
import { useLoad } from '../load.js';
import type { PageProps } from '../main.js';
import { href } from '../router.js';

export interface DecisionView {
  id: string;
  decidedAt: string;
  caller: string;
  result: 'allow' | 'deny';
  path: string;
  exemption: string | null;
  coveredBy: string | null;
  approval: { id: string; mechanism: string; reference: string | null; status: string } | null;
  rules: string[];
  reasons: WireMsg[];
  request: {
    transfer: string | null;
    organization: string;
    datasets: string[];
    recipient: string;
    purpose: string;
    time: string;
    date: string;
    persons: number | null;
    sensitivePersons: number | null;
  };
  transfer: { missing: WireMsg[]; datasets: string[] } | null;
  workspaceRevision?: string;
  /** The revision field helper 18-gate adds to decision answers (preferred when present). */
  revision?: string;
  seq?: number;
  entryHash?: string;
  executed?: boolean;
}

export function DecisionPage({ route, session }: PageProps) {
  const w = useWords();
  const id = route.parts[0] ?? '';
  const load = useLoad(() => api.get<DecisionView>(`/v1/decisions/${encodeURIComponent(id)}`), [id]);
  const canEdit = session.permissions.includes('edit');
  return (
    <div class="page" data-testid="decision">
      <p class="crumbs">
        <a href={href('ledger')}>{w.t('web.nav.ledger')}</a> / {w.t('web.ledger.decisions')}
      </p>
      <h1>{w.t('webui.decision.title', { id })}</h1>
      <p class="muted">{w.t('webui.decision.help')}</p>
      <Show load={load}>
        {(d) => {
          const revision = d.revision ?? d.workspaceRevision;
          const q = d.request;
          return (
            <>
              <section aria-labelledby="d-answer" class={`alert ${d.result === 'allow' ? 'alert-ok' : 'alert-bad'}`} data-testid="decision-answer">
                <h2 id="d-answer">{w.t('webui.decision.answer')}</h2>
                <p>
                  <span class={`badge ${d.result === 'allow' ? 'b-ok' : 'b-bad'}`} data-testid="decision-result">
                    {w.t(`web.ledger.${d.result}`)}
                  </span>{' '}
                  <PathBadge path={d.path} exemption={d.exemption} />
                </p>
                <h3>{w.t('webui.decision.reasons')}</h3>
                <div data-testid="decision-reasons">
                  <MsgList items={d.reasons} />
                </div>
              </section>

              <section aria-labelledby="d-pass" data-testid="decision-to-pass">
                <h2 id="d-pass">{w.t('webui.decision.to-pass')}</h2>
                {d.result === 'allow' ? (
                  <p>{w.t('webui.decision.passes')}</p>
                ) : d.path === 'prohibited' ? (
                  <p>{w.t('webui.decision.prohibited', { datasets: w.list(q.datasets) })}</p>
                ) : (
                  <>
                    <p>
                      {w.t('webui.decision.needs-approval', { path: w.maybe(`path.${d.path}`, d.path), date: q.date })}{' '}
                      {w.t('webui.decision.scope', { organization: q.organization, recipient: q.recipient, datasets: w.list(q.datasets) })}
                    </p>
                    {d.transfer && d.transfer.missing.length > 0 && (
                      <>
                        <p>{w.t('webui.decision.missing')}</p>
                        <MsgList items={d.transfer.missing} class="missing" />
                      </>
                    )}
                    {canEdit && (
                      <p>
                        <a class="btn" href={href('new/approvals')}>
                          {w.t('webui.decision.add-approval')}
                        </a>
                      </p>
                    )}
                  </>
                )}
              </section>

              <section aria-labelledby="d-asked">
                <h2 id="d-asked">{w.t('webui.decision.asked')}</h2>
                <dl class="facts" data-testid="decision-asked">
                  {q.transfer && (
                    <>
                      <dt>{w.t('web.col.transfer')}</dt>
                      <dd>
                        <a href={href(`transfers/${q.transfer}`)}>{q.transfer}</a>
                      </dd>
                    </>
                  )}
                  <dt>{w.t('web.col.route')}</dt>
                  <dd>
                    {q.organization} → {q.recipient}
                  </dd>
                  <dt>{w.t('web.col.datasets')}</dt>
                  <dd>{w.list(q.datasets)}</dd>
                  {q.purpose && (
                    <>
                      <dt>{w.t('webui.decision.purpose')}</dt>
                      <dd>{q.purpose}</dd>
                    </>
                  )}
                  {q.persons !== null && (
                    <>
                      <dt>{w.t('webui.decision.persons')}</dt>
                      <dd>
                        {w.exact(q.persons)}
                        {q.sensitivePersons ? ` (${w.exact(q.sensitivePersons)})` : ''}
                      </dd>
                    </>
                  )}
                  <dt>{w.t('webui.decision.time')}</dt>
                  <dd>{w.time(q.time)}</dd>
                  <dt>{w.t('webui.decision.decided')}</dt>
                  <dd>{w.time(d.decidedAt)}</dd>
                  <dt>{w.t('webui.decision.caller')}</dt>
                  <dd>{d.caller}</dd>
                  {d.coveredBy && (
                    <>
                      <dt>{w.t('webui.decision.covered-by')}</dt>
                      <dd>
                        <a href={href('approvals', { approval: d.coveredBy })}>{d.coveredBy}</a>
                        {d.approval?.reference ? ` (${d.approval.reference})` : ''}
                      </dd>
                    </>
                  )}
                  <dt>{w.t('webui.decision.rules')}</dt>
                  <dd data-testid="decision-rules">
                    <RuleList ids={d.rules} />
                  </dd>
                  <dt>{w.t('webui.decision.revision')}</dt>
                  <dd>
                    <code data-testid="decision-revision">{revision ?? '—'}</code>
                  </dd>
                  {d.seq !== undefined && (
                    <>
                      <dt>{w.t('webui.decision.log-place')}</dt>
                      <dd>
                        #{d.seq}
                        {d.entryHash && (
                          <code class="small" title={d.entryHash}>
                            {' '}
                            {d.entryHash.slice(0, 12)}…
                          </code>
                        )}
                      </dd>
                    </>
                  )}
                  {d.executed !== undefined && (
                    <>
                      <dt>{w.t('web.transfer.ledger')}</dt>
                      <dd>{w.t(d.executed ? 'webui.decision.executed' : 'webui.decision.not-executed')}</dd>
                    </>
                  )}
                </dl>
              </section>
            </>
          );
        }}
      </Show>
    </div>
  );
}
