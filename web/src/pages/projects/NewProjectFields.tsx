// The title and name fields of a new project, shared by the "Create a
// project" dialog and the import dialog's inline creation. The name follows
// the title (as a slug) until the user edits it.
import { useState } from 'react';
import { TextInput } from '@patternfly/react-core';
import { FormField } from '../../components/forms';
import { slugify } from './newProject';

export interface NewProjectValue {
  title: string;
  name: string;
}

/** The title/name state with the name following the title until edited. */
export function useNewProject(): [NewProjectValue, (v: Partial<NewProjectValue>) => void, () => void] {
  const [value, setValue] = useState<NewProjectValue>({ title: '', name: '' });
  const [nameEdited, setNameEdited] = useState(false);
  const update = (v: Partial<NewProjectValue>) => {
    if (v.name !== undefined) setNameEdited(true);
    setValue((old) => {
      const next = { ...old, ...v };
      if (v.title !== undefined && v.name === undefined && !nameEdited) next.name = slugify(v.title);
      return next;
    });
  };
  const reset = () => {
    setValue({ title: '', name: '' });
    setNameEdited(false);
  };
  return [value, update, reset];
}

export function NewProjectFields({
  idPrefix,
  value,
  onChange,
  errors,
  autoFocus,
  isDisabled,
}: {
  idPrefix: string;
  value: NewProjectValue;
  onChange: (v: Partial<NewProjectValue>) => void;
  errors: { title?: string; name?: string };
  autoFocus?: boolean;
  isDisabled?: boolean;
}) {
  return (
    <>
      <FormField label="Project title" isRequired fieldId={`${idPrefix}-title`} help="Shown in the UI, e.g. “Payments QE”." error={errors.title}>
        <TextInput
          id={`${idPrefix}-title`}
          value={value.title}
          onChange={(_e, v) => onChange({ title: v })}
          isRequired
          autoFocus={autoFocus}
          isDisabled={isDisabled}
          validated={errors.title ? 'error' : 'default'}
        />
      </FormField>
      <FormField
        label="Project name"
        isRequired
        fieldId={`${idPrefix}-name`}
        help="The identifier test clients send as “project” (unique)."
        error={errors.name}
      >
        <TextInput
          id={`${idPrefix}-name`}
          value={value.name}
          onChange={(_e, v) => onChange({ name: v })}
          isRequired
          isDisabled={isDisabled}
          validated={errors.name ? 'error' : 'default'}
          className="ibutsu-mono"
        />
      </FormField>
    </>
  );
}
