// jenkins-line-chart: how long each build of a Jenkins job took (wall-clock
// duration and, when it differs, the summed execution time), in hours.
import { useMemo } from 'react';
import { Chart, ChartAxis, ChartGroup, ChartLine, ChartScatter, ChartVoronoiContainer } from '@patternfly/react-charts/victory';
import { SeriesKey } from './charts/SeriesKey';
import { useWidth } from './charts/useWidth';
import { formatHours, lineChartView, seriesDesc, type LineChartData } from './model';
import type { WidgetRendererProps } from './types';
import './widgets.css';

export type JenkinsLineChartProps = WidgetRendererProps<LineChartData>;

export function JenkinsLineChart({ data, title }: JenkinsLineChartProps) {
  const v = useMemo(() => lineChartView(data), [data]);
  const [ref, width] = useWidth<HTMLDivElement>();
  const name = title ?? 'Jenkins line chart';
  const desc = seriesDesc(v.categories, v.series, formatHours, 'Build ');
  return (
    <div>
      <div className="ibutsu-chart" ref={ref}>
        <Chart
          ariaTitle={name}
          ariaDesc={desc}
          containerComponent={
            <ChartVoronoiContainer
              labels={({ datum }: { datum: { x: string; y: number; name: string } }) => `${datum.name}, build ${datum.x}: ${formatHours(datum.y)}`}
              constrainToVisibleArea
              voronoiBlacklist={v.series.map((s) => `${s.key}-points`)}
            />
          }
          padding={{ top: 16, bottom: 60, left: 72, right: 24 }}
          width={width}
          height={280}
          domainPadding={{ x: 8 }}
        >
          <ChartAxis label="Build" style={{ axisLabel: { padding: 40 } }} />
          <ChartAxis dependentAxis showGrid label="Hours" style={{ axisLabel: { padding: 56 } }} />
          <ChartGroup>
            {v.series.map((s) => (
              <ChartLine key={s.key} name={s.key} data={s.points.map((p) => ({ ...p, name: s.label }))} style={{ data: { stroke: s.color, strokeWidth: 2 } }} />
            ))}
          </ChartGroup>
          <ChartGroup>
            {v.series.map((s) => (
              <ChartScatter
                key={s.key}
                name={`${s.key}-points`}
                data={s.points.map((p) => ({ ...p, name: s.label }))}
                size={3}
                style={{ data: { fill: s.color } }}
              />
            ))}
          </ChartGroup>
        </Chart>
      </div>
      <SeriesKey title={name} caption={`${name} (hours)`} categoryLabel="Build" categories={v.categories} series={v.series} format={formatHours} />
    </div>
  );
}

export default JenkinsLineChart;
