/** Small pieces every page uses: badges, messages, errors, the rule explanation dialog, the pager. */
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import { api, ApiError } from './api.js';
import { titledCodes, useWords, type Wordy } from './i18n.js';
import { useLoad } from './load.js';
import { formatSource } from './sources.js';

export function Msg({ m }: { m: Wordy }) {
  const w = useWords();
  return <>{w.of(m)}</>;
}

export function MsgList({ items, empty, class: cls }: { items: Wordy[]; empty?: string; class?: string }) {
  const w = useWords();
  if (!items.length) return empty ? <p class="muted">{empty}</p> : null;
  return (
    <ul class={cls ?? 'msgs'}>
      {items.map((m, i) => (
        <li key={i}>{w.of(m)}</li>
      ))}
    </ul>
  );
}

const PATH_CLASS: Record<string, string> = {
  'security-assessment': 'b-sa',
  'standard-contract-or-certification': 'b-sc',
  exempt: 'b-ok',
  prohibited: 'b-bad',
};

export function PathBadge({ path, exemption }: { path: string; exemption?: string | null }) {
  const w = useWords();
  const free = exemption === 'FREE-1';
  return <span class={`badge ${PATH_CLASS[path] ?? ''}`}>{free ? w.t('path.free') : w.maybe(`path.${path}`, path)}</span>;
}

const LEVEL_CLASS: Record<string, string> = { core: 'b-bad', important: 'b-sa', general: 'b-plain' };

export function LevelBadge({ level }: { level: string }) {
  const w = useWords();
  return <span class={`badge ${LEVEL_CLASS[level] ?? ''}`}>{w.maybe(`level.${level}`, level)}</span>;
}

/** The confidence, and a rule's provenance when its wording is itself in doubt (carried over from the draft). */
export function ConfidenceBadge({ confidence, provenance }: { confidence: string; provenance?: string | undefined }) {
  const w = useWords();
  const shown = w.maybe(`confidence.${confidence}`, confidence);
  return (
    <span class={`badge ${confidence === 'confirmed' && !provenance ? 'b-plain' : 'b-warn'}`}>
      {provenance ? w.maybe('confidence.with-provenance', shown, { confidence: shown, provenance: w.maybe(`provenance.${provenance}`, provenance) }) : shown}
    </span>
  );
}

export function CoveredBadge({ covered, by, path }: { covered: boolean; by: string | null; path: string }) {
  const w = useWords();
  if (path === 'prohibited') return <span class="badge b-bad">{w.t('web.transfer.never')}</span>;
  if (!covered) return <span class="badge b-bad">{w.t('web.transfer.not-covered')}</span>;
  if (by) return <span class="badge b-ok">{w.t('web.transfer.covered-by', { approval: by })}</span>;
  return <span class="badge b-ok">{w.t('web.transfer.no-mechanism-needed')}</span>;
}

