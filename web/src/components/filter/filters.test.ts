import { describe, expect, it } from 'vitest';
import {
  apiFilterString,
  describeFilter,
  fieldDef,
  filtersFromSearch,
  operatorsFor,
  parseFilter,
  parseSort,
  RELATIVE_DATES,
  resolveRelative,
  RESULT_FIELDS,
  RUN_FIELDS,
  serializeFilter,
  serializeSort,
  splitFilterParams,
  validateFilter,
  withFilters,
} from './filters';

describe('parseFilter', () => {
  it('reads field, operator and value as the server does', () => {
    expect(parseFilter('component=frontend')).toEqual({ field: 'component', op: '=', value: 'frontend' });
    expect(parseFilter('metadata.jenkins.job_name~^nightly')).toEqual({ field: 'metadata.jenkins.job_name', op: '~', value: '^nightly' });
    expect(parseFilter('result*failed;error')).toEqual({ field: 'result', op: '*', value: 'failed;error' });
    expect(parseFilter('summary.failures)1')).toEqual({ field: 'summary.failures', op: ')', value: '1' });
  });
  it('keeps everything after the first operator in the value', () => {
    expect(parseFilter('a=b=c')).toEqual({ field: 'a', op: '=', value: 'b=c' });
    expect(parseFilter('x!=y')).toEqual({ field: 'x', op: '!', value: '=y' });
  });
  it('turns >= and <= into their one-character spellings', () => {
    expect(parseFilter('duration>=1.5')).toEqual({ field: 'duration', op: ')', value: '1.5' });
    expect(parseFilter('start_time<=2026-01-01')).toEqual({ field: 'start_time', op: '(', value: '2026-01-01' });
    expect(parseFilter('duration>1')?.op).toBe('>');
  });
  it('strips surrounding double quotes', () => {
    expect(parseFilter('env="prod"')?.value).toBe('prod');
    expect(parseFilter('env="')?.value).toBe('"');
  });
  it('allows an empty value and rejects what the server ignores', () => {
    expect(parseFilter('metadata.env@')).toEqual({ field: 'metadata.env', op: '@', value: '' });
    expect(parseFilter('')).toBeNull();
    expect(parseFilter('=x')).toBeNull();
    expect(parseFilter('component')).toBeNull();
    expect(parseFilter('comp onent=x')).toBeNull();
  });
  it('round-trips through serializeFilter', () => {
    for (const s of ['component=frontend', 'result*failed;error', 'metadata.tags@true', 'summary.pass_percent(90', 'test_id%login']) {
      expect(serializeFilter(parseFilter(s)!)).toBe(s);
    }
  });
});

describe('URL state', () => {
  it('reads repeated and comma-joined filter parameters', () => {
    const p = new URLSearchParams('filter=component%3Dfrontend&filter=env%3Dprod,result%3Dfailed&filter=bogus&page=3');
    expect(filtersFromSearch(p).map(serializeFilter)).toEqual(['component=frontend', 'env=prod', 'result=failed']);
    expect(splitFilterParams(['a=1, b=2', ''])).toEqual(['a=1', 'b=2']);
  });
  it('writes filters as repeated parameters, keeps the rest and resets the page', () => {
    const p = new URLSearchParams('filter=env%3Dprod&sort=-duration&page=4&pageSize=50');
    const out = withFilters(p, [
      { field: 'component', op: '=', value: 'api' },
      { field: 'result', op: '*', value: 'failed;error' },
    ]);
    expect(out.getAll('filter')).toEqual(['component=api', 'result*failed;error']);
    expect(out.get('sort')).toBe('-duration');
    expect(out.get('pageSize')).toBe('50');
    expect(out.has('page')).toBe(false);
    expect(p.getAll('filter')).toEqual(['env=prod']); // the input is not changed
    expect(filtersFromSearch(new URLSearchParams(out.toString())).map(serializeFilter)).toEqual(['component=api', 'result*failed;error']);
  });
});

describe('validateFilter', () => {
  it('accepts complete filters', () => {
    expect(validateFilter({ field: 'component', op: '=', value: 'api' })).toBeNull();
    expect(validateFilter({ field: 'metadata.env', op: '@', value: '' })).toBeNull();
  });
  it('explains what is missing or impossible', () => {
    expect(validateFilter({ field: '', op: '=', value: 'x' })).toMatch(/field/);
    expect(validateFilter({ field: 'metadata.', op: '=', value: 'x' })).toMatch(/path/);
    expect(validateFilter({ field: 'metadata', op: '=', value: 'x' })).toMatch(/path/);
    expect(validateFilter({ field: 'env', op: '=', value: '  ' })).toMatch(/value/);
    expect(validateFilter({ field: 'env', op: '=', value: 'a,b' })).toMatch(/comma/);
    expect(validateFilter({ field: 'env', op: '*', value: ';;' })).toMatch(/at least one/);
    expect(validateFilter({ field: 'bad field', op: '=', value: 'x' })).toMatch(/field/);
  });
});

