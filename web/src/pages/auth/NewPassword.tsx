// What the sign-up and reset-password pages share: the new password with its
// confirmation, and the error text of a failed call.
import { FormGroup, FormHelperText, HelperText, HelperTextItem, TextInput } from '@patternfly/react-core';
import { ApiError } from '../../api/client';

/** The server's message for a failed call (a text body or its "message"), else the error's own. */
export function authError(err: unknown): string {
  if (err instanceof ApiError) {
    const b = err.body;
    if (typeof b === 'string') return b;
    if (b && typeof b === 'object' && 'message' in b) return String((b as { message: unknown }).message);
  }
  return err instanceof Error ? err.message : String(err);
}

/** Whether a typed confirmation differs from the password. */
export const passwordMismatch = (password: string, confirm: string) => confirm !== '' && password !== confirm;

interface Props {
  /** Prefix of the inputs' ids: "<idPrefix>-password", "<idPrefix>-confirm". */
  idPrefix: string;
  passwordLabel: string;
  password: string;
  confirm: string;
  onPassword: (v: string) => void;
  onConfirm: (v: string) => void;
}

/** The password and "Confirm password" fields; a mismatch is shown under the confirmation. */
export function NewPasswordFields({ idPrefix, passwordLabel, password, confirm, onPassword, onConfirm }: Props) {
  const mismatch = passwordMismatch(password, confirm);
  return (
    <>
      <FormGroup label={passwordLabel} isRequired fieldId={`${idPrefix}-password`}>
        <TextInput id={`${idPrefix}-password`} type="password" autoComplete="new-password" value={password} onChange={(_e, v) => onPassword(v)} isRequired />
      </FormGroup>
      <FormGroup label="Confirm password" isRequired fieldId={`${idPrefix}-confirm`}>
        <TextInput
          id={`${idPrefix}-confirm`}
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(_e, v) => onConfirm(v)}
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
    </>
  );
}
