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
