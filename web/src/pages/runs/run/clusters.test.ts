import { describe, expect, it } from 'vitest';
import { classifyClusterBody, clustersSummary, clusterTitle, hiddenTests, type FailureCluster } from './clusters';

function cluster(over: Partial<FailureCluster> = {}): FailureCluster {
  return {
    fingerprint: 'abc',
    exception: 'ConnectionError',
    normalised: 'ConnectionError\ntimed out after <n>s',
    count: 2,
    example: { id: 'r1', test_id: 'test_a', message: 'timed out after 30s' },
    test_ids: ['test_a', 'test_b'],
    result_ids: ['r1', 'r2'],
    status: 'new',
    known: null,
    ...over,
  };
}

describe('failure clusters', () => {
  it('summarises counts, new clusters and truncation', () => {
    expect(clustersSummary({ run_id: 'x', failures: 3, truncated: false, clusters: [cluster(), cluster({ status: 'known', count: 1 })] })).toBe(
      '3 failures in 2 clusters, 1 new',
    );
    expect(clustersSummary({ run_id: 'x', failures: 1, truncated: true, clusters: [cluster({ count: 1 })] })).toBe('1 failure in 1+ cluster, 1 new');
  });

  it('names clusters without an exception type', () => {
    expect(clusterTitle(cluster())).toBe('ConnectionError');
    expect(clusterTitle(cluster({ exception: '' }))).toBe('No exception type');
  });

  it('counts the tests the API left out', () => {
    expect(hiddenTests(cluster())).toBe(0);
    expect(hiddenTests(cluster({ count: 250, test_ids: Array(100).fill('t') }))).toBe(150);
  });

  it('classifies by cluster, not by ids', () => {
    expect(classifyClusterBody('run-1', cluster(), 'product_failure')).toEqual({
      cluster: { run_id: 'run-1', fingerprint: 'abc' },
      metadata: { classification: 'product_failure' },
    });
  });
});
