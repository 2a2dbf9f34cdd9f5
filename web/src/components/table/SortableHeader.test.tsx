import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Table } from '@patternfly/react-table';
import { SortableHeader } from './SortableHeader';

afterEach(cleanup);

describe('SortableHeader', () => {
  it('makes only sortable columns clickable and reports the new sort', async () => {
    const onSort = vi.fn();
    render(
      <Table aria-label="Things">
        <SortableHeader
          columns={[
            { title: 'Test', minWidth: '14rem' },
            { title: 'Duration', sort: { field: 'duration', firstDirection: 'desc' } },
          ]}
          sort={null}
          onSort={onSort}
        />
      </Table>,
    );
    expect(screen.getByRole('columnheader', { name: 'Test' })).toHaveStyle({ minWidth: '14rem' });
    expect(screen.queryByRole('button', { name: 'Test' })).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Duration' }));
    expect(onSort).toHaveBeenCalledWith({ field: 'duration', desc: true });
  });
});
