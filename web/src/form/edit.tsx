/**
 * Adding and editing datasets, recipients, transfers and approvals. The form's entry is checked with
 * the workspace schema before it is sent (field errors in the reader's language); the server checks it
 * again with the whole workspace (references, the loader) and writes it into the YAML file that holds
 * it, comments and layout kept. Edits carry the entry's ETag (If-Match): when someone changed the entry
 * since the form was opened, the server answers 412 and the form shows both versions side by side —
 * nothing is overwritten without the user choosing to.
 */
import { useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, type ErrorIssue } from '../api.js';
import { Failure, FlashContext, Show } from '../components.js';
import { useWords, type Words } from '../i18n.js';
import { useLoad } from '../load.js';
import type { PageProps } from '../main.js';
import { go, href } from '../router.js';
import type { Choices } from '../types.js';
import { FACTS } from '../../../src/rules/facts.js';
import { COLLECTIONS, ENTRY_SCHEMAS, FORMS, entryOf, keepMine, fieldOfPath, pathOfServerField, valuesOf, type Collection, type ExtensionRow, type FactRow, type Field, type FormContext, type Json, type Option, type Scenario, type Values } from './fields.js';
import { problemsOf, type FieldProblem } from './issues.js';

interface EntryView {
  collection: Collection;
  id: string;
  etag: string;
  file: string;
  line: number;
  entry: Json;
}

interface RulesJson {
  packs: { id: string; status: string; effective: string; scenarios: Scenario[] }[];
}

const inputId = (path: string) => `f-${path.replace(/\./g, '-')}`;

/** A role without the edit permission sees why, instead of a form that fails on save. */
export function EditPage({ route, session }: PageProps) {
  const w = useWords();
  if (!session.permissions.includes('edit'))
    return (
      <div class="page" data-testid="read-only">
        <h1>{w.t('webui.title.edit')}</h1>
        <p class="alert alert-warn" role="alert">
          {w.t('webui.read-only', { role: w.maybe(`web.role.${session.role}`, session.role) })}
        </p>
      </div>
    );
  return <EditForm route={route} />;
}

function EditForm({ route }: { route: PageProps['route'] }) {
  const w = useWords();
  const collection = route.parts[0] as Collection;
  const id = route.page === 'edit' ? route.parts[1] : undefined;
  const valid = (COLLECTIONS as readonly string[]).includes(collection) && (route.page === 'new' || id);
  const load = useLoad(async () => {
    if (!valid) throw new Error('bad route');
    const [choices, rules, entry] = await Promise.all([
      api.get<Choices>('/v1/ui/choices'),
      collection === 'datasets' ? api.get<RulesJson>('/v1/rules') : Promise.resolve(null),
      id ? api.getWithEtag<EntryView>(`/v1/workspace/${collection}/${encodeURIComponent(id)}`) : Promise.resolve(null),
    ]);
    return { choices, rules, entry };
  }, [collection, id]);
  if (!valid) return <p>{w.t('web.page.not-found')}</p>;
  return (
    <Show load={load}>
      {({ choices, rules, entry }) => {
        const pack = rules ? (rules.packs.find((p) => p.id === choices.rulePack) ?? [...rules.packs].filter((p) => p.id.startsWith('cn-auto') && p.status === 'in-force').sort((a, b) => b.effective.localeCompare(a.effective))[0]) : undefined;
        const ctx: FormContext = { choices, scenarios: pack?.scenarios ?? [], editing: !!entry };
        return <EntryForm key={`${collection}/${id ?? ''}`} collection={collection} ctx={ctx} initial={entry ? { ...entry.body, etag: entry.etag ?? entry.body.etag } : null} />;
      }}
    </Show>
  );
}

function detailHash(collection: Collection, id: string): string {
  switch (collection) {
    case 'transfers':
      return href(`transfers/${id}`);
    case 'datasets':
      return href(`datasets/${id}`);
    case 'approvals':
      return href('approvals', { approval: id });
    case 'recipients':
      return href('transfers', { recipient: id });
  }
}

