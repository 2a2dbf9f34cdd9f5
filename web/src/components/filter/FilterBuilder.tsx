// The filter builder of the run and result lists: pick a field (known ones,
// the project's metadata paths, or type any metadata.* path), an operator
// by name and a value (with the field's distinct values as suggestions),
// then Apply. Active filters show as removable labels grouped by field; the
// page keeps them in the URL.
import { useEffect, useMemo, useState } from 'react';
import {
  Button,
  Flex,
  FlexItem,
  Form,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Label,
  LabelGroup,
  MenuToggle,
  Select,
  SelectList,
  SelectOption,
  TextInput,
} from '@patternfly/react-core';
import { FilterIcon } from '@patternfly/react-icons';
import { useApi } from '../../api/useApi';
import {
  describeFilter,
  fieldDef,
  OPERATORS,
  operatorLabel,
  RELATIVE_DATES,
  operatorsFor,
  RESULT_STATUSES,
  validateFilter,
  type FieldDef,
  type Filter,
  type Operator,
} from './filters';
import { Typeahead, type TypeaheadOption } from './Typeahead';

interface Props {
  /** The fields offered first (RUN_FIELDS / RESULT_FIELDS). */
  fields: FieldDef[];
  filters: Filter[];
  onChange: (filters: Filter[]) => void;
  /** Scopes value suggestions and adds the project's metadata paths to the field list. */
  projectId: string | null;
  /** Fields whose filters the page sets itself and does not show (project_id). */
  hiddenFields?: string[];
}

/** The project's metadata paths (from /project/filter-params) as metadata.* field names. */
export function metadataFieldNames(params: string[] | undefined, known: FieldDef[]): string[] {
  const names = new Set<string>();
  for (const p of params ?? []) {
    const m = /^(?:data|metadata)\.(.+)$/.exec(p);
    if (!m) continue;
    const name = `metadata.${m[1]}`;
    if (!known.some((f) => f.name === name)) names.add(name);
  }
  return [...names].sort();
}

/** Turns a datetime-local value (browser time) into the UTC ISO text the API compares. */
export function localToUTC(v: string): string {
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString().slice(0, 19);
}

function useValueSuggestions(def: FieldDef, projectId: string | null): { options: TypeaheadOption[]; loading: boolean } {
  const wanted = def.suggest && projectId !== null;
  const { data, loading } = useApi<{ _id: string | null }[]>(wanted ? 'widget/result-aggregator' : null, {
    query: { group_field: def.name, for_filter: true, project: projectId ?? undefined },
  });
  return useMemo(() => {
    if (def.kind === 'status') return { options: RESULT_STATUSES.map((s) => ({ value: s })), loading: false };
    if (!wanted) return { options: [], loading: false };
    const values = (Array.isArray(data) ? data : [])
      .map((d) => d._id)
      .filter((v): v is string => typeof v === 'string' && v !== '' && v !== 'None' && !v.includes(','));
    return { options: [...new Set(values)].sort().map((value) => ({ value })), loading };
  }, [def.kind, wanted, data, loading]);
}

