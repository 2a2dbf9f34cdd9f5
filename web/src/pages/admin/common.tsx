// Pieces shared by the admin, profile and compare pages: a delete
// confirmation (optionally requiring the name to be typed), a searchable
// select whose options come from the server, and the API error text.
import { useEffect, useId, useState } from 'react';
import {
  Alert, Button, Form, FormGroup, FormHelperText, HelperText, HelperTextItem, MenuToggle, type MenuToggleElement, Modal, ModalBody,
  ModalFooter, ModalHeader, Select, SelectList, SelectOption, Spinner, TextInput, TextInputGroup, TextInputGroupMain,
  TextInputGroupUtilities,
} from '@patternfly/react-core';
import { TimesIcon } from '@patternfly/react-icons';
import { ApiError } from '../../api/client';

/** A readable message for a failed API call. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

interface DeleteProps {
  isOpen: boolean;
  /** "project", "user", "token" — used in the title and button. */
  kind: string;
  /** What is being deleted, shown (and typed, with requireTyping). */
  name: string;
  requireTyping?: boolean;
  children?: React.ReactNode;
  onCancel: () => void;
  /** Does the deletion; a rejection is shown in the modal. */
  onConfirm: () => Promise<void>;
}

export function DeleteConfirmModal({ isOpen, kind, name, requireTyping = false, children, onCancel, onConfirm }: DeleteProps) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  useEffect(() => {
    if (isOpen) {
      setTyped('');
      setError(null);
      setBusy(false);
    }
  }, [isOpen]);
  const ok = !requireTyping || typed === name;
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
    <Modal isOpen={isOpen} onClose={onCancel} variant="small" aria-labelledby={`${inputId}-title`} aria-describedby={`${inputId}-body`}>
      <ModalHeader title={`Delete ${kind}?`} titleIconVariant="warning" labelId={`${inputId}-title`} />
      <ModalBody id={`${inputId}-body`}>
        <p>
          This permanently deletes the {kind} <strong>{name}</strong>.
        </p>
        {children}
        {requireTyping && (
          <Form onSubmit={(e) => { e.preventDefault(); void confirm(); }} style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
            <FormGroup label={<>Type <strong>{name}</strong> to confirm</>} fieldId={inputId}>
              <TextInput id={inputId} value={typed} onChange={(_e, v) => setTyped(v)} autoComplete="off" aria-label={`Type ${name} to confirm`} />
            </FormGroup>
          </Form>
        )}
        {error && <Alert variant="danger" isInline title="Could not delete" style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>{error}</Alert>}
      </ModalBody>
      <ModalFooter>
        <Button variant="danger" onClick={confirm} isDisabled={!ok || busy} isLoading={busy}>
          Delete {kind}
        </Button>
        <Button variant="link" onClick={onCancel}>Cancel</Button>
      </ModalFooter>
    </Modal>
  );
}

export interface AsyncOption {
  value: string;
  label: string;
  description?: string;
}

interface AsyncSelectProps {
  id: string;
  'aria-label': string;
  placeholder?: string;
  /** The chosen option (shown in the box when not typing). */
  selected: AsyncOption | null;
  onSelect: (o: AsyncOption | null) => void;
  /** Loads the options for the typed text (debounced; "" = the first page). */
  load: (text: string, signal: AbortSignal) => Promise<AsyncOption[]>;
  /** Extra options computed from the text (e.g. "use this pasted id"). */
  extra?: (text: string) => AsyncOption[];
  clearable?: boolean;
  isDisabled?: boolean;
  /** Empty the box after a choice (pickers that add to a list). */
  clearOnSelect?: boolean;
}

