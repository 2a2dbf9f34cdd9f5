// Widget id → lazily loaded renderer (see index.ts).
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { WidgetRendererProps } from './types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Renderer = LazyExoticComponent<ComponentType<WidgetRendererProps<any>>>;

export interface WidgetDefinition {
  component: Renderer;
  /** Wide widgets (tables with many columns) take a larger grid cell. */
  wide?: boolean;
}

export const widgetRenderers: Record<string, WidgetDefinition> = {
  'jenkins-heatmap': { component: lazy(() => import('./JenkinsHeatmap')), wide: true },
  'filter-heatmap': { component: lazy(() => import('./FilterHeatmap')), wide: true },
  'result-summary': { component: lazy(() => import('./ResultSummary')) },
  'result-aggregator': { component: lazy(() => import('./ResultAggregator')) },
  'run-aggregator': { component: lazy(() => import('./RunAggregator')) },
  'jenkins-bar-chart': { component: lazy(() => import('./JenkinsBarChart')), wide: true },
  'jenkins-line-chart': { component: lazy(() => import('./JenkinsLineChart')) },
  'importance-component': { component: lazy(() => import('./ImportanceComponent')), wide: true },
  'run-matrix': { component: lazy(() => import('./RunMatrix')), wide: true },
  'flaky-tests': { component: lazy(() => import('./FlakyTests')), wide: true },
  'accessibility-bar-chart': { component: lazy(() => import('./AccessibilityBarChart')) },
};