export function FilterBuilder({ fields, filters, onChange, projectId, hiddenFields = [] }: Props) {
  const [field, setField] = useState(fields[0]?.name ?? '');
  const def = fieldDef(field, fields);
  const ops = operatorsFor(def);
  const [op, setOp] = useState<Operator>(ops[0]);
  const [value, setValue] = useState('');
  const [opOpen, setOpOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // For date fields: a relative preset (RELATIVE_DATES value) or '' for a custom date.
  const [relative, setRelative] = useState('');
  const isRelative = def.kind === 'date' && relative !== '';

  // Keep the operator valid for the chosen field.
  useEffect(() => {
    if (!ops.includes(op)) setOp(ops[0]);
  }, [ops, op]);

  const projectParams = useApi<string[]>(projectId ? `project/filter-params/${projectId}` : null);
  const fieldOptions: TypeaheadOption[] = useMemo(
    () => [
      ...fields.map((f) => ({ value: f.name, label: f.label, description: f.name })),
      ...metadataFieldNames(Array.isArray(projectParams.data) ? projectParams.data : [], fields).map((n) => ({ value: n })),
    ],
    [fields, projectParams.data],
  );
  const suggestions = useValueSuggestions(def, projectId);

  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    let v = op === '@' ? value || 'true' : value.trim();
    if (def.kind === 'date' && op !== '@' && v) v = localToUTC(v);
    const f: Filter = isRelative ? { field: field.trim(), op: ')', value: relative } : { field: field.trim(), op, value: v };
    const problem = validateFilter(f, def);
    setError(problem);
    if (problem) return;
    const key = (x: Filter) => `${x.field}${x.op}${x.value}`;
    if (!filters.some((x) => key(x) === key(f))) onChange([...filters, f]);
    setValue('');
  };

  const shown = filters.map((f, i) => ({ f, i })).filter(({ f }) => !hiddenFields.includes(f.field));
  const groups = new Map<string, { f: Filter; i: number }[]>();
  for (const s of shown) groups.set(s.f.field, [...(groups.get(s.f.field) ?? []), s]);

  let valueInput: React.ReactNode;
  if (op === '@') {
    valueInput = (
      <FormSelect id="filter-value" aria-label="Filter value" value={value || 'true'} onChange={(_e, v) => setValue(v)} style={{ width: '10rem' }}>
        <FormSelectOption value="true" label="is set" />
        <FormSelectOption value="false" label="is not set" />
      </FormSelect>
    );
  } else if (isRelative) {
    valueInput = null;
  } else if (def.kind === 'date') {
    valueInput = (
      <TextInput id="filter-value" type="datetime-local" aria-label="Filter value" value={value} onChange={(_e, v) => setValue(v)} style={{ width: '14rem' }} />
    );
  } else {
    const parts = value.split(';');
    valueInput = (
      <Typeahead
        id="filter-value"
        label="Filter value"
        value={value}
        onChange={setValue}
        options={suggestions.options}
        loading={suggestions.loading}
        placeholder={op === '*' ? 'a;b;c' : op === '~' ? 'regular expression' : 'Value'}
        matchText={op === '*' ? parts[parts.length - 1] : value}
        onPick={op === '*' ? (v) => setValue([...parts.slice(0, -1).filter(Boolean), v, ''].join(';')) : undefined}
      />
    );
  }

  return (
    <div className="ibutsu-filter-builder">
      <Form onSubmit={apply} aria-label="Add a filter">
        <Flex spaceItems={{ default: 'spaceItemsSm' }} alignItems={{ default: 'alignItemsCenter' }} flexWrap={{ default: 'wrap' }}>
          <FlexItem>
            <FilterIcon aria-hidden />
          </FlexItem>
          <FlexItem>
            <Typeahead
              id="filter-field"
              label="Filter field"
              value={field}
              onChange={(v) => {
                setField(v);
                setValue('');
                setError(null);
              }}
              options={fieldOptions}
              placeholder="Field, or metadata.path"
              emptyText="No known field matches; any metadata.path works"
              width="18rem"
            />
          </FlexItem>
          {def.kind === 'date' && (
            <FlexItem>
              <FormSelect
                id="filter-when"
                aria-label="Time range"
                value={relative}
                onChange={(_e, v) => {
                  setRelative(v);
                  setError(null);
                }}
                style={{ width: '11rem' }}
              >
                {RELATIVE_DATES.map((r) => (
                  <FormSelectOption key={r.value} value={r.value} label={r.label.charAt(0).toUpperCase() + r.label.slice(1)} />
                ))}
                <FormSelectOption value="" label="Custom date…" />
              </FormSelect>
            </FlexItem>
          )}
          {!isRelative && (
            <FlexItem>
              <Select
                isOpen={opOpen}
                selected={op}
                onSelect={(_e, v) => {
                  setOp(v as Operator);
                  setOpOpen(false);
                }}
                onOpenChange={setOpOpen}
                shouldFocusToggleOnSelect
                toggle={(ref) => (
                  <MenuToggle
                    ref={ref}
                    onClick={() => setOpOpen(!opOpen)}
                    isExpanded={opOpen}
                    aria-label={`Filter operator: ${operatorLabel(op)}`}
                    style={{ minWidth: '11rem' }}
                  >
                    {operatorLabel(op)}
                  </MenuToggle>
                )}
              >
                <SelectList aria-label="Filter operators">
                  {OPERATORS.filter((o) => ops.includes(o.op)).map((o) => (
                    <SelectOption key={o.op} value={o.op} description={<code>{o.op}</code>}>
                      {o.label}
                    </SelectOption>
                  ))}
                </SelectList>
              </Select>
            </FlexItem>
          )}
          {valueInput && <FlexItem>{valueInput}</FlexItem>}
          <FlexItem>
            <Button type="submit" variant="primary">
              Apply filter
            </Button>
          </FlexItem>
        </Flex>
        {error && (
          <HelperText>
            <HelperTextItem variant="error" data-testid="filter-error">
              {error}
            </HelperTextItem>
          </HelperText>
        )}
      </Form>
      {shown.length > 0 && (
        <Flex
          spaceItems={{ default: 'spaceItemsSm' }}
          alignItems={{ default: 'alignItemsCenter' }}
          style={{ marginTop: 'var(--pf-t--global--spacer--sm)' }}
          data-testid="active-filters"
        >
          {[...groups.entries()].map(([name, items]) => (
            <FlexItem key={name}>
              <LabelGroup
                categoryName={describeFilter(items[0].f, fields).field}
                isClosable
                closeBtnAriaLabel={`Remove all ${name} filters`}
                onClick={() => onChange(filters.filter((f) => f.field !== name))}
                numLabels={5}
              >
                {items.map(({ f, i }) => (
                  <Label
                    key={i}
                    variant="outline"
                    onClose={() => onChange(filters.filter((_x, j) => j !== i))}
                    closeBtnAriaLabel={`Remove filter ${name} ${operatorLabel(f.op)} ${f.value}`}
                  >
                    {describeFilter(f, fields).text}
                  </Label>
                ))}
              </LabelGroup>
            </FlexItem>
          ))}
          <FlexItem>
            <Button variant="link" isInline onClick={() => onChange(filters.filter((f) => hiddenFields.includes(f.field)))}>
              Clear all filters
            </Button>
          </FlexItem>
        </Flex>
      )}
    </div>
  );
}
