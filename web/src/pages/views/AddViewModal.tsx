// "Add view": the views of a project (Jenkins jobs, Jenkins job analysis,
// compare runs, accessibility) are widget configs of type "view"; this
// dialog lists the view types this UI can show (GET /api/widget/types?type=view),
// asks for a title and the type's options, and creates the config
// (POST /api/widget-config), which then appears under Views in the sidebar.
import { useMemo, useState } from 'react';
import { Form, FormSelect, FormSelectOption, Modal, ModalBody, ModalHeader, ModalVariant, TextInput } from '@patternfly/react-core';
import { api } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { WidgetConfig, WidgetType } from '../../api/types';
import { ErrorState, Loading } from '../../components/states';
import { ErrorAlert, FormField, ModalActions } from '../../components/forms';
import { useSubmit } from '../../components/useSubmit';
import { ParamField } from '../dashboard/wizard/ParamField';
import { escapeClosesDialog } from '../dashboard/wizard/escape';
import { initialValues, toParams, validate, type FormValues } from '../dashboard/wizard/params';
import { VIEW_DESCRIPTIONS, VIEW_TITLES } from './viewTypes';

/**
 * A view's options are all optional here: each view page lets the user
 * choose what the options would preset (a job, the runs to compare), so a
 * view can be added before any of it is known.
 */
export function optionalParams(t: WidgetType): WidgetType {
  return { ...t, params: (t.params ?? []).filter((p) => p.name !== 'page' && p.name !== 'page_size').map((p) => ({ ...p, required: false })) };
}

export function AddViewModal({ projectId, onClose, onCreated }: { projectId: string; onClose: () => void; onCreated: (v: WidgetConfig) => void }) {
  const types = useApi<{ types: WidgetType[] }>('widget/types', { query: { type: 'view' } });
  const shown = useMemo(() => (types.data?.types ?? []).filter((t) => t.type === 'view' && VIEW_TITLES[t.id]).map(optionalParams), [types.data]);
  const [typeId, setTypeId] = useState('');
  const type = shown.find((t) => t.id === typeId) ?? shown[0];
  const [values, setValues] = useState<FormValues | null>(null);
  const [title, setTitle] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit();
  const form = values ?? (type ? initialValues(type, projectId) : {});
  const errors = type ? validate(type, form) : {};
  const shownTitle = title || (type ? VIEW_TITLES[type.id] : '');

  const choose = (id: string) => {
    setTypeId(id);
    setValues(null);
    setTouched(false);
  };

  const submit = async (e?: React.FormEvent) => {
    e?.preventDefault();
    setTouched(true);
    if (!type || Object.keys(errors).length > 0 || !shownTitle.trim()) return;
    const body = { type: 'view', widget: type.id, title: shownTitle.trim(), params: toParams(type, form), project_id: projectId, navigable: true };
    await run(async () => onCreated(await api<WidgetConfig>('widget-config', { method: 'POST', body })));
  };

  return (
    <Modal
      isOpen
      variant={ModalVariant.medium}
      onClose={onClose}
      onEscapePress={(e) => {
        if (escapeClosesDialog(e.target)) onClose();
      }}
      aria-labelledby="add-view-title"
      aria-describedby="add-view-description"
    >
      <ModalHeader
        title="Add a view"
        labelId="add-view-title"
        descriptorId="add-view-description"
        description="Views are whole pages about the project's data; they are listed under Views in the sidebar for everyone in the project."
      />
      <ModalBody>
        {types.loading && !types.data ? (
          <Loading label="Loading view types" />
        ) : types.error ? (
          <ErrorState error={types.error} onRetry={types.reload} />
        ) : (
          <Form id="add-view-form" onSubmit={submit}>
            <FormField label="View type" isRequired fieldId="add-view-type" help={type ? (VIEW_DESCRIPTIONS[type.id] ?? type.description ?? type.title) : ''}>
              <FormSelect id="add-view-type" value={type?.id ?? ''} onChange={(_e, v) => choose(v)}>
                {shown.map((t) => (
                  <FormSelectOption key={t.id} value={t.id} label={VIEW_TITLES[t.id]} />
                ))}
              </FormSelect>
            </FormField>
            <FormField label="Title" isRequired fieldId="add-view-name" error={touched && !shownTitle.trim() ? 'Give the view a title.' : null}>
              <TextInput
                id="add-view-name"
                value={shownTitle}
                onChange={(_e, v) => setTitle(v)}
                isRequired
                validated={touched && !shownTitle.trim() ? 'error' : 'default'}
              />
            </FormField>
            {type?.params
              .filter((p) => p.name !== 'project')
              .map((p) => (
                <ParamField
                  key={`${type.id}-${p.name}`}
                  p={p}
                  value={form[p.name] ?? ''}
                  projectId={projectId}
                  error={touched ? errors[p.name] : undefined}
                  onChange={(v) => setValues({ ...form, [p.name]: v })}
                />
              ))}
          </Form>
        )}
        <ErrorAlert title="The view could not be added" error={error} spaced />
      </ModalBody>
      <ModalActions form="add-view-form" busy={busy} isDisabled={!type} onCancel={onClose}>
        Add view
      </ModalActions>
    </Modal>
  );
}
