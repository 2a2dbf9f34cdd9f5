// The one confirmation dialog for destructive actions (delete a dashboard,
// widget, project, user or token). It runs the action itself so a failure
// stays in the dialog, and can ask for a name to be typed first.
import { useEffect, useId, useState } from 'react';
import { Alert, Button, Form, FormGroup, Modal, ModalBody, ModalFooter, ModalHeader, ModalVariant, TextInput } from '@patternfly/react-core';
import { errorText } from '../api/client';

export interface ConfirmModalProps {
  /** Defaults to true, for dialogs mounted only while shown. */
  isOpen?: boolean;
  title: string;
  children?: React.ReactNode;
  /** The confirm button's label. */
  confirmText: string;
  /** The title of the alert that shows a failure. */
  errorTitle?: string;
  /** A name the user must type before confirming. */
  typeToConfirm?: string;
  /** Does the action; a rejection is shown in the dialog. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

export function ConfirmModal({
  isOpen = true,
  title,
  children,
  confirmText,
  errorTitle = 'That did not work',
  typeToConfirm,
  onConfirm,
  onClose,
}: ConfirmModalProps) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  useEffect(() => {
    if (isOpen) {
      setTyped('');
      setError(null);
      setBusy(false);
    }
  }, [isOpen]);
  const ok = typeToConfirm === undefined || typed === typeToConfirm;
  const confirm = async () => {
    if (!ok || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Modal isOpen={isOpen} onClose={onClose} variant={ModalVariant.small} aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`}>
      <ModalHeader title={title} titleIconVariant="warning" labelId={`${id}-title`} />
      <ModalBody id={`${id}-body`}>
        {children}
        {typeToConfirm !== undefined && (
          <Form
            onSubmit={(e) => {
              e.preventDefault();
              void confirm();
            }}
            style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}
          >
            <FormGroup
              label={
                <>
                  Type <strong>{typeToConfirm}</strong> to confirm
                </>
              }
              fieldId={`${id}-typed`}
            >
              <TextInput
                id={`${id}-typed`}
                value={typed}
                onChange={(_e, v) => setTyped(v)}
                autoComplete="off"
                aria-label={`Type ${typeToConfirm} to confirm`}
              />
            </FormGroup>
          </Form>
        )}
        {error && (
          <Alert variant="danger" isInline title={errorTitle} style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
            {error}
          </Alert>
        )}
      </ModalBody>
      <ModalFooter>
        <Button variant="danger" onClick={confirm} isDisabled={!ok || busy} isLoading={busy}>
          {confirmText}
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
