/**
 * The ledger: exact year-to-date distinct counts (`/v1/ledger/stats`), whether the hash chain is intact
 * (`/v1/ledger/verify`), the most recent executed transfers, and the egress gate's decisions with the
 * decision log's own chain check.
 */
import { api, ApiError } from '../api.js';
import { Empty, Failure, Show } from '../components.js';
import { useWords } from '../i18n.js';
import { useLoad } from '../load.js';
import type { PageProps } from '../main.js';
import { href } from '../router.js';

interface Stats {
  counts: { organization: string; year: number; entries: number; persons: number; sensitivePersons: number; chargingConsumptionPersons: number; vehicles: number }[];
}
interface Verify {
  intact: boolean;
  organizations: { organization: string; entries: number; headSeq: number; headHash: string; checkpoints: number; headSealed: boolean | null; break: Break | null }[];
  firstBreak: Break | null;
}
interface Break {
  organization: string;
  kind: string;
  seq: number | null;
  id: string | null;
  detail: string;
}
interface Recent {
  entries: {
    organization: string;
    seq: number;
    id: string;
    /** A workspace transfer's id, else the id of the decision that allowed it. */
    workspaceTransfer?: boolean;
    time: string;
    datasets: string[];
    recipient: string;
    kind: string;
    mechanism: string | null;
    approvalReference: string | null;
    operator: string | null;
    added: Record<string, number>;
    recordedAt: string;
  }[];
}
interface Decisions {
  decisions: { seq: number; id: string; decidedAt: string; caller: string; result: 'allow' | 'deny'; path: string; coveredBy: string | null; request: { organization: string; datasets: string[]; recipient: string; date: string }; execution: unknown }[];
  counts: { allow: number; deny: number };
}
interface LogVerify {
  intact: boolean;
  entries: number;
  firstBreak: unknown;
}

