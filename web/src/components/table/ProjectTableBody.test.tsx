import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Table, Tbody, Td, Tr } from '@patternfly/react-table';
import { MemoryRouter } from 'react-router-dom';
import { ApiError } from '../../api/client';
import type { Project } from '../../api/types';
import { ProjectTableBody } from './ProjectTableBody';

let projects: Project[] = [];
const api = vi.hoisted(() => vi.fn());
vi.mock('../../api/client', async (orig) => ({ ...(await orig<typeof import('../../api/client')>()), api }));
api.mockImplementation(async () => ({ projects }));

afterEach(cleanup);

function show(over: Partial<React.ComponentProps<typeof ProjectTableBody>> = {}) {
  return render(
    <MemoryRouter>
      <Table aria-label="Things">
        <ProjectTableBody
          colSpan={2}
          noun="runs"
          loading={false}
          error={null}
          onRetry={() => undefined}
          isEmpty={false}
          emptyTitle="No runs found"
          emptyBody="Upload some."
          {...over}
        >
          <Tbody>
            <Tr>
              <Td>row one</Td>
            </Tr>
          </Tbody>
        </ProjectTableBody>
      </Table>
    </MemoryRouter>,
  );
}

describe('ProjectTableBody', () => {
  it('shows the rows when there is nothing to report', () => {
    show();
    expect(screen.getByText('row one')).toBeInTheDocument();
  });

  it('asks for a project when none is chosen or the server wants one', () => {
    show({ chooseProject: true });
    expect(screen.getByText('Choose a project')).toBeInTheDocument();
    expect(screen.getByText(/Select a project in the masthead to see its runs/)).toBeInTheDocument();
    cleanup();
    show({ error: new ApiError(400, 'a project_id filter is required', null) });
    expect(screen.getByText('Choose a project')).toBeInTheDocument();
  });

  it('links the chooser to the first projects the user can see, by title', async () => {
    projects = [{ id: 'p2', name: 'beta', title: 'Beta QE' } as Project, { id: 'p1', name: 'alpha', title: '' } as Project];
    show({ chooseProject: true });
    const links = await screen.findAllByRole('link');
    expect(links.map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['alpha', '/project/p1/runs'],
      ['Beta QE', '/project/p2/runs'],
    ]);
    expect(api).toHaveBeenCalledWith('project', expect.objectContaining({ query: { pageSize: 8 } }));
    projects = [];
  });

  it('shows loading, then errors with a retry, then the empty state', async () => {
    show({ loading: true });
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
    expect(screen.queryByText('row one')).toBeNull();
    cleanup();
    const onRetry = vi.fn();
    show({ error: new ApiError(500, 'boom', null), onRetry });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalled();
    cleanup();
    show({ isEmpty: true });
    expect(screen.getByText('No runs found')).toBeInTheDocument();
    expect(screen.getByText('Upload some.')).toBeInTheDocument();
  });
});
