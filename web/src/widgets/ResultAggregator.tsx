// result-aggregator: result counts per group value (result, env,
// metadata.assignee, ...): a donut for a handful of groups, horizontal bars
// when there are many; with for_filter the API sends only the distinct
// values, shown as a list.
import { useMemo } from 'react';
import { Label, LabelGroup } from '@patternfly/react-core';
import { Chart, ChartAxis, ChartBar } from '@patternfly/react-charts/victory';
import { Donut } from './charts/Donut';
import { DataTable } from './charts/DataTable';
import { useWidth } from './charts/useWidth';
import { resultAggregatorView, type ResultAggregatorData } from './model';
import type { WidgetRendererProps } from './types';
import './widgets.css';

export type ResultAggregatorProps = WidgetRendererProps<ResultAggregatorData>;

/** More groups than this are drawn as bars (a donut gets unreadable). */
export const DONUT_MAX_GROUPS = 8;
/** Bars shown at most; the rest are summarised. */
export const BAR_MAX_GROUPS = 20;

export function ResultAggregator({ data, params, title }: ResultAggregatorProps) {
  const groupField = String(params.group_field || 'result');
  const v = useMemo(() => resultAggregatorView(data, groupField), [data, groupField]);
  const [ref, width] = useWidth<HTMLDivElement>();
  const name = title ?? 'Result aggregation';
  if (v.distinctOnly) {
    return (
      <LabelGroup categoryName={groupField} numLabels={20} aria-label={`${name}: values of ${groupField}`}>
        {v.items.map((i) => (
          <Label key={i.key} isCompact>
            {i.label}
          </Label>
        ))}
      </LabelGroup>
    );
  }
  if (v.items.length <= DONUT_MAX_GROUPS) {
    return <Donut items={v.items} total={v.total} subTitle="Results" title={name} />;
  }
  const items = v.items.slice(0, BAR_MAX_GROUPS);
  const longest = Math.max(3, ...items.map((i) => i.label.length));
  const left = Math.min(Math.round(width * 0.55), 24 + longest * 7.5);
  const fit = Math.max(6, Math.floor((left - 24) / 7.5));
  // Middle ellipsis: test ids differ at both ends (tests.<module>.<name>).
  const short = (s: string) => (s.length > fit ? `${s.slice(0, Math.ceil((fit - 1) / 2))}…${s.slice(-Math.floor((fit - 1) / 2))}` : s);
  return (
    <div>
      <div className="ibutsu-chart" ref={ref}>
        <Chart
          ariaTitle={name}
          ariaDesc={items.map((i) => `${i.label}: ${i.value}`).join(', ')}
          horizontal
          domainPadding={{ x: 12 }}
          padding={{ top: 8, bottom: 48, left, right: 40 }}
          width={width}
          height={Math.max(150, 60 + items.length * 24)}
        >
          <ChartAxis tickFormat={(t: string) => short(String(t))} />
          <ChartAxis
            dependentAxis
            showGrid
            label="Results"
            style={{ axisLabel: { padding: 32 } }}
            tickCount={Math.max(2, Math.floor((width - left - 40) / 56))}
            tickFormat={(t: number) => (Number.isInteger(t) ? String(t) : '')}
          />
          <ChartBar
            data={[...items].reverse().map((i) => ({ x: i.label, y: i.value }))}
            style={{ data: { fill: 'var(--pf-t--global--color--nonstatus--blue--300)' } }}
            barWidth={16}
            labels={({ datum }: { datum: { y: number } }) => String(datum.y)}
          />
        </Chart>
      </div>
      {v.items.length > items.length && (
        <p className="ibutsu-legend__share" style={{ fontSize: 'var(--pf-t--global--font--size--sm)' }}>
          The {items.length} largest of {v.items.length} groups ({v.total} results in all).
        </p>
      )}
      <DataTable caption={name} columns={[groupField, 'Results']} rows={v.items.map((i) => ({ label: i.label, values: [i.value] }))} />
    </div>
  );
}

export default ResultAggregator;
