// The comparison per failure cluster (docs/triage.md): which failures
// (grouped by fingerprint) are new in the target run, fixed, or still
// failing, and which of those flip between the runs (flaky).
import { Content, Label, LabelGroup } from '@patternfly/react-core';
import { Tbody, Td, Tr } from '@patternfly/react-table';
import { DataTable } from '../../components/table/DataTable';
import type { CompareCluster, CompareClusters } from '../../api/types';
import { Empty } from '../../components/states';

type Category = 'new' | 'still_failing' | 'fixed';

const categories: { key: Category; text: string; color: 'red' | 'orange' | 'green' }[] = [
  { key: 'new', text: 'New', color: 'red' },
  { key: 'still_failing', text: 'Still failing', color: 'orange' },
  { key: 'fixed', text: 'Fixed', color: 'green' },
];

/** "1 new, 2 still failing (1 flaky), 1 fixed". */
export function clusterCountsText(c: CompareClusters['counts']): string {
  const flaky = c.flaky ? ` (${c.flaky} flaky)` : '';
  return `${c.new} new, ${c.still_failing} still failing${flaky}, ${c.fixed} fixed`;
}

/** Every cluster of the comparison with its category, new first. */
export function clusterRows(c: CompareClusters): { category: (typeof categories)[number]; cluster: CompareCluster }[] {
  return categories.flatMap((category) => (c[category.key] ?? []).map((cluster) => ({ category, cluster })));
}

export function totalClusters(c: CompareClusters | undefined): number {
  return c ? c.counts.new + c.counts.fixed + c.counts.still_failing : 0;
}

export function CompareClustersTable({ clusters }: { clusters: CompareClusters | undefined }) {
  if (!clusters || totalClusters(clusters) === 0) return <Empty title="No failure clusters">Neither run has fingerprinted failures.</Empty>;
  return (
    <>
      <Content component="p" className="ibutsu-subtle" style={{ marginTop: 'var(--pf-t--global--spacer--md)' }} data-testid="compare-clusters-summary">
        {clusterCountsText(clusters.counts)}
      </Content>
      <DataTable label="Failure clusters" data-testid="compare-clusters" columns={[{ title: 'Failure', width: 40 }, 'Change', 'Base', 'Target', 'Tests']}>
        <Tbody>
          {clusterRows(clusters).map(({ category, cluster }) => (
            <Tr key={cluster.fingerprint} data-testid={`compare-cluster-${category.key}`}>
              <Td dataLabel="Failure" modifier="breakWord">
                <strong>{cluster.exception || 'No exception type'}</strong>
                {cluster.message && <div className="ibutsu-subtle">{cluster.message}</div>}
              </Td>
              <Td dataLabel="Change">
                <LabelGroup>
                  <Label isCompact color={category.color}>
                    {category.text}
                  </Label>
                  {cluster.flaky && (
                    <Label isCompact color="purple" data-testid="compare-cluster-flaky">
                      Flaky
                    </Label>
                  )}
                </LabelGroup>
              </Td>
              <Td dataLabel="Base">{cluster.base_count}</Td>
              <Td dataLabel="Target">{cluster.target_count}</Td>
              <Td dataLabel="Tests" modifier="breakWord" className="ibutsu-mono">
                {cluster.test_ids.slice(0, 3).join(', ')}
                {cluster.test_ids.length > 3 ? ` and ${cluster.test_ids.length - 3} more` : ''}
              </Td>
            </Tr>
          ))}
        </Tbody>
      </DataTable>
    </>
  );
}
