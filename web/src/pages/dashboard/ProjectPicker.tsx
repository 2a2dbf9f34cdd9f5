// "/" without a project: the user's projects as cards, each opening the
// project's dashboard. A member of exactly one project has nothing to choose
// and goes straight into it; superadmins see every project, not only their
// own, so they always get the picker. Without any project the empty state
// offers what a newcomer needs: create one (any signed-in user may) or
// import test results, choosing or creating the project in the dialog.
import { useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router-dom';
import { Button, Card, CardBody, CardFooter, CardTitle, Content, Flex, FlexItem, Gallery, PageSection, Title } from '@patternfly/react-core';
import { ArrowRightIcon, CubesIcon, PlusCircleIcon, UploadIcon } from '@patternfly/react-icons';
import { useApi } from '../../api/useApi';
import type { Project } from '../../api/types';
import { ActionEmptyState, ErrorState, Loading } from '../../components/states';
import { useAuth } from '../../auth/AuthContext';
import { useOpenImport } from '../import/importLauncher';
import { CreateProjectModal } from '../projects/CreateProjectModal';

export function ProjectPicker() {
  const { data, error, loading, reload } = useApi<{ projects: Project[]; pagination?: { totalItems: number } }>('project', { query: { pageSize: 100 } });
  const { user } = useAuth();
  const navigate = useNavigate();
  const openImport = useOpenImport();
  const [creating, setCreating] = useState(false);
  const projects = [...(data?.projects ?? [])].sort((a, b) => (a.title || a.name).localeCompare(b.title || b.name));
  if (user && !user.is_superadmin && data && projects.length === 1) return <Navigate to={`/project/${projects[0].id}/dashboard`} replace />;
  return (
    <>
      {creating && <CreateProjectModal onClose={() => setCreating(false)} onCreated={(p) => navigate(`/project/${p.id}/dashboard`)} />}
      <PageSection>
        <Flex justifyContent={{ default: 'justifyContentSpaceBetween' }} alignItems={{ default: 'alignItemsCenter' }}>
          <FlexItem>
            <Title headingLevel="h1">Dashboard</Title>
            <Content component="p">Choose a project to see its dashboards, or pick one in the project selector above.</Content>
          </FlexItem>
          {projects.length > 0 && (
            <FlexItem>
              <Button variant="secondary" icon={<PlusCircleIcon />} onClick={() => setCreating(true)}>
                Create a project
              </Button>
            </FlexItem>
          )}
        </Flex>
      </PageSection>
      <PageSection>
        {loading && !data ? (
          <Loading label="Loading projects" />
        ) : error ? (
          <ErrorState error={error} onRetry={reload} />
        ) : projects.length === 0 ? (
          <ActionEmptyState
            title="No projects yet"
            icon={CubesIcon}
            data-testid="no-projects"
            actions={
              <>
                <Button variant="primary" icon={<PlusCircleIcon />} onClick={() => setCreating(true)}>
                  Create a project
                </Button>
                {openImport && (
                  <Button variant="secondary" icon={<UploadIcon />} onClick={() => openImport()}>
                    Import test results
                  </Button>
                )}
              </>
            }
          >
            Test runs, results and dashboards live in a project. Create one now (you become its owner), or import a JUnit XML report or Ibutsu archive and
            create the project in the import dialog. To join an existing project, ask its owner or an administrator to add you.
          </ActionEmptyState>
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
