import { describe, expect, it } from 'vitest';
import {
  compareLabels,
  emptyReason,
  formatHours,
  formatPassPercent,
  heatLevel,
  heatmapView,
  importanceView,
  lineChartView,
  resultAggregatorView,
  resultSummaryView,
  runMatrixView,
  seriesDesc,
  stackedView,
  trendKind,
  type HeatmapData,
} from './model';

// Shapes as the API returns them for the e2e seed data.
const jenkins: HeatmapData = {
  heatmap: {
    frontend: [
      [-4, 0],
      [80, 'r-f2', null, '2'],
      [70, 'r-f3', null, '3'],
      [60, 'r-f10', [{ name: 'bug', value: 'X-1' }], '10'],
    ],
    api: [
      [100, 0],
      [100, 'r-a2', null, '2'],
      ['Build failed', 'None', null, '3'],
      [100, 'r-a10', null, '10'],
    ],
  },
};

describe('heatmapView (jenkins, by build)', () => {
  const v = heatmapView(jenkins, 'build');
  it('lines builds up numerically, oldest first', () => {
    expect(v.columns).toEqual(['2', '3', '10']);
  });
  it('sorts groups and reads the trend from the first entry', () => {
    expect(v.rows.map((r) => r.group)).toEqual(['api', 'frontend']);
    expect(v.rows[1].slope).toBe(-4);
    expect(v.rows[1].trend).toBe('down');
    expect(v.rows[0].trend).toBe('perfect');
  });
  it('keeps the percent and run of each cell, and marks failed builds', () => {
    const f = v.rows[1].cells;
    expect(f.map((c) => c?.percent)).toEqual([80, 70, 60]);
    expect(f[0]?.runId).toBe('r-f2');
    expect(f[2]?.annotations).toEqual(['bug: X-1']);
    expect(f[2]?.level).toBe('mid');
    const failed = v.rows[0].cells[1];
    expect(failed?.percent).toBeNull();
    expect(failed?.runId).toBeNull();
    expect(failed?.level).toBe('none');
  });
  it('leaves a gap where a group has no entry for a build', () => {
    const w = heatmapView(
      {
        heatmap: {
          a: [
            [0, 0],
            [50, 'x', null, '1'],
          ],
          b: [
            [0, 0],
            [50, 'y', null, '2'],
          ],
        },
      },
      'build',
    );
    expect(w.columns).toEqual(['1', '2']);
    expect(w.rows[0].cells[1]).toBeNull();
    expect(w.rows[1].cells[0]).toBeNull();
  });
  it('copes with no data', () => {
    expect(heatmapView({ heatmap: {} }, 'build')).toEqual({ columns: [], rows: [] });
    expect(heatmapView(undefined, 'position')).toEqual({ columns: [], rows: [] });
  });
});

describe('heatmapView (filter, by position)', () => {
  it('right-aligns rows so the newest runs share the last column', () => {
    const v = heatmapView(
      {
        heatmap: {
          a: [
            [-0.25, 0],
            [80, 'a1', null, '14'],
            [70, 'a2', null, '11'],
            [70, 'a3', null, '2'],
          ],
          b: [
            [0, 0],
            [90, 'b1', null, '3'],
          ],
        },
      },
      'position',
    );
    expect(v.columns).toEqual(['1', '2', '3']);
    expect(v.rows[0].cells.map((c) => c?.runId)).toEqual(['a1', 'a2', 'a3']);
    expect(v.rows[1].cells.map((c) => c?.runId ?? null)).toEqual([null, null, 'b1']);
    expect(v.rows[0].cells[0]?.label).toBe('14');
  });
});

describe('trend and heat bands', () => {
  it('maps slopes as upstream does', () => {
    expect(trendKind(-0.1)).toBe('down');
    expect(trendKind(0)).toBe('flat');
    expect(trendKind(1)).toBe('flat');
    expect(trendKind(1.5)).toBe('up');
    expect(trendKind(100)).toBe('perfect');
  });
  it('bands pass rates at 50 and 85', () => {
    expect(heatLevel(49.99)).toBe('low');
    expect(heatLevel(50)).toBe('mid');
    expect(heatLevel(85)).toBe('mid');
    expect(heatLevel(85.01)).toBe('high');
    expect(heatLevel(null)).toBe('none');
  });
  it('formats percentages with the UI rounding rule (whole percent, down)', () => {
    expect(formatPassPercent(70)).toBe('70%');
    expect(formatPassPercent(66.666)).toBe('66%');
    expect(formatPassPercent(87.5)).toBe('87%');
    expect(formatPassPercent(null)).toBe('n/a');
  });
  it('compares build labels as numbers', () => {
    expect(['10', '9', 'b', '100', 'a'].sort(compareLabels)).toEqual(['9', '10', '100', 'a', 'b']);
  });
});

