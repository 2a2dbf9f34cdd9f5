import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { AsyncSelect, type AsyncOption, DeleteConfirmModal } from './common';

afterEach(cleanup);

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

describe('AsyncSelect', () => {
  const options: AsyncOption[] = [
    { value: 'a', label: 'Alpha' },
    { value: 'b', label: 'Beta' },
  ];
  function Host({ onSelect }: { onSelect: (o: AsyncOption | null) => void }) {
    const [sel, setSel] = useState<AsyncOption | null>(null);
    return (
      <AsyncSelect
        id="t"
        aria-label="Thing"
        selected={sel}
        onSelect={(o) => {
          setSel(o);
          onSelect(o);
        }}
        load={async (text) => options.filter((o) => o.label.toLowerCase().includes(text.toLowerCase()))}
        extra={(text) => (text === 'zzz' ? [{ value: 'zzz', label: 'Use zzz' }] : [])}
      />
    );
  }

  it('loads options for the typed text and picks one with the keyboard', async () => {
    const user = userEvent.setup();
    const onSelect = vi.fn();
    render(<Host onSelect={onSelect} />);
    const box = screen.getByRole('combobox', { name: 'Thing' });
    await user.click(box);
    expect(await screen.findByRole('option', { name: 'Alpha' })).toBeInTheDocument();
    await user.type(box, 'bet');
    await waitFor(() => expect(screen.queryByRole('option', { name: 'Alpha' })).toBeNull());
    await user.keyboard('{ArrowDown}{Enter}');
    expect(onSelect).toHaveBeenCalledWith({ value: 'b', label: 'Beta' });
    expect(box).toHaveValue('Beta');
  });

  it('offers computed options (a pasted id)', async () => {
    const user = userEvent.setup();
    const onSelect = vi.fn();
    render(<Host onSelect={onSelect} />);
    const box = screen.getByRole('combobox', { name: 'Thing' });
    await user.click(box);
    await user.type(box, 'zzz');
    await user.click(await screen.findByRole('option', { name: 'Use zzz' }));
    expect(onSelect).toHaveBeenCalledWith({ value: 'zzz', label: 'Use zzz' });
  });
});
