// filter-heatmap: pass rate per group across the latest runs matching a set
// of filters. The API's labels are positions in its run list and differ
// between groups, so the columns line up by recency instead.
import { useMemo } from 'react';
import { HeatmapTable } from './HeatmapTable';
import { heatmapView, type HeatmapData } from './model';
import { linkProject, type WidgetRendererProps } from './types';

export type FilterHeatmapProps = WidgetRendererProps<HeatmapData>;

export function FilterHeatmap(props: FilterHeatmapProps) {
  const view = useMemo(() => heatmapView(props.data, 'position'), [props.data]);
  const group = String(props.params.group_field || 'component');
  return (
    <HeatmapTable
      view={view}
      groupLabel={group}
      columnLabel="Run"
      projectId={linkProject(props)}
      title={props.title ?? 'Filtered heatmap'}
      caption={`Pass rate by ${group} for the latest matching runs, oldest first`}
    />
  );
}

export default FilterHeatmap;
