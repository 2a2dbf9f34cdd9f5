// The admin list pages' searchable, paginated table with typed-name
// deletion, and their rows' Edit/Delete actions.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Content, Flex, PageSection, SearchInput, Title, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { Td } from '@patternfly/react-table';
import { useApi } from '../../api/useApi';
import type { Pagination as Pag } from '../../api/types';
import { DeleteConfirmModal, type ItemDeletion, useDeleteItem } from '../../components/ConfirmModal';
import { LoadStates } from '../../components/states';
import { PlainPagination } from '../../components/table/ListPagination';
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
    <PlainPagination
      total={list.total}
      page={list.page}
      pageSize={list.pageSize}
      onPage={(page) => set({ page })}
      onPageSize={(pageSize) => set({ pageSize, page: 1 })}
      variant={variant}
      ariaLabel={`${title} pagination (${variant})`}
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
        <LoadStates
          loading={list.loading}
          error={list.error}
          onRetry={list.reload}
          empty={list.items.length === 0}
          emptyTitle={emptyTitle}
          emptyBody={list.q ? emptySearched : emptyNone}
        >
          {children}
        </LoadStates>
        {list.items.length > 0 && pagination('bottom')}
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
