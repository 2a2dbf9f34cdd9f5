// One widget parameter's form field, generated from its declaration: a
// human label (paramSpecs), a checkbox, a list box, a duration in words, or
// a text box — with suggestions from the project's data for Jenkins job
// names and result fields. Shared by the widget wizard and "Add view".
import { useMemo } from 'react';
import { Checkbox, FormGroup, FormHelperText, HelperText, HelperTextItem, TextArea, TextInput } from '@patternfly/react-core';
import type { WidgetParamDef } from '../../../api/types';
import { useApi } from '../../../api/useApi';
import { metadataFieldNames } from '../../../components/filter/FilterBuilder';
import { matchOptions, type TypeaheadOption } from '../../../components/filter/Typeahead';
import { TypeaheadSelect } from '../../../components/typeahead/TypeaheadSelect';
import { paramSpec } from './paramSpecs';

/** Result columns every project has, offered first as "Group by" values. */
const BASE_FIELDS: TypeaheadOption[] = [
  { value: 'component', description: 'Component' },
  { value: 'env', description: 'Environment' },
  { value: 'source', description: 'Source' },
  { value: 'result', description: 'Outcome (passed, failed, …)' },
  { value: 'metadata.jenkins.job_name', description: 'Jenkins job' },
];

/** Turns URLs in a param description into links. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s)]+)/g);
  return (
    <>
      {parts.map((p, i) =>
        /^https?:\/\//.test(p) ? (
          <a key={i} href={p} target="_blank" rel="noreferrer">
            {p.replace(/^https?:\/\//, '').replace(/\/$/, '')}
          </a>
        ) : (
          p
        ),
      )}
    </>
  );
}

/** Distinct values of the project's data for a suggesting param (job names, or result fields). */
export function useParamSuggestions(kind: 'job' | 'field' | undefined, projectId: string): { options: TypeaheadOption[]; loading: boolean } {
  const jobs = useApi<{ _id: string | null }[]>(kind === 'job' ? 'widget/result-aggregator' : null, {
    query: { group_field: 'metadata.jenkins.job_name', for_filter: true, project: projectId },
  });
  const fields = useApi<string[]>(kind === 'field' ? `project/filter-params/${projectId}` : null);
  return useMemo(() => {
    if (kind === 'job') {
      const names = (Array.isArray(jobs.data) ? jobs.data : []).map((d) => d._id).filter((v): v is string => typeof v === 'string' && v !== '' && v !== 'None');
      return { options: [...new Set(names)].sort().map((value) => ({ value })), loading: jobs.loading };
    }
    if (kind === 'field') {
      const extra = metadataFieldNames(Array.isArray(fields.data) ? fields.data : [], []).filter((n) => !BASE_FIELDS.some((b) => b.value === n));
      return { options: [...BASE_FIELDS, ...extra.map((value) => ({ value }))], loading: fields.loading };
    }
    return { options: [], loading: false };
  }, [kind, jobs.data, jobs.loading, fields.data, fields.loading]);
}

export function ParamField({
  p,
  value,
  error,
  onChange,
  projectId,
}: {
  p: WidgetParamDef;
  value: string | boolean;
  error?: string;
  onChange: (v: string | boolean) => void;
  projectId: string;
}) {
  const id = `widget-param-${p.name}`;
  const spec = paramSpec(p.name, p.type);
  const suggestions = useParamSuggestions(p.type === 'string' ? spec.suggest : undefined, projectId);
  const helper = (
    <FormHelperText>
      <HelperText>
        {error ? (
          <HelperTextItem variant="error" id={`${id}-error`}>
            {error}
          </HelperTextItem>
        ) : (
          <HelperTextItem id={`${id}-helper`}>
            {spec.help ?? (p.description && <Linkified text={p.description} />)}
            {p.type === 'list' && ' One value per line.'}
            {p.name === 'project' && value === projectId && ' (the current project)'}
          </HelperTextItem>
        )}
      </HelperText>
    </FormHelperText>
  );
  if (p.type === 'boolean') {
    return (
      <FormGroup fieldId={id} label={spec.label} isRequired={p.required} hasNoPaddingTop>
        <Checkbox id={id} isChecked={Boolean(value)} onChange={(_e, v) => onChange(v)} label={p.description || spec.label} />
      </FormGroup>
    );
  }
  const validated = error ? 'error' : 'default';
  let input: React.ReactNode;
  if (p.type === 'list') {
    input = (
      <TextArea
        id={id}
        value={String(value)}
        onChange={(_e, v) => onChange(v)}
        validated={validated}
        isRequired={p.required}
        resizeOrientation="vertical"
        aria-describedby={error ? `${id}-error` : `${id}-helper`}
        rows={3}
      />
    );
  } else if (p.type === 'string' && spec.suggest) {
    input = (
      <TypeaheadSelect
        id={id}
        label={spec.label}
        text={String(value)}
        onTextChange={onChange}
        options={matchOptions(suggestions.options, String(value))}
        onPick={onChange}
        selected={String(value)}
        freeText
        onClear={value ? () => onChange('') : undefined}
        emptyText={
          suggestions.loading
            ? 'Loading suggestions…'
            : spec.suggest === 'job'
              ? 'No Jenkins jobs in this project yet; type a name'
              : 'No suggestions; type a field name'
        }
        inline
        invalid={Boolean(error)}
      />
    );
  } else {
    const numeric = !spec.duration && (p.type === 'integer' || p.type === 'float');
    input = (
      <TextInput
        id={id}
        type={numeric ? 'number' : 'text'}
        step={numeric && p.type === 'float' ? 'any' : undefined}
        value={String(value)}
        onChange={(_e, v) => onChange(v)}
        validated={validated}
        isRequired={p.required}
        placeholder={spec.duration ? 'e.g. 7 days' : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-helper`}
      />
    );
  }
  return (
    <FormGroup fieldId={id} label={spec.label} isRequired={p.required}>
      {input}
      {helper}
    </FormGroup>
  );
}
