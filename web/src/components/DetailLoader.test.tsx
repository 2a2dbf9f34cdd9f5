import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { ApiError } from '../api/client';
import { DetailLoader } from './DetailLoader';

afterEach(cleanup);

function show(props: { data?: { name: string }; error?: unknown; loading?: boolean; reload?: () => void }) {
  return render(
    <MemoryRouter>
      <DetailLoader
        kind="run"
        id="abc"
        listPath="/project/p/runs"
        data={props.data}
        error={props.error ?? null}
        loading={props.loading ?? false}
        reload={props.reload ?? (() => undefined)}
      >
        {(item) => <p>Loaded {item.name}</p>}
      </DetailLoader>
    </MemoryRouter>,
  );
}

describe('DetailLoader', () => {
  it('shows a spinner while loading', () => {
    show({ loading: true });
    expect(screen.getByRole('progressbar', { name: 'Loading the run' })).toBeInTheDocument();
  });

  it('says what is missing on a 404 or 400, with a way back', () => {
    show({ error: new ApiError(404, 'not found', null) });
    expect(screen.getByText('Run not found')).toBeInTheDocument();
    expect(screen.getByText(/There is no run with the id abc\./)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the runs' })).toHaveAttribute('href', '/project/p/runs');
  });

  it('offers a retry on other errors', async () => {
    const reload = vi.fn();
    show({ error: new ApiError(500, 'boom', null), reload });
    expect(screen.getByText('boom')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(reload).toHaveBeenCalled();
  });

  it('renders the item once loaded', () => {
    show({ data: { name: 'r1' } });
    expect(screen.getByText('Loaded r1')).toBeInTheDocument();
  });
});
