// Starting a provider's login flow from the browser. Keycloak and OIDC go by
// full-page redirect (the backend sends the browser back to /login?token=...);
// GitHub, GitLab and Google use a popup whose page hands the session back with
// postMessage, as the upstream UI does.
import { api } from '../../api/client';
import type { Session } from '../../auth/AuthContext';

interface ProviderConfig {
  authorization_url?: string;
  client_id?: string;
  app_id?: string;
  redirect_uri?: string;
  scope?: string;
  display_name?: string;
  start_url?: string;
  [k: string]: unknown;
}

export const providerLabels: Record<string, string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  google: 'Google',
  keycloak: 'Keycloak',
  facebook: 'Facebook',
  oidc: 'Single sign-on',
};

export async function providerConfig(name: string): Promise<ProviderConfig> {
  return api<ProviderConfig>(`login/config/${name}`, { noAuthRedirect: true });
}

function authorizeUrl(cfg: ProviderConfig, responseType: string): string | null {
  if (!cfg.authorization_url) return null;
  const u = new URL(cfg.authorization_url);
  u.searchParams.set('client_id', String(cfg.client_id ?? cfg.app_id ?? ''));
  if (cfg.redirect_uri) u.searchParams.set('redirect_uri', cfg.redirect_uri);
  if (cfg.scope) u.searchParams.set('scope', cfg.scope);
  u.searchParams.set('response_type', responseType);
  return u.toString();
}

/** Starts the flow; resolves with a session for popup flows, never for redirects. */
export function startProviderLogin(name: string, cfg: ProviderConfig): Promise<Session> {
  if (name === 'oidc') {
    window.location.assign(String(cfg.start_url ?? cfg.authorization_url ?? '/api/login/auth/oidc'));
    return new Promise(() => undefined);
  }
  if (name === 'keycloak') {
    const url = authorizeUrl({ ...cfg, scope: cfg.scope || 'openid email profile' }, 'code');
    if (url) window.location.assign(url);
    return new Promise(() => undefined);
  }
  const url = authorizeUrl(cfg, name === 'google' ? 'id_token' : 'code');
  if (!url) return Promise.reject(new Error(`${providerLabels[name] ?? name} login is not configured`));
  const popup = window.open(url, 'ibutsu-login', 'width=600,height=700');
  if (!popup) return Promise.reject(new Error('The login window was blocked by the browser'));
  return new Promise((resolve, reject) => {
    const onMessage = (e: MessageEvent) => {
      if (e.data?.message === 'deliverResult' && e.data.result?.token) {
        cleanup();
        popup.close();
        resolve(e.data.result as Session);
      }
    };
    const timer = window.setInterval(() => {
      if (popup.closed) {
        cleanup();
        reject(new Error('The login window was closed'));
        return;
      }
      try {
        popup.postMessage({ message: 'requestResult' }, '*');
      } catch {
        /* cross-origin until the provider sends it back */
      }
    }, 500);
    const cleanup = () => {
      window.clearInterval(timer);
      window.removeEventListener('message', onMessage);
    };
    window.addEventListener('message', onMessage);
  });
}
