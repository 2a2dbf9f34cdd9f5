import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Table, Td } from '@patternfly/react-table';
import { ExpandableRows, useOpenRows, type ExpandableRowsProps } from './ExpandableRows';

afterEach(cleanup);

const rows = [
  { id: 'a', name: 'Alpha' },
  { id: 'b', name: 'Beta' },
];

/** The rows in a table, with the open set and toggle given. */
function Rows({ open, onToggle }: Pick<ExpandableRowsProps<(typeof rows)[number]>, 'open' | 'onToggle'>) {
  return (
    <Table aria-label="t">
      <ExpandableRows
        rows={rows}
        rowKey={(r) => r.id}
        idPrefix="thing"
        colSpan={2}
        open={open}
        onToggle={onToggle}
        cells={(r) => <Td dataLabel="Name">{r.name}</Td>}
        detail={(r, i) => <span data-testid={`detail-${i}`}>{`Detail of ${r.name}`}</span>}
      />
    </Table>
  );
}

function renderRows(open: Set<string>, onToggle = vi.fn()) {
  render(<Rows open={open} onToggle={onToggle} />);
  return onToggle;
}

describe('ExpandableRows', () => {
  it('shows the detail of the open rows only, spanning the table', () => {
    renderRows(new Set(['b']));
    expect(screen.getByTestId('thing-row-0')).toHaveTextContent('Alpha');
    expect(screen.getByTestId('thing-row-1')).toHaveTextContent('Beta');
    expect(screen.getByTestId('detail-1')).toBeVisible();
    expect(screen.getByTestId('detail-0')).not.toBeVisible();
    expect(screen.getByTestId('detail-1').closest('td')).toHaveAttribute('colspan', '2');
  });

  it('hands the row key to onToggle when its toggle is clicked', async () => {
    const user = userEvent.setup();
    const onToggle = renderRows(new Set());
    const toggles = screen.getAllByRole('button');
    expect(toggles).toHaveLength(2);
    await user.click(toggles[1]);
    expect(onToggle).toHaveBeenCalledWith('b');
  });

  it('keeps the open rows with useOpenRows: none at first, each toggle opens or closes its row', async () => {
    const user = userEvent.setup();
    function Page() {
      return <Rows {...useOpenRows()} />;
    }
    render(<Page />);
    const shown = () => screen.getAllByRole('button').map((t) => t.getAttribute('aria-expanded'));
    const toggle = (i: number) => user.click(screen.getAllByRole('button')[i]);
    expect(shown()).toEqual(['false', 'false']);
    await toggle(1);
    expect(shown()).toEqual(['false', 'true']);
    expect(screen.getByTestId('detail-1')).toBeVisible();
    await toggle(0);
    expect(shown()).toEqual(['true', 'true']);
    await toggle(1);
    expect(shown()).toEqual(['true', 'false']);
    expect(screen.getByTestId('detail-1')).not.toBeVisible();
  });
});
