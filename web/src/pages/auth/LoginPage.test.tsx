import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider } from '../../auth/AuthContext';
import { LoginPage } from './LoginPage';
import { browserNav, NEXT_KEY, providerLabel, startUrl } from './oauth';

const backend = 'http://127.0.0.1:8080/api/login/auth/';
const configs: Record<string, unknown> = {
  keycloak: { authorization_url: backend + 'keycloak', display_name: 'Corp SSO', realm: 'r' },
  oidc: { authorization_url: backend + 'oidc', display_name: 'Acme ID' },
  github: { authorization_url: backend + 'github', display_name: 'GitHub', client_id: 'cid' },
};

vi.mock('../../api/client', async (orig) => ({
  ...(await orig<typeof import('../../api/client')>()),
  api: vi.fn(async (path: string) => {
    if (path === 'login/support') {
      return { user: true, keycloak: true, oidc: true, github: true, facebook: true, gitlab: false, google: false };
    }
    const m = path.match(/^login\/config\/(.+)$/);
    if (m) return configs[m[1]] ?? {};
    if (path === 'user') return { id: 'u1', email: 'octo@example.com' };
    throw new Error('unexpected call ' + path);
  }),
}));

function Where() {
  const l = useLocation();
  return <output data-testid="where">{l.pathname + l.search}</output>;
}

function renderAt(url: string) {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="*" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}

const assigned: string[] = [];
const realAssign = browserNav.assign;

beforeEach(() => {
  assigned.length = 0;
  browserNav.assign = (url: string) => {
    assigned.push(url);
  };
  localStorage.clear();
  sessionStorage.clear();
});

afterEach(() => {
  browserNav.assign = realAssign;
  cleanup();
});

describe('LoginPage providers', () => {
  it('labels the buttons with the configured names and offers only providers with a flow', async () => {
    renderAt('/login');
    expect(await screen.findByRole('button', { name: 'Log in with Corp SSO' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Log in with Acme ID' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Log in with GitHub' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Facebook|facebook/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /GitLab|Google/ })).toBeNull();
  });

  it('sends the whole page to the backend start URL in redirect mode, remembering where to go', async () => {
    renderAt('/login?next=%2Fproject%2Fp1%2Fruns');
    await userEvent.click(await screen.findByRole('button', { name: 'Log in with Corp SSO' }));
    expect(assigned).toEqual([backend + 'keycloak?mode=redirect']);
    expect(sessionStorage.getItem(NEXT_KEY)).toBe('/project/p1/runs');
  });

  it('shows why a provider login failed', async () => {
    const reason = 'GitHub has not verified your e-mail address. Verify it there, then sign in again.';
    renderAt('/login?st=error&msg=' + encodeURIComponent(reason));
    const alert = await screen.findByTestId('login-message');
    expect(alert).toHaveTextContent(reason);
    expect(alert.className).toMatch(/danger/);
    expect(await screen.findByRole('button', { name: 'Log in with Acme ID' })).toBeInTheDocument();
  });

  it('stores the session the provider redirect brings and opens the remembered page', async () => {
    sessionStorage.setItem(NEXT_KEY, '/project/p1/runs');
    renderAt('/login?email=octo%40example.com&name=Octo&token=jwt-1');
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/project/p1/runs'));
    expect(JSON.parse(localStorage.getItem('ibutsu.session') ?? '{}')).toMatchObject({ token: 'jwt-1', email: 'octo@example.com' });
    expect(sessionStorage.getItem(NEXT_KEY)).toBeNull();
  });

  it('never follows a remembered page off the site', async () => {
    sessionStorage.setItem(NEXT_KEY, '//evil.example.com/x');
    renderAt('/login?email=a%40b.c&token=jwt-2');
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent(/^\/$/));
  });
});

describe('oauth helpers', () => {
  it('falls back to the provider name and refuses non-http start URLs', () => {
    expect(providerLabel('keycloak', { display_name: '  ' })).toBe('Keycloak');
    expect(providerLabel('oidc', null)).toBe('Single sign-on');
    expect(startUrl('github', { authorization_url: 'javascript:alert(1)' })).toBeNull();
    expect(startUrl('oidc', {})).toBe(window.location.origin + '/api/login/auth/oidc?mode=redirect');
  });
});
