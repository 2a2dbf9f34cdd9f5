// What a page inside /project/<id>/ shows when that id names no project the
// user can see (a stale bookmark, a typo, a project they were removed from):
// say so, instead of letting the page answer "No runs found".
import { Link, Outlet } from 'react-router-dom';
import { EmptyState, EmptyStateBody, PageSection } from '@patternfly/react-core';
import { useProject } from '../project';

export function ProjectNotFound({ projectId }: { projectId: string | null }) {
  return (
    <PageSection>
      <EmptyState titleText="Project not found" headingLevel="h1">
        <EmptyStateBody>
          There is no project <code className="ibutsu-mono">{projectId}</code>, or you are not a member of it. <Link to="/">Choose a project</Link>.
        </EmptyStateBody>
      </EmptyState>
    </PageSection>
  );
}

/** The routed page, or "Project not found" when the URL's project does not exist for the user. */
export function ProjectOutlet() {
  const { notFound, projectId } = useProject();
  return notFound ? <ProjectNotFound projectId={projectId} /> : <Outlet />;
}
