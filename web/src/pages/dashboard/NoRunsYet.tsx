// A new project's dashboard: its seeded widgets have nothing to show until
// results arrive, so say how to get some there (the import dialog, opened
// for this project, or a test client) instead of leaving "No data" unexplained.
import { Alert, AlertActionLink } from '@patternfly/react-core';
import { useApi } from '../../api/useApi';
import type { Pagination } from '../../api/types';
import { useOpenImport } from '../import/importLauncher';

export function NoRunsYet({ projectId }: { projectId: string }) {
  const openImport = useOpenImport();
  const runs = useApi<{ pagination: Pagination }>('run', { query: { filter: [`project_id=${projectId}`], pageSize: 1 } });
  if (runs.data?.pagination.totalItems !== 0) return null;
  return (
    <Alert
      variant="info"
      isInline
      title="This project has no test runs yet"
      data-testid="no-runs-yet"
      style={{ marginTop: 'var(--pf-t--global--spacer--sm)' }}
      actionLinks={openImport && <AlertActionLink onClick={() => openImport(projectId)}>Import test results</AlertActionLink>}
    >
      Import a JUnit XML report or an Ibutsu archive, or send results from pytest with the pytest-ibutsu plugin; the widgets below fill in as runs arrive.
    </Alert>
  );
}
