import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ConfirmModal } from './ConfirmModal';

afterEach(cleanup);

describe('ConfirmModal', () => {
  it('runs the action, keeps a failure in the dialog and allows a retry', async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn().mockRejectedValueOnce(new Error('gone')).mockResolvedValueOnce(undefined);
    const onClose = vi.fn();
    render(
      <ConfirmModal title="Delete widget?" confirmText="Delete" onConfirm={onConfirm} onClose={onClose}>
        The widget <strong>w</strong> will be removed.
      </ConfirmModal>,
    );
    expect(screen.getByRole('dialog', { name: /Delete widget\?/ })).toBeInTheDocument();
    expect(screen.queryByRole('textbox')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('gone')).toBeInTheDocument();
    expect(screen.getByText('That did not work')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    expect(onConfirm).toHaveBeenCalledTimes(2);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalled();
  });
});
