import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ConfirmModal, DeleteConfirmModal } from './ConfirmModal';

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

describe('DeleteConfirmModal', () => {
  it('enables deletion only once the name is typed, and shows failures', async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValueOnce(undefined);
    render(<DeleteConfirmModal isOpen kind="project" name="my-project" requireTyping onCancel={() => undefined} onConfirm={onConfirm} />);
    const button = screen.getByRole('button', { name: 'Delete project' });
    expect(button).toBeDisabled();
    await user.type(screen.getByRole('textbox', { name: 'Type my-project to confirm' }), 'my-proj');
    expect(button).toBeDisabled();
    await user.type(screen.getByRole('textbox', { name: 'Type my-project to confirm' }), 'ect');
    expect(button).toBeEnabled();
    await user.click(button);
    expect(await screen.findByText('boom')).toBeInTheDocument();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(onConfirm).toHaveBeenCalledTimes(2));
  });

  it('needs no typing for simple confirmations', () => {
    render(<DeleteConfirmModal isOpen kind="token" name="ci" onCancel={() => undefined} onConfirm={async () => undefined} />);
    expect(screen.getByRole('button', { name: 'Delete token' })).toBeEnabled();
    expect(screen.queryByRole('textbox')).toBeNull();
  });
});
