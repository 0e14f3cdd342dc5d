/** Operators: users (create, role, quotas, disable, delete), all VMs, the catalog, engine status. */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, type CatalogEntry, call, type User } from '../api/client';
import { ErrorMessage } from '../components/error-message';
import { VmListPage } from './vm-list';

function UserRow({ user, onChanged }: { user: User; onChanged: () => void }) {
  const [error, setError] = useState<unknown>();
  const [maxVms, setMaxVms] = useState(user.maxVms?.toString() ?? '');
  async function patch(body: {
    role?: 'admin' | 'user';
    disabled?: boolean;
    maxVms?: number | null;
  }) {
    setError(undefined);
    try {
      await call(
        api.PATCH('/api/v1/users/{username}', {
          params: { path: { username: user.username } },
          body,
        }),
      );
      onChanged();
    } catch (e) {
      setError(e);
    }
  }
  async function remove() {
    try {
      await call(
        api.DELETE('/api/v1/users/{username}', { params: { path: { username: user.username } } }),
      );
      onChanged();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <tr>
      <td>{user.username}</td>
      <td>
        <select
          aria-label={`Role of ${user.username}`}
          value={user.role}
          onChange={(e) => void patch({ role: e.target.value as 'admin' | 'user' })}
        >
          <option value="user">user</option>
          <option value="admin">admin</option>
        </select>
      </td>
      <td>
        <input
          aria-label={`VM quota of ${user.username}`}
          className="narrow"
          value={maxVms}
          placeholder="default"
          inputMode="numeric"
          onChange={(e) => setMaxVms(e.target.value)}
          onBlur={() => void patch({ maxVms: maxVms ? Number(maxVms) : null })}
        />
      </td>
      <td>
        <button
          type="button"
          className="secondary"
          onClick={() => void patch({ disabled: !user.disabled })}
        >
          {user.disabled ? 'Enable' : 'Disable'}
        </button>{' '}
        <button type="button" className="danger" onClick={() => void remove()}>
          Delete
        </button>
        <ErrorMessage error={error} />
      </td>
    </tr>
  );
}

function Users() {
  const [users, setUsers] = useState<User[]>([]);
  const [error, setError] = useState<unknown>();
  const [form, setForm] = useState({
    username: '',
    password: '',
    role: 'user' as 'admin' | 'user',
  });
  const load = useCallback(() => {
    call(api.GET('/api/v1/users')).then(setUsers, setError);
  }, []);
  useEffect(load, [load]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      await call(api.POST('/api/v1/users', { body: form }));
      setForm({ username: '', password: '', role: 'user' });
      load();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="card" aria-label="Users">
      <h2>Users</h2>
      <form className="inline-form" onSubmit={create} aria-label="Create user">
        <label>
          Username
          <input
            value={form.username}
            onChange={(e) => setForm({ ...form, username: e.target.value })}
            required
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            required
          />
        </label>
        <label>
          Role
          <select
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.target.value as 'admin' | 'user' })}
          >
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="submit">Create user</button>
      </form>
      <ErrorMessage error={error} />
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>User</th>
              <th>Role</th>
              <th>Max VMs</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <UserRow key={u.username} user={u} onChanged={load} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Platform() {
  const [ready, setReady] = useState<{ status: string; checks: Record<string, string> }>();
  const [catalog, setCatalog] = useState<CatalogEntry[]>([]);
  useEffect(() => {
    fetch('/readyz')
      .then((r) => r.json())
      .then(setReady, () => setReady({ status: 'unreachable', checks: {} }));
    call(api.GET('/api/v1/catalog')).then(setCatalog, () => {});
  }, []);
  return (
    <section className="card" aria-label="Platform">
      <h2>Platform</h2>
      <p>
        Status: <strong>{ready?.status ?? '…'}</strong>{' '}
        {Object.entries(ready?.checks ?? {}).map(([k, v]) => (
          <span key={k} className="muted">
            {k}: {v}{' '}
          </span>
        ))}
      </p>
      <p>
        Catalog: {catalog.length} entries, all valid (a catalog with errors stops the server at
        start with FILE:LINE:COL messages).
      </p>
      <p className="muted">{catalog.map((e) => e.name).join(', ')}</p>
    </section>
  );
}

export function AdminPage() {
  return (
    <section>
      <h1>Admin</h1>
      <Platform />
      <Users />
      <VmListPage title="All VMs" />
    </section>
  );
}
