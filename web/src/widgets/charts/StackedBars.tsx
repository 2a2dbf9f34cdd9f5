// Stacked bars, one stack per category (group or build), one colour per
// result status; the numbers are in a visually hidden table as well.
import { Chart, ChartAxis, ChartBar, ChartStack, ChartTooltip } from '@patternfly/react-charts/victory';
import { seriesDesc, type StackedSeries } from '../model';
import { SeriesKey } from './SeriesKey';
import { useWidth } from './useWidth';
import '../widgets.css';

export interface StackedBarsProps {
  categories: string[];
  series: StackedSeries[];
  title: string;
  /** Horizontal bars (groups on the y axis). */
  horizontal?: boolean;
  categoryLabel: string;
  valueLabel: string;
  /** Formats a value for tooltips and the table ("12", "75%"). */
  format?: (v: number) => string;
  maxDomain?: number;
}

export function StackedBars({ categories, series, title, horizontal = false, categoryLabel, valueLabel, format = String, maxDomain }: StackedBarsProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const longest = Math.max(3, ...categories.map((c) => c.length));
  const left = horizontal ? Math.min(160, 24 + longest * 7.5) : 64;
  const height = horizontal ? Math.max(150, 70 + categories.length * 36) : 280;
  const desc = seriesDesc(categories, series, format);
  return (
    <div>
      <div className="ibutsu-chart" ref={ref}>
        <Chart
          ariaTitle={title}
          ariaDesc={desc}
          horizontal={horizontal}
          domainPadding={{ x: horizontal ? 18 : 14 }}
          padding={{ top: 12, bottom: horizontal ? 56 : 60, left, right: 24 }}
          width={width}
          height={height}
          maxDomain={maxDomain !== undefined ? { y: maxDomain } : undefined}
        >
          <ChartAxis label={horizontal ? undefined : categoryLabel} style={{ axisLabel: { padding: 40 } }} />
          <ChartAxis
            dependentAxis
            showGrid
            label={valueLabel}
            style={{ axisLabel: { padding: horizontal ? 36 : 48 } }}
            tickCount={horizontal ? Math.max(2, Math.min(6, Math.floor((width - left - 24) / 48))) : undefined}
            tickFormat={(t: number) => (Number.isInteger(t) ? String(t) : '')}
          />
          <ChartStack horizontal={horizontal} colorScale={series.map((s) => s.color)}>
            {series.map((s) => (
              <ChartBar
                key={s.key}
                name={s.key}
                barWidth={horizontal ? 20 : Math.max(6, Math.min(32, (width - 120) / Math.max(1, categories.length) / 1.8))}
                data={s.points.map((p) => ({ ...p, name: s.label }))}
                labels={({ datum }: { datum: { x: string; y: number; name: string } }) => `${datum.name}: ${format(datum.y)}`}
                labelComponent={<ChartTooltip constrainToVisibleArea />}
              />
            ))}
          </ChartStack>
        </Chart>
      </div>
      <SeriesKey title={title} categoryLabel={categoryLabel} categories={categories} series={series} format={format} />
    </div>
  );
}
