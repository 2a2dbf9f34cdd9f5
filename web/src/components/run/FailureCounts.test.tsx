import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { FailureCounts, failureCounts } from './FailureCounts';

afterEach(cleanup);

describe('FailureCounts', () => {
  it('reads failures and errors as numbers, whatever the summary holds', () => {
    expect(failureCounts({ failures: 3, errors: 1 })).toEqual({ failed: 3, errors: 1 });
    expect(failureCounts({ failures: 'n/a' as unknown as number })).toEqual({ failed: 0, errors: 0 });
    expect(failureCounts(null)).toEqual({ failed: 0, errors: 0 });
  });
  it('writes the counts, or says there are none', () => {
    render(<FailureCounts summary={{ failures: 2, errors: 1 }} />);
    expect(screen.getByTestId('run-failures').textContent).toBe('2 failed · 1 error');
    cleanup();
    render(<FailureCounts summary={{ errors: 4 }} />);
    expect(screen.getByTestId('run-failures').textContent).toBe('4 errors');
    cleanup();
    render(<FailureCounts summary={{ passes: 9 }} />);
    expect(screen.getByTestId('run-failures').textContent).toBe('no failures');
  });
});
