import { describe, expect, it } from 'vitest';
import { formatHumanDuration, parseDuration } from './durations';
import { humanize, paramSpec } from './paramSpecs';

describe('human durations', () => {
  it('reads durations as people write them', () => {
    expect(parseDuration('7 days', 'day')).toBe(7 * 86400);
    expect(parseDuration('12 hours', 'day')).toBe(12 * 3600);
    expect(parseDuration('1 day, 6 hours', 'day')).toBe(30 * 3600);
    expect(parseDuration('1d 6h', 'day')).toBe(30 * 3600);
    expect(parseDuration('2w', 'day')).toBe(14 * 86400);
    expect(parseDuration('1.5 days', 'day')).toBe(1.5 * 86400);
    expect(parseDuration('90', 'day')).toBe(90 * 86400);
    expect(parseDuration('3', 'week')).toBe(3 * 604800);
    expect(parseDuration('90 seconds', 'second')).toBe(90);
  });
  it('refuses what is not a duration', () => {
    for (const t of ['', 'abc', '7 fortnights', '-3 days', 'days 7', '7 days x']) expect(parseDuration(t, 'day')).toBeNull();
  });
  it('writes durations in the unit when whole, else in two parts at most', () => {
    expect(formatHumanDuration(90 * 86400, 'day')).toBe('90 days');
    expect(formatHumanDuration(86400, 'day')).toBe('1 day');
    expect(formatHumanDuration(12 * 3600, 'day')).toBe('12 hours');
    expect(formatHumanDuration(30 * 3600, 'day')).toBe('1 day 6 hours');
    expect(formatHumanDuration(4 * 604800, 'week')).toBe('4 weeks');
    expect(formatHumanDuration(90, 'second')).toBe('90 seconds');
    expect(formatHumanDuration(0, 'day')).toBe('0 days');
  });
});

describe('param labels', () => {
  it('names params for people', () => {
    expect(paramSpec('job_name').label).toBe('Jenkins job');
    expect(paramSpec('group_field').label).toBe('Group by');
    expect(paramSpec('days', 'float')).toMatchObject({ label: 'Time window', duration: 'day' });
    expect(paramSpec('days', 'string').duration).toBeUndefined();
    expect(paramSpec('new_thing').label).toBe('New thing');
    expect(humanize('metadata.assignee')).toBe('Metadata assignee');
  });
});
