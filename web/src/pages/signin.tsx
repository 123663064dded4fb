/** Signing in: the one-time link `chujing serve` prints (it sets a session cookie), or an API token. */
import { useState } from 'preact/hooks';
import { api, storeToken, type Session } from '../api.js';
import { Failure } from '../components.js';
import { useWords } from '../i18n.js';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const w = useWords();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setProblem(null);
    const value = token.trim();
    if (!value) {
      setProblem(w.t('web.signin.token-missing'));
      return;
    }
    setBusy(true);
    try {
      const s = await api.session(value);
      if (!s.permissions.includes('read')) {
        setProblem(w.t('web.signin.cannot-read', { role: w.maybe(`web.role.${s.role}`, s.role) }));
        return;
      }
      storeToken(value);
      onSignedIn(s);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const workspace = servedWorkspace();
  return (
    <div class="signin" data-testid="signin">
      <h1>{w.t('web.signin.title')}</h1>
      <p class="signin-served" data-testid="signin-workspace">
        {w.t('webui.signin.served', { workspace })}
      </p>
      <section>
        <h2 id="signin-link-heading">{w.t('webui.signin.link-heading')}</h2>
        <p>{w.t('webui.signin.link-cmd')}</p>
        <pre class="cmd">{`chujing serve ${shellWord(workspace)}`}</pre>
      </section>
      <section>
      <form onSubmit={submit} noValidate>
        <h2 id="signin-token-heading">{w.t('web.signin.token-heading')}</h2>
        <p>{w.t('webui.signin.token-cmd')}</p>
        <pre class="cmd">{`chujing token create -w ${shellWord(workspace)} --role officer --name ${w.lang === 'zh' ? '您的名字' : 'your-name'}`}</pre>
        <div class="field">
          <label for="signin-token">{w.t('web.signin.token-label')}</label>
          <input
            id="signin-token"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={token}
            onInput={(e) => setToken((e.target as HTMLInputElement).value)}
            aria-invalid={problem ? 'true' : undefined}
            aria-describedby={problem ? 'signin-problem' : undefined}
          />
          {problem && (
            <p id="signin-problem" class="field-error" role="alert">
              {problem}
            </p>
          )}
        </div>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {w.t('web.signin.submit')}
        </button>
      </form>
      </section>
      {error !== null && <Failure error={error} />}
    </div>
  );
}

/** The workspace `chujing serve` was started on: the server writes it into the page (a meta tag). */
function servedWorkspace(): string {
  return document.querySelector('meta[name="chujing-workspace"]')?.getAttribute('content') || '.';
}

/** A path as one shell word (quoted when it holds anything but safe characters). */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
