import { describe, expect, it } from 'vitest';
import { projectPath } from './AppLayout';
import { apiUrl } from '../api/client';

describe('projectPath', () => {
  it('keeps the section when switching projects', () => {
    expect(projectPath('/project/a/runs/123', 'b')).toBe('/project/b/runs');
    expect(projectPath('/project/a/results', 'b')).toBe('/project/b/results');
    expect(projectPath('/project/a/flaky', 'b')).toBe('/project/b/flaky');
    expect(projectPath('/project/a/flaky', null)).toBe('/');
    expect(projectPath('/project/a/view/v1', 'b')).toBe('/project/b/dashboard');
    expect(projectPath('/admin/users', 'b')).toBe('/project/b/dashboard');
  });
  it('leaves the project when cleared', () => {
    expect(projectPath('/project/a/runs', null)).toBe('/runs');
    expect(projectPath('/project/a/dashboard', null)).toBe('/');
  });
});

describe('apiUrl', () => {
  it('repeats array parameters and skips empty ones', () => {
    expect(apiUrl('run', { filter: ['a=1', 'b~x'], page: 2, estimate: undefined, q: '' })).toBe('/api/run?filter=a%3D1&filter=b%7Ex&page=2');
  });
});
