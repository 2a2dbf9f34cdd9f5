// Widget id → renderer. Renderers are loaded on demand (React.lazy) so the
// chart library stays out of the initial bundle; render them inside
// <Suspense>, or use <WidgetView> (fetch + states + renderer) or
// <WidgetRenderer> (renderer for data you already have).
//
//   import { WidgetView } from '../../widgets';
//   <WidgetView widget="jenkins-heatmap" params={{ job_name, builds: 10, group_field: 'component', project }} />
export type { WidgetRendererProps, WidgetParams } from './types';
export { widgetRenderers, type WidgetDefinition } from './registry';
export * from './model';
export { WidgetView, WidgetRenderer, widgetQuery } from './WidgetView';
export { HeatmapTable } from './HeatmapTable';
