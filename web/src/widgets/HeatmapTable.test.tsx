import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { JenkinsHeatmap } from './JenkinsHeatmap';
import { WidgetRenderer } from './WidgetView';
import { widgetQuery } from './WidgetView';

const data = {
  heatmap: {
    api: [
      [-4, 0],
      [90, 'run-a2', null, '2'],
      ['Build failed', 'None', null, '3'],
    ],
    web: [
      [100, 0],
      [100, 'run-w2', null, '2'],
      [66.666, 'run-w3', null, '3'],
    ],
  },
} as const;

describe('JenkinsHeatmap', () => {
  it('renders a table with a trend column and cells linking to runs', () => {
    render(
      <MemoryRouter>
        <JenkinsHeatmap data={data as never} params={{ group_field: 'component', job_name: 'nightly' }} projectId="p1" title="Nightly" />
      </MemoryRouter>,
    );
    const table = screen.getByRole('table', { name: 'Nightly' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(
      within(rows[0])
        .getAllByRole('columnheader')
        .map((c) => c.textContent),
    ).toEqual(['component', 'Trend', 'Build 2', 'Build 3']);
    const api = within(rows[1]);
    expect(api.getByRole('rowheader').textContent).toBe('api');
    expect(api.getByText('Declining (slope -4)')).toBeInTheDocument();
    expect(api.getByRole('link', { name: '90%' })).toHaveAttribute('href', '/project/p1/runs/run-a2');
    expect(api.getByText('n/a')).toBeInTheDocument();
    const web = within(rows[2]);
    expect(web.getByText('All passing (slope 100)')).toBeInTheDocument();
    expect(web.getByRole('link', { name: '66%' }).closest('td')).toHaveClass('ibutsu-heat--mid');
  });
});

describe('WidgetRenderer', () => {
  it('shows an empty state for empty data and a note for unknown widgets', () => {
    const { rerender } = render(
      <MemoryRouter>
        <WidgetRenderer widget="jenkins-heatmap" data={{ heatmap: {} }} params={{}} />
      </MemoryRouter>,
    );
    expect(screen.getByText('No data')).toBeInTheDocument();
    rerender(
      <MemoryRouter>
        <WidgetRenderer widget="jenkins-job-view" data={{}} params={{}} />
      </MemoryRouter>,
    );
    expect(screen.getByText(/has no renderer/)).toBeInTheDocument();
  });
});

describe('widgetQuery', () => {
  it('repeats lists, keeps booleans and drops empty values', () => {
    expect(widgetQuery({ columns: ['component', 'env'], count_skips: false, builds: 5, job_name: '', project: null })).toEqual({
      columns: ['component', 'env'],
      count_skips: false,
      builds: 5,
    });
  });
});
