// "/" without a project: the user's projects as cards, each opening the
// project's dashboard. A member of exactly one project has nothing to choose
// and goes straight into it; superadmins see every project, not only their
// own, so they always get the picker.
import { Link, Navigate } from 'react-router-dom';
import { Card, CardBody, CardFooter, CardTitle, Content, Gallery, PageSection, Title } from '@patternfly/react-core';
import { ArrowRightIcon } from '@patternfly/react-icons';
import { useApi } from '../../api/useApi';
import type { Project } from '../../api/types';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useAuth } from '../../auth/AuthContext';

export function ProjectPicker() {
  const { data, error, loading, reload } = useApi<{ projects: Project[]; pagination?: { totalItems: number } }>('project', { query: { pageSize: 100 } });
  const { user } = useAuth();
  const projects = [...(data?.projects ?? [])].sort((a, b) => (a.title || a.name).localeCompare(b.title || b.name));
  if (user && !user.is_superadmin && data && projects.length === 1) return <Navigate to={`/project/${projects[0].id}/dashboard`} replace />;
  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Dashboard</Title>
        <Content component="p">Choose a project to see its dashboards, or pick one in the project selector above.</Content>
      </PageSection>
      <PageSection>
        {loading && !data ? (
          <Loading label="Loading projects" />
        ) : error ? (
          <ErrorState error={error} onRetry={reload} />
        ) : projects.length === 0 ? (
          <Empty title="No projects yet">
            You are not a member of any project. Ask an administrator to add you to one, or import test results to create one.
          </Empty>
        ) : (
          <Gallery hasGutter minWidths={{ default: '16rem' }} component="ul" aria-label="Projects" style={{ listStyle: 'none', padding: 0 }}>
            {projects.map((p) => (
              <Card key={p.id} component="li" isCompact data-testid="project-card">
                <CardTitle>
                  <Title headingLevel="h2" size="lg">
                    <Link to={`/project/${p.id}/dashboard`}>{p.title || p.name}</Link>
                  </Title>
                </CardTitle>
                <CardBody>
                  <Content component="small" className="ibutsu-mono">
                    {p.name}
                  </Content>
                </CardBody>
                <CardFooter>
                  <Link to={`/project/${p.id}/runs`} aria-label={`Test runs of ${p.title || p.name}`}>
                    Test runs <ArrowRightIcon />
                  </Link>
                </CardFooter>
              </Card>
            ))}
          </Gallery>
        )}
      </PageSection>
    </>
  );
}
