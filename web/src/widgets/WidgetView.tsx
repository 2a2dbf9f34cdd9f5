// Fetching and drawing one widget: GET /api/widget/<id>?<params>, then the
// loading / error / empty state or the renderer, inside an error boundary.
import { Suspense } from 'react';
import { Alert } from '@patternfly/react-core';
import { useApi } from '../api/useApi';
import type { QueryValue } from '../api/client';
import { Empty, ErrorState, Loading } from '../components/states';
import { WidgetErrorBoundary } from './WidgetErrorBoundary';
import { emptyReason } from './model';
import type { WidgetParams } from './types';
import { widgetRenderers } from './registry';

/** Widget params → query parameters: lists repeat the key, objects go as JSON, empty values are left out. */
export function widgetQuery(params: WidgetParams | null | undefined): Record<string, QueryValue> {
  const q: Record<string, QueryValue> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v === null || v === undefined || v === '') continue;
    if (Array.isArray(v)) {
      const items = v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).filter((x) => x !== '');
      if (items.length) q[k] = items;
    } else if (typeof v === 'object') q[k] = JSON.stringify(v);
    else q[k] = v as string | number | boolean;
  }
  return q;
}

export interface WidgetRendererHostProps {
  widget: string;
  data: unknown;
  params: WidgetParams;
  projectId?: string | null;
  title?: string;
}

/** Draws data you already have with the widget's renderer (or an empty state). */
export function WidgetRenderer({ widget, data, params, projectId, title }: WidgetRendererHostProps) {
  const def = widgetRenderers[widget];
  if (!def) {
    return <Alert variant="info" isInline isPlain title={`The "${widget}" widget has no renderer in this UI.`} />;
  }
  const empty = emptyReason(widget, data);
  if (empty) return <Empty title="No data">{empty}</Empty>;
  const C = def.component;
  return (
    <WidgetErrorBoundary resetKey={data}>
      <Suspense fallback={<Loading label="Loading widget" />}>
        <C data={data} params={params} projectId={projectId} title={title} />
      </Suspense>
    </WidgetErrorBoundary>
  );
}

export interface WidgetViewProps {
  widget: string;
  params: WidgetParams;
  projectId?: string | null;
  title?: string;
  /** Re-fetch every n ms. */
  pollMs?: number;
}

/** Fetches /api/widget/<widget> with the params and draws it, with loading, error and empty states. */
export function WidgetView({ widget, params, projectId, title, pollMs }: WidgetViewProps) {
  const { data, error, loading, reload } = useApi<unknown>(`widget/${encodeURIComponent(widget)}`, { query: widgetQuery(params) }, pollMs);
  if (loading && data === undefined) return <Loading label={`Loading ${title ?? widget}`} />;
  if (error) return <ErrorState error={error} onRetry={reload} />;
  return <WidgetRenderer widget={widget} data={data} params={params} projectId={projectId} title={title} />;
}
