// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { readListState, writeListState } from './listState';
import { apiFilters, isEstimated, needsProject } from './query';
import { rangeText } from './ListPagination';
import { thSort } from './sorting';
import { ApiError } from '../../api/client';

const def = { field: 'start_time', desc: true };

describe('readListState', () => {
  it('reads filters, sort, page and page size with defaults', () => {
    const s = readListState(new URLSearchParams('filter=env%3Dprod&sort=duration&page=3&pageSize=50'), def);
    expect(s).toEqual({ filters: [{ field: 'env', op: '=', value: 'prod' }], sort: { field: 'duration', desc: false }, page: 3, pageSize: 50 });
    expect(readListState(new URLSearchParams(''), def)).toEqual({ filters: [], sort: def, page: 1, pageSize: 25 });
  });
  it('ignores nonsense and caps the page size below the async limit', () => {
    const s = readListState(new URLSearchParams('page=-2&pageSize=9999&sort=-'), def);
    expect(s.page).toBe(1);
    expect(s.pageSize).toBe(500);
    expect(s.sort).toEqual(def);
    expect(readListState(new URLSearchParams('page=abc&pageSize=0'), def)).toMatchObject({ page: 1, pageSize: 25 });
  });
});

describe('writeListState', () => {
  const p = new URLSearchParams('filter=env%3Dprod&page=3&sort=duration');
  it('goes back to page 1 when filters, sort or page size change', () => {
    expect(writeListState(p, { filters: [] }, def).toString()).toBe('sort=duration');
    expect(writeListState(p, { sort: { field: 'env', desc: true } }, def).get('page')).toBeNull();
    expect(writeListState(p, { sort: { field: 'env', desc: true } }, def).get('sort')).toBe('-env');
    expect(writeListState(p, { pageSize: 50 }, def).get('page')).toBeNull();
  });
  it('keeps defaults out of the URL', () => {
    expect(writeListState(p, { sort: def }, def).has('sort')).toBe(false);
    expect(writeListState(p, { pageSize: 25 }, def).has('pageSize')).toBe(false);
    expect(writeListState(p, { page: 1 }, def).has('page')).toBe(false);
    expect(writeListState(p, { page: 4 }, def).get('page')).toBe('4');
  });
});

describe('query helpers', () => {
  it('adds the page project unless already filtered by it', () => {
    expect(apiFilters([{ field: 'env', op: '=', value: 'prod' }], 'p1')).toEqual(['project_id=p1', 'env=prod']);
    expect(apiFilters([{ field: 'project_id', op: '=', value: 'p1' }], 'p1')).toEqual(['project_id=p1']);
    expect(apiFilters([], null)).toEqual([]);
  });
  it('says "about" only for totals the server estimated', () => {
    expect(isEstimated({ page: 1, pageSize: 25, totalItems: 5000, totalPages: 200 })).toBe(false);
    expect(isEstimated({ page: 1, pageSize: 25, totalItems: 5000, totalPages: 200, estimated: true })).toBe(true);
    expect(isEstimated(undefined)).toBe(false);
    expect(rangeText(1, 25, 12345, true)).toMatch(/^1 - 25 of about 12[,.\s]?345$/);
    expect(rangeText(0, 0, 0, false)).toBe('0 - 0 of 0');
  });
  it('recognises the "choose a project" 400', () => {
    expect(needsProject(new ApiError(400, 'Bad request, project_id filter is required for unscoped queries', null))).toBe(true);
    expect(needsProject(new ApiError(400, 'other', null))).toBe(false);
    expect(needsProject(new Error('x'))).toBe(false);
  });
});

describe('thSort', () => {
  it('marks the active column and reports the new direction', () => {
    const calls: unknown[] = [];
    const active = thSort({ field: 'duration' }, 2, { field: 'duration', desc: true }, (k) => calls.push(k))!;
    expect(active.sortBy).toMatchObject({ index: 2, direction: 'desc' });
    const inactive = thSort({ field: 'env', firstDirection: 'desc' }, 3, { field: 'duration', desc: true }, (k) => calls.push(k))!;
    expect(inactive.sortBy).toMatchObject({ index: undefined, defaultDirection: 'desc' });
    inactive.onSort!({} as never, 3, 'asc' as never, {} as never);
    expect(calls).toEqual([{ field: 'env', desc: false }]);
  });
});
