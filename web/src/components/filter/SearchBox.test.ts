// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { searchText, withSearch } from './SearchBox';
import type { Filter } from './filters';

describe('SearchBox filters', () => {
  const base: Filter[] = [{ field: 'result', op: '=', value: 'failed' }];
  it('keeps the search as one test_id contains-filter', () => {
    const once = withSearch(base, 'test_id', '  login ');
    expect(once).toEqual([...base, { field: 'test_id', op: '%', value: 'login' }]);
    expect(searchText(once, 'test_id')).toBe('login');
    const twice = withSearch(once, 'test_id', 'logout');
    expect(twice.filter((f) => f.field === 'test_id')).toEqual([{ field: 'test_id', op: '%', value: 'logout' }]);
  });
  it('removes the search when cleared, leaving other test_id filters', () => {
    const other: Filter = { field: 'test_id', op: '=', value: 'exact' };
    expect(withSearch([...base, other, { field: 'test_id', op: '%', value: 'x' }], 'test_id', ' ')).toEqual([...base, other]);
    expect(searchText(base, 'test_id')).toBe('');
  });
});
