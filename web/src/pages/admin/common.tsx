// The admin list pages' searchable, paginated table with typed-name
// deletion, and their rows' Edit/Delete actions; the edit pages' heading.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Breadcrumb, BreadcrumbItem, PageSection, SearchInput, Title, ToolbarItem } from '@patternfly/react-core';
import { useApi } from '../../api/useApi';
import type { Pagination as Pag } from '../../api/types';
import { PageHeading } from '../../components/PageHeading';
import { DeleteConfirmModal, type ItemDeletion, useDeleteItem } from '../../components/ConfirmModal';
import { type Column, PaginatedTable, RowActions } from '../../components/table/DataTable';
import { type ParamChanges, useParamState } from '../../components/urlParams';

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
  /** Deleting an item (after typing its name). */
  deletion: ItemDeletion<T>;
}

/** An admin list's state: search, page and page size in the URL, the page of items from the server, and deletion. */
export function useAdminList<T extends { id: string }>({ endpoint, itemsKey, searchField }: AdminListOptions): AdminList<T> {
  const [params, set] = useParamState();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page')) || 1;
  const pageSize = Number(params.get('pageSize')) || 20;
  const [text, setText] = useState(q);
  const { data, error, loading, reload } = useApi<Record<string, unknown> & { pagination: Pag }>(endpoint, {
    query: { filter: q ? [`${searchField(params)}%${q}`] : undefined, page, pageSize },
  });
  const deletion = useDeleteItem<T>((item) => `${endpoint}/${item.id}`, reload);
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
    deletion,
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
  /** The table's header cells (its accessible name is the title). */
  columns: Column[];
  /** The table's rows, of list.items. */
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
  columns,
  children,
}: AdminListPageProps<T>) {
  const { set } = list;
  return (
    <>
      <PageHeading title={title}>{description}</PageHeading>
      <PageSection>
        <PaginatedTable
          toolbar={
            <>
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
            </>
          }
          paging={{
            total: list.total,
            page: list.page,
            pageSize: list.pageSize,
            onPage: (page) => set({ page }),
            onPageSize: (pageSize) => set({ pageSize, page: 1 }),
            label: title,
          }}
          rowCount={list.items.length}
          loading={list.loading}
          error={list.error}
          onRetry={list.reload}
          emptyTitle={emptyTitle}
          emptyBody={list.q ? emptySearched : emptyNone}
          label={title}
          columns={columns}
        >
          {children}
        </PaginatedTable>
      </PageSection>
      <DeleteConfirmModal {...list.deletion.modal} kind={kind} name={list.deletion.item ? nameOf(list.deletion.item) : ''} requireTyping>
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

/** An admin row's action cell: Edit (a link) and Delete. */
export function AdminRowActions({ name, editTo, onDelete, deleteDisabled }: RowActionsProps) {
  return (
    <RowActions
      actions={[
        { text: 'Edit', 'aria-label': `Edit ${name}`, to: editTo },
        { text: 'Delete', 'aria-label': `Delete ${name}`, danger: true, isDisabled: deleteDisabled, onClick: onDelete },
      ]}
    />
  );
}

/** An admin edit page's heading: the breadcrumb back to its list, then the h1. */
export function AdminEditHeading({ listTo, listTitle, current, title }: { listTo: string; listTitle: string; current: React.ReactNode; title: string }) {
  return (
    <PageSection>
      <Breadcrumb>
        <BreadcrumbItem render={() => <Link to={listTo}>{listTitle}</Link>} />
        <BreadcrumbItem isActive>{current}</BreadcrumbItem>
      </Breadcrumb>
      <Title headingLevel="h1" style={{ marginTop: 'var(--pf-t--global--spacer--sm)' }}>
        {title}
      </Title>
    </PageSection>
  );
}
