// "Create a project": title and name, POST /api/project (any signed-in
// user may; the caller becomes its owner), then the caller is told the new
// project (the empty state opens its dashboard).
import { useState } from 'react';
import { Form, Modal, ModalBody, ModalHeader, ModalVariant } from '@patternfly/react-core';
import type { Project } from '../../api/types';
import { ErrorAlert, ModalActions } from '../../components/forms';
import { useSubmit } from '../../components/useSubmit';
import { createProject, validateNewProject } from './newProject';
import { NewProjectFields, useNewProject } from './NewProjectFields';

export function CreateProjectModal({ onClose, onCreated }: { onClose: () => void; onCreated: (p: Project) => void }) {
  const [value, update] = useNewProject();
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit();
  const errors = validateNewProject(value.title, value.name);
  const invalid = Object.keys(errors).length > 0;

  const submit = async (e?: React.FormEvent) => {
    e?.preventDefault();
    setTouched(true);
    if (invalid) return;
    await run(async () => onCreated(await createProject(value.title, value.name)));
  };

  return (
    <Modal isOpen variant={ModalVariant.small} onClose={onClose} aria-labelledby="new-project-title" aria-describedby="new-project-description">
      <ModalHeader
        title="Create a project"
        labelId="new-project-title"
        descriptorId="new-project-description"
        description="You become its owner. It starts with a dashboard of summary, trend and heatmap widgets."
      />
      <ModalBody>
        <Form id="new-project-form" onSubmit={submit}>
          <NewProjectFields idPrefix="create-project" value={value} onChange={update} errors={touched ? errors : {}} autoFocus isDisabled={busy} />
        </Form>
        <ErrorAlert title="The project could not be created" error={error} spaced />
      </ModalBody>
      <ModalActions form="new-project-form" busy={busy} onCancel={onClose}>
        Create project
      </ModalActions>
    </Modal>
  );
}
