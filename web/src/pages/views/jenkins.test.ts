import { describe, expect, it } from 'vitest';
import { buildRunsPath, configuredFilters, jobFilters, passPercent } from './jenkins';

describe('jenkins job view helpers', () => {
  it('turns the toolbar into widget filters', () => {
    expect(jobFilters({})).toEqual([]);
    expect(jobFilters({ job: ' e2e ', build: '5', env: 'prod', source: 'ci' })).toEqual(['job_name%e2e', 'build_number=5', 'env=prod', 'source=ci']);
    expect(jobFilters({ job: 'a,b' })).toEqual(['job_name%ab']);
  });
  it('reads configured filters in either form', () => {
    expect(configuredFilters(['env=prod', ' '])).toEqual(['env=prod']);
    expect(configuredFilters('env=prod,component=api')).toEqual(['env=prod,component=api']);
    expect(configuredFilters(null)).toEqual([]);
  });
  it('computes pass percent', () => {
    expect(passPercent({ summary: { tests: 30, passes: 24 } })).toBe(80);
    expect(passPercent({ summary: { tests: 3, failures: 1 } })).toBe(66);
    expect(passPercent({ summary: { tests: 8, passes: 7 } })).toBe(87);
    expect(passPercent({ summary: { tests: 0 } })).toBeNull();
    expect(passPercent({ summary: null })).toBeNull();
  });
  it('links a build to its runs', () => {
    expect(buildRunsPath('/project/p', { job_name: 'e2e-job', build_number: '3' })).toBe(
      '/project/p/runs?filter=metadata.jenkins.job_name%3De2e-job&filter=metadata.jenkins.build_number%3D3',
    );
  });
});
