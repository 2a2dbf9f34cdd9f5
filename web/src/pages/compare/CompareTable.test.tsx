import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { CompareTable } from './CompareTable';

afterEach(cleanup);

describe('CompareTable', () => {
  it('shows the empty text instead of an empty table', () => {
    render(<CompareTable label="Tests" rows={[]} empty="Nothing changed." />);
    expect(screen.getByText('Nothing changed.')).toBeInTheDocument();
    expect(screen.queryByRole('grid')).toBeNull();
  });

  it('links tests that have a target result and adds the change column when asked', () => {
    render(
      <MemoryRouter>
        <CompareTable
          label="Duration changes"
          withChange
          empty=""
          rows={[
            { key: 'a', test: 'test_a', testTo: '/results/1', base: '1s', target: '3s', change: '+2s' },
            { key: 'b', test: 'test_b', testTo: null, base: '2s', target: '1s', change: '-1s' },
          ]}
        />
      </MemoryRouter>,
    );
    const table = screen.getByRole('grid', { name: 'Duration changes' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Test', 'Base', 'Target', 'Change']);
    expect(within(table).getByRole('link', { name: 'test_a' })).toHaveAttribute('href', '/results/1');
    expect(within(table).queryByRole('link', { name: 'test_b' })).toBeNull();
    expect(within(table).getByText('+2s')).toBeInTheDocument();
  });

  it("shows a row's badge beside its test", () => {
    render(
      <MemoryRouter>
        <CompareTable
          label="New failures"
          empty=""
          rows={[
            { key: 'a', test: 'test_a', testTo: '/results/1', base: 'passed', target: 'failed', badge: <span data-testid="badge">Flaky</span> },
            { key: 'b', test: 'test_b', testTo: '/results/2', base: 'passed', target: 'failed' },
          ]}
        />
      </MemoryRouter>,
    );
    const [a, b] = within(screen.getByRole('grid', { name: 'New failures' }))
      .getAllByRole('row')
      .slice(1);
    expect(within(a).getByTestId('badge')).toBeInTheDocument();
    expect(within(b).queryByTestId('badge')).toBeNull();
  });
});
