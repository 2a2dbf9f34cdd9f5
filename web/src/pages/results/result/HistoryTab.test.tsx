import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Result } from '../../../api/types';
import { HistoryTab } from './HistoryTab';

// Four builds of one test: passed, then failed in builds 11 and 12, the
// last one (this result) errored in a run without Jenkins metadata.
const at = (id: string, day: number, result: string, build?: number) =>
  ({
    id,
    test_id: 't',
    result,
    duration: day,
    project_id: 'p',
    run_id: `run-${id}`,
    start_time: `2026-01-0${day}T00:00:00Z`,
    metadata: build ? { jenkins: { job_name: 'nightly', build_number: build } } : {},
  }) as Result;
const history = [at('d', 4, 'error'), at('c', 3, 'failed', 12), at('b', 2, 'failed', 11), at('a', 1, 'passed', 10)];

vi.mock('../../../api/client', async (orig) => ({
  ...(await orig<typeof import('../../../api/client')>()),
  api: vi.fn(async (path: string) => {
    if (path === 'result') return { results: history, pagination: { page: 1, pageSize: 50, totalItems: 4, totalPages: 1 } };
    if (path === 'run') return { runs: [{ id: 'run-d', source: 'local', component: 'ui', start_time: '2026-01-04T00:00:00Z' }] };
    throw new Error(`unexpected ${path}`);
  }),
}));

afterEach(cleanup);

describe('HistoryTab', () => {
  it('names builds and says where the failure streak began', async () => {
    render(
      <MemoryRouter>
        <HistoryTab result={history[0]} base="/project/p" />
      </MemoryRouter>,
    );
    const first = await screen.findByTestId('first-failure');
    expect(first.textContent).toBe('First failed in nightly #11');
    const cells = screen.getByTestId('history-strip').querySelectorAll('a');
    expect([...cells].map((a) => a.getAttribute('data-first-failure'))).toEqual([null, 'true', null, null]);
    expect(cells[0].getAttribute('aria-label')).toMatch(/^nightly #10 · passed/);
    await vi.waitFor(() => expect(screen.getByTestId('history-strip').querySelectorAll('a')[3].getAttribute('aria-label')).toMatch(/^local · ui · /));
  }, 20_000);
});
