// filter-heatmap: pass rate per group across the latest runs matching a set
// of filters. The API's labels are positions in its run list and differ
// between groups, so the columns line up by recency instead.
import type { HeatmapData } from './model';
import { HeatmapWidget } from './HeatmapTable';
import type { WidgetRendererProps } from './types';

export type FilterHeatmapProps = WidgetRendererProps<HeatmapData>;

export function FilterHeatmap(props: FilterHeatmapProps) {
  return <HeatmapWidget widget={props} mode="position" columnLabel="Run" defaultTitle="Filtered heatmap" columns="matching runs" />;
}

export default FilterHeatmap;
