import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LoadStates, PageLoadState } from './states';

afterEach(cleanup);

const content = <p>the table</p>;

describe('LoadStates', () => {
  it('shows the spinner, then an error, then the empty state, then the content', () => {
    const { rerender } = render(
      <LoadStates loading error={new Error('down')} empty emptyTitle="No tokens">
        {content}
      </LoadStates>,
    );
    expect(screen.getByRole('progressbar', { name: 'Loading' })).toBeInTheDocument();
    rerender(
      <LoadStates error={new Error('down')} empty emptyTitle="No tokens">
        {content}
      </LoadStates>,
    );
    expect(screen.getByTestId('error-message')).toHaveTextContent('down');
    rerender(
      <LoadStates empty emptyTitle="No tokens" emptyBody="Add one.">
        {content}
      </LoadStates>,
    );
    expect(screen.getByText('No tokens')).toBeInTheDocument();
    expect(screen.getByText('Add one.')).toBeInTheDocument();
    rerender(<LoadStates emptyTitle="No tokens">{content}</LoadStates>);
    expect(screen.getByText('the table')).toBeInTheDocument();
  });

  it('takes a useApi result: spinner only before the first answer, retry reloads', async () => {
    const user = userEvent.setup();
    const reload = vi.fn();
    const { rerender } = render(<LoadStates api={{ data: undefined, error: null, loading: true, reload }}>{content}</LoadStates>);
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
    // A reload of data already shown keeps it on screen.
    rerender(<LoadStates api={{ data: { items: [] }, error: null, loading: true, reload }}>{content}</LoadStates>);
    expect(screen.getByText('the table')).toBeInTheDocument();
    rerender(<LoadStates api={{ data: undefined, error: new Error('boom'), loading: false, reload }}>{content}</LoadStates>);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(reload).toHaveBeenCalledTimes(1);
  });
});

describe('PageLoadState', () => {
  it('is a spinner before the first answer, the error in a section after a failure, else nothing', async () => {
    const user = userEvent.setup();
    const reload = vi.fn();
    const { container, rerender } = render(<PageLoadState data={undefined} error={null} loading reload={reload} />);
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
    rerender(<PageLoadState data={{ id: 'u' }} error={new Error('gone')} loading={false} reload={reload} />);
    expect(screen.getByTestId('error-message')).toHaveTextContent('gone');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(reload).toHaveBeenCalledTimes(1);
    rerender(<PageLoadState data={undefined} error={null} loading={false} reload={reload} />);
    expect(container).toBeEmptyDOMElement();
  });
});
