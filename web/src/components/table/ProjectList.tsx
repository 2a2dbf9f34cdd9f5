// What the project-scoped list pages (test runs, test results) share: the
// URL list state and the API query built from it, and the heading with the
// filter builder above the table.
import { Content, PageSection, Title } from '@patternfly/react-core';
import { useAuth } from '../../auth/AuthContext';
import { useProject } from '../../project';
import { FilterBuilder } from '../filter/FilterBuilder';
import { SearchBox } from '../filter/SearchBox';
import { type FieldDef, serializeSort, type SortKey } from '../filter/filters';
import { useListState } from './listState';
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
  return (
    <PageSection>
      <Title headingLevel="h1">{title}</Title>
      <Content component="p">{project ? `${noun} of ${project.title || project.name}` : `${noun} of all your projects`}</Content>
    </PageSection>
  );
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
