import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KebabMenu } from './KebabMenu';

afterEach(cleanup);

describe('KebabMenu', () => {
  it('opens from its named toggle, closes before an item acts, and keeps a disabled item inert', async () => {
    const user = userEvent.setup();
    const edit = vi.fn();
    const other = vi.fn();
    render(
      <KebabMenu
        label="Actions for Runs"
        items={[
          { key: 'edit', text: 'Edit', onClick: edit },
          { key: 'default', text: 'Make default', onClick: other, isDisabled: true, description: 'Already the default' },
        ]}
      />,
    );
    const toggle = screen.getByRole('button', { name: 'Actions for Runs' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText('Already the default')).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: /Make default/ })).toBeDisabled();
    await user.click(screen.getByRole('menuitem', { name: 'Edit' }));
    expect(edit).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(toggle).toHaveAttribute('aria-expanded', 'false'));
    expect(other).not.toHaveBeenCalled();
  });
});
