// Loads every result a filter selects, page by page (the API answers pages
// over 500 asynchronously), up to a limit, for views that need the whole
// run at once (the results tree).
import { api } from '../../../api/client';
import type { Pagination, Result } from '../../../api/types';

export const PAGE = 500;

export interface AllResults {
  results: Result[];
  total: number;
  /** True when the limit cut the list short. */
  truncated: boolean;
}

export async function fetchAllResults(filters: string[], limit: number, signal?: AbortSignal): Promise<AllResults> {
  const results: Result[] = [];
  let total = 0;
  for (let page = 1; results.length < limit; page++) {
    const data = await api<{ results: Result[]; pagination: Pagination }>('result', {
      query: { filter: filters, page, pageSize: PAGE, sort: 'test_id' },
      signal,
    });
    total = data.pagination.totalItems;
    results.push(...data.results);
    if (data.results.length < PAGE || results.length >= total) break;
  }
  return { results: results.slice(0, limit), total, truncated: total > limit };
}
