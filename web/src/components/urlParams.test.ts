import { describe, expect, it } from 'vitest';
import { patchParams } from './urlParams';

describe('patchParams', () => {
  it('sets, replaces and drops keys without touching the original', () => {
    const before = new URLSearchParams('q=a&page=3&field=email');
    const after = patchParams(before, { q: 'b', page: 2, field: null, pageSize: 50 });
    expect(after.toString()).toBe('q=b&page=2&pageSize=50');
    expect(before.toString()).toBe('q=a&page=3&field=email');
  });

  it('drops empty values and the first page', () => {
    expect(patchParams(new URLSearchParams('q=a&page=3'), { q: '', page: 1 }).toString()).toBe('');
  });

  it('keeps a first page of other keys', () => {
    expect(patchParams(new URLSearchParams(), { build: 1 }).toString()).toBe('build=1');
  });
});
