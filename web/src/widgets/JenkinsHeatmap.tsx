// jenkins-heatmap: pass rate per group (component by default) across the
// latest builds of a Jenkins job, with a trend column.
import { useMemo } from 'react';
import { HeatmapTable } from './HeatmapTable';
import { heatmapView, type HeatmapData } from './model';
import { linkProject, type WidgetRendererProps } from './types';

export type JenkinsHeatmapProps = WidgetRendererProps<HeatmapData>;

export function JenkinsHeatmap(props: JenkinsHeatmapProps) {
  const view = useMemo(() => heatmapView(props.data, 'build'), [props.data]);
  const group = String(props.params.group_field || 'component');
  const job = props.params.job_name ? ` of ${String(props.params.job_name)}` : '';
  return (
    <HeatmapTable
      view={view}
      groupLabel={group}
      columnLabel="Build"
      projectId={linkProject(props)}
      title={props.title ?? 'Jenkins heatmap'}
      caption={`Pass rate by ${group} for the latest builds${job}, oldest first`}
    />
  );
}

export default JenkinsHeatmap;
