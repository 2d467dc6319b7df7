import { useState } from 'preact/hooks';
import { post } from '../api';
import { ErrorLine } from '../components/feedback';
import { useAction } from '../use-action';

/** The one place the API key is typed: it buys a session cookie, and is never stored in the page. */
export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const signIn = useAction(async () => {
    await post('/auth/sign-in', { api_key: key.trim() });
    setKey('');
    onSignedIn();
  });
  const submit = (event: Event) => {
    event.preventDefault();
    void signIn.run();
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
        <ErrorLine message={signIn.error} />
        <button type="submit" disabled={signIn.busy}>
          {signIn.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="muted">
        The key was printed when the service first started, and is kept in <code>data/secrets.json</code>. Easier: the sign-in link that{' '}
        <code>npm start</code> prints, or run <code>npx hirepulse open</code> for a fresh one.
      </p>
    </main>
  );
}