function EntryForm({ collection, ctx, initial }: { collection: Collection; ctx: FormContext; initial: EntryView | null }) {
  const w = useWords();
  const flash = useContext(FlashContext);
  const fields = FORMS[collection];
  const [base, setBase] = useState<Json>(initial?.entry ?? {});
  const [etag, setEtag] = useState<string | null>(initial?.etag ?? null);
  const [values, setValues] = useState<Values>(() => valuesOf(collection, initial?.entry ?? {}));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [serverError, setServerError] = useState<unknown>(null);
  const [otherIssues, setOtherIssues] = useState<ErrorIssue[]>([]);
  const [conflict, setConflict] = useState<EntryView | null>(null);
  const [saving, setSaving] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const conflictRef = useRef<HTMLElement>(null);

  const set = (path: string, v: Values[string]) => setValues((old) => ({ ...old, [path]: v }));
  const byField = useMemo(() => {
    const m = new Map<string, FieldProblem[]>();
    for (const p of problems) if (p.field) m.set(p.field, [...(m.get(p.field) ?? []), p]);
    return m;
  }, [problems]);

  useEffect(() => {
    if (problems.length || otherIssues.length) summary.current?.focus();
  }, [problems, otherIssues]);
  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setServerError(null);
    setOtherIssues([]);
    const entry = entryOf(collection, base, values);
    const checked = ENTRY_SCHEMAS[collection].safeParse(entry);
    if (!checked.success) {
      setProblems(problemsOf(collection, checked.error, entry));
      return;
    }
    setProblems([]);
    setSaving(true);
    try {
      const id = String(entry.id);
      const answer = initial ? await api.send<EntryView>('PUT', `/v1/workspace/${collection}/${encodeURIComponent(id)}`, entry, etag ?? undefined) : await api.send<EntryView>('POST', `/v1/workspace/${collection}`, entry);
      const target = detailHash(collection, answer.body.id);
      flash({ text: w.t(initial ? 'web.form.saved' : 'web.form.added', { id: answer.body.id, file: answer.body.file }), hash: target });
      location.hash = target;
    } catch (err) {
      if (err instanceof ApiError && err.status === 412 && initial) {
        // Someone changed the entry since this form was opened: show both, overwrite nothing.
        const theirs = await api.getWithEtag<EntryView>(`/v1/workspace/${collection}/${encodeURIComponent(initial.id)}`).catch(() => null);
        if (theirs) setConflict({ ...theirs.body, etag: theirs.etag ?? theirs.body.etag });
        else setServerError(err);
      } else if (err instanceof ApiError && err.body && err.status < 500) {
        // The server names fields as body.<path>: put each next to its input.
        const mine: FieldProblem[] = [];
        const rest: ErrorIssue[] = [];
        for (const issue of err.body.error.issues) {
          const path = pathOfServerField(issue.field);
          const field = path ? fieldOfPath(collection, path) : null;
          if (field) mine.push({ field: field.path, code: issue.expected ? 'web.form.server-expected' : 'web.form.server', params: { message: issue.message, ...(issue.expected ? { expected: issue.expected } : {}) } });
          else rest.push(issue);
        }
        setProblems(mine);
        setOtherIssues(rest);
        setServerError(err);
      } else setServerError(err);
    } finally {
      setSaving(false);
    }
  };

  const title = initial ? w.t(`web.form.edit-title.${collection}`, { id: initial.id }) : w.t(`web.form.new-title.${collection}`);
  const allProblems = problems.length + otherIssues.length;
  return (
    <div class="page" data-testid="edit-form">
      <p class="crumbs">
        <a href={href(collection === 'recipients' ? 'datasets' : collection)}>{w.t(`web.nav.${collection === 'recipients' ? 'datasets' : collection}`)}</a> / {initial ? initial.id : w.t('web.form.new')}
      </p>
      <h1>{title}</h1>
      {initial && <p class="muted">{w.t('web.form.where', { file: initial.file, line: initial.line })}</p>}
      <p class="muted">{w.t('web.form.help')}</p>

      {conflict && (
        <ConflictPanel
          focusRef={conflictRef}
          collection={collection}
          fields={fields}
          mine={values}
          base={valuesOf(collection, base)}
          theirs={conflict}
          onTakeTheirs={() => {
            setBase(conflict.entry);
            setValues(valuesOf(collection, conflict.entry));
            setEtag(conflict.etag);
            setConflict(null);
          }}
          onKeepMine={() => {
            // Three-way merge against the version the form was opened on: the user's edits win, and the
            // other officer's changes to fields the user never touched are kept. The next save is based
            // on the current version (its etag).
            setValues(keepMine(fields, valuesOf(collection, base), values, valuesOf(collection, conflict.entry)));
            setBase(conflict.entry);
            setEtag(conflict.etag);
            setConflict(null);
          }}
        />
      )}

      {allProblems > 0 && (
        <div class="alert alert-bad" role="alert" tabIndex={-1} ref={summary} data-testid="form-errors">
          <p>
            <strong>{w.t('web.form.problems', { count: allProblems })}</strong>
          </p>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                {p.field ? <a href={`#${inputId(p.field)}`} onClick={(e) => (e.preventDefault(), document.getElementById(inputId(p.field!))?.focus())}>{w.t(`web.field.${p.field}` as never)}</a> : null}
                {p.field ? ': ' : ''}
                {w.t(p.code, p.params)}
              </li>
            ))}
            {otherIssues.map((i, n) => (
              <li key={`o${n}`}>
                {[i.file, i.line].filter((x) => x !== undefined).join(':')} {w.of(i.message)}
                {i.expected ? ` — ${w.t('web.error.expected', { expected: w.of(i.expected) })}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {serverError !== null && allProblems === 0 && <Failure error={serverError} />}

      <form onSubmit={submit} noValidate class="entry-form">
        {fields.map((f) => (
          <FieldInput key={f.path} field={f} ctx={ctx} values={values} set={set} problems={byField.get(f.path) ?? []} fixed={!!initial && !!f.fixedOnEdit} />
        ))}
        {collection === 'datasets' && Array.isArray((base as { evidence?: unknown[] }).evidence) && ((base as { evidence: unknown[] }).evidence.length ?? 0) > 0 && (
          <p class="muted">{w.t('web.form.evidence-kept', { count: (base as { evidence: unknown[] }).evidence.length })}</p>
        )}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={saving || !!conflict} data-testid="save">
            {saving ? w.t('web.form.saving') : w.t('web.form.save')}
          </button>
          <a class="btn" href={initial ? detailHash(collection, initial.id) : href(collection === 'recipients' ? 'datasets' : collection)}>
            {w.t('web.form.cancel')}
          </a>
        </div>
      </form>
    </div>
  );
}

function optionLabel(w: Words, o: Option): string {
  if (o.title) return `${w.of(o.title as never)} (${o.value})`;
  return o.literal ? o.label : w.maybe(o.label, o.label);
}

function FieldInput({ field: f, ctx, values, set, problems, fixed }: { field: Field; ctx: FormContext; values: Values; set: (p: string, v: Values[string]) => void; problems: FieldProblem[]; fixed: boolean }) {
  const w = useWords();
  const id = inputId(f.path);
  const label = w.t(`web.field.${f.path}` as never);
  const helpId = f.help ? `${id}-help` : undefined;
  const errorId = problems.length ? `${id}-error` : undefined;
  const describedBy = [errorId, helpId].filter(Boolean).join(' ') || undefined;
  const invalid = problems.length ? 'true' : undefined;
  const v = values[f.path];
  const help = f.help ? (
    <p id={helpId} class="help">
      {w.t(`web.help.${f.path}` as never)}
    </p>
  ) : null;
  const error = problems.length ? (
    <p id={errorId} class="field-error">
      {problems.map((p) => w.t(p.code, p.params)).join(w.lang === 'zh' ? '；' : '; ')}
    </p>
  ) : null;
  const group = f.group ? <h2 class="form-group">{w.t(f.group as never)}</h2> : null;
  const req = f.required ? (
    <span class="req" aria-hidden="true">
      {' '}
      *
    </span>
  ) : null;

  const str = typeof v === 'string' ? v : '';
  switch (f.kind) {
    case 'text':
    case 'number':
    case 'date':
      return (
        <>
          {group}
          <div class={`field ${invalid ? 'has-error' : ''}`}>
            <label for={id}>
              {label}
              {req}
            </label>
            <input
              id={id}
              type={(f.kind === 'date' ? 'date' : 'text') as 'text'}
              inputMode={f.kind === 'number' ? 'numeric' : undefined}
              value={str}
              readOnly={fixed}
              aria-required={f.required ? 'true' : undefined}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onInput={(e) => set(f.path, (e.target as HTMLInputElement).value)}
            />
            {error}
            {help}
          </div>
        </>
      );
    case 'textarea':
      return (
        <>
          {group}
          <div class={`field ${invalid ? 'has-error' : ''}`}>
            <label for={id}>{label}</label>
            <textarea id={id} rows={3} value={str} aria-invalid={invalid} aria-describedby={describedBy} onInput={(e) => set(f.path, (e.target as HTMLTextAreaElement).value)} />
            {error}
            {help}
          </div>
        </>
      );
    case 'select': {
      const options = f.options?.(ctx) ?? [];
      const known = options.some((o) => o.value === str);
      return (
        <>
          {group}
          <div class={`field ${invalid ? 'has-error' : ''}`}>
            <label for={id}>
              {label}
              {req}
            </label>
            <select id={id} value={str} aria-required={f.required ? 'true' : undefined} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set(f.path, (e.target as HTMLSelectElement).value)}>
              {!known && str !== '' && <option value={str}>{str}</option>}
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {optionLabel(w, o)}
                </option>
              ))}
            </select>
            {error}
            {help}
          </div>
        </>
      );
    }
    case 'dataType': {
      const scenario = ctx.scenarios.find((s) => s.id === values.scenario);
      if (!scenario) {
        return (
          <div class={`field ${invalid ? 'has-error' : ''}`}>
            <label for={id}>
              {label}
              {req}
            </label>
            <input id={id} type="text" value={str} aria-invalid={invalid} aria-describedby={describedBy} onInput={(e) => set(f.path, (e.target as HTMLInputElement).value)} />
            {error}
          </div>
        );
      }
      const known = scenario.dataTypes.some((d) => d.id === str);
      return (
        <div class={`field ${invalid ? 'has-error' : ''}`}>
          <label for={id}>
            {label}
            {req}
          </label>
          <select id={id} value={str} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set(f.path, (e.target as HTMLSelectElement).value)}>
            <option value="">{w.t('web.form.choose')}</option>
            {!known && str !== '' && <option value={str}>{str}</option>}
            {scenario.dataTypes.map((d) => (
              <option key={d.id} value={d.id}>
                {w.of(d.title as never)} ({d.id})
              </option>
            ))}
          </select>
          {error}
        </div>
      );
    }
    case 'bool':
      return (
        <>
          {group}
          <div class={`field check ${invalid ? 'has-error' : ''}`}>
            <input id={id} type="checkbox" checked={v === true} aria-describedby={describedBy} onChange={(e) => set(f.path, (e.target as HTMLInputElement).checked)} />
            <label for={id}>{label}</label>
            {error}
            {help}
          </div>
        </>
      );
    case 'checks':
    case 'claims': {
      const options = f.options?.(ctx) ?? [];
      const chosen = Array.isArray(v) ? (v as string[]) : [];
      const unknown = chosen.filter((c) => !options.some((o) => o.value === c));
      const all = [...options, ...unknown.map((u) => ({ value: u, label: u, literal: true }))];
      return (
        <>
          {group}
          <fieldset class={`field checks ${invalid ? 'has-error' : ''}`} id={id} tabIndex={-1} aria-invalid={invalid} aria-describedby={describedBy}>
            <legend>
              {label}
              {req}
            </legend>
            <div class={all.length > 8 ? 'check-list long' : 'check-list'}>
              {all.map((o, i) => (
                <div class="check" key={o.value}>
                  <input
                    id={`${id}-${i}`}
                    type="checkbox"
                    checked={chosen.includes(o.value)}
                    onChange={(e) => set(f.path, (e.target as HTMLInputElement).checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))}
                  />
                  <label for={`${id}-${i}`}>{optionLabel(w, o)}</label>
                </div>
              ))}
            </div>
            {error}
            {help}
          </fieldset>
        </>
      );
    }
    case 'list':
      return (
        <>
          {group}
          <div class={`field ${invalid ? 'has-error' : ''}`}>
            <label for={id}>{label}</label>
            <input id={id} type="text" value={str} aria-invalid={invalid} aria-describedby={describedBy} onInput={(e) => set(f.path, (e.target as HTMLInputElement).value)} />
            {error}
            {help}
          </div>
        </>
      );
    case 'facts': {
      const rows = (v as FactRow[]) ?? [];
      const names = Object.entries(FACTS)
        .filter(([, d]) => !(d as { derived?: boolean }).derived)
        .map(([n]) => n);
      const update = (i: number, r: FactRow | null) => set(f.path, r ? rows.map((x, k) => (k === i ? r : x)) : rows.filter((_, k) => k !== i));
      return (
        <>
          {group}
          <fieldset class={`field rows ${invalid ? 'has-error' : ''}`} id={id} tabIndex={-1} aria-describedby={describedBy}>
            <legend>{label}</legend>
            {rows.map((r, i) => (
              <div class="row" key={i}>
                <div class="field">
                  <label for={`${id}-${i}-name`}>{w.t('web.form.fact-name')}</label>
                  <select id={`${id}-${i}-name`} value={r.name} onChange={(e) => update(i, { ...r, name: (e.target as HTMLSelectElement).value })}>
                    <option value="">{w.t('web.form.choose')}</option>
                    {!names.includes(r.name) && r.name !== '' && <option value={r.name}>{r.name}</option>}
                    {names.map((n) => (
                      <option key={n} value={n}>
                        {w.maybe(`fact.${n}`, n)} ({n})
                      </option>
                    ))}
                  </select>
                </div>
                <div class="field">
                  <label for={`${id}-${i}-value`}>{w.t('web.form.fact-value')}</label>
                  <input id={`${id}-${i}-value`} type="text" value={r.value} onInput={(e) => update(i, { ...r, value: (e.target as HTMLInputElement).value })} />
                </div>
                <button type="button" class="btn" onClick={() => update(i, null)}>
                  {w.t('web.form.remove-row')}
                </button>
              </div>
            ))}
            <button type="button" class="btn" onClick={() => set(f.path, [...rows, { name: '', value: '' }])}>
              {w.t('web.form.add-fact')}
            </button>
            {error}
            {help}
          </fieldset>
        </>
      );
    }
    case 'rows': {
      const rows = (v as ExtensionRow[]) ?? [];
      const update = (i: number, r: ExtensionRow | null) => set(f.path, r ? rows.map((x, k) => (k === i ? r : x)) : rows.filter((_, k) => k !== i));
      return (
        <>
          {group}
          <fieldset class={`field rows ${invalid ? 'has-error' : ''}`} id={id} tabIndex={-1} aria-describedby={describedBy}>
            <legend>{label}</legend>
            {rows.map((r, i) => (
              <div class="row" key={i}>
                {(f.row ?? []).map((sub) => (
                  <div class="field" key={sub.path}>
                    <label for={`${id}-${i}-${sub.path}`}>{w.t(`web.field.${f.path}.${sub.path}` as never)}</label>
                    <input id={`${id}-${i}-${sub.path}`} type="date" value={r[sub.path] ?? ''} onInput={(e) => update(i, { ...r, [sub.path]: (e.target as HTMLInputElement).value })} />
                  </div>
                ))}
                <button type="button" class="btn" onClick={() => update(i, null)}>
                  {w.t('web.form.remove-row')}
                </button>
              </div>
            ))}
            <button type="button" class="btn" onClick={() => set(f.path, [...rows, {}])}>
              {w.t('web.form.add-row')}
            </button>
            {error}
            {help}
          </fieldset>
        </>
      );
    }
  }
}

function show(w: Words, f: Field, v: Values[string] | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'boolean') return w.t(v ? 'common.yes' : 'common.no');
  if (typeof v === 'string') return v;
  if (f.kind === 'facts') return (v as FactRow[]).map((r) => `${r.name}=${r.value}`).join(', ');
  if (f.kind === 'rows') return (v as ExtensionRow[]).map((r) => Object.values(r).filter(Boolean).join(' → ')).join('; ');
  return (v as string[]).join(', ');
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? '') === JSON.stringify(b ?? '');

interface ConflictProps {
  collection: Collection;
  fields: Field[];
  mine: Values;
  base: Values;
  theirs: EntryView;
  onTakeTheirs: () => void;
  onKeepMine: () => void;
  focusRef: { current: HTMLElement | null };
}

function ConflictPanel({ collection, fields, mine, base, theirs, onTakeTheirs, onKeepMine, focusRef }: ConflictProps) {
  const w = useWords();
  const current = valuesOf(collection, theirs.entry);
  const rows = fields.filter((f) => !same(mine[f.path], current[f.path]) || !same(base[f.path], current[f.path]));
  return (
    <section class="alert alert-bad conflict" role="alert" aria-labelledby="conflict-h" tabIndex={-1} ref={focusRef as never} data-testid="conflict">
      <h2 id="conflict-h">{w.t('web.conflict.title')}</h2>
      <p>{w.t('web.conflict.text', { file: theirs.file, line: theirs.line })}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{w.t('web.conflict.field')}</th>
            <th scope="col">{w.t('web.conflict.opened')}</th>
            <th scope="col">{w.t('web.conflict.theirs')}</th>
            <th scope="col">{w.t('web.conflict.mine')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => (
            <tr key={f.path}>
              <th scope="row">{w.t(`web.field.${f.path}` as never)}</th>
              <td>{show(w, f, base[f.path])}</td>
              <td class={same(base[f.path], current[f.path]) ? '' : 'changed'}>{show(w, f, current[f.path])}</td>
              <td class={same(base[f.path], mine[f.path]) ? '' : 'changed'}>{show(w, f, mine[f.path])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="form-actions">
        <button type="button" class="btn btn-primary" onClick={onTakeTheirs} data-testid="conflict-theirs">
          {w.t('web.conflict.take-theirs')}
        </button>
        <button type="button" class="btn" onClick={onKeepMine} data-testid="conflict-mine">
          {w.t('web.conflict.keep-mine')}
        </button>
      </p>
      <p class="muted small">{w.t('web.conflict.help')}</p>
    </section>
  );
}
