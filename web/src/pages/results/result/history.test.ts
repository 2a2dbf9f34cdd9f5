import { describe, expect, it } from 'vitest';
import type { Result } from '../../../api/types';
import { firstFailure, historyFilters, historyPassRate, historyPoints, testIdFilter } from './history';

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
  it('labels builds and finds where the current failure streak began', () => {
    const at = (id: string, day: number, result: string, build?: number) =>
      ({
        id,
        result,
        start_time: `2026-01-0${day}T00:00:00Z`,
        run_id: `run-${id}`,
        metadata: build ? { jenkins: { job_name: 'nightly', build_number: build } } : {},
      }) as Result;
    const pts = historyPoints([at('a', 1, 'passed', 10), at('b', 2, 'failed', 11), at('c', 3, 'error', 12), at('d', 4, 'failed')], 'c');
    expect(pts.map((p) => p.build)).toEqual(['nightly #10', 'nightly #11', 'nightly #12', null]);
    expect(pts[3].runId).toBe('run-d');
    expect(firstFailure(pts)).toEqual({ point: pts[1], sinceBefore: false });
    // Failing all along: the streak may have begun before the history shown.
    expect(firstFailure(pts.slice(1))).toEqual({ point: pts[1], sinceBefore: true });
    // A passing current result has no failure streak.
    expect(firstFailure(historyPoints([at('a', 1, 'failed'), at('b', 2, 'passed')], 'b'))).toBeNull();
    // Without the current result in the history, the newest point counts.
    expect(firstFailure(historyPoints([at('a', 1, 'passed'), at('b', 2, 'failed')], 'zz'))?.point.id).toBe('b');
    expect(firstFailure([])).toBeNull();
  });
});
