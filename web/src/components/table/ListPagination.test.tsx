import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Toolbar, ToolbarContent } from '@patternfly/react-core';
import { ToolbarPaging, useLocalPaging } from './ListPagination';

afterEach(cleanup);

function Host({ total }: { total: number }) {
  const paging = useLocalPaging(20);
  return (
    <>
      <Toolbar>
        <ToolbarContent>
          <ToolbarPaging list={paging} total={total} />
        </ToolbarContent>
      </Toolbar>
      <output data-testid="state">{`page ${paging.page} size ${paging.pageSize}`}</output>
    </>
  );
}

describe('ToolbarPaging', () => {
  it('is absent while everything fits on one page', () => {
    render(<Host total={20} />);
    expect(screen.queryByRole('navigation')).toBeNull();
  });

  it('moves between pages, and a new page size starts at page 1', async () => {
    const user = userEvent.setup();
    render(<Host total={45} />);
    await user.click(screen.getByRole('button', { name: 'Go to next page' }));
    expect(screen.getByTestId('state')).toHaveTextContent('page 2 size 20');
    await user.click(screen.getByRole('button', { name: /per page|Items per page|1 - / }));
    await user.click(await screen.findByRole('menuitem', { name: /50 per page/ }));
    expect(screen.getByTestId('state')).toHaveTextContent('page 1 size 50');
  });
});
