import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { api } from '../../api/client';
import { SignUpPage } from './SignUpPage';

vi.mock('../../api/client', async (orig) => ({
  ...(await orig<typeof import('../../api/client')>()),
  api: vi.fn(),
}));

afterEach(() => {
  cleanup();
  vi.mocked(api).mockReset();
});

async function signUp(answer: unknown) {
  vi.mocked(api).mockResolvedValue(answer);
  const user = userEvent.setup();
  render(
    <MemoryRouter>
      <SignUpPage />
    </MemoryRouter>,
  );
  await user.type(screen.getByLabelText(/Email address/), 'new@example.com');
  for (const field of screen.getAllByLabelText(/password/i).filter((el) => el.tagName === 'INPUT')) await user.type(field, 'a-Strong-passw0rd!');
  await user.click(screen.getByRole('button', { name: 'Sign up' }));
  expect(api).toHaveBeenCalledWith(
    'login/register',
    expect.objectContaining({ method: 'POST', body: { email: 'new@example.com', password: 'a-Strong-passw0rd!' } }),
  );
}

describe('SignUpPage', () => {
  it('says an administrator must activate the account when the server sends no mail', async () => {
    await signUp({ activation: 'administrator' });
    expect(await screen.findByText('An administrator must activate your account')).toBeInTheDocument();
    expect(screen.getByText(/ask an Ibutsu administrator to activate/)).toBeInTheDocument();
    expect(screen.queryByText(/We sent an activation link/)).toBeNull();
    expect(screen.queryByText('Check your e-mail')).toBeNull();
  });

  it('promises the activation e-mail when the server mails it', async () => {
    await signUp({ activation: 'email' });
    expect(await screen.findByText('Check your e-mail')).toBeInTheDocument();
    expect(screen.getByText(/We sent an activation link to new@example.com/)).toBeInTheDocument();
  });

  it('keeps the e-mail message for an upstream server that answers {}', async () => {
    await signUp({});
    expect(await screen.findByText('Check your e-mail')).toBeInTheDocument();
  });
});
