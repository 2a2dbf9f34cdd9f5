import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { NewProjectFields } from './NewProjectFields';

afterEach(cleanup);

describe('NewProjectFields', () => {
  const value = { title: 'Payments QE', name: 'payments-qe' };
  it('labels both fields and says what each is for', () => {
    render(<NewProjectFields idPrefix="np" value={value} onChange={() => undefined} errors={{}} />);
    expect(screen.getByRole('textbox', { name: 'Project title' })).toHaveValue('Payments QE');
    expect(screen.getByRole('textbox', { name: 'Project name' })).toHaveValue('payments-qe');
    expect(screen.getByText('Shown in the UI, e.g. “Payments QE”.')).toBeInTheDocument();
    expect(screen.getByText('The identifier test clients send as “project” (unique).')).toBeInTheDocument();
  });
  it('shows an error in place of the help', () => {
    render(<NewProjectFields idPrefix="np" value={value} onChange={() => undefined} errors={{ name: 'Taken.' }} />);
    expect(screen.getByText('Taken.')).toBeInTheDocument();
    expect(screen.queryByText('The identifier test clients send as “project” (unique).')).toBeNull();
    expect(screen.getByRole('textbox', { name: 'Project name' })).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Shown in the UI, e.g. “Payments QE”.')).toBeInTheDocument();
  });
});
