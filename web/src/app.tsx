/** The dashboard shell: who is signed in, the navigation, and which page shows. */
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { api, call, type User } from './api/client';
import { AccountPage } from './pages/account';
import { AdminPage } from './pages/admin';
import { CatalogPage } from './pages/catalog';
import { SignInPage } from './pages/sign-in';
import { VmListPage } from './pages/vm-list';
import { VmPage } from './pages/vm-page';
import { Link, useRoute } from './router';

interface Session {
  user: User;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

export function App() {
  const { path, navigate } = useRoute();
  const [user, setUser] = useState<User | null | undefined>(undefined);

  const loadUser = useCallback(async () => {
    const { data } = await api.GET('/api/v1/me');
    setUser(data?.user ?? null);
  }, []);
  useEffect(() => {
    void loadUser();
  }, [loadUser]);

  const signOut = useCallback(async () => {
    await call(api.POST('/api/v1/auth/logout'));
    setUser(null);
    navigate('/login');
  }, [navigate]);

  if (user === undefined) return <p className="loading">Loading…</p>;
  if (user === null || path === '/login') {
    return (
      <SignInPage
        onSignedIn={async () => {
          await loadUser();
        }}
      />
    );
  }

  const vmMatch = /^\/vms\/([a-z0-9]+)$/.exec(path);
  let page = <VmListPage />;
  if (path === '/catalog') page = <CatalogPage />;
  else if (vmMatch?.[1]) page = <VmPage id={vmMatch[1]} />;
  else if (path === '/account') page = <AccountPage />;
  else if (path === '/admin' && user.role === 'admin') page = <AdminPage />;

  return (
    <SessionContext.Provider value={{ user, signOut }}>
      <header className="topbar">
        <Link to="/" className="brand">
          Swiftor
        </Link>
        <nav aria-label="Main">
          <Link to="/">My VMs</Link>
          <Link to="/catalog">Catalog</Link>
          <Link to="/account">Account</Link>
          {user.role === 'admin' && <Link to="/admin">Admin</Link>}
        </nav>
        <div className="who">
          <span>{user.username}</span>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main>{page}</main>
    </SessionContext.Provider>
  );
}
