/** Loading what a page shows: one request per view, re-run when its inputs change or on demand. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Loaded<T> = { state: 'loading'; data: T | null; error: null } | { state: 'ok'; data: T; error: null } | { state: 'error'; data: T | null; error: unknown };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> & { reload: () => void } {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading', data: null, error: null });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    // Keep the previous data on screen while the next page loads (no flash of an empty table).
    setResult((r) => ({ state: 'loading', data: r.data, error: null }));
    load().then(
      (data) => mine === generation.current && setResult({ state: 'ok', data, error: null }),
      (error: unknown) => mine === generation.current && setResult((r) => ({ state: 'error', data: r.data, error })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...result, reload };
}
