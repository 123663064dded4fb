/**
 * Approvals and deadlines (`/v1/status`, what `chujing status` shows): a timeline of each approval's
 * validity, its extension window and its filing and answer deadlines, counted on the working-day
 * calendar; dates counted through a provisional calendar year are marked. The same deadlines download
 * as an iCalendar file (`/v1/status.ics`).
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { Empty, Failure, MsgList, RuleList, Show } from '../components.js';
import { useWords } from '../i18n.js';
import { useLoad } from '../load.js';
import type { PageProps } from '../main.js';
import { href } from '../router.js';
import { formatSource } from '../sources.js';
import { DataTable } from '../table.js';
import type { Approval, DeadlineW, Status } from '../types.js';

const STATE_CLASS: Record<string, string> = {
  overdue: 'b-bad',
  missed: 'b-bad',
  due: 'b-warn',
  open: 'b-warn',
  unknown: 'b-warn',
  upcoming: 'b-info',
  done: 'b-ok',
  late: 'b-warn',
  passed: 'b-plain',
};

const APPROVAL_CLASS: Record<string, string> = { valid: 'b-ok', expired: 'b-bad', inactive: 'b-bad', pending: 'b-warn', 'not-yet-valid': 'b-info' };

export function DeadlineText({ d }: { d: DeadlineW }) {
  const w = useWords();
  return <>{w.life(`kind.${d.kind}`, { approval: d.approval, until: d.until ?? '?' })}</>;
}

/** The deadlines, one a row (the approvals page with the details, the overview without). */
export function DeadlineTable({ deadlines, caption, empty, testid, detailed }: { deadlines: DeadlineW[]; caption: string; empty: string; testid?: string; detailed?: boolean }) {
  const w = useWords();
  return (
    <DataTable
      rows={deadlines}
      rowKey={(d) => `${d.approval}.${d.kind}`}
      caption={caption}
      empty={empty}
      {...(testid ? { testid } : {})}
      columns={[
        {
          head: w.t('web.col.date'),
          nowrap: true,
          cell: (d) => (
            <>
              {d.date ?? (detailed && d.until ? '' : '—')}
              {detailed && d.until && d.until !== d.date && `${d.date ? ' ' : ''}– ${d.until}`}
              {d.provisionalYears.length > 0 && (
                <span class="badge b-warn provisional" title={provisionalReason(w, d)} data-testid="provisional">
                  {w.life('calendar.provisional-mark', { year: d.provisionalYears.join(', ') })}
                </span>
              )}
            </>
          ),
        },
        {
          head: w.t('web.col.deadline'),
          cell: (d) => (
            <>
              <DeadlineText d={d} />
              {detailed && d.error && <div class="muted small">{w.t('web.deadline.unknown', { reason: d.error })}</div>}
              {detailed &&
                notesBesideConditions(d).map((n, k) => (
                  <div key={k} class="muted small">
                    {w.of(n)}
                  </div>
                ))}
              {detailed && <ExtensionConditions d={d} />}
            </>
          ),
        },
        { head: w.t('web.col.state'), cell: (d) => <DeadlineState d={d} /> },
        { head: w.t('web.col.rules'), cell: (d) => <RuleList ids={d.rules} /> },
      ]}
    />
  );
}

/** A deadline's notes without the extension conditions' own messages (ExtensionConditions shows those, with their source). */
function notesBesideConditions(d: DeadlineW): DeadlineW['notes'] {
  return d.conditions?.length ? d.notes.filter((n) => !(typeof n === 'object' && n !== null && 'code' in n && String(n.code).startsWith('law.extension.'))) : d.notes;
}

/**
 * SA-6's conditions for extending a result, where the window is open or coming (SA-6-C1, UPD-9): the
 * life cycle states each as UNCONFIRMED with its source and the growth seen so far; nothing is decided here.
 */
export function ExtensionConditions({ d }: { d: DeadlineW }) {
  const w = useWords();
  if (!d.conditions?.length) return null;
  return (
    <div class="conditions" data-testid="extension-conditions">
      <div class="small">
        <strong>{w.t('display.web.extension.heading')}</strong>
      </div>
      {d.conditions.map((c, k) => (
        <p key={k} class={`alert ${c.comparison?.exceeds ? 'alert-bad' : 'alert-warn'} small`}>
          <span class="badge b-warn">{w.t('display.web.extension.unconfirmed')}</span> {w.of(c.message)} {w.of(c.comparisonMessage)} <RuleList ids={[c.rule]} />{' '}
          <span class="muted">{w.t('display.web.extension.source', { source: formatSource(c.source, w.lang) })}</span>
        </p>
      ))}
    </div>
  );
}

