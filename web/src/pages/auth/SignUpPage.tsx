// Registration: creates an inactive account. With a mail server the
// activation link arrives by e-mail; without one (the server answers
// activation: "administrator") nothing is sent and a superadmin must
// activate the account, so the page says that instead of promising a mail.
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
  /** How the new account gets activated, once registered. */
  const [done, setDone] = useState<'email' | 'administrator' | null>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = passwordMismatch(password, confirm);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ activation?: string } | null>('login/register', { method: 'POST', body: { email, password }, noAuthRedirect: true });
      // An upstream-style server answers {}: it mails the link.
      setDone(res?.activation === 'administrator' ? 'administrator' : 'email');
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
      {done === 'administrator' ? (
        <Alert isInline variant="info" title="An administrator must activate your account">
          Your account {email} was created. This server sends no e-mail, so no activation link is coming: ask an Ibutsu administrator to activate the account,
          then log in.
        </Alert>
      ) : done === 'email' ? (
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
