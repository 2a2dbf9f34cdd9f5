import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Table, Tbody, Tr } from '@patternfly/react-table';
import { formatDate } from '../format';
import { RelativeTimeCell } from './RelativeTimeCell';

afterEach(cleanup);

describe('RelativeTimeCell', () => {
  it('reads how long ago, with the exact date on focus', async () => {
    const user = userEvent.setup();
    const iso = '2026-11-29T07:00:00Z';
    render(
      <Table aria-label="t">
        <Tbody>
          <Tr>
            <RelativeTimeCell dataLabel="Started" iso={iso} now={Date.parse('2026-11-29T10:00:00Z')} />
          </Tr>
        </Tbody>
      </Table>,
    );
    const cell = screen.getByRole('cell');
    expect(cell).toHaveAttribute('data-label', 'Started');
    expect(cell).toHaveTextContent('3 hours ago');
    await user.tab();
    expect(await screen.findByRole('tooltip')).toHaveTextContent(formatDate(iso));
  });
});
