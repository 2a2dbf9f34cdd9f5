// Failure classification (metadata.classification), with upstream's values
// and labels: a dropdown that saves one result (PUT /api/result/{id}) and a
// "classify selected" dropdown for bulk actions.
import { useState } from 'react';
import { Dropdown, DropdownItem, DropdownList, MenuToggle, Spinner } from '@patternfly/react-core';
import { api } from '../api/client';
import type { Result } from '../api/types';

/** Upstream's classifications (frontend constants.js CLASSIFICATION), in its order. */
export const CLASSIFICATIONS: { value: string; label: string }[] = [
  { value: 'dependency_outage', label: 'Dependency Outage' },
  { value: 'environment_failure', label: 'Environment Failure' },
  { value: 'product_failure', label: 'Product Failure' },
  { value: 'product_rfe', label: 'Product RFE' },
  { value: 'test_failure', label: 'Test Failure' },
  { value: 'unknown', label: 'Unknown' },
];

export function classificationLabel(v: unknown): string {
  if (typeof v !== 'string' || !v) return '(unset)';
  return CLASSIFICATIONS.find((c) => c.value === v)?.label ?? v;
}

interface MenuProps {
  toggleText: React.ReactNode;
  ariaLabel: string;
  isDisabled?: boolean;
  busy?: boolean;
  selected?: string;
  onSelect: (value: string) => void;
  variant?: 'default' | 'primary' | 'secondary';
  testId?: string;
}

/** The classification menu itself (used by both dropdowns). */
export function ClassificationMenu({ toggleText, ariaLabel, isDisabled, busy, selected, onSelect, variant = 'default', testId }: MenuProps) {
  const [open, setOpen] = useState(false);
  return (
    <Dropdown
      isOpen={open}
      onOpenChange={setOpen}
      onSelect={(_e, v) => {
        setOpen(false);
        if (typeof v === 'string') onSelect(v);
      }}
      popperProps={{ appendTo: () => document.body }}
      toggle={(ref) => (
        <MenuToggle
          ref={ref}
          variant={variant}
          isDisabled={isDisabled || busy}
          isExpanded={open}
          onClick={() => setOpen(!open)}
          aria-label={ariaLabel}
          data-testid={testId}
          icon={busy ? <Spinner size="sm" aria-label="Saving" /> : undefined}
        >
          {toggleText}
        </MenuToggle>
      )}
      shouldFocusToggleOnSelect
    >
      <DropdownList>
        {CLASSIFICATIONS.map((c) => (
          <DropdownItem key={c.value} value={c.value} isSelected={c.value === selected}>
            {c.label}
          </DropdownItem>
        ))}
      </DropdownList>
    </Dropdown>
  );
}

interface Props {
  result: Result;
  /** Called with the saved result. */
  onSaved?: (r: Result) => void;
  onError?: (e: unknown) => void;
}

/** Shows and changes one result's classification. */
export function ClassificationDropdown({ result, onSaved, onError }: Props) {
  const [busy, setBusy] = useState(false);
  const [value, setValue] = useState<unknown>(result.metadata?.classification);
  const [shownFor, setShownFor] = useState(result);
  if (shownFor !== result) {
    setShownFor(result);
    setValue(result.metadata?.classification);
  }
  const save = async (v: string) => {
    const before = value;
    setValue(v);
    setBusy(true);
    try {
      const saved = await api<Result>(`result/${result.id}`, { method: 'PUT', body: { metadata: { classification: v } } });
      onSaved?.(saved);
    } catch (e) {
      setValue(before);
      onError?.(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <ClassificationMenu
      toggleText={classificationLabel(value)}
      ariaLabel={`Classification of ${result.test_id}: ${classificationLabel(value)}`}
      busy={busy}
      selected={typeof value === 'string' ? value : undefined}
      onSelect={save}
    />
  );
}
