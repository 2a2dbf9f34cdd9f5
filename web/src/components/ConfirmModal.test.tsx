import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ConfirmModal, DeleteConfirmModal, useDeleteItem } from './ConfirmModal';

const deleted: string[] = [];
vi.mock('../api/client', async (orig) => ({
  ...(await orig<typeof import('../api/client')>()),
  api: vi.fn(async (path: string, opts: { method?: string } = {}) => {
    if (opts.method === 'DELETE') deleted.push(path);
  }),
}));

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

  it('opens again without the last failure', async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn().mockRejectedValue(new Error('gone'));
    const modal = (isOpen: boolean) => (
      <ConfirmModal isOpen={isOpen} title="Delete widget?" confirmText="Delete" onConfirm={onConfirm} onClose={() => undefined} />
    );
    const { rerender } = render(modal(true));
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('gone')).toBeInTheDocument();
    rerender(modal(false));
    rerender(modal(true));
    expect(screen.queryByText('gone')).toBeNull();
    expect(screen.getByRole('button', { name: 'Delete' })).toBeEnabled();
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

describe('useDeleteItem', () => {
  function Host({ reload }: { reload: () => void }) {
    const deletion = useDeleteItem<{ id: string; name: string }>((t) => `user/token/${t.id}`, reload);
    return (
      <>
        <button onClick={() => deletion.ask({ id: 't9', name: 'ci' })}>Delete ci</button>
        <DeleteConfirmModal {...deletion.modal} kind="token" name={deletion.item?.name ?? ''} />
      </>
    );
  }

  it('confirms, deletes the asked item, closes and reloads; cancel deletes nothing', async () => {
    const user = userEvent.setup();
    const reload = vi.fn();
    deleted.length = 0;
    render(<Host reload={reload} />);
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Delete ci' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(deleted).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Delete ci' }));
    expect(screen.getByRole('dialog')).toHaveTextContent('This permanently deletes the token ci.');
    await user.click(screen.getByRole('button', { name: 'Delete token' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(deleted).toEqual(['user/token/t9']);
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
