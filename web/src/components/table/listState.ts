// URL-backed list state for paginated, filtered, sorted tables: the page,
// page size, sort and filters live in the query string, so reloading or
// sharing the link reproduces the view.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { filtersFromSearch, parseSort, serializeSort, withFilters, type Filter, type SortKey } from '../filter/filters';

export const PAGE_SIZES = [10, 25, 50, 100];
/** The API answers pages over 500 asynchronously; the tables never ask for that. */
export const MAX_PAGE_SIZE = 500;

export interface ListState {
  filters: Filter[];
  /** The sort the user chose, or the default. */
  sort: SortKey | null;
  page: number;
  pageSize: number;
}

function posInt(v: string | null, def: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === null || !/^\d+$/.test(v)) return def;
  const n = Number(v);
  return n >= 1 ? Math.min(n, max) : def;
}

/** Reads the list state from a query string. */
export function readListState(params: URLSearchParams, defaultSort: SortKey | null, defaultPageSize = 25): ListState {
  return {
    filters: filtersFromSearch(params),
    sort: parseSort(params.get('sort')) ?? defaultSort,
    page: posInt(params.get('page'), 1),
    pageSize: posInt(params.get('pageSize'), defaultPageSize, MAX_PAGE_SIZE),
  };
}

/**
 * A copy of params with some state changed. Changing filters, sort or page
 * size goes back to page 1; the default sort and page size are left out of
 * the URL to keep links short.
 */
export function writeListState(params: URLSearchParams, change: Partial<ListState>, defaultSort: SortKey | null, defaultPageSize = 25): URLSearchParams {
  let out = new URLSearchParams(params);
  if (change.filters) out = withFilters(out, change.filters);
  if (change.sort !== undefined) {
    const s = serializeSort(change.sort);
    if (!s || s === serializeSort(defaultSort)) out.delete('sort');
    else out.set('sort', s);
    out.delete('page');
  }
  if (change.pageSize !== undefined) {
    if (change.pageSize === defaultPageSize) out.delete('pageSize');
    else out.set('pageSize', String(change.pageSize));
    out.delete('page');
  }
  if (change.page !== undefined) {
    if (change.page <= 1) out.delete('page');
    else out.set('page', String(change.page));
  }
  return out;
}

/** The list state of the current URL and setters that navigate. */
export function useListState(defaultSort: SortKey | null, defaultPageSize = 25) {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readListState(params, defaultSort, defaultPageSize), [params, defaultSort, defaultPageSize]);
  const update = useCallback(
    (change: Partial<ListState>) => setParams((p) => writeListState(p, change, defaultSort, defaultPageSize)),
    [setParams, defaultSort, defaultPageSize],
  );
  return { ...state, update };
}
