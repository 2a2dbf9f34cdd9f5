import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { HashTabs, tabFromHash } from './HashTabs';

afterEach(cleanup);

const KEYS = ['summary', 'json'] as const;

describe('tabFromHash', () => {
  it('takes a known hash, else the first tab', () => {
    expect(tabFromHash('#json', KEYS)).toBe('json');
    expect(tabFromHash('', KEYS)).toBe('summary');
    expect(tabFromHash('#nope', KEYS)).toBe('summary');
  });
});

function Where() {
  const l = useLocation();
  return (
    <output data-testid="where">
      {l.search}
      {l.hash}
    </output>
  );
}

describe('HashTabs', () => {
  it('shows the tab in the hash and keeps the query when switching', async () => {
    render(
      <MemoryRouter initialEntries={['/run/1?x=1#json']}>
        <HashTabs
          aria-label="Sections"
          tabs={[
            { key: 'summary', title: 'Summary', body: <p>the summary</p> },
            { key: 'json', title: 'JSON', body: <p>the json</p> },
          ]}
        />
        <Where />
      </MemoryRouter>,
    );
    expect(screen.getByText('the json')).toBeInTheDocument();
    expect(screen.queryByText('the summary')).toBeNull();
    await userEvent.setup().click(screen.getByRole('tab', { name: 'Summary' }));
    expect(screen.getByText('the summary')).toBeInTheDocument();
    expect(screen.getByTestId('where')).toHaveTextContent('?x=1#summary');
  });
});
