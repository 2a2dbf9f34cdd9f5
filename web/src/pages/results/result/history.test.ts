import { describe, expect, it } from 'vitest';
import type { Result } from '../../../api/types';
import { historyFilters, historyPassRate, historyPoints, testIdFilter } from './history';

const r = { id: 'r1', test_id: 'tests.a.test_x', result: 'failed', project_id: 'p', component: 'ui', env: 'prod' } as Result;

describe('history', () => {
  it('selects the same test in the same project, optionally component and env', () => {
    expect(historyFilters(r, { sameComponent: false, sameEnv: false })).toEqual(['test_id=tests.a.test_x', 'project_id=p']);
    expect(historyFilters(r, { sameComponent: true, sameEnv: true })).toEqual(['test_id=tests.a.test_x', 'project_id=p', 'component=ui', 'env=prod']);
    expect(historyFilters({ ...r, component: null, env: null }, { sameComponent: true, sameEnv: true })).toHaveLength(2);
  });
  it('turns a test id with a comma into an anchored regex', () => {
    expect(testIdFilter('test_x[a,b.c]')).toBe('test_id~^test_x\\[a\\x2cb\\.c\\]$');
    expect(new RegExp(testIdFilter('test_x[a,b.c]').slice('test_id~'.length)).test('test_x[a,b.c]')).toBe(true);
  });
  it('orders points oldest first and marks the current result', () => {
    const pts = historyPoints(
      [
        { id: 'r1', result: 'failed', start_time: '2026-01-03T00:00:00Z', duration: 3 } as Result,
        { id: 'r0', result: 'passed', start_time: '2026-01-01T00:00:00Z', duration: 1 } as Result,
        { id: 'r2', result: 'passed', start_time: '2026-01-02T00:00:00Z' } as Result,
      ],
      'r1',
    );
    expect(pts.map((p) => p.id)).toEqual(['r0', 'r2', 'r1']);
    expect(pts.map((p) => p.current)).toEqual([false, false, true]);
    expect(pts[1].duration).toBeNull();
    expect(historyPassRate(pts)).toBe(66);
    expect(historyPassRate([])).toBeNull();
  });
});
