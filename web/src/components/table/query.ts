// Helpers shared by the list pages' API queries.
import { ApiError } from '../../api/client';
import type { ListPagination } from '../../api/types';
import { apiFilterString, type Filter } from '../filter/filters';

/**
 * The filter parameters for the API: the user's filters (relative dates made
 * absolute) plus the page's project, unless the user already filtered by
 * project themselves.
 */
export function apiFilters(filters: Filter[], projectId: string | null, now = Date.now()): string[] {
  const out = filters.map((f) => apiFilterString(f, now));
  if (projectId && !filters.some((f) => f.field === 'project_id' && f.op === '=' && f.value === projectId)) {
    out.unshift(`project_id=${projectId}`);
  }
  return out;
}

/**
 * Whether a total fetched with estimate=true is the database's estimate
 * (the server says so in pagination.estimated), shown as "about N".
 */
export function isEstimated(p: ListPagination | undefined): boolean {
  return p?.estimated === true;
}

/** The 400 a superadmin (or a user without projects) gets for an unscoped list. */
export function needsProject(err: unknown): boolean {
  return err instanceof ApiError && err.status === 400 && /project_id filter is required/i.test(err.message);
}