/** Why a deadline is provisional, for its hover text: the life cycle's own notes, else the calendar years. */
export function provisionalReason(w: ReturnType<typeof useWords>, d: DeadlineW): string {
  const notes = notesBesideConditions(d)
    .map((n) => w.of(n))
    .filter(Boolean);
  return [w.life('ics.provisional', { years: d.provisionalYears.join(', ') }), ...notes].join('\n');
}

export function DeadlineState({ d }: { d: DeadlineW }) {
  const w = useWords();
  return (
    <>
      <span class={`badge ${STATE_CLASS[d.state] ?? ''}`}>{w.life(`dstate.${d.state}`)}</span>
      {d.daysLeft !== null && d.state !== 'done' && d.state !== 'passed' && <span class="muted small"> {w.t('web.deadline.days-left', { days: d.daysLeft })}</span>}
      {d.doneOn && <span class="muted small"> {w.t('web.deadline.done-on', { date: d.doneOn })}</span>}
    </>
  );
}

export function ApprovalsPage({ route, session }: PageProps) {
  const w = useWords();
  const load = useLoad(() => api.get<Status>('/v1/ui/status'), []);
  const focus = route.query.get('approval');
  const [downloadError, setDownloadError] = useState<unknown>(null);
  useEffect(() => {
    if (focus && load.state === 'ok') document.getElementById(`approval-${focus}`)?.scrollIntoView({ block: 'start' });
  }, [focus, load.state]);
  const canEdit = session.permissions.includes('edit');
  return (
    <Show load={load}>
      {(s) => (
        <div class="page" data-testid="approvals">
          <div class="page-head">
            <h1>{w.t('web.approvals.title')}</h1>
            <span class="actions">
              <button
                type="button"
                class="btn"
                data-testid="download-ics"
                onClick={() => {
                  setDownloadError(null);
                  api.download(`/v1/status.ics?lang=${w.lang}`, 'chujing-deadlines.ics').catch(setDownloadError);
                }}
              >
                {w.t('web.approvals.ics')}
              </button>
              {canEdit && (
                <a class="btn btn-primary" href={href('new/approvals')}>
                  {w.t('web.approvals.add')}
                </a>
              )}
            </span>
          </div>
          {downloadError !== null && <Failure error={downloadError} />}
          <p class="muted">{w.t('web.approvals.summary', { approvals: s.summary.approvals, valid: s.summary.valid, soon: s.summary.expiringSoon, windows: s.summary.windowsOpen, overdue: s.summary.filingsOverdue, asOf: s.asOf })}</p>
          {s.calendar.provisionalYearsUsed.length > 0 && <p class="alert alert-warn">{w.life('calendar.provisional', { years: s.calendar.provisionalYearsUsed.join(', ') })}</p>}
          {s.approvals.length === 0 ? (
            <Empty>{w.t('web.approvals.none')}</Empty>
          ) : (
            <section aria-labelledby="ap-timeline">
              <h2 id="ap-timeline">{w.t('web.approvals.timeline')}</h2>
              <Timeline status={s} />
            </section>
          )}

          <section aria-labelledby="ap-deadlines">
            <h2 id="ap-deadlines">{w.t('web.approvals.deadlines')}</h2>
            <DeadlineTable deadlines={s.deadlines} caption={w.t('web.approvals.deadlines')} empty={w.t('web.approvals.no-deadlines')} testid="deadline-table" detailed />
          </section>

          <section aria-labelledby="ap-list">
            <h2 id="ap-list">{w.t('web.approvals.list')}</h2>
            <div class="approval-cards">
              {s.approvals.map((a) => (
                <ApprovalCard key={a.id} a={a} focused={a.id === focus} canEdit={canEdit} />
              ))}
            </div>
          </section>

          {s.uncoveredTransfers.length > 0 && (
            <section aria-labelledby="ap-uncovered">
              <h2 id="ap-uncovered">{w.life('section.uncovered')}</h2>
              <ul class="briefs">
                {s.uncoveredTransfers.map((u) => (
                  <li key={u.transfer}>
                    <a href={href(`transfers/${u.transfer}`)}>{u.transfer}</a> <span class="muted">{u.date}</span> · {w.t(`path.${u.path}` as never)}
                    <ul class="notes">
                      {u.nearest.length === 0 && <li>{w.life('gap.none')}</li>}
                      {u.nearest.map((n) => (
                        <li key={n.approval}>{n.gaps.map((g) => gapText(w, n.approval, g as unknown as Record<string, unknown>)).join(w.lang === 'zh' ? '；' : '; ')}</li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </section>
          )}

          <section aria-labelledby="ap-calendar">
            <h2 id="ap-calendar">{w.t('web.approvals.calendar')}</h2>
            <ul class="notes">
              {s.calendar.sources.map((c) => (
                <li key={c.year}>
                  <strong>{c.provisional ? w.life('calendar.provisional-mark', { year: c.year }) : c.year}</strong>{' '}
                  {/* The built-in years' sources in the reader's language; a user's own calendar file as written. */}
                  <span class="muted small">
                    {c.origin === 'built-in' ? w.maybe(`webui.calendar.source.${c.year}`, c.source) : c.origin === 'statutory' ? w.t('webui.calendar.source.statutory') : c.source}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </Show>
  );
}

function gapText(w: ReturnType<typeof useWords>, approval: string, gap: Record<string, unknown>): string {
  const { kind, ...rest } = gap;
  if (kind === 'no-validity') return w.life('gap.no-validity', { approval, basis: rest.basis });
  if (kind === 'inactive') return w.life('gap.inactive', { approval, status: w.life(`approval-status.${String(rest.status)}`) });
  const params: Record<string, string | number> = { approval };
  for (const [k, v] of Object.entries(rest)) params[k] = typeof v === 'number' ? v : String(v);
  return w.life(`gap.${String(kind)}`, params);
}

function ApprovalCard({ a, focused, canEdit }: { a: Approval; focused: boolean; canEdit: boolean }) {
  const w = useWords();
  return (
    <article id={`approval-${a.id}`} class={`approval ${focused ? 'focused' : ''}`} aria-labelledby={`approval-h-${a.id}`}>
      <h3 id={`approval-h-${a.id}`}>
        {a.id} <span class={`badge ${APPROVAL_CLASS[a.state] ?? ''}`}>{w.life(`astate.${a.state}`)}</span>
        {a.expiringSoon && <span class="badge b-warn">{w.life('astate.soon')}</span>}
      </h3>
      <dl class="facts">
        <dt>{w.t('web.approval.mechanism')}</dt>
        <dd>{w.t(`mechanism.${a.mechanism}` as never)}</dd>
        <dt>{w.t('web.approval.status')}</dt>
        <dd>{w.life(`approval-status.${a.status}`)}</dd>
        {a.reference && (
          <>
            <dt>{w.t('web.approval.reference')}</dt>
            <dd>{a.reference}</dd>
          </>
        )}
        <dt>{w.t('web.approval.organizations')}</dt>
        <dd>{w.list(a.organizations)}</dd>
        <dt>{w.t('web.approval.validity')}</dt>
        <dd>
          {a.validity.start ?? '—'} – {a.validity.end ?? w.life('open-ended')} ({w.of(a.validity.basis)}) <RuleList ids={a.validity.rules} />
          {a.daysToExpiry !== null && <div class="muted small">{w.t('web.deadline.days-left', { days: a.daysToExpiry })}</div>}
        </dd>
        {a.renewedBy && (
          <>
            <dt>{w.t('web.approval.renewed-by')}</dt>
            <dd>{a.renewedBy}</dd>
          </>
        )}
      </dl>
      <MsgList items={a.validity.notes as never} class="notes" />
      {a.deadlines.map((d) => (
        <ExtensionConditions key={d.kind} d={d} />
      ))}
      <p class="card-actions">
        {canEdit && (
          <a class="btn" href={href(`edit/approvals/${a.id}`)}>
            {w.t('web.edit')}
          </a>
        )}
      </p>
    </article>
  );
}

/** Validity bars, extension windows and deadline markers on one time axis. */
function Timeline({ status }: { status: Status }) {
  const w = useWords();
  const asOf = status.asOf;
  const dates: string[] = [asOf];
  for (const a of status.approvals) {
    for (const i of a.validity.intervals) {
      dates.push(i.from);
      if (i.to) dates.push(i.to);
    }
    for (const d of a.deadlines) {
      if (d.date) dates.push(d.date);
      if (d.until) dates.push(d.until);
    }
  }
  const startYear = Number(dates.reduce((m, d) => (d < m ? d : m)).slice(0, 4));
  const endYear = Number(dates.reduce((m, d) => (d > m ? d : m)).slice(0, 4)) + 1;
  const t0 = Date.UTC(startYear, 0, 1);
  const t1 = Date.UTC(endYear, 11, 31);
  const LABEL = 120;
  const WIDTH = 900;
  const ROW = 44;
  const span = WIDTH - LABEL - 10;
  const x = (iso: string) => LABEL + ((Date.parse(`${iso}T00:00:00Z`) - t0) / (t1 - t0)) * span;
  const height = 28 + status.approvals.length * ROW;
  const years: number[] = [];
  for (let y = startYear; y <= endYear; y++) years.push(y);
  const end = `${endYear}-12-31`;
  const label = w.t('web.approvals.timeline-label', { count: status.approvals.length, from: startYear, to: endYear });
  return (
    <div class="scroll">
      <svg class="timeline" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={label} data-testid="timeline">
        {years.map((y) => (
          <g key={y}>
            <line x1={x(`${y}-01-01`)} x2={x(`${y}-01-01`)} y1={16} y2={height} class="tl-grid" />
            <text x={x(`${y}-01-01`) + 3} y={12} class="tl-year">
              {y}
            </text>
          </g>
        ))}
        {status.approvals.map((a, row) => {
          const y = 24 + row * ROW;
          return (
            <g key={a.id}>
              <text x={4} y={y + 16} class="tl-label">
                {a.id}
              </text>
              {a.validity.intervals.map((i, k) => (
                <rect key={k} x={x(i.from)} y={y + 4} width={Math.max(2, x(i.to ?? end) - x(i.from))} height={16} class={`tl-valid tl-${a.state}${i.to ? '' : ' tl-open'}`}>
                  <title>{`${a.id}: ${i.from} – ${i.to ?? w.life('open-ended')}`}</title>
                </rect>
              ))}
              {a.deadlines.map((d, k) => {
                if (!d.date) return null;
                const provisional = d.provisionalYears.length > 0;
                const conditions = d.conditions?.length ? ` · ${w.t('display.web.extension.heading')}: ${w.t('display.web.extension.unconfirmed')}` : '';
                const text = `${w.life(`kind.${d.kind}`, { approval: d.approval, until: d.until ?? '?' })}: ${d.date} (${w.life(`dstate.${d.state}`)})${provisional ? ` · ${w.life('calendar.provisional-mark', { year: d.provisionalYears.join(', ') })}` : ''}${conditions}`;
                return (
                  <g key={k}>
                    {d.until && d.until !== d.date && (
                      <rect x={x(d.date)} y={y + 22} width={Math.max(2, x(d.until) - x(d.date))} height={6} class={`tl-window${provisional ? ' tl-provisional' : ''}`}>
                        <title>{text}</title>
                      </rect>
                    )}
                    <circle cx={x(d.date)} cy={y + 12} r={6} class={`tl-deadline tl-d-${d.state}${provisional ? ' tl-provisional' : ''}`}>
                      <title>{text}</title>
                    </circle>
                  </g>
                );
              })}
            </g>
          );
        })}
        <line x1={x(asOf)} x2={x(asOf)} y1={16} y2={height} class="tl-today" />
        <text x={x(asOf) + 3} y={height - 4} class="tl-today-label">
          {w.t('web.approvals.today', { date: asOf })}
        </text>
      </svg>
      <p class="legend muted small">
        <span class="key key-valid" aria-hidden="true" /> {w.t('web.approvals.legend-valid')} <span class="key key-window" aria-hidden="true" /> {w.t('web.approvals.legend-window')}{' '}
        <span class="key key-deadline" aria-hidden="true" /> {w.t('web.approvals.legend-deadline')} <span class="key key-provisional" aria-hidden="true" /> {w.t('web.approvals.legend-provisional')}
      </p>
    </div>
  );
}
