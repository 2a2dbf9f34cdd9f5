// Creating a dashboard in the current project: title (required) and description.
import { useState } from 'react';
import { Form, FormGroup, Modal, ModalBody, ModalHeader, ModalVariant, TextArea, TextInput } from '@patternfly/react-core';
import { api } from '../../api/client';
import type { Dashboard } from '../../api/types';
import { ErrorAlert, FieldHelp, ModalActions } from '../../components/forms';
import { useSubmit } from '../../components/useSubmit';

export function NewDashboardModal({ projectId, onClose, onCreated }: { projectId: string; onClose: () => void; onCreated: (d: Dashboard) => void }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit();
  const invalid = !title.trim();

  const submit = async (e?: React.FormEvent) => {
    e?.preventDefault();
    setTouched(true);
    if (invalid) return;
    const body = { title: title.trim(), description: description.trim() || undefined, project_id: projectId };
    await run(async () => onCreated(await api<Dashboard>('dashboard', { method: 'POST', body })));
  };

  return (
    <Modal isOpen variant={ModalVariant.small} onClose={onClose} aria-labelledby="new-dashboard-title">
      <ModalHeader title="New dashboard" labelId="new-dashboard-title" />
      <ModalBody>
        <Form id="new-dashboard-form" onSubmit={submit}>
          <FormGroup label="Title" isRequired fieldId="dashboard-title">
            <TextInput
              id="dashboard-title"
              value={title}
              onChange={(_e, v) => setTitle(v)}
              onBlur={() => setTouched(true)}
              isRequired
              autoFocus
              validated={touched && invalid ? 'error' : 'default'}
            />
            <FieldHelp error={touched && invalid ? 'Give the dashboard a title.' : null} />
          </FormGroup>
          <FormGroup label="Description" fieldId="dashboard-description">
            <TextArea id="dashboard-description" value={description} onChange={(_e, v) => setDescription(v)} resizeOrientation="vertical" />
          </FormGroup>
        </Form>
        <ErrorAlert title="The dashboard could not be created" error={error} spaced />
      </ModalBody>
      <ModalActions form="new-dashboard-form" busy={busy} onCancel={onClose}>
        Create
      </ModalActions>
    </Modal>
  );
}
