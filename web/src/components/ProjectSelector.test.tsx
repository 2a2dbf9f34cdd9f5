import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Project } from '../api/types';
import { ProjectSelector } from './ProjectSelector';

const projects = [
  { id: 'p1', name: 'alpha', title: 'Alpha Project' },
  { id: 'p2', name: 'beta', title: 'Beta Project' },
] as Project[];
const filters: (string[] | undefined)[] = [];
vi.mock('../api/client', async (orig) => ({
  ...(await orig<typeof import('../api/client')>()),
  api: vi.fn(async (_path: string, opts: { query?: { filter?: string[] } } = {}) => {
    filters.push(opts.query?.filter);
    const text = opts.query?.filter?.[0]?.replace('title%', '').toLowerCase() ?? '';
    return { projects: projects.filter((p) => p.title.toLowerCase().includes(text)) };
  }),
}));

afterEach(cleanup);

describe('ProjectSelector', () => {
  it('searches projects by title and hands back the whole project', async () => {
    const user = userEvent.setup();
    const onSelect = vi.fn();
    render(<ProjectSelector selected={null} onSelect={onSelect} />);
    const box = screen.getByRole('combobox', { name: 'Select a project' });
    await user.click(box);
    expect(await screen.findByRole('option', { name: /Alpha Project/ })).toBeInTheDocument();
    await user.type(box, 'bet');
    await waitFor(() => expect(screen.queryByRole('option', { name: /Alpha Project/ })).toBeNull());
    expect(filters).toContainEqual(['title%bet']);
    await user.click(screen.getByRole('option', { name: /Beta Project/ }));
    expect(onSelect).toHaveBeenLastCalledWith(projects[1]);
  });

  it('shows the selected project and clears it', async () => {
    const user = userEvent.setup();
    const onSelect = vi.fn();
    render(<ProjectSelector selected={projects[0]} onSelect={onSelect} />);
    expect(screen.getByRole('combobox', { name: 'Select a project' })).toHaveValue('Alpha Project');
    await user.click(screen.getByRole('button', { name: 'Clear project' }));
    expect(onSelect).toHaveBeenLastCalledWith(null);
  });
});
