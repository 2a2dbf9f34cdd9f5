import { describe, expect, it } from 'vitest';
import { filterSetProblem, formatDelta, isUuid, runDescription, runLabel, runSearchFilter, specFromParams, specToParams, widgetQuery } from './compare';

const A = '11111111-2222-4333-8444-555555555555';
const B = '66666666-7777-4888-9999-000000000000';

describe('compare spec', () => {
  it('round-trips runs and filters through the URL', () => {
    const runs = { mode: 'runs' as const, base: A, target: B };
    expect(specFromParams(specToParams(runs))).toEqual({ ...runs, threshold: undefined });
    const f = { mode: 'filters' as const, baseFilter: 'component=api,env=prod', targetFilter: 'component=api,env=staging', threshold: 2 };
    expect(specFromParams(specToParams(f))).toEqual(f);
  });
  it('needs both sides', () => {
    expect(specFromParams(new URLSearchParams(`base=${A}`))).toBeNull();
    expect(specFromParams(new URLSearchParams('base_filter=a=b'))).toBeNull();
    expect(specFromParams(new URLSearchParams(`base=${A}&target=${B}&threshold=-1`))).toMatchObject({ threshold: undefined });
  });
  it('builds the widget query', () => {
    expect(widgetQuery({ mode: 'runs', base: A, target: B }, 'p1')).toEqual({ base_run: A, target_run: B, project: 'p1' });
    expect(widgetQuery({ mode: 'filters', baseFilter: 'x=1', targetFilter: 'x=2', threshold: 0.5 }, null)).toEqual({
      additional_filters: ['x=1', 'x=2'],
      duration_threshold: 0.5,
    });
  });
});

describe('filter sets', () => {
  it('accepts the filter language and rejects junk', () => {
    expect(filterSetProblem('component=api, metadata.jenkins.build_number=5')).toBeNull();
    expect(filterSetProblem('result*failed;error')).toBeNull();
    expect(filterSetProblem('')).toMatch(/at least one/);
    expect(filterSetProblem('component=api,=oops')).toMatch(/not a filter/);
  });
});

describe('run picker', () => {
  it('labels runs with component, env, build and time', () => {
    const run = {
      id: A,
      component: 'api',
      env: 'prod',
      start_time: null,
      metadata: { jenkins: { job_name: 'e2e-job', build_number: 4 } },
      summary: { tests: 10, failures: 2, errors: 1 },
    };
    expect(runLabel(run)).toBe('api · prod · e2e-job #4 · –');
    // Without Jenkins, the source names the series; with it, the job does.
    expect(runLabel({ ...run, source: 'nightly-ci', metadata: {} })).toBe('nightly-ci · api · prod · –');
    expect(runLabel({ ...run, source: 'nightly-ci' })).toBe('api · prod · e2e-job #4 · –');
    expect(runDescription(run)).toBe('10 tests, 2 failed, 1 errors — 11111111');
  });
  it('searches builds by number, components by text, and leaves ids alone', () => {
    expect(isUuid(` ${A} `)).toBe(true);
    expect(runSearchFilter('12')).toBe('metadata.jenkins.build_number=12');
    expect(runSearchFilter('front')).toBe('component%front');
    expect(runSearchFilter(A)).toBeNull();
    expect(runSearchFilter('  ')).toBeNull();
  });
  it('formats duration deltas with a sign', () => {
    expect(formatDelta(1.234)).toBe('+1.23 s');
    expect(formatDelta(-0.5)).toBe('−0.50 s');
    expect(formatDelta(0)).toBe('±0.00 s');
  });
});
