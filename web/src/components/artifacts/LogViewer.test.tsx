import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { LogViewer } from './LogViewer';

const text = Array.from({ length: 500 }, (_, i) => `line ${i}${i === 420 ? ' ERROR boom' : ''}`).join('\n');

afterEach(cleanup);

describe('LogViewer', () => {
  it('renders only the lines in view, with numbers', () => {
    const { container } = render(<LogViewer text={text} label="run.log" />);
    const lines = container.querySelectorAll('[data-line]');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(100);
    expect(lines[0].textContent).toBe('1line 0');
    expect(screen.getByText('500 lines')).toBeInTheDocument();
  });
  it('highlights matches and brings the current one into the rendered window', () => {
    const { container } = render(<LogViewer text={text} label="run.log" />);
    fireEvent.change(screen.getByRole('textbox', { name: 'Search run.log' }), { target: { value: 'error' } });
    const current = container.querySelector('mark.ibutsu-log__match--current');
    expect(current?.textContent).toBe('ERROR');
    expect(current?.closest('[data-line]')?.getAttribute('data-line')).toBe('421');
    expect(screen.getByText('Match 1 of 1, line 421')).toBeInTheDocument();
  });
  it('reports a bad regular expression', () => {
    render(<LogViewer text={text} label="run.log" />);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Regular expression' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Search run.log' }), { target: { value: '(' } });
    expect(screen.getByText(/Invalid regular expression/)).toBeInTheDocument();
  });
});