/** An error from the server (or the network) in the reader's language, with the fields it names. */
export function Failure({ error }: { error: unknown }) {
  const w = useWords();
  if (error instanceof ApiError && error.body) {
    const e = { ...error.body.error, message: titledCodes(w, error.body.error.message), issues: error.body.error.issues.map((i) => ({ ...i, message: titledCodes(w, i.message), ...(i.expected ? { expected: titledCodes(w, i.expected) } : {}), ...(i.field === 'role' ? { field: undefined } : {}) })) };
    return (
      <div class="alert alert-bad" role="alert">
        <p>
          <strong>{w.of(e.message)}</strong>
        </p>
        {e.issues.length > 0 && (
          <ul>
            {e.issues.map((i, n) => (
              <li key={n}>
                {[i.file, i.line, i.field].filter((x) => x !== undefined).join(':')} {w.of(i.message)}
                {i.expected ? ` — ${w.t('web.error.expected', { expected: w.of(i.expected) })}` : ''}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  const status = error instanceof ApiError ? error.status : 0;
  return (
    <div class="alert alert-bad" role="alert">
      <p>{status ? w.t('web.error.http', { status }) : w.t('web.error.network')}</p>
    </div>
  );
}

export function Loading() {
  const w = useWords();
  return (
    <p class="muted" role="status">
      {w.t('web.loading')}
    </p>
  );
}

/** Render a loaded view: its data, else progress, else the error. */
export function Show<T>({ load, children }: { load: { state: string; data: T | null; error: unknown }; children: (data: T) => ComponentChildren }) {
  if (load.data !== null && load.data !== undefined) {
    return (
      <>
        {load.state === 'error' && <Failure error={load.error} />}
        {children(load.data)}
      </>
    );
  }
  if (load.state === 'error') return <Failure error={load.error} />;
  return <Loading />;
}

/** A message shown once after an action (a save), on the page it led to. */
export interface Flash {
  text: string;
  /** The location it belongs to: it disappears when the user goes elsewhere. */
  hash: string;
}
export const FlashContext = createContext<(f: Flash) => void>(() => {});

/** Open a rule's explanation (`/v1/rules/:id`, what `chujing explain` shows) from anywhere. */
export const RuleContext = createContext<(id: string) => void>(() => {});

export function RuleButton({ id }: { id: string }) {
  const open = useContext(RuleContext);
  const w = useWords();
  return (
    <button type="button" class="rule" onClick={() => open(id)} aria-label={w.t('web.rule.open', { rule: id })} aria-haspopup="dialog">
      {id}
    </button>
  );
}

export function RuleList({ ids }: { ids: string[] }) {
  return (
    <span class="rules">
      {ids.map((id) => (
        <RuleButton key={id} id={id} />
      ))}
    </span>
  );
}

interface ExplainedRule {
  pack: string;
  kind: string;
  id: string;
  aliases?: string[];
  title: Wordy;
  conditions?: { fact: string; comparator: string; threshold: number | boolean; unit?: string }[];
  dataTypes?: string[];
  outcome?: string;
  source: string;
  confidence: string;
  provenance?: string;
  note?: Wordy;
  notes?: Wordy[];
  sources?: { key: string; title: Wordy; issued?: Wordy; status?: Wordy }[];
}

/** A code shown to a person: its title in the reader's language, the code after it in small type. */
export function Titled({ title, code }: { title: Wordy; code: string }) {
  const w = useWords();
  const text = w.of(title);
  if (!text) return <code>{code}</code>;
  return (
    <>
      {text}
      <span class="code-tag">{code}</span>
    </>
  );
}

export function Condition({ c }: { c: { fact: string; comparator: string; threshold: number | boolean | null; unit?: string } }) {
  const w = useWords();
  const threshold = typeof c.threshold === 'number' ? w.exact(c.threshold) : c.threshold === null ? '—' : w.t(c.threshold ? 'common.yes' : 'common.no');
  return (
    <span class="cond">
      <Titled title={w.maybe(`fact.${c.fact}`, '')} code={c.fact} /> {w.maybe(`comparator.${c.comparator}`, c.comparator)} {threshold}
      {c.unit ? ` ${w.maybe(`unit.${c.unit}`, c.unit)}` : ''}
    </span>
  );
}

let packTitles: Promise<Map<string, Wordy>> | null = null;
/** `pack/data-type` → its title, from `/v1/rules` (asked once per page load). */
function dataTypeTitles(): Promise<Map<string, Wordy>> {
  packTitles ??= api.get<{ packs: { id: string; scenarios: { dataTypes: { id: string; title: Wordy }[] }[] }[] }>('/v1/rules').then(
    (r) => new Map(r.packs.flatMap((p) => p.scenarios.flatMap((s) => s.dataTypes.map((d) => [`${p.id}/${d.id}`, d.title] as [string, Wordy])))),
    (e: unknown) => {
      packTitles = null;
      throw e;
    },
  );
  return packTitles;
}

export function RuleDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const w = useWords();
  const ref = useRef<HTMLDialogElement>(null);
  // `chujing explain --json`: {schema, rules: [...]} (an array in its first version).
  const rule = useLoad(() => api.get<ExplainedRule[] | { rules: ExplainedRule[] }>(`/v1/rules/${encodeURIComponent(id)}`).then((r) => (Array.isArray(r) ? r : r.rules)), [id]);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  // A rule's data types are codes: their titles are in the packs' scenarios (loaded once, when needed).
  const needed = (Array.isArray(rule.data) ? rule.data : []).filter((r) => r.dataTypes?.length).map((r) => r.pack);
  const titles = useLoad(() => (needed.length ? dataTypeTitles() : Promise.resolve(new Map<string, Wordy>())), [needed.join(',')]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="rule-dialog-title" onClose={onClose} onCancel={onClose}>
      <header class="dialog-head">
        <h2 id="rule-dialog-title">{w.t('web.rule.title', { rule: id })}</h2>
        <button type="button" class="btn" onClick={() => ref.current?.close()}>
          {w.t('web.close')}
        </button>
      </header>
      <Show load={rule}>
        {(list) => (
          <div>
            {list.map((r, i) => (
              <section key={i} class="rule-entry">
                <h3>
                  {r.pack} · {w.maybe(`web.rule.kind.${r.kind}`, r.kind)}
                </h3>
                <p class="lead">{w.of(r.title)}</p>
                {r.conditions && r.conditions.length > 0 && (
                  <p>
                    {w.t('web.rule.when')}{' '}
                    {r.conditions.map((c, n) => (
                      <span key={n}>
                        {n > 0 && ` ${w.t('web.rule.or')} `}
                        <Condition c={c} />
                      </span>
                    ))}
                  </p>
                )}
                <dl class="facts">
                  <dt>{w.t('web.rule.source')}</dt>
                  <dd>{formatSource(r.source, w.lang)}</dd>
                  <dt>{w.t('web.rule.confidence')}</dt>
                  <dd>
                    <ConfidenceBadge confidence={r.confidence} provenance={r.provenance} />
                  </dd>
                  {r.outcome && (
                    <>
                      <dt>{w.t('web.rule.outcome')}</dt>
                      <dd>{w.maybe(`level.${r.outcome}`, r.outcome)}</dd>
                    </>
                  )}
                  {r.dataTypes && r.dataTypes.length > 0 && (
                    <>
                      <dt>{w.t('web.rule.data-types')}</dt>
                      <dd data-testid="rule-data-types">
                        {r.dataTypes.map((id, n) => (
                          <span key={id}>
                            {n > 0 && (w.lang === 'zh' ? '、' : ', ')}
                            <Titled title={titles.data?.get(`${r.pack}/${id}`)} code={id} />
                          </span>
                        ))}
                      </dd>
                    </>
                  )}
                  {r.aliases && r.aliases.length > 0 && (
                    <>
                      <dt>{w.t('web.rule.aliases')}</dt>
                      <dd>{w.list(r.aliases)}</dd>
                    </>
                  )}
                </dl>
                {r.note && <p class="note">{w.of(r.note)}</p>}
                {r.notes && <MsgList items={r.notes} class="notes" />}
                {r.sources && r.sources.length > 0 && (
                  <ul class="notes">
                    {r.sources.map((s) => (
                      <li key={s.key}>
                        <strong>{s.key}</strong> {w.of(s.title)}
                        {s.issued ? ` — ${w.of(s.issued)}` : ''}
                        {s.status ? `; ${w.of(s.status)}` : ''}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            ))}
          </div>
        )}
      </Show>
    </dialog>
  );
}

export function Pager({ offset, limit, matched, onPage, label }: { offset: number; limit: number; matched: number; onPage: (offset: number) => void; label: string }) {
  const w = useWords();
  const from = matched === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, matched);
  const pages = Math.max(1, Math.ceil(matched / limit));
  const current = Math.floor(offset / limit) + 1;
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" class="btn" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        {w.t('web.pager.previous')}
      </button>
      <span aria-live="polite">{w.t('web.pager.range', { from: w.exact(from), to: w.exact(to), total: w.exact(matched), page: current, pages })}</span>
      <button type="button" class="btn" disabled={to >= matched} onClick={() => onPage(offset + limit)}>
        {w.t('web.pager.next')}
      </button>
    </nav>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="muted empty">{children}</p>;
}
