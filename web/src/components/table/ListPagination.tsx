// Pagination for server-paginated tables, with "about N" when the total is
// the database's estimate.
import { useCallback, useState } from 'react';
import { Pagination, type PaginationProps, ToolbarItem } from '@patternfly/react-core';
import type { ListPagination as PageInfo } from '../../api/types';
import { PAGE_SIZES } from './listState';
import { isEstimated } from './query';

interface Props {
  info: PageInfo | undefined;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
  /** The total is (or may be) an estimate. */
  estimated?: boolean;
  variant?: 'top' | 'bottom';
  itemsTitle?: string;
}

/** The "1 - 25 of N" text, "of about N" for estimates. */
export function rangeText(first: number, last: number, total: number, estimated: boolean): string {
  if (total === 0) return '0 - 0 of 0';
  return `${first} - ${last} of ${estimated ? 'about ' : ''}${total.toLocaleString()}`;
}

export function ListPagination({ info, page, pageSize, onPage, onPageSize, estimated = false, variant = 'top', itemsTitle = 'items' }: Props) {
  const total = info?.totalItems ?? 0;
  const toggleTemplate: PaginationProps['toggleTemplate'] = ({ firstIndex = 0, lastIndex = 0 }) => (
    <span data-testid={`pagination-range-${variant}`}>{rangeText(firstIndex, lastIndex, total, estimated)}</span>
  );
  return (
    <Pagination
      itemCount={total}
      page={page}
      perPage={pageSize}
      perPageOptions={PAGE_SIZES.map((n) => ({ title: String(n), value: n }))}
      onSetPage={(_e, p) => onPage(p)}
      onPerPageSelect={(_e, n) => onPageSize(n)}
      variant={variant}
      isCompact={variant === 'top'}
      toggleTemplate={toggleTemplate}
      titles={{ items: itemsTitle, paginationAriaLabel: `${variant === 'top' ? 'Top' : 'Bottom'} pagination` }}
      widgetId={`pagination-${variant}`}
    />
  );
}

/** A list's paging state: the URL's (useListState) or a component's (useLocalPaging). */
interface PagedList {
  page: number;
  pageSize: number;
  update: (change: { page?: number; pageSize?: number }) => void;
}

/**
 * Page and page size kept in component state, for tabs that leave the URL
 * alone; like the URL's list state, a new page size starts at page 1.
 */
export function useLocalPaging(initialPageSize = 25): PagedList {
  const [state, setState] = useState({ page: 1, pageSize: initialPageSize });
  const update = useCallback(
    (c: { page?: number; pageSize?: number }) =>
      setState((s) => ({ pageSize: c.pageSize ?? s.pageSize, page: c.page ?? (c.pageSize !== undefined ? 1 : s.page) })),
    [],
  );
  return { ...state, update };
}

/** A pagination's page, size and their changes, wired to a list's paging state. */
function pagingProps(list: PagedList) {
  return {
    page: list.page,
    pageSize: list.pageSize,
    onPage: (page: number) => list.update({ page }),
    onPageSize: (pageSize: number) => list.update({ pageSize }),
  };
}

/**
 * ListPagination wired to a list's paging state: page and size changes go to
 * it, and "about N" follows the server's `pagination.estimated`.
 */
export function PagedListPagination({
  list,
  info,
  variant = 'top',
  itemsTitle,
}: {
  list: PagedList;
  info: PageInfo | undefined;
  variant?: 'top' | 'bottom';
  itemsTitle: string;
}) {
  return <ListPagination info={info} {...pagingProps(list)} estimated={isEstimated(info)} variant={variant} itemsTitle={itemsTitle} />;
}

/**
 * PatternFly's pagination with its own page sizes and "1 - 20 of N" text,
 * for the smaller lists (admin lists, tokens, quarantine, Jenkins builds):
 * compact at the top, full at the bottom. A new page size goes to
 * onPageSize alone; the caller starts it at page 1.
 */
export function PlainPagination({
  total,
  page,
  pageSize,
  onPage,
  onPageSize,
  variant = 'top',
  ariaLabel,
}: {
  total: number;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
  variant?: 'top' | 'bottom';
  /** The navigation's accessible name (PatternFly's default without it). */
  ariaLabel?: string;
}) {
  return (
    <Pagination
      itemCount={total}
      page={page}
      perPage={pageSize}
      {...(variant === 'top' ? { isCompact: true } : { variant: 'bottom' as const })}
      onSetPage={(_e, p) => onPage(p)}
      onPerPageSelect={(_e, s) => onPageSize(s)}
      titles={ariaLabel ? { paginationAriaLabel: ariaLabel } : undefined}
    />
  );
}

/**
 * A toolbar's pagination item for a list paged in component state
 * (useLocalPaging); there only while the list has more than one page.
 */
export function ToolbarPaging({ list, total }: { list: PagedList; total: number }) {
  if (total <= list.pageSize) return null;
  return (
    <PaginationToolbarItem>
      <PlainPagination total={total} {...pagingProps(list)} />
    </PaginationToolbarItem>
  );
}

/** A toolbar's last item, at its end, holding the list's top pagination. */
export function PaginationToolbarItem({ children }: { children: React.ReactNode }) {
  return (
    <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
      {children}
    </ToolbarItem>
  );
}
