// A project's flaky tests (GET /api/flaky, docs/triage.md#flaky-tests):
// highest score first, with why each is flaky; expanding a row lists the
// results that made it flaky, linked to them and their runs.
import { Link } from 'react-router-dom';
import { Content, PageSection, Title, Toolbar, ToolbarContent } from '@patternfly/react-core';
import { Table, Tbody, Td, Tr } from '@patternfly/react-table';
import { DataTable, TableHead } from '../../components/table/DataTable';
import { useApi } from '../../api/useApi';
import type { FlakyTest, ListPagination as PageInfo } from '../../api/types';
import { useProject } from '../../project';
import { ProjectNotFound } from '../../components/ProjectNotFound';
import { StatusLabel } from '../../components/StatusLabel';
import { TableState } from '../../components/table/TableState';
import { ExpandableRows, useOpenRows } from '../../components/table/ExpandableRows';
import { PagedListPagination, PaginationToolbarItem, useLocalPaging } from '../../components/table/ListPagination';
import { formatDate } from '../../components/format';
import { RelativeTimeCell } from '../../components/table/RelativeTimeCell';
import { evidenceKind, reasonText, share, whereText } from './flaky';

const COLUMNS = 9;

export function FlakyTestsPage() {
  const { projectId, project, base, notFound } = useProject();
  const paging = useLocalPaging(25);
  const { data, error, loading, reload } = useApi<{ flaky: FlakyTest[]; pagination: PageInfo }>(projectId ? 'flaky' : null, {
    query: { project: projectId ?? '', page: paging.page, pageSize: paging.pageSize },
  });
  const openRows = useOpenRows();
  if (notFound) return <ProjectNotFound projectId={projectId} />;
  const rows = data?.flaky ?? [];
  const now = Date.now();

  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Flaky tests</Title>
        <Content component="p">
          {project ? `Tests of ${project.title || project.name}` : 'Tests'} that passed and failed in one run or Jenkins build, or whose outcome flipped often
          over their last runs. Highest score first.
        </Content>
      </PageSection>
      <PageSection>
        <Toolbar>
          <ToolbarContent>
            <PaginationToolbarItem>
              {rows.length > 0 && <PagedListPagination list={paging} info={data?.pagination} variant="top" itemsTitle="flaky tests" />}
            </PaginationToolbarItem>
          </ToolbarContent>
        </Toolbar>
        <div style={{ overflowX: 'auto' }}>
          <DataTable
            label="Flaky tests"
            data-testid="flaky-table"
            columns={[
              { screenReaderText: 'Show evidence' },
              { title: 'Test', width: 30 },
              { title: 'Component · env', modifier: 'wrap' },
              { title: 'Job', modifier: 'wrap' },
              { title: 'Score', modifier: 'wrap', info: { tooltip: 'min(1, flip rate + retries ÷ runs): the order of this list' } },
              { title: 'Flip rate', modifier: 'wrap', info: { tooltip: 'Outcome changes per pair of consecutive runs, over the last runs' } },
              { title: 'Why', modifier: 'wrap' },
              { title: 'First flake', modifier: 'wrap' },
              { title: 'Last flake', modifier: 'wrap' },
            ]}
          >
            <TableState
              colSpan={COLUMNS}
              loading={loading && !data}
              error={error}
              onRetry={reload}
              empty={!rows.length}
              emptyTitle="No flaky tests"
              emptyBody="No test of this project passed and failed in one run or build, or flipped often, in its detection window."
            >
              <ExpandableRows
                rows={rows}
                rowKey={(t) => t.id}
                idPrefix="flaky"
                colSpan={COLUMNS}
                {...openRows}
                cells={(t) => (
                  <>
                    <Td dataLabel="Test" className="ibutsu-break">
                      <Link to={`${base}/results?filter=test_id=${encodeURIComponent(t.test_id)}`}>{t.test_id}</Link>
                    </Td>
                    <Td dataLabel="Component · env">{whereText(t)}</Td>
                    <Td dataLabel="Job">{t.job || '–'}</Td>
                    <Td dataLabel="Score" data-testid="flaky-score">
                      {share(t.score)}
                    </Td>
                    <Td dataLabel="Flip rate">{share(t.flip_rate)}</Td>
                    <Td dataLabel="Why">{reasonText(t)}</Td>
                    <RelativeTimeCell dataLabel="First flake" iso={t.first_flake} now={now} />
                    <RelativeTimeCell dataLabel="Last flake" iso={t.last_flake} now={now} />
                  </>
                )}
                detail={(t, i) => (
                  <Table aria-label={`Evidence of ${t.test_id}`} variant="compact" borders={false} data-testid={`flaky-evidence-${i}`}>
                    <TableHead columns={['Evidence', 'Result', 'Run', 'Build', 'Started']} />
                    <Tbody>
                      {(t.evidence ?? []).map((e) => (
                        <Tr key={e.result_id}>
                          <Td dataLabel="Evidence">{evidenceKind[e.kind] ?? e.kind}</Td>
                          <Td dataLabel="Result">
                            <Link to={`${base}/results/${e.result_id}`} aria-label={`Result ${e.result}, ${formatDate(e.start_time)}`}>
                              <StatusLabel status={e.result} />
                            </Link>
                          </Td>
                          <Td dataLabel="Run">{e.run_id ? <Link to={`${base}/runs/${e.run_id}`}>{e.run_id.slice(0, 8)}</Link> : '–'}</Td>
                          <Td dataLabel="Build">{e.build ?? '–'}</Td>
                          <Td dataLabel="Started">{formatDate(e.start_time)}</Td>
                        </Tr>
                      ))}
                    </Tbody>
                  </Table>
                )}
              />
            </TableState>
          </DataTable>
        </div>
        {rows.length > 0 && <PagedListPagination list={paging} info={data?.pagination} variant="bottom" itemsTitle="flaky tests" />}
      </PageSection>
    </>
  );
}
