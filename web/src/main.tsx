/**
 * The chujing web UI: a thin client over `chujing serve`. It holds no legal logic — every path, level,
 * count and deadline is the engine's JSON, rendered with the CLI's message tables.
 */
import { render, type ComponentType } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, storeToken, storedToken, type Session } from './api.js';
import { FlashContext, RuleContext, RuleDialog, Failure, Loading, type Flash } from './components.js';
import { initialLang, rememberLang, useWords, Words, WordsContext, type Lang } from './i18n.js';
import { href, useRoute, type Route } from './router.js';
import { SignIn } from './pages/signin.js';

const PAGES = ['overview', 'datasets', 'transfers', 'approvals', 'ledger', 'rules', 'documents'] as const;
type PageName = (typeof PAGES)[number];

export interface PageProps {
  route: Route;
  session: Session;
}

/**
 * Each page is its own chunk, loaded when first visited (esbuild code splitting): the first visit loads
 * the shell, the message tables and the overview, not the forms with their schema validator (zod).
 */
const LOADERS: Record<string, () => Promise<ComponentType<PageProps>>> = {
  overview: () => import('./pages/overview.js').then((m) => m.OverviewPage),
  datasets: () => import('./pages/datasets.js').then((m) => m.DatasetsPage),
  transfers: () => import('./pages/transfers.js').then((m) => m.TransfersPage),
  approvals: () => import('./pages/approvals.js').then((m) => m.ApprovalsPage),
  ledger: () => import('./pages/ledger.js').then((m) => m.LedgerPage),
  decisions: () => import('./pages/decision.js').then((m) => m.DecisionPage),
  rules: () => import('./pages/rules.js').then((m) => m.RulesPage),
  documents: () => import('./pages/documents.js').then((m) => m.DocumentsPage),
  edit: () => import('./form/edit.js').then((m) => m.EditPage),
  new: () => import('./form/edit.js').then((m) => m.EditPage),
};
const loaded = new Map<string, ComponentType<PageProps>>();

function Page({ route, session }: PageProps) {
  const loader = LOADERS[route.page];
  const [, setTick] = useState(0);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!loader || loaded.has(route.page)) return;
    let live = true;
    loader().then(
      (c) => {
        loaded.set(route.page, c);
        if (live) setTick((n) => n + 1);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [route.page]);
  if (!loader) return <NotFound />;
  const C = loaded.get(route.page);
  if (C) return <C route={route} session={session} />;
  return error ? <Failure error={error} /> : <Loading />;
}

/**
 * A table wider than the window scrolls inside its own box (style.css, narrow screens). Keyboard users
 * must be able to scroll it too, so a box that overflows becomes focusable (WCAG 2.1.1; axe's
 * scrollable-region-focusable), and stops being so when the window grows. Watches the page's content
 * and the window's size; returns the clean-up.
 */
