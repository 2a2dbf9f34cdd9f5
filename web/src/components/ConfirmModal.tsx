// The one confirmation dialog for destructive actions (delete a dashboard,
// widget, project, user, token, webhook or quarantine entry). It runs the
// action itself so a failure stays in the dialog, and can ask for a name to
// be typed first. DeleteConfirmModal words it for deleting a named thing.
import { useEffect, useId, useState } from 'react';
import { Form, FormGroup, Modal, ModalBody, ModalHeader, ModalVariant, TextInput } from '@patternfly/react-core';
import { api } from '../api/client';
import { ErrorAlert, ModalActions } from './forms';
import { useSubmit } from './useSubmit';

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
  const { busy, error, run, reset } = useSubmit();
  const id = useId();
  useEffect(() => {
    if (isOpen) {
      setTyped('');
      reset();
    }
  }, [isOpen, reset]);
  const ok = typeToConfirm === undefined || typed === typeToConfirm;
  const confirm = async () => {
    if (!ok || busy) return;
    await run(onConfirm);
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
        <ErrorAlert title={errorTitle} error={error} spaced />
      </ModalBody>
      <ModalActions danger onClick={confirm} busy={busy} isDisabled={!ok} onCancel={onClose}>
        {confirmText}
      </ModalActions>
    </Modal>
  );
}

interface DeleteProps {
  isOpen: boolean;
  /** "project", "user", "token" — used in the title and button. */
  kind: string;
  /** What is being deleted, shown (and typed, with requireTyping). */
  name: string;
  requireTyping?: boolean;
  /** What else the deletion does, below the standard sentence. */
  children?: React.ReactNode;
  onCancel: () => void;
  /** Does the deletion; a rejection is shown in the modal. */
  onConfirm: () => Promise<void>;
}

/** One list item's deletion, from the Delete button to the reload (useDeleteItem). */
export interface ItemDeletion<T> {
  /** The item whose deletion is being confirmed. */
  item: T | null;
  /** Opens the confirmation for an item. */
  ask: (item: T) => void;
  /** DeleteConfirmModal's isOpen, onCancel and onConfirm. */
  modal: Pick<DeleteProps, 'isOpen' | 'onCancel' | 'onConfirm'>;
}

/**
 * Deleting the items of a list with DeleteConfirmModal: confirming sends
 * DELETE to url(item), closes the dialog and reloads the list.
 */
export function useDeleteItem<T>(url: (item: T) => string, reload: () => void): ItemDeletion<T> {
  const [item, setItem] = useState<T | null>(null);
  return {
    item,
    ask: setItem,
    modal: {
      isOpen: item !== null,
      onCancel: () => setItem(null),
      onConfirm: async () => {
        await api(url(item!), { method: 'DELETE' });
        setItem(null);
        reload();
      },
    },
  };
}

/** The confirmation dialog worded for deleting a named thing. */
export function DeleteConfirmModal({ isOpen, kind, name, requireTyping = false, children, onCancel, onConfirm }: DeleteProps) {
  return (
    <ConfirmModal
      isOpen={isOpen}
      title={`Delete ${kind}?`}
      confirmText={`Delete ${kind}`}
      errorTitle="Could not delete"
      typeToConfirm={requireTyping ? name : undefined}
      onConfirm={onConfirm}
      onClose={onCancel}
    >
      <p>
        This permanently deletes the {kind} <strong>{name}</strong>.
      </p>
      {children}
    </ConfirmModal>
  );
}
