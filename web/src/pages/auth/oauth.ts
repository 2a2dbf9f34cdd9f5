// Starting a provider's login from the browser. Every provider (GitHub,
// GitLab, Google, Keycloak, OIDC) runs the same server-side flow: the button
// sends the whole page to the backend's start URL (config's
// authorization_url), which remembers state, nonce and PKCE verifier in a
// cookie of this browser and redirects to the provider; the provider comes
// back to the backend, which checks them and sends the page to
// /login?token=… on success or /login?st=error&msg=… on failure.
import { api } from '../../api/client';

export interface ProviderConfig {
  authorization_url?: string;
  client_id?: string | null;
  redirect_uri?: string;
  scope?: string;
  display_name?: string;
  [k: string]: unknown;
}

/** The providers whose flow the backend runs (Facebook has none upstream either). */
export const flowProviders = ['keycloak', 'oidc', 'google', 'github', 'gitlab'] as const;

const defaultLabels: Record<string, string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  google: 'Google',
  keycloak: 'Keycloak',
  oidc: 'Single sign-on',
};

/** The button's name: the configured display name (KEYCLOAK_NAME, OIDC_NAME), else the provider's. */
export function providerLabel(name: string, cfg?: ProviderConfig | null): string {
  const configured = typeof cfg?.display_name === 'string' ? cfg.display_name.trim() : '';
  return configured || defaultLabels[name] || name;
}

export async function providerConfig(name: string): Promise<ProviderConfig> {
  return api<ProviderConfig>(`login/config/${name}`, { noAuthRedirect: true });
}

/** Where the page remembers the route to open after the provider round trip. */
export const NEXT_KEY = 'ibutsu.login.next';

/** The URL that starts the flow in redirect mode, or null when the server gave none. */
export function startUrl(name: string, cfg: ProviderConfig): string | null {
  const base = cfg.authorization_url || `/api/login/auth/${name}`;
  let u: URL;
  try {
    u = new URL(base, window.location.origin);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.searchParams.set('mode', 'redirect');
  return u.toString();
}

/** Page navigation, replaceable in tests (jsdom cannot leave the page). */
export const browserNav = { assign: (url: string) => window.location.assign(url) };

/** Leaves the page for the provider; `next` is reopened when the session comes back. */
export function startProviderLogin(name: string, cfg: ProviderConfig, next: string): void {
  const url = startUrl(name, cfg);
  if (!url) throw new Error(`${providerLabel(name, cfg)} login is not configured`);
  try {
    sessionStorage.setItem(NEXT_KEY, next);
  } catch {
    /* storage disabled: land on the home page */
  }
  browserNav.assign(url);
}

/** The remembered route (only an in-app path), cleared once read. */
export function takeNext(fallback: string): string {
  let next: string | null = null;
  try {
    next = sessionStorage.getItem(NEXT_KEY);
    sessionStorage.removeItem(NEXT_KEY);
  } catch {
    /* storage disabled */
  }
  return next && next.startsWith('/') && !next.startsWith('//') ? next : fallback;
}
