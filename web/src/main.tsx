/**
 * The chujing web UI: a thin client over `chujing serve`. It holds no legal logic — every path, level,
 * count and deadline is the engine's JSON, rendered with the CLI's message tables.
 */
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, storeToken, storedToken, type Session } from './api.js';
import { FlashContext, RuleContext, RuleDialog, Failure, Loading, type Flash } from './components.js';
import { initialLang, rememberLang, useWords, Words, WordsContext, type Lang } from './i18n.js';
import { href, useRoute, type Route } from './router.js';
import { SignIn } from './pages/signin.js';
import { OverviewPage } from './pages/overview.js';
import { DatasetsPage } from './pages/datasets.js';
import { TransfersPage } from './pages/transfers.js';
import { ApprovalsPage } from './pages/approvals.js';
import { LedgerPage } from './pages/ledger.js';
import { RulesPage } from './pages/rules.js';
import { DocumentsPage } from './pages/documents.js';
import { EditPage } from './form/edit.js';

const PAGES = ['overview', 'datasets', 'transfers', 'approvals', 'ledger', 'rules', 'documents'] as const;
type PageName = (typeof PAGES)[number];

export interface PageProps {
  route: Route;
  session: Session;
}

function Page({ route, session }: PageProps) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage route={route} session={session} />;
    case 'datasets':
      return <DatasetsPage route={route} session={session} />;
    case 'transfers':
      return <TransfersPage route={route} session={session} />;
    case 'approvals':
      return <ApprovalsPage route={route} session={session} />;
    case 'ledger':
      return <LedgerPage route={route} session={session} />;
    case 'rules':
      return <RulesPage route={route} session={session} />;
    case 'documents':
      return <DocumentsPage route={route} session={session} />;
    case 'edit':
    case 'new':
      return <EditPage route={route} session={session} />;
    default:
      return <NotFound />;
  }
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

  useEffect(() => rememberLang(lang), [lang]);
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
  }, [route.page, route.parts.join('/')]);

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

  const current = (PAGES as readonly string[]).includes(route.page) ? (route.page as PageName) : route.page === 'edit' || route.page === 'new' ? (route.parts[0] === 'recipients' ? 'datasets' : (route.parts[0] as PageName)) : null;

  return (
    <WordsContext.Provider value={words}>
      <FlashContext.Provider value={setFlash}>
      <RuleContext.Provider value={setRule}>
        <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
          {words.t('web.skip')}
        </a>
        <header class="top">
          <a class="brand" href={href('overview')}>
            <span class="brand-mark" aria-hidden="true">
              出境
            </span>{' '}
            chujing
          </a>
          <span class="top-title">{words.t('web.app.subtitle')}</span>
          <span class="top-right">
            {session && session !== 'signed-out' && (
              <span class="muted">{words.t('web.session.role', { role: words.maybe(`web.role.${session.role}`, session.role) })}</span>
            )}
            {toggle}
            {session && session !== 'signed-out' && (
              <button type="button" class="btn" onClick={signOut}>
                {words.t('web.session.sign-out')}
              </button>
            )}
          </span>
        </header>
        <div class="shell">
          {session && session !== 'signed-out' && (
            <nav class="side" aria-label={words.t('web.nav.label')}>
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
