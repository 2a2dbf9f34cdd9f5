// Classify a run's failures: failed and error results (optionally skips and
// xfails) with checkboxes, a classification per row, and one bulk request
// (POST /api/results/bulk-update) for the selected rows — or, with "select
// all N matching", for every failure of the run on every page (the request
// then carries the list's filters instead of ids).
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, AlertActionCloseButton, Checkbox, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { Tbody, Td, Tr } from '@patternfly/react-table';
import { DataTable } from '../../../components/table/DataTable';
import { api } from '../../../api/client';
import { useApi } from '../../../api/useApi';
import type { Pagination, Result, ResultBulkUpdateResponse, Run } from '../../../api/types';
import { formatDuration } from '../../../components/format';
import { StatusLabel } from '../../../components/StatusLabel';
import { FailureReason } from '../../../components/failure/FailureReason';
import { ClassificationDropdown, ClassificationMenu, classificationLabel } from '../../../components/ClassificationDropdown';
import { PagedListPagination, PaginationToolbarItem, useLocalPaging } from '../../../components/table/ListPagination';
import { TableState } from '../../../components/table/TableState';
import { BulkSelect } from '../../../components/table/BulkSelect';
import { runResultFilters } from './RunResultsTab';

/** The API's limit per bulk request by ids. */
export const MAX_BULK = 500;
/** The API's limit per bulk request by filter ("select all N matching"). */
export const MAX_BULK_BY_FILTER = 5000;

/** What a failure row shows as its reason (kept here for existing imports). */
export { failureReason } from '../../../components/failure/failure';

interface Notice {
  variant: 'success' | 'danger';
  title: string;
}