describe('result summary and aggregator', () => {
  it('keeps statuses with a count, in status order, and the total', () => {
    const v = resultSummaryView({ error: 16, failed: 26, passed: 134, skipped: 4, total: 180, xfailed: 0, xpassed: 0 });
    expect(v.total).toBe(180);
    expect(v.items.map((i) => [i.key, i.value])).toEqual([
      ['passed', 134],
      ['failed', 26],
      ['error', 16],
      ['skipped', 4],
    ]);
  });
  it('labels result groups as statuses and other groups as they are', () => {
    const r = resultAggregatorView(
      [
        { _id: 'passed', count: 134 },
        { _id: 'failed', count: 26 },
      ],
      'result',
    );
    expect(r.items.map((i) => [i.label, i.value])).toEqual([
      ['Passed', 134],
      ['Failed', 26],
    ]);
    expect(r.total).toBe(160);
    expect(r.items[0].color).toContain('success');
    const e = resultAggregatorView(
      [
        { _id: 'prod', count: 3 },
        { _id: null, count: 1 },
      ],
      'env',
    );
    expect(e.items.map((i) => i.label)).toEqual(['prod', 'None']);
  });
  it('recognises for_filter answers (values without counts)', () => {
    expect(resultAggregatorView([{ _id: 'a' }, { _id: 'b' }], 'env').distinctOnly).toBe(true);
  });
});

describe('stacked and line charts', () => {
  it('builds one series per non-zero status over sorted categories', () => {
    const v = stackedView({
      passed: { '10': 20, '2': 25 },
      failed: { '10': 5, '2': 3 },
      error: { '10': 0, '2': 0 },
      skipped: {},
      xfailed: { '10': 0, '2': 0 },
      xpassed: { '10': 0, '2': 0 },
    });
    expect(v.categories).toEqual(['2', '10']);
    expect(v.series.map((s) => s.key)).toEqual(['passed', 'failed']);
    expect(v.series[0].points).toEqual([
      { x: '2', y: 25 },
      { x: '10', y: 20 },
    ]);
  });
  it('reads durations and the optional total execution time', () => {
    const v = lineChartView({ duration: { '1': 2, '2': 2.5 }, total_execution_time: { '1': 0.01, '2': 0.02 } });
    expect(v.categories).toEqual(['1', '2']);
    expect(v.series.map((s) => s.key)).toEqual(['duration', 'total_execution_time']);
    expect(lineChartView({ duration: { '1': 1 } }).series).toHaveLength(1);
  });
  it('describes every category with each series value for screen readers', () => {
    const line = lineChartView({ duration: { '1': 2, '2': 2.5 }, total_execution_time: { '1': 0.01 } });
    expect(seriesDesc(line.categories, line.series, formatHours, 'Build ')).toBe(
      'Build 1: Duration 2 h, Total execution time 0.01 h; Build 2: Duration 2.5 h, Total execution time 0 h',
    );
    const bars = stackedView({ passed: { a: 3 }, failed: { b: 1 } });
    expect(seriesDesc(bars.categories, bars.series, String)).toBe('a: Passed 3, Failed 0; b: Passed 0, Failed 1');
  });
});

describe('importance and run matrix', () => {
  it('turns fractions into percents and N/A into gaps, builds sorted', () => {
    const [t] = importanceView({
      table_data: [
        {
          component: 'frontend',
          bnums: ['5', '4'],
          importances: ['critical', 'high', 'medium', 'low'],
          data: {
            '4': {
              critical: { percentage: 0.5, result_list: ['a', 'b'] },
              high: { percentage: 'N/A', result_list: [] },
              medium: { percentage: 1, result_list: ['c'] },
              low: { percentage: 'NA', result_list: [] },
            },
            '5': {
              critical: { percentage: 0.83, result_list: ['d'] },
              high: { percentage: 'N/A', result_list: [] },
              medium: { percentage: 0, result_list: ['e'] },
              low: { percentage: 'N/A', result_list: [] },
              null: { percentage: 1, result_list: ['f'] },
            },
          },
        },
      ],
    });
    expect(t.builds).toEqual(['4', '5']);
    expect(t.rows.map((r) => r.importance)).toEqual(['critical', 'high', 'medium', 'low', 'null']);
    expect(t.rows[0].cells.map((c) => c.percent)).toEqual([50, 83]);
    expect(t.rows[1].cells[0].percent).toBeNull();
    expect(t.rows[0].cells[0].results).toBe(2);
  });
  it('groups run-matrix columns by field', () => {
    const v = runMatrixView({
      columns: [
        { field: 'component', value: 'api' },
        { field: 'component', value: 'ui' },
        { field: 'env', value: 'prod' },
      ],
      rows: [{ run_id: 'r1', start_time: 't', project_id: null, cells: [{ percent: 70, passed: 7, total: 10 }, null, { percent: 40, passed: 4, total: 10 }] }],
    });
    expect(v.fields).toEqual([
      { field: 'component', span: 2 },
      { field: 'env', span: 1 },
    ]);
    expect(v.rows[0].cells[1]).toBeNull();
    expect(v.rows[0].cells[2]?.level).toBe('low');
  });
});

describe('emptyReason', () => {
  it('explains empty data per widget and accepts data with content', () => {
    expect(emptyReason('jenkins-heatmap', { heatmap: {} })).toMatch(/job name/);
    expect(emptyReason('jenkins-heatmap', jenkins)).toBeNull();
    expect(emptyReason('result-aggregator', [])).not.toBeNull();
    expect(emptyReason('result-summary', { passed: 0, failed: 0, error: 0, skipped: 0, xfailed: 0, xpassed: 0, total: 0 })).not.toBeNull();
    expect(emptyReason('run-matrix', { columns: [], rows: [] })).not.toBeNull();
    expect(emptyReason('jenkins-line-chart', { duration: {} })).not.toBeNull();
    expect(emptyReason('anything', null)).not.toBeNull();
  });
});
