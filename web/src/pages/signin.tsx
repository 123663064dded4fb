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

  return (
    <div class="signin">
      <h1>{w.t('web.signin.title')}</h1>
      <p>{w.t('web.signin.link')}</p>
      <pre class="cmd">chujing serve examples/acme-auto</pre>
      <form onSubmit={submit} noValidate>
        <h2>{w.t('web.signin.token-heading')}</h2>
        <p>{w.t('web.signin.token-help')}</p>
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
      {error !== null && <Failure error={error} />}
    </div>
  );
}
