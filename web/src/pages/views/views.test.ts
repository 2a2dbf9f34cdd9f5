// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { runListOf } from './AccessibilityView';
import { buildsOf } from './JenkinsAnalysisView';

describe('view parameters', () => {
  it('takes run_list from the URL first, then the view', () => {
    expect(runListOf(new URLSearchParams('run_list=a,b&run_list=c'), ['x'])).toEqual(['a', 'b', 'c']);
    expect(runListOf(new URLSearchParams(), ['x', 'y'])).toEqual(['x', 'y']);
    expect(runListOf(new URLSearchParams(), 'x, y')).toEqual(['x', 'y']);
    expect(runListOf(new URLSearchParams(), undefined)).toEqual([]);
  });
  it('reads the number of builds with a default and a cap', () => {
    expect(buildsOf(null, undefined)).toBe(20);
    expect(buildsOf(null, 10)).toBe(10);
    expect(buildsOf('30', 10)).toBe(30);
    expect(buildsOf('999', 10)).toBe(150);
    expect(buildsOf('x', 'y')).toBe(20);
  });
});

describe('Add view', () => {
  it('offers every option of a view as optional, without paging', async () => {
    const { optionalParams } = await import('./AddViewModal');
    const t = optionalParams({
      id: 'compare-runs-view',
      title: 'Compare Runs',
      type: 'view',
      params: [
        { name: 'additional_filters', type: 'list', required: true },
        { name: 'page', type: 'integer' },
        { name: 'page_size', type: 'integer' },
        { name: 'duration_threshold', type: 'float', required: false },
      ],
    });
    expect(t.params.map((p) => [p.name, p.required])).toEqual([
      ['additional_filters', false],
      ['duration_threshold', false],
    ]);
  });
});