function keyboardScrollBoxes(root: HTMLElement): () => void {
  let queued = 0;
  const mark = () => {
    queued = 0;
    for (const el of root.querySelectorAll<HTMLElement>('table, .scroll')) {
      const overflows = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible';
      if (overflows && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
      else if (!overflows && el.getAttribute('tabindex') === '0') el.removeAttribute('tabindex');
    }
  };
  const queue = () => {
    if (!queued) queued = requestAnimationFrame(mark);
  };
  const observer = new MutationObserver(queue);
  observer.observe(root, { childList: true, subtree: true });
  window.addEventListener('resize', queue);
  queue();
  return () => {
    observer.disconnect();
    window.removeEventListener('resize', queue);
    if (queued) cancelAnimationFrame(queued);
  };
}

/** The browser tab names the page (and the entry shown), so tabs and history can be told apart. */
function pageTitle(w: Words, route: Route, signedIn: boolean): string {
  if (!signedIn) return w.t('webui.title', { page: w.t('webui.title.signin') });
  let name: string;
  if (route.page === 'edit') name = [route.parts[1], w.t('webui.title.edit')].filter(Boolean).join(' · ');
  else if (route.page === 'new') name = w.t('webui.title.new');
  else if (route.page === 'decisions') name = w.t('webui.title.decision', { id: route.parts[0] ?? '' });
  else if ((PAGES as readonly string[]).includes(route.page)) name = [route.parts[0], w.t(`web.nav.${route.page as PageName}`)].filter(Boolean).join(' · ');
  else name = w.t('web.page.not-found');
  return w.t('webui.title', { page: name });
}

function NotFound() {
  const w = useWords();
  return <p>{w.t('web.page.not-found')}</p>;
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const words = useMemo(() => new Words(lang), [lang]);
  const route = useRoute();
  const [session, setSession] = useState<Session | 'signed-out' | null>(null);
  const [sessionError, setSessionError] = useState<unknown>(null);
  const [rule, setRule] = useState<string | null>(null);
  const [flash, setFlash] = useState<Flash | null>(null);
  const main = useRef<HTMLElement>(null);
  // On a narrow screen the navigation is a menu opened from the header.
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => rememberLang(lang), [lang]);
  useEffect(() => keyboardScrollBoxes(main.current!), []);
  useEffect(() => {
    api.session().then(setSession, (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) {
        if (storedToken()) storeToken(null);
        setSession('signed-out');
      } else setSessionError(e);
    });
  }, []);
  // A new page: move focus to its main region so keyboard and screen-reader users start there.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
    setMenuOpen(false);
  }, [route.page, route.parts.join('/')]);
  const signedIn = session !== null && session !== 'signed-out';
  useEffect(() => {
    document.title = pageTitle(words, route, signedIn);
  }, [words, route, signedIn]);

  const switchTo = lang === 'zh' ? 'en' : 'zh';
  const toggle = (
    <button type="button" class="btn lang" onClick={() => setLang(switchTo)} lang={switchTo === 'zh' ? 'zh-CN' : 'en'} data-testid="lang-switch">
      {switchTo === 'zh' ? '中文' : 'English'}
    </button>
  );

  let body;
  if (sessionError) body = <Failure error={sessionError} />;
  else if (session === null) body = <Loading />;
  else if (session === 'signed-out')
    body = (
      <SignIn
        onSignedIn={(s) => {
          setSession(s);
        }}
      />
    );

  const signOut = async () => {
    if (session && session !== 'signed-out' && session.kind === 'session') await api.logout().catch(() => {});
    storeToken(null);
    setSession('signed-out');
  };

  const current = (PAGES as readonly string[]).includes(route.page)
    ? (route.page as PageName)
    : route.page === 'decisions'
      ? 'ledger'
      : route.page === 'edit' || route.page === 'new'
        ? route.parts[0] === 'recipients'
          ? 'datasets'
          : (route.parts[0] as PageName)
        : null;

  return (
    <WordsContext.Provider value={words}>
      <FlashContext.Provider value={setFlash}>
      <RuleContext.Provider value={setRule}>
        <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
          {words.t('web.skip')}
        </a>
        <header class="top">
          {signedIn && (
            <button type="button" class="btn menu" aria-expanded={menuOpen ? 'true' : 'false'} aria-controls="side-nav" onClick={() => setMenuOpen(!menuOpen)} data-testid="menu">
              <span aria-hidden="true">☰</span> {words.t('webui.menu')}
            </button>
          )}
          <a class="brand" href={href('overview')}>
            <span class="brand-mark" aria-hidden="true">
              出境
            </span>{' '}
            chujing
          </a>
          <span class="top-title">{words.t('web.app.subtitle')}</span>
          <span class="top-right">
            {session && session !== 'signed-out' && (
              <span class="muted role">{words.t('web.session.role', { role: words.maybe(`web.role.${session.role}`, session.role) })}</span>
            )}
            {toggle}
            {session && session !== 'signed-out' && (
              <button type="button" class="btn" onClick={signOut}>
                {words.t('web.session.sign-out')}
              </button>
            )}
          </span>
        </header>
        <div class={signedIn ? 'shell' : 'shell no-nav'}>
          {session && session !== 'signed-out' && (
            <nav id="side-nav" class={`side${menuOpen ? ' open' : ''}`} aria-label={words.t('web.nav.label')}>
              <ul>
                {PAGES.map((p) => (
                  <li key={p}>
                    <a href={href(p)} aria-current={current === p ? 'page' : undefined}>
                      {words.t(`web.nav.${p}`)}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <main id="main" ref={main} tabIndex={-1}>
            <div role="status" aria-live="polite" class="flash-region">
              {flash && flash.hash === location.hash && (
                <p class="alert alert-ok" data-testid="flash">
                  {flash.text}
                </p>
              )}
            </div>
            {body ?? <Page route={route} session={session as Session} />}
          </main>
        </div>
        {rule && <RuleDialog id={rule} onClose={() => setRule(null)} />}
      </RuleContext.Provider>
      </FlashContext.Provider>
    </WordsContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
