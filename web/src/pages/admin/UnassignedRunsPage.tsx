// Admin → Unassigned runs: runs that belong to no project (an import sent
// without one, a run of a deleted project) show in no project's lists.
// Superadmins find them here and move the selected ones into a project; the
// server moves each run's results with it.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Content, PageSection, Pagination, Title, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { Tbody, Td, Tr } from '@patternfly/react-table';
import { DataTable } from '../../components/table/DataTable';
import { useApi } from '../../api/useApi';
import type { Pagination as Pag, Run } from '../../api/types';
import { projectOption, searchProjects } from '../../components/ProjectSelector';
import { Empty, ErrorState, Loading } from '../../components/states';
import { formatDate } from '../../components/format';
import { toggled } from '../../components/sets';
import { type AsyncOption, AsyncSelect } from '../../components/typeahead/AsyncSelect';
import { AdminGuard } from './AdminGuard';
import { describeMove, moveRuns, UNASSIGNED_FILTER } from './unassigned';

export function UnassignedRunsPage() {
  return (
    <AdminGuard>
      <UnassignedRuns />
    </AdminGuard>
  );
}

const PAGE_SIZE = 50;

const loadProjects = async (text: string, signal: AbortSignal): Promise<AsyncOption[]> => (await searchProjects(text, signal)).map(projectOption);

function UnassignedRuns() {
  const [page, setPage] = useState(1);
  const { data, error, loading, reload } = useApi<{ runs: Run[]; pagination: Pag }>('run', {
    query: { filter: [UNASSIGNED_FILTER], page, pageSize: PAGE_SIZE },
  });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState<AsyncOption | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string; projectId: string } | null>(null);
  const runs = data?.runs ?? [];
  const allChecked = runs.length > 0 && runs.every((r) => selected.has(r.id));

  const toggle = (id: string, on: boolean) => setSelected((old) => toggled(old, id, on));

  const move = async () => {
    if (!target || selected.size === 0) return;
    setBusy(true);
    const outcome = await moveRuns([...selected], target.value);
    setNotice({ ok: outcome.failed.length === 0, text: describeMove(outcome, target.label), projectId: target.value });
    setSelected(new Set(outcome.failed.map((f) => f.id)));
    setBusy(false);
    reload();
  };

  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Unassigned runs</Title>
        <Content component="p">
          Runs without a project (imported without one, or left by a deleted project) appear in no project’s lists. Move them into a project: their results move
          with them.
        </Content>
      </PageSection>
      <PageSection>
        {runs.length > 0 && (
          <Toolbar>
            <ToolbarContent>
              <ToolbarItem style={{ minWidth: '18rem' }}>
                <AsyncSelect
                  id="rehome-project"
                  aria-label="Target project"
                  toggleLabel="Target project suggestions"
                  clearLabel="Clear target project"
                  placeholder="Choose a project"
                  emptyText="No projects found"
                  selected={target}
                  onSelect={setTarget}
                  load={loadProjects}
                  clearable
                />
              </ToolbarItem>
              <ToolbarItem>
                <Button variant="primary" onClick={move} isLoading={busy} isDisabled={busy || !target || selected.size === 0}>
                  {`Move ${selected.size} selected run${selected.size === 1 ? '' : 's'}`}
                </Button>
              </ToolbarItem>
              <ToolbarItem alignSelf="center">
                <Content component="small">
                  {!target ? 'Choose the target project' : selected.size === 0 ? 'Select the runs to move' : `Into ${target.label}`}
                </Content>
              </ToolbarItem>
            </ToolbarContent>
          </Toolbar>
        )}
        {notice && (
          <Alert
            isInline
            variant={notice.ok ? 'success' : 'warning'}
            title={notice.text}
            data-testid="rehome-notice"
            style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}
          >
            <Link to={`/project/${notice.projectId}/runs`}>Open the project’s runs</Link>
          </Alert>
        )}
        {loading && !data ? (
          <Loading label="Loading unassigned runs" />
        ) : error ? (
          <ErrorState error={error} onRetry={reload} />
        ) : runs.length === 0 ? (
          <Empty title="No unassigned runs">Every run belongs to a project.</Empty>
        ) : (
          <>
            <DataTable
              label="Unassigned runs"
              columns={[
                {
                  select: { onSelect: (_e, on) => setSelected(on ? new Set(runs.map((r) => r.id)) : new Set()), isSelected: allChecked },
                  'aria-label': 'Select all runs on this page',
                },
                'Run',
                'Started',
                'Source',
                'Component',
                'Environment',
                'Tests',
                'Failed',
              ]}
            >
              <Tbody>
                {runs.map((r, i) => (
                  <Tr key={r.id}>
                    <Td select={{ rowIndex: i, onSelect: (_e, on) => toggle(r.id, on), isSelected: selected.has(r.id) }} aria-label={`Select run ${r.id}`} />
                    <Td dataLabel="Run">
                      <Link to={`/runs/${r.id}`} className="ibutsu-mono">
                        {r.id.slice(0, 8)}
                      </Link>
                    </Td>
                    <Td dataLabel="Started">{formatDate(r.start_time)}</Td>
                    <Td dataLabel="Source">{r.source || '–'}</Td>
                    <Td dataLabel="Component">{r.component || '–'}</Td>
                    <Td dataLabel="Environment">{r.env || '–'}</Td>
                    <Td dataLabel="Tests">{r.summary?.tests ?? '–'}</Td>
                    <Td dataLabel="Failed">{(r.summary?.failures ?? 0) + (r.summary?.errors ?? 0)}</Td>
                  </Tr>
                ))}
              </Tbody>
            </DataTable>
            <Pagination
              itemCount={data?.pagination.totalItems ?? runs.length}
              perPage={PAGE_SIZE}
              page={page}
              onSetPage={(_e, p) => setPage(p)}
              perPageOptions={[]}
              variant="bottom"
              isCompact
            />
          </>
        )}
      </PageSection>
    </>
  );
}
