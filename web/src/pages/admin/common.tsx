// Pieces shared by the admin, profile and compare pages: a delete
// confirmation (optionally requiring the name to be typed), a searchable
// select whose options come from the server, the API error text, and the
// admin list pages' searchable, paginated table with typed-name deletion
// and their rows' Edit/Delete actions.
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Alert,
  Button,
  Content,
  Flex,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  MenuToggle,
  type MenuToggleElement,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  PageSection,
  Pagination,
  SearchInput,
  Select,
  SelectList,
  SelectOption,
  Spinner,
  TextInput,
  TextInputGroup,
  TextInputGroupMain,
  TextInputGroupUtilities,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { TimesIcon } from '@patternfly/react-icons';
import { Td } from '@patternfly/react-table';
import { api, ApiError } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { Pagination as Pag } from '../../api/types';
import { Empty, ErrorState, Loading } from '../../components/states';
import { type ParamChanges, useParamState } from '../../components/urlParams';

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
                  Type <strong>{name}</strong> to confirm
                </>
              }
              fieldId={inputId}
            >
              <TextInput id={inputId} value={typed} onChange={(_e, v) => setTyped(v)} autoComplete="off" aria-label={`Type ${name} to confirm`} />
            </FormGroup>
          </Form>
        )}
        {error && (
          <Alert variant="danger" isInline title="Could not delete" style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
            {error}
          </Alert>
        )}
      </ModalBody>
      <ModalFooter>
        <Button variant="danger" onClick={confirm} isDisabled={!ok || busy} isLoading={busy}>
          Delete {kind}
        </Button>
        <Button variant="link" onClick={onCancel}>
          Cancel
        </Button>
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
    const t = window.setTimeout(
      () => {
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
      },
      query ? 250 : 0,
    );
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
    <MenuToggle
      ref={ref}
      variant="typeahead"
      onClick={() => setOpen(!open)}
      isExpanded={open}
      isFullWidth
      isDisabled={isDisabled}
      aria-label={`${rest['aria-label']} toggle`}
    >
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
            <Button
              variant="plain"
              aria-label={`Clear ${rest['aria-label']}`}
              icon={<TimesIcon />}
              onClick={() => {
                setText('');
                setOptions([]);
                onSelect(null);
              }}
            />
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
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) setFocused(null);
      }}
      toggle={toggle}
      shouldFocusFirstItemOnOpen={false}
      popperProps={{ appendTo: () => document.body }}
    >
      <SelectList id={listId} style={{ maxHeight: '40vh', overflowY: 'auto' }}>
        {failed ? (
          <SelectOption isDisabled value="__error">
            Could not load: {failed}
          </SelectOption>
        ) : all.length === 0 ? (
          <SelectOption isDisabled value="__none">
            {loading ? (
              <>
                <Spinner size="sm" aria-label="Loading" /> Loading…
              </>
            ) : (
              'No matches'
            )}
          </SelectOption>
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

interface AdminListOptions {
  /** The API collection, e.g. "admin/user"; items are deleted at endpoint/id. */
  endpoint: string;
  /** The response key holding the items, e.g. "users". */
  itemsKey: string;
  /** The field the search text filters on (may depend on the URL). */
  searchField: (params: URLSearchParams) => string;
}

export interface AdminList<T> {
  params: URLSearchParams;
  set: (changes: ParamChanges) => void;
  /** The applied search (?q=). */
  q: string;
  page: number;
  pageSize: number;
  /** The search box's text (applied on Enter). */
  text: string;
  setText: (t: string) => void;
  items: T[];
  total: number;
  /** Loading with nothing to show yet. */
  loading: boolean;
  error: unknown;
  reload: () => void;
  /** The item whose deletion is being confirmed. */
  deleting: T | null;
  setDeleting: (item: T | null) => void;
  remove: (item: T) => Promise<void>;
}

/** An admin list's state: search, page and page size in the URL, the page of items from the server, and deletion. */
export function useAdminList<T extends { id: string }>({ endpoint, itemsKey, searchField }: AdminListOptions): AdminList<T> {
  const [params, set] = useParamState();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page')) || 1;
  const pageSize = Number(params.get('pageSize')) || 20;
  const [text, setText] = useState(q);
  const [deleting, setDeleting] = useState<T | null>(null);
  const { data, error, loading, reload } = useApi<Record<string, unknown> & { pagination: Pag }>(endpoint, {
    query: { filter: q ? [`${searchField(params)}%${q}`] : undefined, page, pageSize },
  });
  const remove = async (item: T) => {
    await api(`${endpoint}/${item.id}`, { method: 'DELETE' });
    setDeleting(null);
    reload();
  };
  return {
    params,
    set,
    q,
    page,
    pageSize,
    text,
    setText,
    items: (data?.[itemsKey] as T[] | undefined) ?? [],
    total: data?.pagination.totalItems ?? 0,
    loading: loading && !data,
    error,
    reload,
    deleting,
    setDeleting,
    remove,
  };
}

interface AdminListPageProps<T> {
  list: AdminList<T>;
  /** "Users", "Projects": the heading and the pagination labels. */
  title: string;
  description: string;
  searchLabel: string;
  searchPlaceholder: string;
  /** Toolbar items before and after the search box. */
  toolbarStart?: React.ReactNode;
  toolbarEnd?: React.ReactNode;
  emptyTitle: string;
  /** The empty state's text with and without a search. */
  emptySearched: string;
  emptyNone: string;
  /** Deletion: "user", the name to type, and what else happens. */
  kind: string;
  nameOf: (item: T) => string;
  deleteNote: React.ReactNode;
  /** The table of list.items. */
  children: React.ReactNode;
}

/** An admin list page: heading, search toolbar, paginated table and a typed-name delete confirmation. */
export function AdminListPage<T>({
  list,
  title,
  description,
  searchLabel,
  searchPlaceholder,
  toolbarStart,
  toolbarEnd,
  emptyTitle,
  emptySearched,
  emptyNone,
  kind,
  nameOf,
  deleteNote,
  children,
}: AdminListPageProps<T>) {
  const { set } = list;
  const pagination = (variant: 'top' | 'bottom') => (
    <Pagination
      itemCount={list.total}
      page={list.page}
      perPage={list.pageSize}
      onSetPage={(_e, p) => set({ page: p })}
      onPerPageSelect={(_e, s) => set({ pageSize: s, page: 1 })}
      {...(variant === 'top' ? { isCompact: true } : { variant: 'bottom' as const })}
      titles={{ paginationAriaLabel: `${title} pagination (${variant})` }}
    />
  );
  return (
    <>
      <PageSection>
        <Title headingLevel="h1">{title}</Title>
        <Content component="p">{description}</Content>
      </PageSection>
      <PageSection>
        <Toolbar>
          <ToolbarContent>
            {toolbarStart}
            <ToolbarItem style={{ minWidth: '20rem' }}>
              <SearchInput
                aria-label={searchLabel}
                placeholder={searchPlaceholder}
                value={list.text}
                onChange={(_e, v) => list.setText(v)}
                onSearch={(_e, v) => set({ q: v, page: 1 })}
                onClear={() => {
                  list.setText('');
                  set({ q: null, page: 1 });
                }}
              />
            </ToolbarItem>
            {toolbarEnd}
            <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
              {pagination('top')}
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        {list.loading ? (
          <Loading />
        ) : list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : list.items.length === 0 ? (
          <Empty title={emptyTitle}>{list.q ? emptySearched : emptyNone}</Empty>
        ) : (
          children
        )}
        {list.items.length > 0 && pagination('bottom')}
      </PageSection>
      <DeleteConfirmModal
        isOpen={list.deleting !== null}
        kind={kind}
        name={list.deleting ? nameOf(list.deleting) : ''}
        requireTyping
        onCancel={() => list.setDeleting(null)}
        onConfirm={() => list.remove(list.deleting!)}
      >
        {deleteNote}
      </DeleteConfirmModal>
    </>
  );
}

interface RowActionsProps {
  /** Names the row in the buttons' labels ("Edit x", "Delete x"). */
  name: string;
  editTo: string;
  onDelete: () => void;
  deleteDisabled?: boolean;
}

/** An admin row's action cell: Edit (a link) and Delete, right-aligned. */
export function AdminRowActions({ name, editTo, onDelete, deleteDisabled }: RowActionsProps) {
  return (
    <Td isActionCell>
      <Flex gap={{ default: 'gapSm' }} flexWrap={{ default: 'nowrap' }} justifyContent={{ default: 'justifyContentFlexEnd' }}>
        <Button variant="secondary" size="sm" component={(props: object) => <Link {...props} to={editTo} />} aria-label={`Edit ${name}`}>
          Edit
        </Button>
        <Button variant="secondary" isDanger size="sm" isDisabled={deleteDisabled} onClick={onDelete} aria-label={`Delete ${name}`}>
          Delete
        </Button>
      </Flex>
    </Td>
  );
}
