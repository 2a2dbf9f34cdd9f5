// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { clusterCountsText, clusterRows, totalClusters } from './CompareClusters';
import type { CompareClusters } from '../../api/types';

const item = (fingerprint: string, flaky = false) => ({
  fingerprint,
  exception: 'E',
  message: '',
  base_count: 1,
  target_count: 1,
  test_ids: ['t'],
  flaky,
});

describe('compare per cluster', () => {
  const c: CompareClusters = {
    new: [item('n')],
    fixed: [item('f')],
    still_failing: [item('s', true)],
    flaky: [item('s', true)],
    counts: { new: 1, fixed: 1, still_failing: 1, flaky: 1 },
  };
  it('summarises the counts', () => {
    expect(clusterCountsText(c.counts)).toBe('1 new, 1 still failing (1 flaky), 1 fixed');
    expect(clusterCountsText({ new: 0, fixed: 2, still_failing: 0, flaky: 0 })).toBe('0 new, 0 still failing, 2 fixed');
  });
  it('lists new, then still failing, then fixed, each cluster once', () => {
    expect(clusterRows(c).map((r) => [r.category.key, r.cluster.fingerprint])).toEqual([
      ['new', 'n'],
      ['still_failing', 's'],
      ['fixed', 'f'],
    ]);
    expect(totalClusters(c)).toBe(3);
    expect(totalClusters(undefined)).toBe(0);
  });
});
