// The run's results as a tree by file path: folders and files with counts
// per outcome, expandable (keyboard: the toggle buttons; ARIA tree-grid
// levels and positions), tests linking to their result.
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Label, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { Table, Tbody, Td, Tr } from '@patternfly/react-table';
import { TableHead } from '../../../components/table/DataTable';
import type { Run } from '../../../api/types';
import { formatDuration } from '../../../components/format';
import { StatusLabel } from '../../../components/StatusLabel';
import { toggled } from '../../../components/sets';
import { Empty, ErrorState, Loading } from '../../../components/states';
import { fetchAllResults, type AllResults } from './fetchAll';
import { runResultFilters } from './RunResultsTab';
import { buildResultsTree, failingFolderKeys, folderKeys, visibleRows, type TreeNode } from './resultsTree';

/** The most results the tree loads (20 pages of 500). */
const LIMIT = 10000;

const COUNT_LABELS: { key: string; label: string; color?: 'green' | 'red' | 'orange' | 'grey' | 'purple' | 'teal'; status?: 'success' | 'danger' }[] = [
  { key: 'passed', label: 'passed', status: 'success' },
  { key: 'failed', label: 'failed', status: 'danger' },
  { key: 'error', label: 'error', color: 'orange' },
  { key: 'skipped', label: 'skipped', color: 'grey' },
  { key: 'xfailed', label: 'xfailed', color: 'purple' },
  { key: 'xpassed', label: 'xpassed', color: 'teal' },
];

function Counts({ node }: { node: TreeNode }) {
  const known = new Set(COUNT_LABELS.map((c) => c.key));
  const other = Object.entries(node.counts)
    .filter(([k]) => !known.has(k))
    .reduce((a, [, v]) => a + v, 0);
  return (
    <span className="ibutsu-counts">
      {COUNT_LABELS.filter((c) => node.counts[c.key]).map((c) => (
        <Label key={c.key} isCompact color={c.color} status={c.status} variant="outline">
          {node.counts[c.key]} {c.label}
        </Label>
      ))}
      {other > 0 && (
        <Label isCompact variant="outline">
          {other} other
        </Label>
      )}
    </span>
  );
}

export function ResultsTreeTab({ run, base }: { run: Run; base: string }) {
  const [data, setData] = useState<AllResults | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const [expanded, setExpanded] = useState<Set<string> | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    setData(null);
    setError(null);
    fetchAllResults(runResultFilters(run), LIMIT, ctrl.signal)
      .then((d) => !ctrl.signal.aborted && setData(d))
      .catch((e) => !ctrl.signal.aborted && setError(e));
    return () => ctrl.abort();
  }, [run, tick]);

  const tree = useMemo(() => (data ? buildResultsTree(data.results) : []), [data]);
  // Folders leading to failures start open; a lone top folder too.
  const open = useMemo(() => {
    if (expanded) return expanded;
    const keys = new Set(failingFolderKeys(tree));
    let level = tree;
    while (level.length === 1 && level[0].children.length) {
      keys.add(level[0].key);
      level = level[0].children;
    }
    return keys;
  }, [expanded, tree]);
  const rows = useMemo(() => visibleRows(tree, open), [tree, open]);

  if (error) return <ErrorState error={error} onRetry={() => setTick((t) => t + 1)} />;
  if (!data) return <Loading label="Loading the results tree" />;
  if (!tree.length) return <Empty title="No results">This run has no results yet.</Empty>;

  const toggle = (key: string) => setExpanded(toggled(open, key));

  return (
    <>
      {data.truncated && (
        <Alert
          isInline
          variant="info"
          title={`Showing the first ${LIMIT.toLocaleString()} of ${data.total.toLocaleString()} results`}
          style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}
        />
      )}
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Button variant="secondary" onClick={() => setExpanded(new Set(folderKeys(tree)))}>
              Expand all
            </Button>
          </ToolbarItem>
          <ToolbarItem>
            <Button variant="secondary" onClick={() => setExpanded(new Set())}>
              Collapse all
            </Button>
          </ToolbarItem>
          <ToolbarItem>
            <Button variant="link" onClick={() => setExpanded(new Set(failingFolderKeys(tree)))}>
              Show failures
            </Button>
          </ToolbarItem>
          <ToolbarItem align={{ default: 'alignEnd' }}>
            <span className="ibutsu-subtle">{data.results.length.toLocaleString()} results</span>
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <Table isTreeTable aria-label="Results by file" variant="compact" data-testid="results-tree">
        <TableHead columns={[{ title: 'Name', width: 50 }, 'Status', 'Results', 'Duration']} />
        <Tbody>
          {rows.map(({ node, level, posinset }, rowIndex) => {
            const isFolder = node.children.length > 0;
            return (
              <Tr key={node.key} data-testid={`tree-row-${node.name}`} aria-level={level} aria-posinset={posinset} aria-setsize={node.children.length}>
                <Td
                  dataLabel="Name"
                  treeRow={{
                    onCollapse: () => toggle(node.key),
                    rowIndex,
                    props: {
                      isExpanded: isFolder ? open.has(node.key) : undefined,
                      'aria-level': level,
                      'aria-posinset': posinset,
                      // PatternFly's tree rows read aria-setsize as the number of children (0: no toggle).
                      'aria-setsize': node.children.length,
                      toggleAriaLabel: `${open.has(node.key) ? 'Collapse' : 'Expand'} ${node.name}`,
                    },
                  }}
                >
                  {node.result ? (
                    <Link to={`${base}/results/${node.result.id}`} className="ibutsu-break">
                      {node.name}
                    </Link>
                  ) : (
                    <span className="ibutsu-mono ibutsu-break">{node.name}</span>
                  )}
                </Td>
                <Td dataLabel="Status">
                  <StatusLabel status={node.status} />
                </Td>
                <Td dataLabel="Results">{isFolder ? <Counts node={node} /> : null}</Td>
                <Td dataLabel="Duration">{formatDuration(node.duration)}</Td>
              </Tr>
            );
          })}
        </Tbody>
      </Table>
    </>
  );
}
