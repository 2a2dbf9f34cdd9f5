// What a chart of series over categories shows beside its drawing: the
// legend (a swatch and the label of each series) and the numbers as a
// visually hidden table, one row a category. The stacked bars and the line
// chart share it.
import { seriesValue, type ChartSeries } from '../model';
import { DataTable } from './DataTable';
import { Legend } from './Legend';

export interface SeriesKeyProps {
  /** The chart's name: the legend is "<title> legend". */
  title: string;
  /** The hidden table's caption; defaults to title. */
  caption?: string;
  /** The header of the table's first column (what a category is: "Build"). */
  categoryLabel: string;
  categories: string[];
  series: ChartSeries[];
  /** Formats a value for the table ("12", "2 h"). */
  format: (v: number) => string;
}

export function SeriesKey({ title, caption = title, categoryLabel, categories, series, format }: SeriesKeyProps) {
  return (
    <>
      <Legend items={series.map((s) => ({ key: s.key, label: s.label, color: s.color, value: 0 }))} row label={`${title} legend`} />
      <DataTable
        caption={caption}
        columns={[categoryLabel, ...series.map((s) => s.label)]}
        rows={categories.map((c) => ({ label: c, values: series.map((s) => format(seriesValue(s, c))) }))}
      />
    </>
  );
}