export function ClassifyFailuresTab({ run, base }: { run: Run; base: string }) {
  const [includeSkips, setIncludeSkips] = useState(false);
  const paging = useLocalPaging();
  const [selected, setSelected] = useState<Map<string, Result>>(new Map());
  // Every failure matching the filters, on every page: classified by filter.
  const [allMatching, setAllMatching] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const filters = [...runResultFilters(run), `result*failed;error${includeSkips ? ';skipped;xfailed' : ''}`];
  const { data, error, loading, reload } = useApi<{ results: Result[]; pagination: Pagination }>('result', {
    query: { filter: filters, page: paging.page, pageSize: paging.pageSize, sort: 'test_id' },
  });
  const rows = data?.results ?? [];
  const total = data?.pagination ? data.pagination.totalItems : null;
  const selectedCount = allMatching ? (total ?? 0) : selected.size;
  const classifyText = selectedCount ? `Classify ${allMatching ? 'all ' : ''}${selectedCount} selected` : 'Classify selected';

  useEffect(() => {
    setSelected(new Map());
    setAllMatching(false);
  }, [includeSkips]);

  const isSelected = (r: Result) => allMatching || selected.has(r.id);
  const toggle = (r: Result, on: boolean) => {
    // Leaving "all matching" for one row keeps the rest of the page selected.
    const next = allMatching ? new Map(rows.map((x) => [x.id, x])) : new Map(selected);
    setAllMatching(false);
    if (on) next.set(r.id, r);
    else next.delete(r.id);
    setSelected(next);
  };
  const allOnPage = rows.length > 0 && rows.every(isSelected);
  const selectPage = (on: boolean) => {
    const next = allMatching ? new Map<string, Result>() : new Map(selected);
    setAllMatching(false);
    rows.forEach((r) => (on ? next.set(r.id, r) : next.delete(r.id)));
    setSelected(next);
  };
  const selectNone = () => {
    setAllMatching(false);
    setSelected(new Map());
  };

  const classify = async (value: string) => {
    const ids = [...selected.keys()];
    if (!allMatching && !ids.length) return;
    setBusy(true);
    setNotice(null);
    try {
      let n = ids.length;
      if (allMatching) {
        const res = await api<ResultBulkUpdateResponse>('results/bulk-update', {
          method: 'POST',
          body: { filter: filters, metadata: { classification: value } },
        });
        n = res.updated;
      } else {
        for (let i = 0; i < ids.length; i += MAX_BULK) {
          await api<ResultBulkUpdateResponse>('results/bulk-update', {
            method: 'POST',
            body: { ids: ids.slice(i, i + MAX_BULK), metadata: { classification: value } },
          });
        }
      }
      setNotice({ variant: 'success', title: `Classified ${n} ${n === 1 ? 'result' : 'results'} as ${classificationLabel(value)}` });
      selectNone();
      reload();
    } catch (e) {
      setNotice({ variant: 'danger', title: `Classification failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {notice && (
        <Alert
          isInline
          variant={notice.variant}
          title={notice.title}
          actionClose={<AlertActionCloseButton onClose={() => setNotice(null)} />}
          style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}
          data-testid="classify-notice"
        />
      )}
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <BulkSelect
              pageCount={rows.length}
              total={total}
              selectedCount={selectedCount}
              allMatching={allMatching}
              maxAll={MAX_BULK_BY_FILTER}
              onSelectNone={selectNone}
              onSelectPage={() => selectPage(true)}
              onSelectAll={() => {
                setSelected(new Map());
                setAllMatching(true);
              }}
            />
          </ToolbarItem>
          <ToolbarItem>
            <ClassificationMenu
              variant="primary"
              toggleText={classifyText}
              // The accessible name starts with the visible text (WCAG 2.5.3).
              ariaLabel={`${classifyText} failures`}
              isDisabled={!selectedCount}
              busy={busy}
              onSelect={classify}
              testId="classify-selected"
            />
          </ToolbarItem>
          <ToolbarItem alignSelf="center">
            <Checkbox
              id="include-skips"
              label="Include skips and xfails"
              isChecked={includeSkips}
              onChange={(_e, v) => {
                setIncludeSkips(v);
                paging.update({ page: 1 });
              }}
            />
          </ToolbarItem>
          {allMatching && (
            <ToolbarItem alignSelf="center">
              <span className="ibutsu-subtle" data-testid="all-matching-note">
                All {total} matching failures are selected, on every page.
              </span>
            </ToolbarItem>
          )}
          <PaginationToolbarItem>
            <PagedListPagination list={paging} info={data?.pagination} itemsTitle="failures" />
          </PaginationToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <DataTable
        label="Failures of this run"
        columns={[
          {
            'aria-label': 'Select all failures on this page',
            select: { onSelect: (_e, on) => selectPage(on), isSelected: allOnPage, isHeaderSelectDisabled: !rows.length },
          },
          'Test',
          'Result',
          'Reason',
          'Classification',
          'Duration',
        ]}
      >
        <TableState
          colSpan={6}
          loading={loading}
          error={error}
          onRetry={reload}
          empty={!rows.length}
          emptyTitle="No failures to classify"
          emptyBody="Every result of this run passed or was skipped."
        >
          <Tbody>
            {rows.map((r, i) => (
              <Tr key={r.id} data-testid={`failure-row-${r.test_id}`}>
                <Td select={{ rowIndex: i, onSelect: (_e, on) => toggle(r, on), isSelected: isSelected(r) }} />
                <Td dataLabel="Test" className="ibutsu-break">
                  <Link to={`${base}/results/${r.id}`}>{r.test_id}</Link>
                </Td>
                <Td dataLabel="Result">
                  <StatusLabel status={r.result} />
                </Td>
                <Td dataLabel="Reason" className="ibutsu-break">
                  <FailureReason result={r} />
                </Td>
                <Td dataLabel="Classification">
                  <ClassificationDropdown
                    result={r}
                    onSaved={() => setNotice(null)}
                    onError={(e) => setNotice({ variant: 'danger', title: `Saving the classification failed: ${e instanceof Error ? e.message : String(e)}` })}
                  />
                </Td>
                <Td dataLabel="Duration">{formatDuration(r.duration)}</Td>
              </Tr>
            ))}
          </Tbody>
        </TableState>
      </DataTable>
      <PagedListPagination list={paging} info={data?.pagination} variant="bottom" itemsTitle="failures" />
    </>
  );
}
