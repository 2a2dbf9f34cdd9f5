import { describe, expect, it } from 'vitest';
import type { Run } from '../../../api/types';
import { jenkinsInfo, resultsLink, summaryTiles } from './summary';

const value = (run: Run, key: string) => summaryTiles(run).find((t) => t.key === key);

describe('summaryTiles', () => {
  it('reads a full summary as it is', () => {
    const run = {
      id: 'r',
      duration: 12,
      summary: { passes: 5, failures: 2, errors: 1, skips: 1, xfailures: 0, xpasses: 1, tests: 10, pass_percent: 50 },
      quarantined: 1,
    } as Run;
    expect(summaryTiles(run).map((t) => [t.key, t.value])).toEqual([
      ['passed', 5],
      ['failed', 2],
      ['error', 1],
      ['skipped', 1],
      ['xfailed', 0],
      ['xpassed', 1],
      ['quarantined', 1],
      ['total', 10],
      ['duration', 12],
      ['pass_percent', 50],
    ]);
    expect(value(run, 'passed')?.derived).toBe(false);
    expect(value({ ...run, quarantined: 0 }, 'quarantined')).toBeUndefined();
  });
  it('derives passes and the pass rate for JUnit imports', () => {
    const run = { id: 'r', summary: { failures: 3, errors: 1, skips: 1, xfailures: 0, xpasses: 0, tests: 8 } } as Run;
    expect(value(run, 'passed')).toMatchObject({ value: 3, derived: true });
    // 3 of 8 is 37.5%: rounded down like the server's pass_percent.
    expect(value(run, 'pass_percent')).toMatchObject({ value: 37, derived: true });
  });
  it('copes with an empty summary', () => {
    const run = { id: 'r', summary: null } as Run;
    expect(value(run, 'passed')?.value).toBeNull();
    expect(value(run, 'failed')?.value).toBe(0);
    expect(value(run, 'pass_percent')?.value).toBeNull();
  });
});

describe('resultsLink', () => {
  it('uses repeated raw filter parameters', () => {
    expect(resultsLink('/project/p', 'abc', 'failed')).toBe('/project/p/results?filter=run_id%3Dabc&filter=result%3Dfailed');
    expect(resultsLink('', 'abc')).toBe('/results?filter=run_id%3Dabc');
    const p = new URLSearchParams(resultsLink('', 'abc', 'error').split('?')[1]);
    expect(p.getAll('filter')).toEqual(['run_id=abc', 'result=error']);
  });
});

describe('jenkinsInfo', () => {
  it('shows a dash for a missing job or build, no link for an unsafe one, and nothing without either', () => {
    expect(jenkinsInfo({ jenkins: { job_name: 'x', build_url: 'javascript:alert(1)' } })).toEqual({ job: 'x', build: '–', url: null });
    expect(jenkinsInfo({ jenkins: { build_number: 7, build_url: 'https://ci/7/' } })).toEqual({ job: '–', build: '7', url: 'https://ci/7/' });
    expect(jenkinsInfo({ jenkins: { build_url: 'https://ci/7/' } })).toBeNull();
    expect(jenkinsInfo({})).toBeNull();
    expect(jenkinsInfo(null)).toBeNull();
  });
});
