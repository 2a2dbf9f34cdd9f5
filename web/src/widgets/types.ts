// The contract between a widget renderer and whoever hosts it (dashboard
// cards, the wizard's preview, the Jenkins analysis view): the data exactly
// as GET /api/widget/<id> returned it, plus the parameters it was fetched with.

export type WidgetParams = Record<string, unknown>;

export interface WidgetRendererProps<T = unknown> {
  /** The widget's data, as the API sent it. */
  data: T;
  /** The parameters the data was fetched with (group_field, job_name, ...). */
  params: WidgetParams;
  /** Project for links to runs (/project/<id>/runs/<run>); params.project is used when absent. */
  projectId?: string | null;
  /** Accessible name for the chart or table (usually the widget title). */
  title?: string;
}

/** The project a renderer links into: the explicit one, else the widget's `project` param. */
export function linkProject(p: Pick<WidgetRendererProps, 'projectId' | 'params'>): string | null {
  if (p.projectId) return p.projectId;
  const v = p.params?.project;
  return typeof v === 'string' && v ? v : null;
}
