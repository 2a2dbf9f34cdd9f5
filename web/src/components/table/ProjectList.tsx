// What the project-scoped list pages (test runs, test results) share: the
// URL list state and the API query built from it, and the page: the heading,
// the filter builder above the table, and the paginated, sortable table.
import { PageSection, Toolbar, ToolbarContent } from '@patternfly/react-core';
import { Table } from '@patternfly/react-table';
import type { ApiState } from '../../api/useApi';
import type { ListPagination as PageInfo } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useProject } from '../../project';
import { PageHeading } from '../PageHeading';
import { FilterBuilder } from '../filter/FilterBuilder';
import { SearchBox } from '../filter/SearchBox';
import { type FieldDef, serializeSort, type SortKey } from '../filter/filters';
import { PagedListPagination, PaginationToolbarItem } from './ListPagination';
import { useListState } from './listState';
import { ProjectTableBody } from './ProjectTableBody';
import { type ListColumn, SortableHeader } from './SortableHeader';
import { apiFilters } from './query';

export type ProjectListState = ReturnType<typeof useListState>;

/** What makes one project list page: what it lists, its filters and its columns. */
export interface ProjectListSpec {
  /**
   * "runs": the page is "Test Runs" with "Runs of <project>" under it, the
   * table "Test runs" (test id runs-table); the paginations count runs, and
   * the empty state says "No runs found".
   */
  noun: string;
  fields: FieldDef[];
  /** The free-text search above the filter builder. */
  search: { field: string; label: string; hint: string };
  columns: ListColumn[];
}

/** Both lists show the newest first (a constant: the list state memoises on it). */
const NEWEST_FIRST: SortKey = { field: 'start_time', desc: true };

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A project list page's state: the list state of the URL, the API query for
 * it (the page's project added to the filters; estimated totals) and whether
 * a project must be chosen first (no project in the URL, and the user is a
 * superadmin or unknown).
 */
export function useProjectList(spec: ProjectListSpec) {
  const { projectId } = useProject();
  const list = useListState(NEWEST_FIRST);
  const { user } = useAuth();
  const chooseProject = !projectId && (!user || user.is_superadmin);
  const query = {
    filter: apiFilters(list.filters, projectId),
    sort: serializeSort(list.sort) || undefined,
    page: list.page,
    pageSize: list.pageSize,
    estimate: true,
  };
  return { spec, list, query, chooseProject };
}

export type ProjectListPageState = ReturnType<typeof useProjectList>;

/** The page heading ("<noun> of <project>", "of all your projects", or "of one project at a time" when one must be chosen) in its own section. */
function ProjectListHeading({ title, noun, chooseProject }: { title: string; noun: string; chooseProject?: boolean }) {
  const { project } = useProject();
  // A superadmin without a project sees no list (the table asks for a
  // project), so "of all your projects" would promise what is not there.
  const what = project ? `${noun} of ${project.title || project.name}` : chooseProject ? `${noun} of one project at a time` : `${noun} of all your projects`;
  return <PageHeading title={title}>{what}</PageHeading>;
}

/** The filter builder wired to the URL list state (the page's project filter hidden), with an optional free-text search above it. */
function ProjectListFilters({ list, fields, search }: { list: ProjectListState; fields: FieldDef[]; search?: { field: string; label: string; hint: string } }) {
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

interface ProjectListPageProps {
  page: ProjectListPageState;
  /** The page's request (useApi): its state row until it has answered. */
  api: ApiState<{ pagination?: PageInfo }>;
  /** How many rows this page has (the paginations show only with rows). */
  rowCount: number;
  /** Toolbar items before the top pagination. */
  toolbar?: React.ReactNode;
  /** The empty state's text with filters and without. */
  empty: { filtered: string; none: string };
  /** The Tbody with the rows. */
  children: React.ReactNode;
}

/**
 * A project list page: the heading, the search and filter builder, a toolbar
 * ending in the top pagination, the sortable table (scrolling sideways) with
 * its state row or rows, and the bottom pagination.
 */
export function ProjectListPage({ page: { spec, list, chooseProject }, api, rowCount, toolbar, empty, children }: ProjectListPageProps) {
  const { columns, noun } = spec;
  const heading = capitalized(noun);
  const pagination = (variant: 'top' | 'bottom') => <PagedListPagination list={list} info={api.data?.pagination} variant={variant} itemsTitle={noun} />;
  return (
    <>
      <ProjectListHeading title={`Test ${heading}`} noun={heading} chooseProject={chooseProject} />
      <PageSection>
        <ProjectListFilters list={list} fields={spec.fields} search={spec.search} />
        <Toolbar>
          <ToolbarContent>
            {toolbar}
            <PaginationToolbarItem>{rowCount > 0 && pagination('top')}</PaginationToolbarItem>
          </ToolbarContent>
        </Toolbar>
        <div style={{ overflowX: 'auto' }}>
          <Table aria-label={`Test ${noun}`} variant="compact" data-testid={`${noun}-table`}>
            <SortableHeader columns={columns} sort={list.sort} onSort={(sort) => list.update({ sort })} />
            <ProjectTableBody
              colSpan={columns.length}
              chooseProject={chooseProject}
              noun={noun}
              loading={api.loading && !api.data}
              error={api.error}
              onRetry={api.reload}
              isEmpty={rowCount === 0}
              emptyTitle={`No ${noun} found`}
              emptyBody={list.filters.length ? empty.filtered : empty.none}
            >
              {children}
            </ProjectTableBody>
          </Table>
        </div>
        {rowCount > 0 && pagination('bottom')}
      </PageSection>
    </>
  );
}
