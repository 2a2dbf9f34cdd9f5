// jenkins-bar-chart: result counts per build of a Jenkins job, stacked by
// status, oldest build on the left.
import { useMemo } from 'react';
import { StackedBars } from './charts/StackedBars';
import { stackedView, type StackedData } from './model';
import type { WidgetRendererProps } from './types';

export type JenkinsBarChartProps = WidgetRendererProps<StackedData>;

export function JenkinsBarChart({ data, title }: JenkinsBarChartProps) {
  const v = useMemo(() => stackedView(data), [data]);
  return <StackedBars categories={v.categories} series={v.series} title={title ?? 'Jenkins bar chart'} categoryLabel="Build" valueLabel="Results" />;
}

export default JenkinsBarChart;
