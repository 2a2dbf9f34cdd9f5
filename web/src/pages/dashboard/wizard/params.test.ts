import { describe, expect, it } from 'vitest';
import type { WidgetType } from '../../../api/types';
import { fetchParams, initialValues, nextWeight, toParams, validate, validateDetails } from './params';

// As GET /api/widget/types declares them.
const heatmap: WidgetType = {
  id: 'jenkins-heatmap',
  title: 'Jenkins Pipeline Heatmap',
  type: 'widget',
  params: [
    { name: 'job_name', type: 'string', required: true, description: 'The Jenkins job name' },
    { name: 'builds', type: 'integer', required: true, default: 5 },
    { name: 'group_field', type: 'string', required: true, default: 'component' },
    { name: 'count_skips', type: 'boolean', required: false, default: true },
    { name: 'project', type: 'string', required: false },
    { name: 'additional_filters', type: 'string', required: false },
  ],
};
const aggregator: WidgetType = {
  id: 'result-aggregator',
  title: 'Result Aggregation',
  type: 'widget',
  params: [
    { name: 'group_field', type: 'string', required: true, default: 'result' },
    { name: 'days', type: 'float', required: false, default: 90 },
    { name: 'for_filter', type: 'boolean', required: false, default: false },
  ],
};
const matrix: WidgetType = {
  id: 'run-matrix',
  title: 'Run Matrix',
  type: 'widget',
  params: [
    { name: 'columns', type: 'list', required: true, default: ['component'] },
    { name: 'limit', type: 'integer', required: false, default: 10 },
  ],
};

describe('initialValues', () => {
  it('pre-fills defaults and the current project', () => {
    expect(initialValues(heatmap, 'p1')).toEqual({
      job_name: '',
      builds: '5',
      group_field: 'component',
      count_skips: true,
      project: 'p1',
      additional_filters: '',
    });
  });
  it("takes an existing widget's params when editing", () => {
    const v = initialValues(heatmap, 'p1', { job_name: 'nightly', builds: 10, count_skips: false, project: 'p2' });
    expect(v.job_name).toBe('nightly');
    expect(v.builds).toBe('10');
    expect(v.count_skips).toBe(false);
    expect(v.project).toBe('p2');
    expect(v.group_field).toBe('component');
  });
  it('shows lists one item per line', () => {
    expect(initialValues(matrix, null).columns).toBe('component');
    expect(initialValues(matrix, null, { columns: ['component', 'env'] }).columns).toBe('component\nenv');
  });
});

describe('validate', () => {
  it('requires required params', () => {
    const e = validate(heatmap, initialValues(heatmap, 'p1'));
    expect(Object.keys(e)).toEqual(['job_name']);
    expect(e.job_name).toBe('Jenkins job is required.');
  });
  it('checks numbers', () => {
    const v = { ...initialValues(heatmap, 'p1'), job_name: 'j', builds: '2.5' };
    expect(validate(heatmap, v).builds).toBe('Number of builds must be a whole number.');
    expect(validate(heatmap, { ...v, builds: '-1' }).builds).toMatch(/negative/);
    expect(validate(heatmap, { ...v, builds: '' }).builds).toMatch(/required/);
    expect(validate(aggregator, { group_field: 'env', days: 'abc', for_filter: false }).days).toMatch(/^Time window: enter a duration/);
    expect(validate(aggregator, { group_field: 'env', days: '0.5', for_filter: false })).toEqual({});
    expect(validate(aggregator, { group_field: 'env', days: '12 hours', for_filter: false })).toEqual({});
  });
  it('requires a value in a required list', () => {
    expect(validate(matrix, { columns: ' \n ', limit: '' }).columns).toMatch(/at least one/);
  });
});

describe('durations', () => {
  const runs: WidgetType = {
    id: 'run-aggregator',
    title: 'Run Aggregation',
    type: 'widget',
    params: [
      { name: 'group_field', type: 'string', required: true, default: 'component' },
      { name: 'weeks', type: 'integer', required: true, default: 4 },
    ],
  };
  it('shows day and week counts in words', () => {
    expect(initialValues(aggregator, null).days).toBe('90 days');
    expect(initialValues(aggregator, null, { days: 0.5 }).days).toBe('12 hours');
    expect(initialValues(aggregator, null, { days: 1.25 }).days).toBe('1 day 6 hours');
    expect(initialValues(runs, null).weeks).toBe('4 weeks');
  });
  it('takes whole weeks for an integer param', () => {
    expect(validate(runs, { group_field: 'env', weeks: '10 days' }).weeks).toBe('Time window must be whole weeks, e.g. “4 weeks”.');
    expect(toParams(runs, { group_field: 'env', weeks: '14 days' })).toEqual({ group_field: 'env', weeks: 2 });
    expect(toParams(runs, { group_field: 'env', weeks: '3' })).toEqual({ group_field: 'env', weeks: 3 });
  });
});

describe('toParams', () => {
  it('types values by declaration and leaves empty optional ones out', () => {
    const v = { ...initialValues(heatmap, 'p1'), job_name: ' e2e-job ' };
    expect(toParams(heatmap, v)).toEqual({ job_name: 'e2e-job', builds: 5, group_field: 'component', count_skips: true, project: 'p1' });
    expect(toParams(aggregator, { group_field: 'result', days: '7.5', for_filter: false })).toEqual({ group_field: 'result', days: 7.5, for_filter: false });
    expect(toParams(aggregator, { group_field: 'result', days: '1 day 12 hours', for_filter: false }).days).toBe(1.5);
    expect(toParams(aggregator, { group_field: 'result', days: '12 hours', for_filter: false }).days).toBe(0.5);
    expect(toParams(matrix, { columns: 'component\n\n env ', limit: '' })).toEqual({ columns: ['component', 'env'] });
  });
});

describe('details, weight and fetch params', () => {
  it('validates title and weight', () => {
    expect(validateDetails('', '1').title).toBeDefined();
    expect(validateDetails('t', 'x').weight).toBeDefined();
    expect(validateDetails('t', '')).toEqual({});
  });
  it('puts new widgets last', () => {
    expect(nextWeight([])).toBe(10);
    expect(nextWeight([10, 3, null])).toBe(11);
  });
  it("adds the widget's project when the type takes one, and drops undeclared params", () => {
    expect(fetchParams({ job_name: 'j', stale: 1 }, heatmap, 'p1')).toEqual({ job_name: 'j', project: 'p1' });
    expect(fetchParams({ job_name: 'j', project: 'p2' }, heatmap, 'p1')).toEqual({ job_name: 'j', project: 'p2' });
    expect(fetchParams({ columns: ['c'] }, matrix, 'p1')).toEqual({ columns: ['c'] });
    expect(fetchParams({ x: 1 }, undefined, 'p1')).toEqual({ x: 1 });
  });
});
