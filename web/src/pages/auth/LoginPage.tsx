// Password login plus a button for every provider /api/login/support
// enables; also accepts the session the Keycloak/OIDC redirect puts in the
// query string, and shows the activation result (?st=&msg=).
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ActionGroup, Alert, Button, Form, FormGroup, TextInput, Divider, Stack } from '@patternfly/react-core';
import { api, ApiError } from '../../api/client';
import type { LoginSupport } from '../../api/types';
import { useAuth, type Session } from '../../auth/AuthContext';
import { AuthLayout } from './AuthLayout';
import { providerConfig, providerLabels, startProviderLogin } from './oauth';

export function LoginPage() {
  const { login, session } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [support, setSupport] = useState<LoginSupport | null>(null);
  const next = params.get('next') || '/';

  useEffect(() => {
    const token = params.get('token');
    if (token) {
      login({ token, email: params.get('email') ?? '', name: params.get('name') });
      navigate(next, { replace: true });
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
      const cfg = await providerConfig(name);
      const s = await startProviderLogin(name, cfg);
      login(s);
      navigate(next, { replace: true });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const providers = support ? Object.entries(support).filter(([k, v]) => k !== 'user' && v).map(([k]) => k) : [];
  const st = params.get('st');
  const msg = params.get('msg');

  return (
    <AuthLayout
      title="Log in to your account"
      footer={<>Need an account? <Link to="/sign-up">Sign up</Link></>}
    >
      <Stack hasGutter>
        {msg && <Alert isInline variant={st === 'success' ? 'success' : 'danger'} title={msg} />}
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
                Log in with {providerLabels[p] ?? p}
              </Button>
            ))}
          </>
        )}
      </Stack>
    </AuthLayout>
  );
}
