import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { Td, Tr } from '@patternfly/react-table';
import { AdminListPage, useAdminList } from './common';

const calls: { path: string; opts: { method?: string; query?: Record<string, unknown> } }[] = [];
vi.mock('../../api/client', async (orig) => ({
  ...(await orig<typeof import('../../api/client')>()),
  api: vi.fn(async (path: string, opts: { method?: string; query?: Record<string, unknown> } = {}) => {
    calls.push({ path, opts });
    if (opts.method === 'DELETE') return undefined;
    const q = (opts.query?.filter as string[] | undefined)?.[0];
    const things =
      q === 'label%none'
        ? []
        : [
            { id: 't1', label: 'first' },
            { id: 't2', label: 'second' },
          ];
    return { things, pagination: { page: 1, pageSize: 20, totalItems: things.length, totalPages: 1 } };
  }),
}));

interface Thing {
  id: string;
  label: string;
}

function Where() {
  const l = useLocation();
  return <output data-testid="search">{l.search}</output>;
}

function Things() {
  const list = useAdminList<Thing>({ endpoint: 'admin/thing', itemsKey: 'things', searchField: () => 'label' });
  return (
    <AdminListPage
      list={list}
      title="Things"
      description="All the things."
      searchLabel="Search things"
      searchPlaceholder="Search by label"
      emptyTitle="No things found"
      emptySearched="No thing matches the search."
      emptyNone="There are no things yet."
      kind="thing"
      nameOf={(t) => t.label}
      deleteNote={<p>Gone for good.</p>}
      columns={['Label']}
    >
      {list.items.map((t) => (
        <Tr key={t.id}>
          <Td>
            <button onClick={() => list.deletion.ask(t)}>Delete {t.label}</button>
          </Td>
        </Tr>
      ))}
    </AdminListPage>
  );
}

function renderAt(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Things />
      <Where />
    </MemoryRouter>,
  );
}

beforeEach(() => {
  calls.length = 0;
});
afterEach(cleanup);

describe('AdminListPage', () => {
  it('lists the page of items the URL asks for, with labelled paginations', async () => {
    renderAt('/things?q=fir&page=2&pageSize=50');
    expect(await screen.findByText('Delete first')).toBeInTheDocument();
    expect(calls[0]).toEqual({ path: 'admin/thing', opts: expect.objectContaining({ query: { filter: ['label%fir'], page: 2, pageSize: 50 } }) });
    expect(screen.getByRole('heading', { level: 1, name: 'Things' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Things pagination (top)' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Things pagination (bottom)' })).toBeInTheDocument();
  });

  it('searches into the URL and back to the first page', async () => {
    const user = userEvent.setup();
    renderAt('/things?page=3');
    await screen.findByText('Delete first');
    await user.type(screen.getByRole('textbox', { name: 'Search things' }), 'none{Enter}');
    await waitFor(() => expect(screen.getByTestId('search')).toHaveTextContent('?q=none'));
    expect(await screen.findByText('No thing matches the search.')).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Things pagination (bottom)' })).toBeNull();
  });

  it('deletes after the name is typed, then reloads', async () => {
    const user = userEvent.setup();
    renderAt('/things');
    await user.click(await screen.findByText('Delete second'));
    expect(screen.getByText('Gone for good.')).toBeInTheDocument();
    const confirm = screen.getByRole('button', { name: 'Delete thing' });
    expect(confirm).toBeDisabled();
    await user.type(screen.getByRole('textbox', { name: 'Type second to confirm' }), 'second');
    await user.click(confirm);
    await waitFor(() => expect(calls.some((c) => c.path === 'admin/thing/t2' && c.opts.method === 'DELETE')).toBe(true));
    await waitFor(() => expect(calls.filter((c) => c.path === 'admin/thing')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Delete thing' })).toBeNull());
  });
});
