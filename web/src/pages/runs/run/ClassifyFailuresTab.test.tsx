import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Run } from '../../../api/types';
import { ClassifyFailuresTab } from './ClassifyFailuresTab';

// Two failures of a JUnit import: the importer put the message into
// metadata.short_tb and the type into metadata.exception_name.
vi.mock('../../../api/client', async (orig) => ({
  ...(await orig<typeof import('../../../api/client')>()),
  api: vi.fn(async (path: string) => {
    if (path !== 'result') throw new Error(`unexpected ${path}`);
    const results = [
      { id: 'r1', test_id: 'T.bad1', result: 'failed', metadata: { exception_name: 'AssertionError', short_tb: 'expected 1, got 2' } },
      { id: 'r2', test_id: 'T.bad2', result: 'error', metadata: { short_tb: 'panic: boom\nat line 3' } },
      { id: 'r3', test_id: 'T.bad3', result: 'failed', metadata: {} },
    ];
    return { results, pagination: { page: 1, pageSize: 25, totalItems: results.length, totalPages: 1 } };
  }),
}));

afterEach(cleanup);

describe('ClassifyFailuresTab Reason column', () => {
  it('shows each failure message, with its exception', async () => {
    render(
      <MemoryRouter>
        <ClassifyFailuresTab run={{ id: 'run-1', project_id: 'p1' } as Run} base="/project/p1" />
      </MemoryRouter>,
    );
    await screen.findByTestId('failure-row-T.bad1');
    const cells = (id: string) => within(screen.getByTestId(`failure-row-${id}`)).getAllByRole('cell');
    const reasonOf = (id: string) => cells(id).find((c) => c.getAttribute('data-label') === 'Reason')?.textContent;
    expect(reasonOf('T.bad1')).toBe('AssertionError: expected 1, got 2');
    // The first line, then the rest of the message underneath.
    expect(reasonOf('T.bad2')).toBe('panic: boomat line 3');
    expect(reasonOf('T.bad3')).toBe('–');
  });
});
