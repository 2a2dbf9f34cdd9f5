import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { Td, Tr } from '@patternfly/react-table';
import { ListTable, PaginatedTable, RowActions } from './DataTable';

afterEach(cleanup);

const row = (
  <Tr>
    <Td dataLabel="Name">first</Td>
    <Td dataLabel="Kind">thing</Td>
  </Tr>
);

describe('ListTable', () => {
  it('heads the table with the columns, leaving out the false ones', () => {
    render(
      <ListTable label="Things" columns={['Name', { title: 'Kind', width: 25 }, false, { screenReaderText: 'Actions' }]}>
        {row}
      </ListTable>,
    );
    const table = screen.getByRole('grid', { name: 'Things' });
    const heads = within(table)
      .getAllByRole('columnheader')
      .map((th) => th.textContent);
    expect(heads).toEqual(['Name', 'Kind', 'Actions']);
    expect(within(table).getByText('first')).toBeInTheDocument();
  });

  it('shows the empty state instead of the table, under the toolbar and notice', () => {
    render(
      <ListTable label="Things" columns={['Name']} empty emptyTitle="No things" toolbar={<li>the toolbar</li>} notice={<p>the notice</p>}>
        {row}
      </ListTable>,
    );
    expect(screen.getByText('No things')).toBeInTheDocument();
    expect(screen.getByText('the toolbar')).toBeInTheDocument();
    expect(screen.getByText('the notice')).toBeInTheDocument();
    expect(screen.queryByRole('grid')).not.toBeInTheDocument();
  });
});

describe('PaginatedTable', () => {
  const paging = { total: 45, page: 2, pageSize: 20, onPage: vi.fn(), onPageSize: vi.fn(), label: 'Things' };

  it('has both paginations, named after the list, while the page has rows', async () => {
    const user = userEvent.setup();
    render(
      <PaginatedTable label="Things" columns={['Name', 'Kind']} toolbar={null} paging={paging} rowCount={1}>
        {row}
      </PaginatedTable>,
    );
    expect(screen.getByRole('navigation', { name: 'Things pagination (top)' })).toBeInTheDocument();
    const bottom = screen.getByRole('navigation', { name: 'Things pagination (bottom)' });
    await user.click(within(bottom).getByRole('button', { name: 'Go to next page' }));
    expect(paging.onPage).toHaveBeenCalledWith(3);
  });

  it('shows the empty state and only the top pagination on a page without rows', () => {
    render(
      <PaginatedTable label="Things" columns={['Name']} toolbar={null} paging={paging} rowCount={0} emptyTitle="No things">
        {null}
      </PaginatedTable>,
    );
    expect(screen.getByText('No things')).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Things pagination (bottom)' })).not.toBeInTheDocument();
  });
});

describe('RowActions', () => {
  it('labels each button for its row, links or acts, and can disable one', async () => {
    const user = userEvent.setup();
    const onDelete = vi.fn();
    render(
      <MemoryRouter>
        <table>
          <tbody>
            <tr>
              <RowActions
                actions={[
                  { text: 'Edit', 'aria-label': 'Edit first', to: '/things/1' },
                  { text: 'Delete', 'aria-label': 'Delete first', danger: true, onClick: onDelete },
                  { text: 'Send', 'aria-label': 'Send first', isDisabled: true },
                ]}
              />
            </tr>
          </tbody>
        </table>
      </MemoryRouter>,
    );
    expect(screen.getByRole('link', { name: 'Edit first' })).toHaveAttribute('href', '/things/1');
    await user.click(screen.getByRole('button', { name: 'Delete first' }));
    expect(onDelete).toHaveBeenCalledOnce();
    expect(screen.getByRole('button', { name: 'Send first' })).toBeDisabled();
  });
});
