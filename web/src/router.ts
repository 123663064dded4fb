/**
 * Pages are addressed by the URL fragment (`#/transfers?path=exempt`, `#/transfers/t-2026-003`), so the
 * server serves one page at `/` and every view can be bookmarked, reloaded and navigated with the
 * browser's back button. A dozen lines: no router library needed for hash routes.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** First segment: overview, datasets, transfers, approvals, ledger, rules, documents, edit, new. */
  page: string;
  /** The rest of the path, decoded (an id, or collection and id for edit). */
  parts: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = raw.split('?', 2);
  const segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  return { page: segments[0] ?? 'overview', parts: segments.slice(1), query: new URLSearchParams(search) };
}

export function href(path: string, query: Record<string, string | number | boolean | undefined | null> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '' && v !== false) params.set(k, String(v));
  const s = params.toString();
  return `#/${path.split('/').map(encodeURIComponent).join('/')}${s ? `?${s}` : ''}`;
}

export function go(path: string, query: Record<string, string | number | boolean | undefined | null> = {}): void {
  location.hash = href(path, query);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
