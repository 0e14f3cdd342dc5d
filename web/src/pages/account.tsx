/** Account: reveal (after re-entering the login password) and rotate the VM password; API tokens. */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type ApiToken, api, call } from '../api/client';
import { useSession } from '../app';
import { ErrorMessage } from '../components/error-message';

function VmPassword() {
  const [password, setPassword] = useState('');
  const [revealed, setRevealed] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');

  async function reveal(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      setRevealed(
        (await call(api.POST('/api/v1/me/vm-password/reveal', { body: { password } }))).vmPassword,
      );
      setPassword('');
    } catch (e) {
      setError(e);
    }
  }

  async function rotate() {
    setError(undefined);
    try {
      await call(api.POST('/api/v1/me/vm-password/rotate'));
      setRevealed(undefined);
      setNotice(
        'Rotated. Running VMs get the new password when they are updated; reveal it again to see it.',
      );
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="card" aria-label="VM password">
      <h2>VM password</h2>
      <p className="muted">
        Images that ask for a password (sudo, desktop sign-in) use this one. It is separate from
        your login password.
      </p>
      {revealed ? (
        <p>
          Your VM password: <code data-testid="vm-password">{revealed}</code>{' '}
          <button type="button" className="link-button" onClick={() => setRevealed(undefined)}>
            Hide
          </button>
        </p>
      ) : (
        <form className="inline-form" onSubmit={reveal}>
          <label>
            Your login password
            <input
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </label>
          <button type="submit">Reveal</button>
        </form>
      )}
      <button type="button" className="secondary" onClick={() => void rotate()}>
        Rotate VM password
      </button>
      <p role="status">{notice}</p>
      <ErrorMessage error={error} />
    </section>
  );
}

function Tokens() {
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string>();
  const [error, setError] = useState<unknown>();
  const load = useCallback(() => {
    call(api.GET('/api/v1/tokens')).then(setTokens, setError);
  }, []);
  useEffect(load, [load]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      setCreated((await call(api.POST('/api/v1/tokens', { body: { name } }))).token);
      setName('');
      load();
    } catch (e) {
      setError(e);
    }
  }

  async function revoke(id: string) {
    try {
      await call(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } }));
      load();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="card" aria-label="API tokens">
      <h2>API tokens</h2>
      {created && (
        <p className="notice">
          New token (shown only now): <code data-testid="new-token">{created}</code>
        </p>
      )}
      <form className="inline-form" onSubmit={create}>
        <label>
          Token name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={60} />
        </label>
        <button type="submit">Create token</button>
      </form>
      <ul>
        {tokens.map((t) => (
          <li key={t.id}>
            {t.name}{' '}
            <span className="muted">
              created {new Date(t.createdAt).toLocaleString()}
              {t.revokedAt ? ' · revoked' : ''}
            </span>{' '}
            {!t.revokedAt && (
              <button type="button" className="link-button" onClick={() => void revoke(t.id)}>
                Revoke {t.name}
              </button>
            )}
          </li>
        ))}
      </ul>
      <ErrorMessage error={error} />
    </section>
  );
}

export function AccountPage() {
  const { user } = useSession();
  return (
    <section>
      <h1>Account</h1>
      <p>
        Signed in as <strong>{user.username}</strong> ({user.role}).
      </p>
      <VmPassword />
      <Tokens />
    </section>
  );
}
