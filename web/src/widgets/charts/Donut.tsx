// A donut with the total in the middle and an HTML legend with the numbers.
import { ChartDonut, ChartTooltip } from '@patternfly/react-charts/victory';
import type { LegendItem } from '../model';
import { Legend } from './Legend';
import '../widgets.css';

export interface DonutProps {
  items: LegendItem[];
  total: number;
  subTitle: string;
  title: string;
}

export function Donut({ items, total, subTitle, title }: DonutProps) {
  const desc = items.map((i) => `${i.label}: ${i.value}`).join(', ');
  return (
    <div className="ibutsu-chart-with-legend">
      <div className="ibutsu-chart">
        <ChartDonut
          ariaTitle={title}
          ariaDesc={`${subTitle}: ${total}. ${desc}`}
          constrainToVisibleArea
          data={items.map((i) => ({ x: i.label, y: i.value }))}
          colorScale={items.map((i) => i.color)}
          labels={({ datum }: { datum: { x: string; y: number } }) => `${datum.x}: ${datum.y}`}
          labelComponent={<ChartTooltip constrainToVisibleArea />}
          title={String(total)}
          subTitle={subTitle}
          width={200}
          height={200}
          padding={8}
          innerRadius={68}
        />
      </div>
      <Legend items={items} total={total} label={`${title} legend`} />
    </div>
  );
}
