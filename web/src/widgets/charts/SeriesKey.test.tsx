import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { formatHours, lineChartView, stackedView } from '../model';
import { JenkinsLineChart } from '../JenkinsLineChart';
import { StackedBars } from './StackedBars';
import { SeriesKey } from './SeriesKey';

afterEach(cleanup);

/** The hidden table's caption, header and rows as text. */
function table(caption: string): string[][] {
  const t = [...document.querySelectorAll('caption')].find((c) => c.textContent === caption)?.closest('table');
  if (!t) throw new Error(`no table captioned ${caption}`);
  return [...t.rows].map((r) => [...r.cells].map((c) => c.textContent ?? ''));
}

function legend(label: string): string[] {
  return within(screen.getByRole('list', { name: label }))
    .getAllByRole('listitem')
    .map((li) => li.textContent ?? '');
}

describe('SeriesKey', () => {
  it('takes a caption of its own and formats each value', () => {
    const v = lineChartView({ duration: { '1': 2 } });
    render(<SeriesKey title="T" caption="T (hours)" categoryLabel="Build" categories={['1', '2']} series={v.series} format={formatHours} />);
    expect(legend('T legend')).toEqual(['Duration']);
    expect(table('T (hours)')).toEqual([
      ['Build', 'Duration'],
      ['1', '2 h'],
      ['2', '0 h'],
    ]);
  });
});

// The two charts that show a SeriesKey keep their legend and table. A
// chart's first render in jsdom takes seconds on a busy two-core machine,
// so these tests get more than Vitest's default 5 s.
const chartRender = 20_000;

describe('charts with a series key', () => {
  it(
    'stacked bars',
    () => {
      const v = stackedView({ passed: { a: 3 }, failed: { b: 1 } });
      render(<StackedBars title="By group" categoryLabel="Group" valueLabel="Results" categories={v.categories} series={v.series} />);
      expect(legend('By group legend')).toEqual(['Passed', 'Failed']);
      expect(table('By group')).toEqual([
        ['Group', 'Passed', 'Failed'],
        ['a', '3', '0'],
        ['b', '0', '1'],
      ]);
    },
    chartRender,
  );
  it(
    'jenkins line chart',
    () => {
      const data = { duration: { '1': 2, '2': 2.5 }, total_execution_time: { '1': 0.01 } };
      expect(lineChartView(data).series).toHaveLength(2);
      render(<JenkinsLineChart data={data} params={{}} title="Nightly" />);
      expect(legend('Nightly legend')).toEqual(['Duration', 'Total execution time']);
      expect(table('Nightly (hours)')).toEqual([
        ['Build', 'Duration', 'Total execution time'],
        ['1', '2 h', '0.01 h'],
        ['2', '2.5 h', '0 h'],
      ]);
    },
    chartRender,
  );
});
