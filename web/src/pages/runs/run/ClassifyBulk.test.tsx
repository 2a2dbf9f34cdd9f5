import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { api } from '../../../api/client';
import type { Run } from '../../../api/types';
import { bulkCheckState } from '../../../components/table/BulkSelect';
import { ClassifyFailuresTab } from './ClassifyFailuresTab';

// One page of 2 failures out of 120 matching.
vi.mock('../../../api/client', async (orig) => ({
  ...(await orig<typeof import('../../../api/client')>()),
  api: vi.fn(async (path: string) => {
    if (path === 'results/bulk-update') return { updated: 120, results: [] };
    if (path !== 'result') throw new Error(`unexpected ${path}`);
    const results = [
      { id: 'r1', test_id: 'T.a', result: 'failed', metadata: {} },
      { id: 'r2', test_id: 'T.b', result: 'error', metadata: {} },
    ];
    return { results, pagination: { page: 1, pageSize: 2, totalItems: 120, totalPages: 60 } };
  }),
}));

afterEach(cleanup);

describe('bulkCheckState', () => {
  it('is checked for all, partly for some, clear for none', () => {
    expect(bulkCheckState(0, 10, false)).toBe(false);
    expect(bulkCheckState(3, 10, false)).toBeNull();
    expect(bulkCheckState(10, 10, false)).toBe(true);
    expect(bulkCheckState(0, 10, true)).toBe(true);
  });
});

describe('ClassifyFailuresTab select all matching', () => {
  it('classifies every matching failure by filter, not just the page', async () => {
    const user = userEvent.setup();
    render(
      <MemoryRouter>
        <ClassifyFailuresTab run={{ id: 'run-1', project_id: 'p1' } as Run} base="/project/p1" />
      </MemoryRouter>,
    );
    await screen.findByTestId('failure-row-T.a');
    await user.click(screen.getByRole('button', { name: 'Bulk selection' }));
    await user.click(await screen.findByText('Select all 120 matching'));
    expect(screen.getByTestId('all-matching-note').textContent).toContain('All 120 matching failures');
    await user.click(screen.getByTestId('classify-selected'));
    await user.click(await screen.findByText('Product Failure'));
    const calls = vi.mocked(api).mock.calls.filter(([p]) => p === 'results/bulk-update');
    expect(calls).toHaveLength(1);
    expect(calls[0][1]?.body).toEqual({
      filter: ['run_id=run-1', 'project_id=p1', 'result*failed;error'],
      metadata: { classification: 'product_failure' },
    });
    expect((await screen.findByTestId('classify-notice')).textContent).toContain('Classified 120 results as Product Failure');
  }, 20_000);
});
