// A confirmation dialog for destructive actions (delete dashboard / widget).
import { useState } from 'react';
import { Alert, Button, Modal, ModalBody, ModalFooter, ModalHeader, ModalVariant } from '@patternfly/react-core';

export interface ConfirmModalProps {
  title: string;
  children: React.ReactNode;
  confirmText: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

export function ConfirmModal({ title, children, confirmText, onConfirm, onClose }: ConfirmModalProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <Modal isOpen variant={ModalVariant.small} onClose={onClose} aria-labelledby="confirm-modal-title" aria-describedby="confirm-modal-body">
      <ModalHeader title={title} titleIconVariant="warning" labelId="confirm-modal-title" />
      <ModalBody id="confirm-modal-body">
        {children}
        {error && (
          <Alert variant="danger" isInline title="That did not work" style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
            {error}
          </Alert>
        )}
      </ModalBody>
      <ModalFooter>
        <Button variant="danger" onClick={confirm} isLoading={busy} isDisabled={busy}>
          {confirmText}
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
