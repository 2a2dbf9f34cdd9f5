// run-aggregator: the share of each result status per group (component by
// default) over the last weeks, as 100% stacked horizontal bars.
import { useMemo } from 'react';
import { formatPercent } from '../components/format';
import { StackedBars } from './charts/StackedBars';
import { stackedView, type StackedData } from './model';
import type { WidgetRendererProps } from './types';

export type RunAggregatorProps = WidgetRendererProps<StackedData>;

export function RunAggregator({ data, params, title }: RunAggregatorProps) {
  const v = useMemo(() => stackedView(data), [data]);
  return (
    <StackedBars
      categories={v.categories}
      series={v.series}
      title={title ?? 'Run aggregation'}
      horizontal
      categoryLabel={String(params.group_field || 'component')}
      valueLabel="Share of results (%)"
      format={(n) => formatPercent(n)}
      maxDomain={100}
    />
  );
}

export default RunAggregator;
