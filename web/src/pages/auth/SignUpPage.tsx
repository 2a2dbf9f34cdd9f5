// Registration: creates an inactive account; the activation link arrives by
// e-mail (or in the server log when no mail server is configured).
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ActionGroup, Alert, Button, Form, FormGroup, TextInput } from '@patternfly/react-core';
import { api } from '../../api/client';
import { AuthLayout } from './AuthLayout';
import { authError, NewPasswordFields, passwordMismatch } from './NewPassword';

export function SignUpPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const mismatch = passwordMismatch(password, confirm);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    try {
      await api('login/register', { method: 'POST', body: { email, password }, noAuthRedirect: true });
      setDone(true);
    } catch (err) {
      setError(authError(err));
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
          <NewPasswordFields idPrefix="signup" passwordLabel="Password" password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} />
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
