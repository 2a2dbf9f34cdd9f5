// The run's results as a simple paginated, sortable table with a status
// filter (the full results page, with every filter, is one click away).
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, ToggleGroup, ToggleGroupItem, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { Tbody, Td, Tr, type ThProps } from '@patternfly/react-table';
import { DataTable } from '../../../components/table/DataTable';
import { useApi } from '../../../api/useApi';
import type { Pagination, Result, Run } from '../../../api/types';
import { formatDuration } from '../../../components/format';
import { ResultStatus } from '../../../components/ResultStatus';
import { classificationLabel } from '../../../components/ClassificationDropdown';
import { PagedListPagination, PaginationToolbarItem, useLocalPaging } from '../../../components/table/ListPagination';
import { TableState } from '../../../components/table/TableState';
import { resultsLink } from './summary';

const STATUS_FILTERS = [
  { key: '', label: 'All' },
  { key: 'failed;error', label: 'Failures' },
  { key: 'passed', label: 'Passed' },
  { key: 'skipped', label: 'Skipped' },
  { key: 'xfailed;xpassed', label: 'Xfail/Xpass' },
];

const COLUMNS: { field: string | null; label: string }[] = [
  { field: 'test_id', label: 'Test' },
  { field: 'result', label: 'Result' },
  { field: 'duration', label: 'Duration' },
  { field: null, label: 'Component' },
  { field: null, label: 'Environment' },
  { field: null, label: 'Classification' },
];

/** Filters selecting the results of a run (with the project, which superadmins must give). */
export function runResultFilters(run: Run): string[] {
  const f = [`run_id=${run.id}`];
  if (run.project_id) f.push(`project_id=${run.project_id}`);
  return f;
}

export function RunResultsTab({ run, base }: { run: Run; base: string }) {
  const [status, setStatus] = useState('');
  const paging = useLocalPaging();
  const [sort, setSort] = useState<{ field: string; desc: boolean }>({ field: 'test_id', desc: false });
  const filters = runResultFilters(run);
  if (status) filters.push(`result*${status}`);
  const { data, error, loading, reload } = useApi<{ results: Result[]; pagination: Pagination }>('result', {
    query: { filter: filters, page: paging.page, pageSize: paging.pageSize, sort: (sort.desc ? '-' : '') + sort.field },
  });
  const rows = data?.results ?? [];
  const thSort = (field: string | null, index: number): ThProps['sort'] =>
    field
      ? {
          sortBy: { index: COLUMNS.findIndex((c) => c.field === sort.field), direction: sort.desc ? 'desc' : 'asc' },
          onSort: (_e, _i, dir) => {
            setSort({ field, desc: dir === 'desc' });
            paging.update({ page: 1 });
          },
          columnIndex: index,
        }
      : undefined;
  return (
    <>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <ToggleGroup aria-label="Show results">
              {STATUS_FILTERS.map((s) => (
                <ToggleGroupItem
                  key={s.key || 'all'}
                  text={s.label}
                  buttonId={`run-results-${s.key || 'all'}`}
                  isSelected={status === s.key}
                  onChange={() => {
                    setStatus(s.key);
                    paging.update({ page: 1 });
                  }}
                />
              ))}
            </ToggleGroup>
          </ToolbarItem>
          <ToolbarItem>
            <Button variant="link" component={(p: object) => <Link {...p} to={resultsLink(base, run.id)} />}>
              Open in Test Results
            </Button>
          </ToolbarItem>
          <PaginationToolbarItem>
            <PagedListPagination list={paging} info={data?.pagination} itemsTitle="results" />
          </PaginationToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <DataTable label="Results of this run" columns={COLUMNS.map((c, i) => ({ title: c.label, sort: thSort(c.field, i) }))}>
        <TableState
          colSpan={COLUMNS.length}
          loading={loading}
          error={error}
          onRetry={reload}
          empty={!rows.length}
          emptyTitle="No results"
          emptyBody={status ? 'No results of this run have that outcome.' : 'This run has no results yet.'}
        >
          <Tbody>
            {rows.map((r) => (
              <Tr key={r.id}>
                <Td dataLabel="Test" className="ibutsu-break">
                  <Link to={`${base}/results/${r.id}`}>{r.test_id}</Link>
                </Td>
                <Td dataLabel="Result">
                  <ResultStatus result={r} />
                </Td>
                <Td dataLabel="Duration">{formatDuration(r.duration)}</Td>
                <Td dataLabel="Component">{r.component || '–'}</Td>
                <Td dataLabel="Environment">{r.env || '–'}</Td>
                <Td dataLabel="Classification">{r.metadata?.classification ? classificationLabel(r.metadata.classification) : '–'}</Td>
              </Tr>
            ))}
          </Tbody>
        </TableState>
      </DataTable>
      <PagedListPagination list={paging} info={data?.pagination} variant="bottom" itemsTitle="results" />
    </>
  );
}
