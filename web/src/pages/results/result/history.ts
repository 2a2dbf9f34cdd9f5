// A test's history on the result page: the filters that select "the same
// test" (same test id and project, optionally the same component and env)
// and the points of the pass/fail strip and duration chart.
import type { Result } from '../../../api/types';
import { percentOf } from '../../../components/format';
import { buildLabel } from '../../../components/run/runName';

export interface HistoryScope {
  sameComponent: boolean;
  sameEnv: boolean;
}

/**
 * A filter matching exactly this test id. The API splits filter parameters
 * on commas, so an id with a comma (parametrised tests) becomes an anchored
 * regular expression with the comma written as \x2c.
 */
export function testIdFilter(testId: string): string {
  if (!testId.includes(',')) return `test_id=${testId}`;
  const escaped = testId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/,/g, '\\x2c');
  return `test_id~^${escaped}$`;
}

/** API filters for other results of r's test. */
export function historyFilters(r: Result, scope: HistoryScope): string[] {
  const f = [testIdFilter(r.test_id)];
  if (r.project_id) f.push(`project_id=${r.project_id}`);
  if (scope.sameComponent && r.component) f.push(`component=${r.component}`);
  if (scope.sameEnv && r.env) f.push(`env=${r.env}`);
  return f;
}

export interface HistoryPoint {
  id: string;
  result: string;
  start: string | null;
  /** Milliseconds since the epoch, or the index when there is no start time. */
  t: number;
  duration: number | null;
  current: boolean;
  /** The result's run, to name the build when it has no Jenkins number. */
  runId: string | null;
  /** "nightly #42" from the result's Jenkins metadata, else null. */
  build: string | null;
}

/** Oldest first, as a strip and a chart read left to right. */
export function historyPoints(results: Result[], currentId: string): HistoryPoint[] {
  return results
    .map((r, i) => {
      const t = r.start_time ? Date.parse(r.start_time) : NaN;
      return {
        id: r.id,
        result: r.result,
        start: r.start_time ?? null,
        t: Number.isNaN(t) ? -i : t,
        duration: typeof r.duration === 'number' ? r.duration : null,
        current: r.id === currentId,
        runId: r.run_id ?? null,
        build: buildLabel(r),
      };
    })
    .sort((a, b) => a.t - b.t);
}

/** Pass rate of the history (passed over passed+failed+error), or null. */
export function historyPassRate(points: HistoryPoint[]): number | null {
  const counted = points.filter((p) => ['passed', 'failed', 'error'].includes(p.result));
  if (!counted.length) return null;
  return percentOf(counted.filter((p) => p.result === 'passed').length, counted.length);
}

const FAILING = new Set(['failed', 'error']);

/**
 * Where the test's current failure streak began: the oldest point of the
 * unbroken run of failed/error outcomes that ends at the current result
 * (or, when the current result is not in the history, at the newest point).
 * null when that result is not a failure. `sinceBefore` is true when the
 * streak reaches the oldest result shown, so it may have begun earlier.
 */
export function firstFailure(points: HistoryPoint[]): { point: HistoryPoint; sinceBefore: boolean } | null {
  let end = points.findIndex((p) => p.current);
  if (end < 0) end = points.length - 1;
  if (end < 0 || !FAILING.has(points[end].result)) return null;
  let start = end;
  while (start > 0 && FAILING.has(points[start - 1].result)) start--;
  return { point: points[start], sinceBefore: start === 0 };
}
