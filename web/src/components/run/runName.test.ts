import { describe, expect, it } from 'vitest';
import { buildLabel, jenkinsBuild, runName, runSeries, runShortName, shortTime } from './runName';

const t = (iso: string | null | undefined) => (iso ? `T(${iso})` : '');
const id = '1a2b3c4d-0000-4000-8000-000000000000';

describe('runName', () => {
  it('names a Jenkins build by job and number', () => {
    expect(runName({ id, metadata: { jenkins: { job_name: 'nightly', build_number: 42 } } }, t)).toBe('nightly #42');
    expect(buildLabel({ metadata: { jenkins: { build_number: '7' } } })).toBe('Build #7');
    expect(buildLabel({ metadata: { jenkins: 'x' } })).toBeNull();
  });
  it('names other runs by what they tested and when, never by a bare id', () => {
    expect(runName({ id, source: 'ci', component: 'frontend', env: 'qa', start_time: '2026-03-03T14:05:00' }, t)).toBe(
      'ci · frontend · qa · T(2026-03-03T14:05:00)',
    );
    expect(runName({ id, component: 'frontend', env: ' ', created: '2026-01-01' }, t)).toBe('frontend · T(2026-01-01)');
    expect(runName({ id }, t)).toBe('Run 1a2b3c4d');
    expect(runName({ id, start_time: '2026-01-01' }, t)).toBe('Run 1a2b3c4d · T(2026-01-01)');
    expect(runSeries({ id, source: 'junit', env: 'prod' })).toBe('junit · prod');
    expect(runShortName({ id, source: 'ci', component: 'frontend', start_time: '2026-01-01' }, t)).toBe('ci · T(2026-01-01)');
    expect(runShortName({ id, component: 'frontend' }, t)).toBe('Run 1a2b3c4d');
    expect(runShortName({ id, source: 'ci', metadata: { jenkins: { job_name: 'j', build_number: 3 } } }, t)).toBe('j #3');
  });
  it('formats times the server sends without a zone as UTC', () => {
    const withZ = shortTime('2026-03-03T14:05:00Z');
    expect(shortTime('2026-03-03T14:05:00')).toBe(withZ);
    expect(withZ).not.toBe('');
    expect(shortTime('nonsense')).toBe('');
    expect(shortTime(null)).toBe('');
  });
});

describe('jenkinsBuild', () => {
  it('reads job, build and a web build URL', () => {
    expect(jenkinsBuild({ metadata: { jenkins: { job_name: 'nightly', build_number: 42, build_url: 'https://ci/job/nightly/42/' } } })).toEqual({
      job: 'nightly',
      build: '42',
      url: 'https://ci/job/nightly/42/',
    });
    expect(jenkinsBuild({ metadata: { jenkins: { job_name: 'x', build_url: 'javascript:alert(1)' } } }).url).toBeUndefined();
    expect(jenkinsBuild({ metadata: { jenkins: 'nope' } })).toEqual({});
    expect(jenkinsBuild({ metadata: null })).toEqual({});
  });
});
