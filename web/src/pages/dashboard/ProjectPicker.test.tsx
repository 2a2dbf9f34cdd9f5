import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import type { Project, User } from '../../api/types';
import { ProjectPicker } from './ProjectPicker';

let projects: Project[] = [];
let currentUser: Partial<User> | null = null;
vi.mock('../../api/client', async (orig) => ({
  ...(await orig<typeof import('../../api/client')>()),
  api: vi.fn(async () => ({ projects, pagination: { totalItems: projects.length } })),
}));
vi.mock('../../auth/AuthContext', () => ({ useAuth: () => ({ user: currentUser }) }));

function Where() {
  return <output data-testid="where">{useLocation().pathname}</output>;
}

function renderPicker() {
  render(
    <MemoryRouter initialEntries={['/']}>
      <Routes>
        <Route path="/" element={<ProjectPicker />} />
        <Route path="*" element={<Where />} />
      </Routes>
    </MemoryRouter>,
  );
}

const alpha = { id: 'p1', name: 'alpha', title: 'Alpha Project' } as Project;
const beta = { id: 'p2', name: 'beta', title: 'Beta Project' } as Project;

afterEach(cleanup);

describe('ProjectPicker', () => {
  it('opens the only project of a user with one project', async () => {
    projects = [alpha];
    currentUser = { id: 'u1', is_superadmin: false };
    renderPicker();
    expect(await screen.findByTestId('where')).toHaveTextContent('/project/p1/dashboard');
  });

  it('lets a user with several projects choose', async () => {
    projects = [beta, alpha];
    currentUser = { id: 'u1', is_superadmin: false };
    renderPicker();
    const cards = await screen.findAllByTestId('project-card');
    expect(cards.map((c) => c.textContent)).toEqual([expect.stringContaining('Alpha Project'), expect.stringContaining('Beta Project')]);
    expect(screen.queryByTestId('where')).toBeNull();
  });

  it('always shows the picker to a superadmin, who sees every project', async () => {
    projects = [alpha];
    currentUser = { id: 'a1', is_superadmin: true };
    renderPicker();
    expect(await screen.findByTestId('project-card')).toHaveTextContent('Alpha Project');
    expect(screen.queryByTestId('where')).toBeNull();
  });
});
