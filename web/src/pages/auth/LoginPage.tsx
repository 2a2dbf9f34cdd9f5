// Password login plus a button for every provider /api/login/support
// enables, labelled with the configured name (KEYCLOAK_NAME, OIDC_NAME); also
// accepts the session a provider flow's redirect puts in the query string,
// and shows the activation result or why a provider login failed (?st=&msg=).
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ActionGroup, Alert, Button, Form, FormGroup, TextInput, Divider, Stack } from '@patternfly/react-core';
import { api, ApiError } from '../../api/client';
import type { LoginSupport } from '../../api/types';
import { useAuth, type Session } from '../../auth/AuthContext';
import { AuthLayout } from './AuthLayout';
import { flowProviders, providerConfig, providerLabel, startProviderLogin, takeNext, type ProviderConfig } from './oauth';

export function LoginPage() {
  const { login, session } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [support, setSupport] = useState<LoginSupport | null>(null);
  const [configs, setConfigs] = useState<Record<string, ProviderConfig>>({});
  const next = params.get('next') || '/';

  useEffect(() => {
    const token = params.get('token');
    if (token) {
      login({ token, email: params.get('email') ?? '', name: params.get('name') });
      navigate(takeNext(next), { replace: true });
    }
  }, [params, login, navigate, next]);

  useEffect(() => {
    if (session && !params.get('token')) navigate(next, { replace: true });
  }, [session, navigate, next, params]);

  useEffect(() => {
    api<LoginSupport>('login/support', { noAuthRedirect: true })
      .then(setSupport)
      .catch(() => setSupport({ user: true } as LoginSupport));
  }, []);

  const providers = support ? flowProviders.filter((p) => support[p]) : [];
  const providerKey = providers.join(',');

  useEffect(() => {
    // The configs carry the display names and start URLs of the buttons.
    let live = true;
    for (const p of providerKey ? providerKey.split(',') : []) {
      providerConfig(p)
        .then((cfg) => live && setConfigs((c) => ({ ...c, [p]: cfg })))
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [providerKey]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api<Session>('login', { method: 'POST', body: { email, password }, noAuthRedirect: true });
      login(s);
      navigate(next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.body && typeof err.body === 'object' && 'message' in err.body) {
        setError(String((err.body as { message: unknown }).message));
      } else {
        setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const provider = async (name: string) => {
    setError(null);
    try {
      startProviderLogin(name, configs[name] ?? (await providerConfig(name)), next);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const st = params.get('st');
  const msg = params.get('msg');

  return (
    <AuthLayout
      title="Log in to your account"
      footer={
        <>
          Need an account? <Link to="/sign-up">Sign up</Link>
        </>
      }
    >
      <Stack hasGutter>
        {msg && <Alert isInline variant={st === 'success' ? 'success' : st === 'info' ? 'info' : 'danger'} title={msg} data-testid="login-message" />}
        {error && <Alert isInline variant="danger" title={error} data-testid="login-error" />}
        {(!support || support.user) && (
          <Form onSubmit={submit} aria-label="Log in">
            <FormGroup label="Email address" isRequired fieldId="login-email">
              <TextInput id="login-email" type="email" autoComplete="username" value={email} onChange={(_e, v) => setEmail(v)} isRequired autoFocus />
            </FormGroup>
            <FormGroup label="Password" isRequired fieldId="login-password">
              <TextInput id="login-password" type="password" autoComplete="current-password" value={password} onChange={(_e, v) => setPassword(v)} isRequired />
            </FormGroup>
            <ActionGroup>
              <Button type="submit" variant="primary" isBlock isLoading={busy} isDisabled={busy || !email || !password}>
                Log in
              </Button>
            </ActionGroup>
            <Link to="/forgot-password">Forgot your password?</Link>
          </Form>
        )}
        {providers.length > 0 && (
          <>
            <Divider />
            {providers.map((p) => (
              <Button key={p} variant="secondary" isBlock onClick={() => provider(p)}>
                Log in with {providerLabel(p, configs[p])}
              </Button>
            ))}
          </>
        )}
      </Stack>
    </AuthLayout>
  );
}
