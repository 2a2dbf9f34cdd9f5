import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { AsyncSelect, type AsyncOption } from './AsyncSelect';

afterEach(cleanup);

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

  /** Renders the host and clicks into its box. */
  async function openHost() {
    const user = userEvent.setup();
    const onSelect = vi.fn();
    render(<Host onSelect={onSelect} />);
    const box = screen.getByRole('combobox', { name: 'Thing' });
    await user.click(box);
    return { user, onSelect, box };
  }

  it('loads options for the typed text and picks one with the keyboard', async () => {
    const { user, onSelect, box } = await openHost();
    expect(await screen.findByRole('option', { name: 'Alpha' })).toBeInTheDocument();
    await user.type(box, 'bet');
    await waitFor(() => expect(screen.queryByRole('option', { name: 'Alpha' })).toBeNull());
    await user.keyboard('{ArrowDown}{Enter}');
    expect(onSelect).toHaveBeenCalledWith({ value: 'b', label: 'Beta' });
    expect(box).toHaveValue('Beta');
  });

  it('offers computed options (a pasted id)', async () => {
    const { user, onSelect, box } = await openHost();
    await user.type(box, 'zzz');
    await user.click(await screen.findByRole('option', { name: 'Use zzz' }));
    expect(onSelect).toHaveBeenCalledWith({ value: 'zzz', label: 'Use zzz' });
  });
});
