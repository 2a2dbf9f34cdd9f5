import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ErrorAlert, FieldHelp, FormButtons, FormField, ModalActions } from './forms';

afterEach(cleanup);

describe('FieldHelp', () => {
  it('renders nothing without help or error', () => {
    const { container } = render(<FieldHelp error={null} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('shows the error instead of the help when there is one', () => {
    const { rerender } = render(<FieldHelp error={null}>Type a date.</FieldHelp>);
    expect(screen.getByText('Type a date.')).toBeInTheDocument();
    rerender(<FieldHelp error="Not a date.">Type a date.</FieldHelp>);
    expect(screen.getByText('Not a date.')).toBeInTheDocument();
    expect(screen.queryByText('Type a date.')).toBeNull();
  });
});

describe('FormField', () => {
  it('labels the control by its id, marks it required and shows the help under it', () => {
    const { container } = render(
      <FormField label="Title" isRequired fieldId="f-title" help="Shown on the tab.">
        <input id="f-title" />
      </FormField>,
    );
    const input = screen.getByLabelText(/Title/);
    expect(input).toHaveAttribute('id', 'f-title');
    expect(screen.getByText('*')).toBeInTheDocument();
    expect(screen.getByText('Shown on the tab.')).toBeInTheDocument();
    expect(container.querySelector('.pf-v6-c-helper-text')).not.toBeNull();
  });

  it('shows the error instead of the help, and no helper text without either', () => {
    const { container, rerender } = render(
      <FormField label="Title" fieldId="f-title" help="Shown on the tab." error="Give the view a title.">
        <input id="f-title" />
      </FormField>,
    );
    expect(screen.getByText('Give the view a title.')).toBeInTheDocument();
    expect(screen.queryByText('Shown on the tab.')).toBeNull();
    expect(screen.queryByText('*')).toBeNull();
    rerender(
      <FormField label="Title" fieldId="f-title" help="" error={null}>
        <input id="f-title" />
      </FormField>,
    );
    expect(container.querySelector('.pf-v6-c-helper-text')).toBeNull();
    expect(screen.getByLabelText('Title')).toBeInTheDocument();
  });
});

describe('ErrorAlert', () => {
  it('renders nothing without an error, and the title and message with one', () => {
    const { container, rerender } = render(<ErrorAlert title="Could not save" error={null} />);
    expect(container).toBeEmptyDOMElement();
    rerender(<ErrorAlert title="Could not save" error="name taken" data-testid="err" />);
    expect(screen.getByTestId('err')).toHaveTextContent('Could not save');
    expect(screen.getByTestId('err')).toHaveTextContent('name taken');
  });
});

describe('ModalActions', () => {
  it('submits the form it names and cancels', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn((e: React.FormEvent) => e.preventDefault());
    const onCancel = vi.fn();
    render(
      <>
        <form id="f" onSubmit={onSubmit} />
        <ModalActions form="f" busy={false} onCancel={onCancel}>
          Create
        </ModalActions>
      </>,
    );
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('is disabled while busy or when told so, and runs onClick otherwise', async () => {
    const user = userEvent.setup();
    const onClick = vi.fn();
    const { rerender } = render(
      <ModalActions danger onClick={onClick} busy onCancel={() => undefined}>
        Delete
      </ModalActions>,
    );
    expect(screen.getByRole('button', { name: /Delete/ })).toBeDisabled();
    rerender(
      <ModalActions danger onClick={onClick} busy={false} isDisabled onCancel={() => undefined}>
        Delete
      </ModalActions>,
    );
    expect(screen.getByRole('button', { name: 'Delete' })).toBeDisabled();
    rerender(
      <ModalActions danger onClick={onClick} busy={false} onCancel={() => undefined}>
        Delete
      </ModalActions>,
    );
    const button = screen.getByRole('button', { name: 'Delete' });
    expect(button).toHaveAttribute('type', 'button');
    await user.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
  });
});

describe('FormButtons', () => {
  it('submits the form, is disabled while busy or not ready, and has Cancel only when asked', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn((e: React.FormEvent) => e.preventDefault());
    const onCancel = vi.fn();
    const form = (buttons: React.ReactNode) => <form onSubmit={onSubmit}>{buttons}</form>;
    const { rerender } = render(form(<FormButtons busy={false}>Save</FormButtons>));
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    rerender(
      form(
        <FormButtons busy={false} isDisabled onCancel={onCancel}>
          Save
        </FormButtons>,
      ),
    );
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onSubmit).toHaveBeenCalledTimes(1);
    rerender(form(<FormButtons busy>Save</FormButtons>));
    expect(screen.getByRole('button', { name: /Save/ })).toBeDisabled();
  });
});
