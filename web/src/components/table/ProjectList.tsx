// What the project-scoped list pages (test runs, test results) share: the
// URL list state and the API query built from it, the heading with the
// filter builder above the table, and the paginated, sortable table.
import { Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { Table } from '@patternfly/react-table';
import type { ApiState } from '../../api/useApi';
import type { ListPagination as PageInfo } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useProject } from '../../project';
import { PageHeading } from '../PageHeading';
import { FilterBuilder } from '../filter/FilterBuilder';
import { SearchBox } from '../filter/SearchBox';
import { type FieldDef, serializeSort, type SortKey } from '../filter/filters';
import { PagedListPagination } from './ListPagination';
import { useListState } from './listState';
import { ProjectTableBody } from './ProjectTableBody';
import { type ListColumn, SortableHeader } from './SortableHeader';
import { apiFilters } from './query';

export type ProjectListState = ReturnType<typeof useListState>;

/**
 * The list state of the URL, the API query for it (the page's project added
 * to the filters; estimated totals) and whether a project must be chosen
 * first (no project in the URL, and the user is a superadmin or unknown).
 */
export function useProjectList(defaultSort: SortKey) {
  const { projectId } = useProject();
  const list = useListState(defaultSort);
  const { user } = useAuth();
  const chooseProject = !projectId && (!user || user.is_superadmin);
  const query = {
    filter: apiFilters(list.filters, projectId),
    sort: serializeSort(list.sort) || undefined,
    page: list.page,
    pageSize: list.pageSize,
    estimate: true,
  };
  return { list, query, chooseProject };
}

/** The page heading ("<noun> of <project>") in its own section. */
export function ProjectListHeading({ title, noun }: { title: string; noun: string }) {
  const { project } = useProject();
  return <PageHeading title={title}>{project ? `${noun} of ${project.title || project.name}` : `${noun} of all your projects`}</PageHeading>;
}

/** The filter builder wired to the URL list state (the page's project filter hidden), with an optional free-text search above it. */
export function ProjectListFilters({
  list,
  fields,
  search,
}: {
  list: ProjectListState;
  fields: FieldDef[];
  search?: { field: string; label: string; hint: string };
}) {
  const { projectId } = useProject();
  return (
    <>
      {search && (
        <div style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}>
          <SearchBox {...search} filters={list.filters} onChange={(filters) => list.update({ filters })} />
        </div>
      )}
      <FilterBuilder
        fields={fields}
        filters={list.filters}
        onChange={(filters) => list.update({ filters })}
        projectId={projectId}
        hiddenFields={projectId ? ['project_id'] : []}
      />
    </>
  );
}

interface ProjectListTableProps {
  list: ProjectListState;
  columns: ListColumn[];
  /** The page's request (useApi): its state row until it has answered. */
  api: ApiState<{ pagination?: PageInfo }>;
  /** How many rows this page has (the paginations show only with rows). */
  rowCount: number;
  /** No project is chosen and the user may see several. */
  chooseProject?: boolean;
  /** "runs", "results": the paginations' items and the choose-a-project text. */
  noun: string;
  /** The table's accessible name and test id. */
  label: string;
  testId: string;
  /** Toolbar items before the top pagination. */
  toolbar?: React.ReactNode;
  emptyTitle: string;
  emptyBody: string;
  /** The Tbody with the rows. */
  children: React.ReactNode;
}

/**
 * A project list's table: a toolbar ending in the top pagination, the
 * sortable table (scrolling sideways) with its state row or rows, and the
 * bottom pagination.
 */
export function ProjectListTable({
  list,
  columns,
  api,
  rowCount,
  chooseProject,
  noun,
  label,
  testId,
  toolbar,
  emptyTitle,
  emptyBody,
  children,
}: ProjectListTableProps) {
  const pagination = (variant: 'top' | 'bottom') => <PagedListPagination list={list} info={api.data?.pagination} variant={variant} itemsTitle={noun} />;
  return (
    <>
      <Toolbar>
        <ToolbarContent>
          {toolbar}
          <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
            {rowCount > 0 && pagination('top')}
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <div style={{ overflowX: 'auto' }}>
        <Table aria-label={label} variant="compact" data-testid={testId}>
          <SortableHeader columns={columns} sort={list.sort} onSort={(sort) => list.update({ sort })} />
          <ProjectTableBody
            colSpan={columns.length}
            chooseProject={chooseProject}
            noun={noun}
            loading={api.loading && !api.data}
            error={api.error}
            onRetry={api.reload}
            isEmpty={rowCount === 0}
            emptyTitle={emptyTitle}
            emptyBody={emptyBody}
          >
            {children}
          </ProjectTableBody>
        </Table>
      </div>
      {rowCount > 0 && pagination('bottom')}
    </>
  );
}
