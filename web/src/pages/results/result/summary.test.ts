// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../api/types';
import { markerNames, phaseDurations } from './ResultSummaryTab';
import { failureReason } from '../../runs/run/ClassifyFailuresTab';
import { classificationLabel, CLASSIFICATIONS } from '../../../components/ClassificationDropdown';

describe('result summary helpers', () => {
  it('orders phase durations setup, call, teardown and skips non-numbers', () => {
    expect(phaseDurations({ durations: { teardown: 0.1, call: '1.5', setup: 0.2, junk: 'x', extra: 3 } })).toEqual([
      ['setup', 0.2],
      ['call', 1.5],
      ['teardown', 0.1],
      ['extra', 3],
    ]);
    expect(phaseDurations({})).toEqual([]);
    expect(phaseDurations(null)).toEqual([]);
  });
  it('collects marker and tag names once', () => {
    expect(markerNames({ markers: [{ name: 'tier1' }, 'smoke', { args: [] }], tags: ['smoke', 'nightly'] })).toEqual(['tier1', 'smoke', 'nightly']);
  });
  it('shows the exception name and the first line of the message as the failure reason', () => {
    const r = (metadata: Record<string, unknown>) => ({ id: 'x', test_id: 't', result: 'failed', metadata }) as Result;
    expect(failureReason(r({ exception_name: 'AssertionError', short_tb: 'x' }))).toBe('AssertionError: x');
    expect(failureReason(r({ short_tb: 'ValueError: bad\n  more' }))).toBe('ValueError: bad');
    expect(failureReason(r({}))).toBe('');
  });
  it("uses upstream's classification labels", () => {
    expect(CLASSIFICATIONS.map((c) => c.value)).toEqual([
      'dependency_outage',
      'environment_failure',
      'product_failure',
      'product_rfe',
      'test_failure',
      'unknown',
    ]);
    expect(classificationLabel('product_failure')).toBe('Product Failure');
    expect(classificationLabel('custom_value')).toBe('custom_value');
    expect(classificationLabel(undefined)).toBe('(unset)');
  });
});
