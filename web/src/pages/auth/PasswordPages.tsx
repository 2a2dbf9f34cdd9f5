// Forgot password (asks for a reset link) and reset password (the link's
// target, /reset-password/:activation_code).
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ActionGroup, Alert, Button, Form, FormGroup, TextInput } from '@patternfly/react-core';
import { api } from '../../api/client';
import { AuthLayout } from './AuthLayout';
import { authError, NewPasswordFields, passwordMismatch } from './NewPassword';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api('login/recover', { method: 'POST', body: { email }, noAuthRedirect: true });
      setDone(true);
    } catch (err) {
      setError(authError(err));
    }
  };
  return (
    <AuthLayout title="Recover your account" footer={<Link to="/login">Back to log in</Link>}>
      {done ? (
        <Alert isInline variant="success" title="Check your e-mail">
          If the address is registered, a link to reset the password is on its way.
        </Alert>
      ) : (
        <Form onSubmit={submit} aria-label="Recover account">
          {error && <Alert isInline variant="danger" title={error} />}
          <FormGroup label="Email address" isRequired fieldId="recover-email">
            <TextInput id="recover-email" type="email" value={email} onChange={(_e, v) => setEmail(v)} isRequired />
          </FormGroup>
          <ActionGroup>
            <Button type="submit" variant="primary" isBlock isDisabled={!email}>
              Send reset link
            </Button>
          </ActionGroup>
        </Form>
      )}
    </AuthLayout>
  );
}

export function ResetPasswordPage() {
  const { activation_code = '' } = useParams();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const mismatch = passwordMismatch(password, confirm);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    setError(null);
    try {
      await api('login/reset-password', { method: 'POST', body: { activation_code, password }, noAuthRedirect: true });
      navigate('/login?st=success&msg=' + encodeURIComponent('Password changed, please log in.'));
    } catch (err) {
      setError(authError(err));
    }
  };
  return (
    <AuthLayout title="Choose a new password" footer={<Link to="/login">Back to log in</Link>}>
      <Form onSubmit={submit} aria-label="Reset password">
        {error && <Alert isInline variant="danger" title={error} />}
        <NewPasswordFields
          idPrefix="reset"
          passwordLabel="New password"
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
        />
        <ActionGroup>
          <Button type="submit" variant="primary" isBlock isDisabled={!password || mismatch}>
            Change password
          </Button>
        </ActionGroup>
      </Form>
    </AuthLayout>
  );
}