describe('fields and descriptions', () => {
  it('knows its fields and treats metadata paths as free text fields', () => {
    expect(fieldDef('result', RESULT_FIELDS).kind).toBe('status');
    expect(fieldDef('metadata.assignee', RESULT_FIELDS)).toMatchObject({ label: 'metadata.assignee', kind: 'text', suggest: true });
    expect(operatorsFor(fieldDef('summary.failures', RUN_FIELDS))).toContain('>');
    expect(operatorsFor(fieldDef('result', RESULT_FIELDS))).not.toContain('~');
  });
  it('describes filters in words', () => {
    expect(describeFilter({ field: 'component', op: '=', value: 'api' }, RUN_FIELDS)).toEqual({ field: 'Component', text: 'equals api' });
    expect(describeFilter({ field: 'result', op: '*', value: 'failed;error' }, RESULT_FIELDS).text).toBe('is one of failed, error');
    expect(describeFilter({ field: 'metadata.x', op: '@', value: 'true' }, RESULT_FIELDS).text).toBe('is set');
    expect(describeFilter({ field: 'metadata.x', op: '@', value: 'no' }, RESULT_FIELDS).text).toBe('is not set');
    expect(describeFilter({ field: 'duration', op: ')', value: '5' }, RUN_FIELDS).text).toBe('greater than or equal 5');
  });
});

describe('sort', () => {
  it('parses and writes one key', () => {
    expect(parseSort('-start_time')).toEqual({ field: 'start_time', desc: true });
    expect(parseSort('duration')).toEqual({ field: 'duration', desc: false });
    expect(parseSort('+env,-duration')).toEqual({ field: 'env', desc: false });
    expect(parseSort('')).toBeNull();
    expect(parseSort('-')).toBeNull();
    expect(parseSort(null)).toBeNull();
    expect(serializeSort({ field: 'summary.failures', desc: true })).toBe('-summary.failures');
    expect(serializeSort(null)).toBe('');
  });
});

describe('typed validation and relative dates (issue 20 point 7)', () => {
  const def = (name: string) => fieldDef(name, RESULT_FIELDS);
  it('checks a value against its field type before sending', () => {
    expect(validateFilter({ field: 'duration', op: '>', value: 'abc' }, def('duration'))).toMatch(/Duration \(s\) takes a number/);
    expect(validateFilter({ field: 'duration', op: '>', value: '1.5e2' }, def('duration'))).toBeNull();
    expect(validateFilter({ field: 'start_time', op: ')', value: 'yesterday' }, def('start_time'))).toMatch(/takes a date/);
    expect(validateFilter({ field: 'start_time', op: ')', value: '2026-03-01T12:00:00' }, def('start_time'))).toBeNull();
    expect(validateFilter({ field: 'run_id', op: '*', value: '0bb1b7a4-5f7e-4b5c-9c1f-6c1e0b1e2c3d;12' }, def('run_id'))).toMatch(/full UUID, not "12"/);
    expect(validateFilter({ field: 'metadata.anything', op: '=', value: 'abc' }, def('metadata.anything'))).toBeNull();
    expect(validateFilter({ field: 'test_id', op: '~', value: '(unclosed' }, def('test_id'))).toMatch(/not a valid regular expression/);
    expect(validateFilter({ field: 'test_id', op: '~', value: '^test_(a|b)' }, def('test_id'))).toBeNull();
    // Without a definition (filters from elsewhere) only the syntax is checked.
    expect(validateFilter({ field: 'duration', op: '>', value: 'abc' })).toBeNull();
  });
  it('keeps relative dates in the URL and sends absolute UTC times', () => {
    const now = Date.UTC(2026, 2, 8, 12, 30, 45);
    expect(resolveRelative('-7d', now)).toBe('2026-03-01T12:30:00');
    expect(resolveRelative('-24h', now)).toBe('2026-03-07T12:30:00');
    expect(resolveRelative('7d', now)).toBeNull();
    expect(apiFilterString({ field: 'start_time', op: ')', value: '-30d' }, now)).toBe('start_time)2026-02-06T12:30:00');
    expect(apiFilterString({ field: 'metadata.note', op: '=', value: '-7d' }, now)).toBe('metadata.note=-7d');
    expect(validateFilter({ field: 'start_time', op: ')', value: '-7d' }, def('start_time'))).toBeNull();
    expect(describeFilter({ field: 'start_time', op: ')', value: '-7d' }, RESULT_FIELDS)).toEqual({ field: 'Start time', text: 'in the last 7 days' });
    expect(RELATIVE_DATES.map((r) => r.label)).toEqual(['last 24 hours', 'last 7 days', 'last 30 days']);
  });
});
