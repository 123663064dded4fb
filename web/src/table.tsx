/**
 * The one table and the one filter bar every list uses (transfers, datasets, deadlines, rules, the
 * overview's lists): a table whose first column heads its row, in a box that scrolls sideways on a narrow
 * screen with that column fixed (style.css), and a search form whose choices live in the URL.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Empty, Pager } from './components.js';
import { useWords } from './i18n.js';

export interface Column<T> {
  /** The column's heading. */
  head: ComponentChildren;
  /** Numbers: right-aligned. */
  num?: boolean;
  /** Keep the cell on one line (dates). */
  nowrap?: boolean;
  cell: (row: T) => ComponentChildren;
}

export interface TableProps<T> {
  rows: readonly T[];
  /** The first column heads each row (`<th scope="row">`). */
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** Read by screen readers only. */
  caption: string;
  testid?: string;
  class?: string;
  rowClass?: (row: T) => string | undefined;
  rowData?: (row: T) => Record<string, string>;
  /** Shown instead of an empty table. */
  empty?: string;
}

export function DataTable<T>({ rows, columns, rowKey, caption, testid, class: cls, rowClass, rowData, empty }: TableProps<T>) {
  if (rows.length === 0 && empty) return <Empty>{empty}</Empty>;
  const cellClass = (c: Column<T>) => [c.num ? 'num' : '', c.nowrap ? 'nowrap' : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="scroll">
      <table class={cls} data-testid={testid}>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" class={c.num ? 'num' : undefined}>
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)} class={rowClass?.(r)} {...(rowData?.(r) ?? {})}>
              {columns.map((c, i) =>
                i === 0 ? (
                  <th key={i} scope="row" class={cellClass(c)}>
                    {c.cell(r)}
                  </th>
                ) : (
                  <td key={i} class={cellClass(c)}>
                    {c.cell(r)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A page of a longer list (the server's `{offset, limit, matched, items}`), with the pager above and below. */
export function PagedTable<T>({ page, onPage, ...table }: TableProps<T> & { page: { offset: number; limit: number; matched: number }; onPage: (offset: number) => void }) {
  const w = useWords();
  return (
    <>
      <Pager offset={page.offset} limit={page.limit} matched={page.matched} label={w.t('web.pager.label')} onPage={onPage} />
      <DataTable {...table} />
      {table.rows.length > 0 && <Pager offset={page.offset} limit={page.limit} matched={page.matched} label={w.t('web.pager.label-bottom')} onPage={onPage} />}
    </>
  );
}

export type Filter =
  | { kind: 'select'; key: string; id: string; label: string; options: { value: string; label: string }[] }
  | { kind: 'check'; key: string; id: string; label: string };

/**
 * The filter bar: selects and check boxes apply at once, the text search on submit. `values` are the
 * URL's; `onSet` puts one back into it (and goes back to the first page).
 */
export function FilterBar({ filters, values, onSet, search, children }: { filters: Filter[]; values: Record<string, string>; onSet: (key: string, value: string) => void; search?: { key: string; id: string; placeholder?: string }; children?: ComponentChildren }) {
  const w = useWords();
  const [q, setQ] = useState(search ? (values[search.key] ?? '') : '');
  return (
    <form
      class="filters"
      role="search"
      aria-label={w.t('web.filters')}
      onSubmit={(e) => {
        e.preventDefault();
        if (search) onSet(search.key, q);
      }}
    >
      {filters.map((f) =>
        f.kind === 'select' ? (
          <div class="field" key={f.key}>
            <label for={f.id}>{f.label}</label>
            <select id={f.id} value={values[f.key] ?? ''} onChange={(e) => onSet(f.key, (e.target as HTMLSelectElement).value)}>
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div class="field check" key={f.key}>
            <input id={f.id} type="checkbox" checked={values[f.key] === 'true'} onChange={(e) => onSet(f.key, (e.target as HTMLInputElement).checked ? 'true' : '')} />
            <label for={f.id}>{f.label}</label>
          </div>
        ),
      )}
      {search && (
        <div class="field grow">
          <label for={search.id}>{w.t('web.filter.search')}</label>
          <span class="inline">
            <input id={search.id} type="search" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} placeholder={search.placeholder} />
            <button type="submit" class="btn">
              {w.t('web.filter.apply')}
            </button>
          </span>
        </div>
      )}
      {children}
    </form>
  );
}