export function LedgerPage(_: PageProps) {
  const w = useWords();
  const stats = useLoad(() => api.get<Stats>('/v1/ledger/stats'), []);
  const verify = useLoad(() => api.get<Verify>('/v1/ledger/verify'), []);
  const recent = useLoad(() => api.get<Recent>('/v1/ui/ledger/recent', { limit: 20 }), []);
  const decisions = useLoad(() => api.get<Decisions>('/v1/decisions', { limit: 20 }), []);
  const logVerify = useLoad(() => api.get<LogVerify>('/v1/decision-log/verify'), []);
  const logOff = (e: unknown) => e instanceof ApiError && e.status === 503;

  return (
    <div class="page" data-testid="ledger">
      <h1>{w.t('web.ledger.title')}</h1>
      <p class="muted">{w.t('web.ledger.help')}</p>

      <section aria-labelledby="l-verify">
        <h2 id="l-verify">{w.t('web.ledger.chain')}</h2>
        <Show load={verify}>
          {(v) => (
            <div class={`alert ${v.intact ? 'alert-ok' : 'alert-bad'}`} data-testid="ledger-verify" role="status">
              <p>
                <strong>{v.intact ? w.t('web.ledger.intact') : w.t('web.ledger.broken')}</strong>
              </p>
              {v.firstBreak && <p>{w.t('web.ledger.first-break', { organization: v.firstBreak.organization, seq: v.firstBreak.seq ?? '—', id: v.firstBreak.id ?? '—', kind: w.maybe(`web.ledger.break.${v.firstBreak.kind}`, v.firstBreak.kind), detail: v.firstBreak.detail })}</p>}
              <ul class="notes">
                {v.organizations.map((o) => (
                  <li key={o.organization}>
                    {w.t('web.ledger.org-chain', { organization: o.organization, entries: w.exact(o.entries), checkpoints: o.checkpoints })}
                    {o.headSealed === true && ` · ${w.t('web.ledger.sealed')}`}
                    {o.entries > 0 && (
                      <code class="small" title={o.headHash}>
                        {' '}
                        {o.headHash.slice(0, 12)}…
                      </code>
                    )}
                  </li>
                ))}
              </ul>
              {v.organizations.length === 0 && <p class="muted">{w.t('web.ledger.empty')}</p>}
            </div>
          )}
        </Show>
      </section>

      <section aria-labelledby="l-stats">
        <h2 id="l-stats">{w.t('web.ledger.ytd')}</h2>
        <Show load={stats}>
          {(s) =>
            s.counts.length === 0 ? (
              <Empty>{w.t('web.ledger.no-counts')}</Empty>
            ) : (
              <table>
                <caption class="sr-only">{w.t('web.ledger.ytd')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{w.t('web.col.organization')}</th>
                    <th scope="col">{w.t('web.ledger.year')}</th>
                    <th scope="col" class="num">
                      {w.t('web.ledger.entries')}
                    </th>
                    <th scope="col" class="num">
                      {w.t('web.ytd.persons')}
                    </th>
                    <th scope="col" class="num">
                      {w.t('web.ytd.sensitive')}
                    </th>
                    <th scope="col" class="num">
                      {w.t('web.ledger.charging')}
                    </th>
                    <th scope="col" class="num">
                      {w.t('web.ledger.vehicles')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {s.counts.map((c) => (
                    <tr key={`${c.organization}-${c.year}`}>
                      <th scope="row">{c.organization}</th>
                      <td>{c.year}</td>
                      <td class="num">{w.exact(c.entries)}</td>
                      <td class="num">{w.exact(c.persons)}</td>
                      <td class="num">{w.exact(c.sensitivePersons)}</td>
                      <td class="num">{w.exact(c.chargingConsumptionPersons)}</td>
                      <td class="num">{w.exact(c.vehicles)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Show>
      </section>

      <section aria-labelledby="l-recent">
        <h2 id="l-recent">{w.t('web.ledger.recent')}</h2>
        <Show load={recent}>
          {(r) =>
            r.entries.length === 0 ? (
              <Empty>{w.t('web.ledger.no-entries')}</Empty>
            ) : (
              <div class="scroll">
                <table data-testid="ledger-recent">
                  <caption class="sr-only">{w.t('web.ledger.recent')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{w.t('web.col.transfer')}</th>
                      <th scope="col">{w.t('web.ledger.time')}</th>
                      <th scope="col">{w.t('web.col.route')}</th>
                      <th scope="col">{w.t('web.col.datasets')}</th>
                      <th scope="col">{w.t('web.approval.mechanism')}</th>
                      <th scope="col" class="num">
                        {w.t('web.ledger.new-persons')}
                      </th>
                      <th scope="col">{w.t('web.ledger.operator')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.entries.map((e) => (
                      <tr key={`${e.organization}-${e.seq}`}>
                        <th scope="row">
                          <a href={href(e.workspaceTransfer === false ? `decisions/${e.id}` : `transfers/${e.id}`)}>{e.id}</a>
                          <div class="muted small">#{e.seq}</div>
                        </th>
                        <td>{w.time(e.time)}</td>
                        <td>
                          {e.organization} → {e.recipient}
                        </td>
                        <td>{w.list(e.datasets)}</td>
                        <td>
                          {e.mechanism ? w.maybe(`mechanism.${e.mechanism}`, e.mechanism) : '—'}
                          {e.approvalReference && <div class="muted small">{e.approvalReference}</div>}
                        </td>
                        <td class="num">
                          {w.exact(e.added.persons ?? 0)}
                          {(e.added.sensitivePersons ?? 0) > 0 && <span class="muted"> ({w.exact(e.added.sensitivePersons)})</span>}
                        </td>
                        <td>{e.operator ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Show>
      </section>

      <section aria-labelledby="l-decisions">
        <h2 id="l-decisions">{w.t('web.ledger.decisions')}</h2>
        {logVerify.state === 'error' && logOff(logVerify.error) ? (
          <p class="muted">{w.t('web.ledger.log-off')}</p>
        ) : (
          <Show load={logVerify}>
            {(v) => (
              <p class={`alert ${v.intact ? 'alert-ok' : 'alert-bad'}`} data-testid="decision-log-verify">
                {v.intact ? w.t('web.ledger.log-intact', { entries: w.exact(v.entries) }) : w.t('web.ledger.log-broken')}
              </p>
            )}
          </Show>
        )}
        {decisions.state === 'error' && logOff(decisions.error) ? null : decisions.state === 'error' ? (
          <Failure error={decisions.error} />
        ) : (
          <Show load={decisions}>
            {(d) =>
              d.decisions.length === 0 ? (
                <Empty>{w.t('web.ledger.no-decisions')}</Empty>
              ) : (
                <>
                  <p>{w.t('web.ledger.decision-counts', { allow: w.exact(d.counts.allow), deny: w.exact(d.counts.deny) })}</p>
                  <div class="scroll">
                    <table data-testid="decisions">
                      <caption class="sr-only">{w.t('web.ledger.decisions')}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{w.t('web.ledger.decided')}</th>
                          <th scope="col">{w.t('web.ledger.result')}</th>
                          <th scope="col">{w.t('web.col.route')}</th>
                          <th scope="col">{w.t('web.col.datasets')}</th>
                          <th scope="col">{w.t('web.col.path')}</th>
                          <th scope="col">{w.t('web.ledger.caller')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {d.decisions.map((x) => (
                          <tr key={x.id}>
                            <td>
                              {w.time(x.decidedAt)}
                              <div class="small">
                                <a href={href(`decisions/${x.id}`)}>
                                  <code>{x.id}</code>
                                </a>
                              </div>
                            </td>
                            <td>
                              <span class={`badge ${x.result === 'allow' ? 'b-ok' : 'b-bad'}`}>{w.t(`web.ledger.${x.result}`)}</span>
                              {x.execution ? <div class="muted small">{w.t('web.ledger.executed')}</div> : null}
                            </td>
                            <td>
                              {x.request.organization} → {x.request.recipient}
                            </td>
                            <td>{w.list(x.request.datasets)}</td>
                            <td>
                              {w.maybe(`path.${x.path}`, x.path)}
                              {x.coveredBy && <div class="muted small">{x.coveredBy}</div>}
                            </td>
                            <td>{x.caller}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </>
              )
            }
          </Show>
        )}
      </section>
    </div>
  );
}
