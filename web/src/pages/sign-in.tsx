import { useState } from 'preact/hooks';
import { post } from '../api';
import { ErrorLine } from '../components/feedback';

/** The one place the API key is typed: it buys a session cookie, and is never stored in the page. */
export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await post('/auth/sign-in', { api_key: key.trim() });
      setKey('');
      onSignedIn();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>Sign in to hirepulse</h1>
      <form onSubmit={submit}>
        <label>
          API key
          <input
            type="password"
            name="api_key"
            autoComplete="current-password"
            required
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
          />
        </label>
        <ErrorLine message={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="muted">
        The key was printed when the service first started, and is kept in <code>data/secrets.json</code>. Easier: the sign-in link that{' '}
        <code>npm start</code> prints, or run <code>npx hirepulse open</code> for a fresh one.
      </p>
    </main>
  );
}