/** A type-ahead select over a server-side search. */
export function AsyncSelect({ id, placeholder, selected, onSelect, load, extra, clearable = true, isDisabled, clearOnSelect, ...rest }: AsyncSelectProps) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(selected?.label ?? '');
  const [options, setOptions] = useState<AsyncOption[]>([]);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const [focused, setFocused] = useState<number | null>(null);

  useEffect(() => setText(selected?.label ?? ''), [selected]);
  const query = text !== (selected?.label ?? '') ? text.trim() : '';

  useEffect(() => {
    if (!open) return;
    const ctrl = new AbortController();
    setLoading(true);
    const t = window.setTimeout(() => {
      load(query, ctrl.signal)
        .then((o) => {
          setOptions(o);
          setFailed(null);
        })
        .catch((e) => {
          if (!ctrl.signal.aborted) setFailed(errorText(e));
        })
        .finally(() => {
          if (!ctrl.signal.aborted) setLoading(false);
        });
    }, query ? 250 : 0);
    return () => {
      window.clearTimeout(t);
      ctrl.abort();
    };
    // load is expected to be stable per (id); re-run on text/open only
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, open]);

  // Loaded options win over computed ones with the same value (a pasted id
  // shows as the run it names once that has loaded).
  const all = [...(extra ? extra(query) : []).filter((x) => !options.some((o) => o.value === x.value)), ...options];

  const choose = (value: string) => {
    const o = all.find((x) => x.value === value);
    setOpen(false);
    setFocused(null);
    if (o) {
      setText(clearOnSelect ? '' : o.label);
      onSelect(o);
    }
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) setOpen(true);
      if (all.length === 0) return;
      const n = focused === null ? (e.key === 'ArrowDown' ? 0 : all.length - 1) : (focused + (e.key === 'ArrowDown' ? 1 : -1) + all.length) % all.length;
      setFocused(n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (open && focused !== null && all[focused]) choose(all[focused].value);
      else if (open && all.length === 1) choose(all[0].value);
      else setOpen(true);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const listId = `${id}-listbox`;
  const toggle = (ref: React.Ref<MenuToggleElement>) => (
    <MenuToggle ref={ref} variant="typeahead" onClick={() => setOpen(!open)} isExpanded={open} isFullWidth isDisabled={isDisabled} aria-label={`${rest['aria-label']} toggle`}>
      <TextInputGroup isPlain>
        <TextInputGroupMain
          id={id}
          value={text}
          onClick={() => setOpen(!open)}
          onChange={(_e, v) => {
            setText(v);
            setFocused(null);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          placeholder={placeholder}
          aria-label={rest['aria-label']}
          role="combobox"
          isExpanded={open}
          aria-controls={listId}
          autoComplete="off"
          {...(focused !== null && all[focused] ? { 'aria-activedescendant': `${id}-opt-${focused}` } : {})}
        />
        {clearable && (text || selected) && !isDisabled && (
          <TextInputGroupUtilities>
            <Button variant="plain" aria-label={`Clear ${rest['aria-label']}`} icon={<TimesIcon />} onClick={() => { setText(''); setOptions([]); onSelect(null); }} />
          </TextInputGroupUtilities>
        )}
      </TextInputGroup>
    </MenuToggle>
  );

  return (
    <Select
      id={`${id}-select`}
      isOpen={open}
      selected={selected?.value}
      onSelect={(_e, v) => choose(String(v))}
      onOpenChange={(o) => { setOpen(o); if (!o) setFocused(null); }}
      toggle={toggle}
      shouldFocusFirstItemOnOpen={false}
      popperProps={{ appendTo: () => document.body }}
    >
      <SelectList id={listId} style={{ maxHeight: '40vh', overflowY: 'auto' }}>
        {failed ? (
          <SelectOption isDisabled value="__error">Could not load: {failed}</SelectOption>
        ) : all.length === 0 ? (
          <SelectOption isDisabled value="__none">{loading ? <><Spinner size="sm" aria-label="Loading" /> Loading…</> : 'No matches'}</SelectOption>
        ) : (
          all.map((o, i) => (
            <SelectOption key={o.value} id={`${id}-opt-${i}`} value={o.value} description={o.description} isFocused={focused === i}>
              {o.label}
            </SelectOption>
          ))
        )}
      </SelectList>
    </Select>
  );
}

/** Helper text under a form field: plain, or as an error. */
export function FieldHelp({ error, children }: { error?: string | null; children?: React.ReactNode }) {
  if (!error && !children) return null;
  return (
    <FormHelperText>
      <HelperText>
        <HelperTextItem variant={error ? 'error' : 'default'}>{error || children}</HelperTextItem>
      </HelperText>
    </FormHelperText>
  );
}
