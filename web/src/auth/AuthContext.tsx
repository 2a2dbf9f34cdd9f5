// Session state: the login answer ({name, email, token}) lives in
// localStorage like the upstream UI keeps it, the token is sent as Bearer,
// and any 401 from the API ends the session and returns to /login with the
// page the user was on remembered.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setToken, setUnauthorizedHandler } from '../api/client';
import type { User } from '../api/types';

const SESSION_KEY = 'ibutsu.session';

export interface Session {
  email: string;
  name?: string | null;
  token: string;
}

interface AuthState {
  session: Session | null;
  user: User | null;
  login: (s: Session) => void;
  logout: () => void;
  refreshUser: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

function readSession(): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return s && typeof s.token === 'string' ? s : null;
  } catch {
    return null;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => {
    const s = readSession();
    setToken(s?.token ?? null);
    return s;
  });
  const [user, setUser] = useState<User | null>(null);

  const logout = useCallback(() => {
    localStorage.removeItem(SESSION_KEY);
    setToken(null);
    setSession(null);
    setUser(null);
  }, []);

  const login = useCallback((s: Session) => {
    localStorage.setItem(SESSION_KEY, JSON.stringify(s));
    setToken(s.token);
    setSession(s);
  }, []);

  const refreshUser = useCallback(async () => {
    if (!session) return;
    setUser(await api<User>('user'));
  }, [session]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      const here = window.location.pathname + window.location.search;
      logout();
      if (!window.location.pathname.startsWith('/login')) {
        window.history.pushState(null, '', '/login?next=' + encodeURIComponent(here));
        window.dispatchEvent(new PopStateEvent('popstate'));
      }
    });
    return () => setUnauthorizedHandler(null);
  }, [logout]);

  useEffect(() => {
    if (session) refreshUser().catch(() => undefined);
  }, [session, refreshUser]);

  const value = useMemo(() => ({ session, user, login, logout, refreshUser }), [session, user, login, logout, refreshUser]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
