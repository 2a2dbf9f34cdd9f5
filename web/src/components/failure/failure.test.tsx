import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Result } from '../../api/types';
import { failureDetail, failureReason, MAX_INLINE_TRACEBACK, MAX_REASON_DETAIL, readTextHead } from './failure';
import { FailureReason } from './FailureReason';
import { ResultSummaryTab } from '../../pages/results/result/ResultSummaryTab';

// The artifact list comes through api(); the artifact's bytes through fetch.
const artifacts: { id: string; filename: string }[] = [];
vi.mock('../../api/client', async (orig) => ({
  ...(await orig<typeof import('../../api/client')>()),
  api: vi.fn(async (path: string) => {
    if (path === 'artifact') return { artifacts, pagination: { page: 1, pageSize: 100, totalItems: artifacts.length, totalPages: 1 } };
    throw new Error(`unexpected ${path}`);
  }),
}));

const bodies: Record<string, string> = {};
const fetched: string[] = [];
beforeEach(() => {
  artifacts.length = 0;
  fetched.length = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      fetched.push(url);
      const b = bodies[url];
      return b === undefined ? new Response('nope', { status: 404 }) : new Response(b, { status: 200 });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const junit = (md: Record<string, unknown>, result = 'failed') => ({ id: 'res-1', test_id: 'T.bad', result, metadata: md }) as Result;

describe('failureReason', () => {
  it('joins the exception name and the message, without repeating the name', () => {
    expect(failureReason(junit({ exception_name: 'AssertionError', short_tb: 'expected 1, got 2' }))).toBe('AssertionError: expected 1, got 2');
    expect(failureReason(junit({ exception_name: 'AssertionError', short_tb: 'AssertionError: x\nmore' }))).toBe('AssertionError: x');
    expect(failureReason(junit({ exception_name: 'Boom' }))).toBe('Boom');
    expect(failureReason(junit({ short_tb: '  panic: nil map\n  at main.go:3' }))).toBe('panic: nil map');
    expect(failureReason(junit({}))).toBe('');
  });
  it("picks pytest-ibutsu's E line from its short traceback", () => {
    const shortTb = "    def test_x():\n>       assert 1 == 2\nE       assert 1 == 2\n\ntests/test_a.py:3: AssertionError\nAssertionError\nb'assert 1 == 2'";
    expect(failureReason(junit({ exception_name: 'AssertionError', short_tb: shortTb }))).toBe('AssertionError: assert 1 == 2');
    expect(failureDetail(junit({ short_tb: shortTb }))).not.toContain('E       assert');
  });
  it('gives the rest of the message, bounded', () => {
    expect(failureDetail(junit({ short_tb: 'first\nsecond\nthird' }))).toBe('second\nthird');
    expect(failureDetail(junit({ short_tb: 'one line' }))).toBe('');
    expect(failureDetail(junit({ short_tb: 'x\n' + 'y'.repeat(1000) })).length).toBe(MAX_REASON_DETAIL + 1);
  });
});

describe('FailureReason (classify tab Reason column)', () => {
  it('shows the message, not only the exception type', () => {
    const { container } = render(<FailureReason result={junit({ exception_name: 'AssertionError', short_tb: 'expected 1, got 2\nassert 1 == 2' })} />);
    expect(screen.getByText('AssertionError: expected 1, got 2')).toBeInTheDocument();
    expect(screen.getByText('assert 1 == 2')).toBeInTheDocument();
    expect(container.querySelector('[title]')?.getAttribute('title')).toBe('AssertionError: expected 1, got 2\nassert 1 == 2');
  });
  it('shows a dash without a reason', () => {
    render(<FailureReason result={junit({})} />);
    expect(screen.getByText('–')).toBeInTheDocument();
  });
});

describe('readTextHead', () => {
  it('reads at most maxBytes and says it cut', async () => {
    bodies['/api/artifact/big/view'] = 'a'.repeat(5000);
    const head = await readTextHead('artifact/big/view', 1000);
    expect(head.text.length).toBe(1000);
    expect(head.truncated).toBe(true);
    bodies['/api/artifact/small/view'] = 'short';
    expect(await readTextHead('artifact/small/view', 1000)).toEqual({ text: 'short', truncated: false });
  });
});

describe('ResultSummaryTab failure section', () => {
  const renderTab = (r: Result) =>
    render(
      <MemoryRouter>
        <ResultSummaryTab result={r} base="/project/p1" onChange={() => {}} />
      </MemoryRouter>,
    );

  it('shows a JUnit failure message and the traceback.log text inline', async () => {
    artifacts.push({ id: 'art-out', filename: 'system-out.log' }, { id: 'art-tb', filename: 'traceback.log' });
    bodies['/api/artifact/art-tb/view'] = 'Traceback (most recent call last):\n  File "t.py", line 3\nAssertionError: expected 1, got 2';
    renderTab(junit({ exception_name: 'AssertionError', short_tb: 'expected 1, got 2' }));
    expect(screen.getByTestId('failure-reason')).toHaveTextContent('AssertionError: expected 1, got 2');
    // A one-line message is the reason; it is not repeated in a code block.
    expect(screen.queryByLabelText('Short traceback')).not.toBeInTheDocument();
    const text = await screen.findByTestId('failure-text');
    expect(text).toHaveTextContent('File "t.py", line 3');
    expect(fetched).toEqual(['/api/artifact/art-tb/view']);
    expect(screen.queryByText(/Showing the first/)).not.toBeInTheDocument();
  });

  it('bounds a long failure text and offers the download', async () => {
    artifacts.push({ id: 'art-tb', filename: 'traceback.log' });
    bodies['/api/artifact/art-tb/view'] = 'x'.repeat(MAX_INLINE_TRACEBACK + 10);
    renderTab(junit({ short_tb: 'boom' }, 'error'));
    const text = await screen.findByTestId('failure-text');
    expect(text.textContent?.length).toBeLessThanOrEqual(MAX_INLINE_TRACEBACK);
    expect(screen.getByText(/Showing the first 64 KiB of traceback.log/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download all of it' })).toBeInTheDocument();
  });

  it('does not fetch the artifact when metadata has the traceback or the result passed', async () => {
    artifacts.push({ id: 'art-tb', filename: 'traceback.log' });
    renderTab(junit({ short_tb: 'E   assert 1 == 2', traceback: 'full pytest traceback' }));
    expect(screen.getByTestId('traceback')).toHaveTextContent('full pytest traceback');
    cleanup();
    renderTab(junit({}, 'passed'));
    expect(screen.queryByText('Failure')).not.toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 50));
    expect(fetched).toEqual([]);
  });
});
