// jenkins-heatmap: pass rate per group (component by default) across the
// latest builds of a Jenkins job, with a trend column.
import type { HeatmapData } from './model';
import { HeatmapWidget } from './HeatmapTable';
import type { WidgetRendererProps } from './types';

export type JenkinsHeatmapProps = WidgetRendererProps<HeatmapData>;

export function JenkinsHeatmap(props: JenkinsHeatmapProps) {
  const job = props.params.job_name ? ` of ${String(props.params.job_name)}` : '';
  return <HeatmapWidget widget={props} mode="build" columnLabel="Build" defaultTitle="Jenkins heatmap" columns={`builds${job}`} />;
}

export default JenkinsHeatmap;
