// Registration: creates an inactive account; the activation link arrives by
// e-mail (or in the server log when no mail server is configured).
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ActionGroup, Alert, Button, Form, FormGroup, FormHelperText, HelperText, HelperTextItem, TextInput } from '@patternfly/react-core';
import { api, ApiError } from '../../api/client';
import { AuthLayout } from './AuthLayout';

function message(err: unknown): string {
  if (err instanceof ApiError && err.body && typeof err.body === 'object' && 'message' in err.body) {
    return String((err.body as { message: unknown }).message);
  }
  return err instanceof Error ? err.message : String(err);
}

export function SignUpPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const mismatch = confirm !== '' && password !== confirm;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    try {
      await api('login/register', { method: 'POST', body: { email, password }, noAuthRedirect: true });
      setDone(true);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title="Create an account"
      footer={
        <>
          Already registered? <Link to="/login">Log in</Link>
        </>
      }
    >
      {done ? (
        <Alert isInline variant="success" title="Check your e-mail">
          We sent an activation link to {email}. Follow it, then log in.
        </Alert>
      ) : (
        <Form onSubmit={submit} aria-label="Sign up">
          {error && <Alert isInline variant="danger" title={error} />}
          <FormGroup label="Email address" isRequired fieldId="signup-email">
            <TextInput id="signup-email" type="email" autoComplete="username" value={email} onChange={(_e, v) => setEmail(v)} isRequired />
          </FormGroup>
          <FormGroup label="Password" isRequired fieldId="signup-password">
            <TextInput id="signup-password" type="password" autoComplete="new-password" value={password} onChange={(_e, v) => setPassword(v)} isRequired />
          </FormGroup>
          <FormGroup label="Confirm password" isRequired fieldId="signup-confirm">
            <TextInput
              id="signup-confirm"
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={(_e, v) => setConfirm(v)}
              isRequired
              validated={mismatch ? 'error' : 'default'}
            />
            {mismatch && (
              <FormHelperText>
                <HelperText>
                  <HelperTextItem variant="error">Passwords do not match</HelperTextItem>
                </HelperText>
              </FormHelperText>
            )}
          </FormGroup>
          <ActionGroup>
            <Button type="submit" variant="primary" isBlock isLoading={busy} isDisabled={busy || !email || !password || mismatch}>
              Sign up
            </Button>
          </ActionGroup>
        </Form>
      )}
    </AuthLayout>
  );
}
