import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Link, MemoryRouter, Route, Routes } from 'react-router-dom';
import { ProjectOutlet } from './components/ProjectNotFound';
import { ProjectProvider, rememberedProject, rememberProject, useProject } from './project';

const calls: string[] = [];
vi.mock('./api/client', async (orig) => {
  const mod = await orig<typeof import('./api/client')>();
  return {
    ...mod,
    api: vi.fn(async (path: string) => {
      calls.push(path);
      if (path === 'project/p1') return { id: 'p1', name: 'alpha', title: 'Alpha Project' };
      throw new mod.ApiError(404, 'Project not found', 'Project not found');
    }),
  };
});

/** Shows what the shell knows about the project, with links to move around. */
function Probe() {
  const { projectId, project, base, notFound } = useProject();
  return (
    <>
      <output data-testid="state">{JSON.stringify({ projectId, title: project?.title ?? null, base, notFound })}</output>
      <Link to="/admin/users">Admin</Link>
      <Link to="/runs">All runs</Link>
    </>
  );
}

function Shell() {
  return (
    <ProjectProvider>
      <Probe />
      <ProjectOutlet />
    </ProjectProvider>
  );
}

function renderAt(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path="/project/:project_id" element={<Shell />}>
          <Route path="runs" element={<p>No runs found</p>} />
        </Route>
        <Route path="/" element={<Shell />}>
          <Route path="runs" element={<p>all runs page</p>} />
          <Route path="admin/users" element={<p>admin page</p>} />
        </Route>
      </Routes>
    </MemoryRouter>,
  );
}

const state = () => JSON.parse(screen.getByTestId('state').textContent ?? '{}');

beforeEach(() => {
  window.localStorage.clear();
  calls.length = 0;
});
afterEach(cleanup);

describe('ProjectProvider', () => {
  it('keeps the selected project when visiting the administration', async () => {
    const user = userEvent.setup();
    renderAt('/project/p1/runs');
    await screen.findByText('No runs found');
    expect(await screen.findByText(/Alpha Project/)).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Admin' }));
    expect(await screen.findByText('admin page')).toBeInTheDocument();
    await vi.waitFor(() => expect(state().title).toBe('Alpha Project'));
    expect(state()).toEqual({ projectId: 'p1', title: 'Alpha Project', base: '/project/p1', notFound: false });
  });

  it('does not carry the project into the all-projects pages', async () => {
    rememberProject('p1');
    renderAt('/runs');
    await screen.findByText('all runs page');
    expect(state()).toEqual({ projectId: null, title: null, base: '', notFound: false });
    expect(calls).toEqual([]);
  });

  it('carries nothing once the project was cleared', async () => {
    rememberProject('p1');
    rememberProject(null);
    renderAt('/admin/users');
    await screen.findByText('admin page');
    expect(state().projectId).toBeNull();
  });

  it('says "Project not found" for an unknown project id instead of showing the page', async () => {
    renderAt('/project/nope/runs');
    expect(await screen.findByRole('heading', { name: 'Project not found' })).toBeInTheDocument();
    expect(screen.queryByText('No runs found')).toBeNull();
    expect(state()).toMatchObject({ projectId: 'nope', notFound: true });
    expect(rememberedProject()).toBeNull();
  });

  it('forgets a remembered project that is gone, without a not-found page outside projects', async () => {
    rememberProject('gone');
    renderAt('/admin/users');
    await screen.findByText('admin page');
    await vi.waitFor(() => expect(rememberedProject()).toBeNull());
    expect(state()).toEqual({ projectId: null, title: null, base: '', notFound: false });
    expect(screen.queryByRole('heading', { name: 'Project not found' })).toBeNull();
  });
});
