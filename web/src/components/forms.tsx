// Pieces every form and form dialog repeats: a labelled field with help or
// an error under it, the alert that shows why a save failed, a page form's submit
// button (and Cancel) and a dialog's submit/Cancel footer.
import { ActionGroup, Alert, Button, FormGroup, FormHelperText, HelperText, HelperTextItem, ModalFooter } from '@patternfly/react-core';

/** Helper text under a form field: plain, or as an error (the error wins). Nothing when both are empty. */
export function FieldHelp({ error, children }: { error?: string | null; children?: React.ReactNode }) {
  if (!error && !children) return null;
  return (
    <FormHelperText>
      <HelperText>
        <HelperTextItem variant={error ? 'error' : 'default'}>{error || children}</HelperTextItem>
      </HelperText>
    </FormHelperText>
  );
}

/**
 * One form field: its label (tied to the control by fieldId, which the
 * control must carry as its id), the control, and FieldHelp under it. The
 * dialogs' fields were this FormGroup/control/FieldHelp trio written out
 * each time; help and error behave as in FieldHelp.
 */
export function FormField({
  label,
  fieldId,
  isRequired,
  help,
  error,
  children,
}: {
  label: string;
  fieldId: string;
  isRequired?: boolean;
  help?: React.ReactNode;
  error?: string | null;
  children: React.ReactNode;
}) {
  return (
    <FormGroup label={label} isRequired={isRequired} fieldId={fieldId}>
      {children}
      <FieldHelp error={error}>{help}</FieldHelp>
    </FormGroup>
  );
}

/**
 * The inline danger alert with the server's message after a failed save;
 * nothing while there is no error. spaced puts it a gap below what precedes
 * it (under a dialog's form).
 */
export function ErrorAlert({
  title,
  error,
  spaced,
  'data-testid': testId,
}: {
  title: string;
  error: string | null | undefined;
  spaced?: boolean;
  'data-testid'?: string;
}) {
  if (!error) return null;
  return (
    <Alert variant="danger" isInline title={title} style={spaced ? { marginTop: 'var(--pf-t--global--spacer--md)' } : undefined} data-testid={testId}>
      {error}
    </Alert>
  );
}

interface ModalActionsProps {
  /** The primary button's label. */
  children: React.ReactNode;
  /** Submits the form with this id (the button is its submit button). */
  form?: string;
  /** Or runs this on click. */
  onClick?: () => void;
  /** A destructive action: the danger button. */
  danger?: boolean;
  /** The action runs: spinner on the button, which is disabled. */
  busy: boolean;
  /** Disabled for another reason (the input is not complete). */
  isDisabled?: boolean;
  onCancel: () => void;
  'data-testid'?: string;
}

/** A dialog's footer: the primary (or danger) action and Cancel. */
export function ModalActions({ children, form, onClick, danger, busy, isDisabled, onCancel, 'data-testid': testId }: ModalActionsProps) {
  return (
    <ModalFooter>
      <Button
        variant={danger ? 'danger' : 'primary'}
        type={form ? 'submit' : undefined}
        form={form}
        onClick={onClick}
        isLoading={busy}
        isDisabled={busy || isDisabled}
        data-testid={testId}
      >
        {children}
      </Button>
      <Button variant="link" onClick={onCancel}>
        Cancel
      </Button>
    </ModalFooter>
  );
}

/** A page form's submit button (spinner and disabled while busy) and, given onCancel, a Cancel link after it. */
export function FormButtons({
  children,
  busy,
  isDisabled,
  onCancel,
}: {
  children: React.ReactNode;
  busy: boolean;
  isDisabled?: boolean;
  onCancel?: () => void;
}) {
  return (
    <ActionGroup>
      <Button type="submit" variant="primary" isLoading={busy} isDisabled={busy || isDisabled}>
        {children}
      </Button>
      {onCancel && (
        <Button variant="link" onClick={onCancel}>
          Cancel
        </Button>
      )}
    </ActionGroup>
  );
}
