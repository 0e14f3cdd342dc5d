/** Sign in; errors appear under the form. Returns to `next` (forward-auth) afterwards. */
import { type FormEvent, useState } from 'react';
import { api, call } from '../api/client';
import { ErrorMessage } from '../components/error-message';
import { useRoute } from '../router';

export function SignInPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const { search, navigate } = useRoute();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await call(api.POST('/api/v1/auth/login', { body: { username, password } }));
      const next = search.get('next');
      // Only follow `next` to http(s) URLs (a VM host); anything else goes home.
      if (next && /^https?:\/\//.test(next)) {
        window.location.assign(next);
        return;
      }
      await onSignedIn();
      navigate('/');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>Swiftor</h1>
      <form onSubmit={submit} className="card" aria-label="Sign in">
        <h2>Sign in</h2>
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
